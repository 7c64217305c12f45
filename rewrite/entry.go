// This file rewrites entry points, func main and TestXxx functions, to run their bodies as the main greenlet of a hub.

package rewrite

import (
	"go/ast"
	"go/types"
	"strings"
	"unicode"
	"unicode/utf8"
)

// rewriteEntry rewrites
//
//	func main() { body }  →  func main() { gopatchrt.Run(func() { body }) }
//
// and the same for func TestXxx(t *testing.T) in _test.go files. The
// wrapper is inserted on the braces' own lines, so the body keeps its line
// numbers. A body that already is one gopatchrt.Run call is left alone.
func rewriteEntry(r *rewriter, n ast.Node) (string, bool) {
	fd, ok := n.(*ast.FuncDecl)
	if !ok || fd.Body == nil || fd.Recv != nil || !r.isEntry(fd) {
		return "", false
	}
	if len(fd.Body.List) == 1 {
		if es, ok := fd.Body.List[0].(*ast.ExprStmt); ok {
			if call, ok := es.X.(*ast.CallExpr); ok && r.isRTCall(call, "Run") {
				return "", false
			}
		}
	}
	lb, rb := fd.Body.Lbrace+1, fd.Body.Rbrace
	body := r.stmts(lb, rb, fd.Body.List)
	return r.compose(fd.Pos(), fd.End(), []part{
		{lb, lb, " " + rtName + ".Run(func() {"},
		{lb, rb, body},
		{rb, rb, "}) "},
	}), true
}

// isEntry reports whether fd is func main of package main or a test function.
func (r *rewriter) isEntry(fd *ast.FuncDecl) bool {
	sig := fd.Type
	if fd.Name.Name == "main" && r.file.Name.Name == "main" {
		return sig.Params.NumFields() == 0 && sig.Results.NumFields() == 0 && sig.TypeParams == nil
	}
	if !strings.HasSuffix(r.path, "_test.go") || !isTestName(fd.Name.Name, "Test") {
		return false
	}
	if sig.Params.NumFields() != 1 || sig.Results.NumFields() != 0 || sig.TypeParams != nil {
		return false
	}
	ptr, ok := r.info.TypeOf(sig.Params.List[0].Type).(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := ptr.Elem().(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "testing" && named.Obj().Name() == "T"
}

// isTestName reports whether name is prefix followed by nothing or by a
// character that is not a lowercase letter, as go test requires.
func isTestName(name, prefix string) bool {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	c, _ := utf8.DecodeRuneInString(rest)
	return !unicode.IsLower(c)
}

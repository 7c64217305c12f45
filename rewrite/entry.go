// This file rewrites entry points (func main, tests, benchmarks, fuzz tests and targets, examples, subtests) to run their bodies as the main greenlet of a hub.

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
//	func main() { body }                →  func main() { gopatchrt.Run(func() { body }) }
//	func ExampleXxx() { body }          →  func ExampleXxx() { gopatchrt.Run(func() { body }) }
//	func TestXxx(t *testing.T) { body } →  func TestXxx(t *testing.T) { gopatchrt.RunTest(t, func() { body }) }
//
// and the same as TestXxx for BenchmarkXxx(b *testing.B) and FuzzXxx(f
// *testing.F) in _test.go files. go test runs each of these on a goroutine
// of its own, so each gets a hub of its own; RunTest reports a deadlock with
// t.Fatal, so the test fails and the binary goes on to the next test.
//
// The wrapper is inserted on the braces' own lines, so the body keeps its
// line numbers, and no line directive is left between an example's last
// comment and its closing brace, so "// Output:" is still found. A body
// that already is one gopatchrt.Run or RunTest call is left alone.
//
// TestMain(m *testing.M) is not an entry point: m.Run runs every test on a
// goroutine of its own, where the tests' own wrappers give each its hub, and
// code in TestMain itself gets a hub lazily if it uses rt.
func rewriteEntry(r *rewriter, n ast.Node) (string, bool) {
	fd, ok := n.(*ast.FuncDecl)
	if !ok || fd.Body == nil || fd.Recv != nil {
		return "", false
	}
	kind := r.entryKind(fd)
	if kind == "" {
		return "", false
	}
	if kind == "example" && !r.wouldChange(fd.Body) {
		// An example with nothing to rewrite in its own body keeps its
		// stack as it is: its output may print it (conc's
		// ExampleCatcher_callers lists runtime.Callers). Code it calls
		// that uses rt gets a hub lazily on the example's goroutine.
		return "", false
	}
	parts, ok := r.wrapBody(fd.Type, fd.Body, kind != "main" && kind != "example")
	if !ok {
		return "", false
	}
	return r.compose(fd.Pos(), fd.End(), parts), true
}

// wrapBody returns the parts that make body run in gopatchrt.Run, or in
// gopatchrt.RunTest with the first parameter when test is set, naming that
// parameter when it has no usable name. It reports false when body already
// is such a call.
func (r *rewriter) wrapBody(ft *ast.FuncType, body *ast.BlockStmt, test bool) ([]part, bool) {
	if len(body.List) == 1 {
		if es, ok := body.List[0].(*ast.ExprStmt); ok {
			if call, ok := es.X.(*ast.CallExpr); ok && (r.isRTCall(call, "Run") || r.isRTCall(call, "RunTest")) {
				return nil, false
			}
		}
	}
	var parts []part
	open := " " + rtName + ".Run(func() {"
	if test {
		name, named := r.nameFirstParam(ft)
		parts = append(parts, named...)
		open = " " + rtName + ".RunTest(" + name + ", func() {"
	}
	// The closing brace is inside the last part, so the directive compose
	// writes after it falls outside the body.
	lb, rb := body.Lbrace+1, body.Rbrace
	return append(parts,
		part{lb, lb, open},
		part{lb, rb + 1, r.stmts(lb, rb, body.List) + "}) }"},
	), true
}

// nameFirstParam returns a reference to ft's first parameter (preceded by a
// directive to its declaration, so that the name maps to a place that holds
// it) and, when it is
// unnamed or blank, the parts that give it a reserved name (and the other
// parameters the blank name, since Go names all parameters or none).
func (r *rewriter) nameFirstParam(ft *ast.FuncType) (string, []part) {
	first := ft.Params.List[0]
	if len(first.Names) > 0 {
		if id := first.Names[0]; id.Name != "_" {
			return r.directive(id.Pos()) + id.Name, nil
		}
		name := r.tmp()
		return name, []part{{first.Names[0].Pos(), first.Names[0].End(), name}}
	}
	name := r.tmp()
	var parts []part
	for i, f := range ft.Params.List {
		n := "_ "
		if i == 0 {
			n = name + " "
		}
		parts = append(parts, part{f.Type.Pos(), f.Type.Pos(), n})
	}
	return name, parts
}

// entryKind returns "main" for func main of package main, and for a
// function of a _test.go file that go test runs, "test", "benchmark",
// "fuzz" or "example"; otherwise "".
func (r *rewriter) entryKind(fd *ast.FuncDecl) string {
	sig := fd.Type
	if sig.TypeParams != nil || sig.Results.NumFields() != 0 {
		return ""
	}
	if fd.Name.Name == "main" && r.file.Name.Name == "main" {
		if sig.Params.NumFields() == 0 {
			return "main"
		}
		return ""
	}
	if !strings.HasSuffix(r.path, "_test.go") {
		return ""
	}
	if isTestName(fd.Name.Name, "Example") {
		if sig.Params.NumFields() == 0 {
			return "example"
		}
		return ""
	}
	for _, k := range []struct{ prefix, typ, kind string }{
		{"Test", "T", "test"},
		{"Benchmark", "B", "benchmark"},
		{"Fuzz", "F", "fuzz"},
	} {
		if isTestName(fd.Name.Name, k.prefix) {
			if sig.Params.NumFields() == 1 && isTestingPtr(r.info.TypeOf(sig.Params.List[0].Type), k.typ) {
				return k.kind
			}
			return "" // TestMain(m *testing.M) among others: see rewriteEntry
		}
	}
	return ""
}

// isTestingPtr reports whether t is *testing.name.
func isTestingPtr(t types.Type, name string) bool {
	ptr, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := ptr.Elem().(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "testing" && named.Obj().Name() == name
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

// rewriteSubtest rewrites the calls that run test code on another goroutine
// and wait for it:
//
//	t.Run(name, f)  →  gopatchrt.RunSubtest(t.Run, name, f)
//	b.Run(name, f)  →  gopatchrt.RunSubtest(b.Run, name, f)
//	f.Fuzz(target)  →  gopatchrt.RunFuzz(f.Fuzz, target)
//	t.Parallel()    →  gopatchrt.WaitParallel(t.Parallel)
//
// RunSubtest runs f as the main greenlet of its own hub on the subtest's
// goroutine; for f.Fuzz, a function literal target has its body wrapped in
// gopatchrt.RunTest here, since its parameters are only known statically.
// All of them tell the deadlock detector that the caller's hub is blocked
// natively until the subtest, the target or the tests t.Parallel waits for
// are done; otherwise a deadlocked test would wait forever for a hub that
// waits for it. The method value and the arguments
// are evaluated in the original order. A method expression such as
// (*testing.T).Run(t, name, f) is reported as unsupported.
func rewriteSubtest(r *rewriter, n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return "", false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	fn, ok := r.info.Uses[sel.Sel].(*types.Func)
	if !ok {
		return "", false
	}
	var helper string
	switch fn.FullName() {
	case "(*testing.T).Run", "(*testing.B).Run":
		helper = "RunSubtest"
	case "(*testing.F).Fuzz":
		helper = "RunFuzz"
	case "(*testing.T).Parallel":
		helper = "WaitParallel"
	case "testing.Main", "(*testing.M).Run":
		// A program that runs tests from its own main: testing runs
		// them on goroutines of their own while main's blocks, natively,
		// in t.Run; main's hub, which holds the greenlets init started,
		// must go on meanwhile. In a test binary go test's main calls
		// TestMain, on no hub of rt's, and it stays as it is.
		if strings.HasSuffix(r.path, "_test.go") {
			return "", false
		}
		helper = "RunTestingMain"
		if fn.Name() == "Run" {
			helper = "RunTestingM"
		}
	default:
		return "", false
	}
	if s := r.info.Selections[sel]; fn.FullName() == "testing.Main" {
		if s != nil {
			return "", false
		}
	} else if s == nil || s.Kind() != types.MethodVal {
		r.errorf(call.Pos(), CodeUnsupported, "method expression %s cannot run its function as the main greenlet of a hub", fn.FullName())
		return "", true
	}
	parts := []part{{call.Pos(), call.Pos(), rtName + "." + helper + "("}}
	if len(call.Args) == 0 {
		parts = append(parts, part{call.Lparen, call.Rparen + 1, ")"})
	} else {
		parts = append(parts, part{call.Lparen, call.Lparen + 1, ", "})
	}
	if s, ok := r.render(call.Fun); ok {
		parts = append(parts, part{call.Fun.Pos(), call.Fun.End(), s})
	}
	for _, a := range call.Args {
		if lit, ok := ast.Unparen(a).(*ast.FuncLit); ok && helper == "RunFuzz" && r.isFuzzTarget(lit) {
			if wrap, ok := r.wrapBody(lit.Type, lit.Body, true); ok {
				parts = append(parts, part{lit.Pos(), lit.End(), r.compose(lit.Pos(), lit.End(), wrap)})
				continue
			}
		}
		if s, ok := r.render(a); ok {
			parts = append(parts, part{a.Pos(), a.End(), s})
		}
	}
	return r.compose(call.Pos(), call.End(), parts), true
}

// isFuzzTarget reports whether lit is a fuzz target: a function whose first
// parameter is a *testing.T.
func (r *rewriter) isFuzzTarget(lit *ast.FuncLit) bool {
	ps := lit.Type.Params
	return ps.NumFields() > 0 && lit.Type.Results.NumFields() == 0 && isTestingPtr(r.info.TypeOf(ps.List[0].Type), "T")
}

// wouldChange reports whether any rule rewrites something inside n, leaving
// the rewriter as it was: rendering counts dropped import uses, adds helpers
// and numbers temporaries, which must happen only for output that is kept.
func (r *rewriter) wouldChange(n ast.Node) bool {
	dropped := make(map[*types.PkgName]int, len(r.dropped))
	for k, v := range r.dropped {
		dropped[k] = v
	}
	helpers := make(map[string]string, len(r.helpers))
	for k, v := range r.helpers {
		helpers[k] = v
	}
	usesRT, ntmp, ndiags := r.usesRT, r.ntmp, len(r.diags)
	_, changed := r.render(n)
	r.dropped, r.helpers, r.usesRT, r.ntmp, r.diags = dropped, helpers, usesRT, ntmp, r.diags[:ndiags]
	return changed
}

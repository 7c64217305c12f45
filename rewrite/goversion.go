// This file keeps rewritten files at their own Go language version: the forms a rewrite may use in a file of an older version, and the //go:build line that lifts a file older than generics.

package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/token"
	"go/version"
	"strings"
)

// Language versions that rewritten code depends on.
const (
	// goGenerics: every rewritten file instantiates rt's generic
	// functions. A file older than this is lifted to it, which changes no
	// semantics (the only change of meaning between Go versions, per-
	// iteration loop variables, came in go1.22).
	goGenerics = "go1.18"
	// goRangeFunc: range over a function, which `for v := range
	// gopatchrt.Range(ch)` needs; older files get RangeFirst and Next.
	goRangeFunc = "go1.23"
)

// fileAtLeast reports whether the language version of the file being
// rewritten is at least v. A file whose version is unknown counts as new.
func (r *rewriter) fileAtLeast(v string) bool {
	fv := r.info.FileVersions[r.file]
	return fv == "" || version.Compare(fv, v) >= 0
}

// rangeClauses rewrites a range over a channel, for a file older than
// goRangeFunc, into a three-clause loop over gopatchrt.RangeFirst and Next:
//
//	for v := range ch {      →  for gopatchrt_1, v, gopatchrt_2 := gopatchrt.RangeFirst(ch); gopatchrt_2; v, gopatchrt_2 = gopatchrt_1.Next(v) {
//	for range ch {           →  for gopatchrt_1, gopatchrt_3, gopatchrt_2 := gopatchrt.RangeFirst(ch); gopatchrt_2; gopatchrt_3, gopatchrt_2 = gopatchrt_1.Next(gopatchrt_3) {
//	for x.f = range ch {     →  for gopatchrt_1, gopatchrt_3, gopatchrt_2 := ...; gopatchrt_2; gopatchrt_3, gopatchrt_2 = gopatchrt_1.Next(gopatchrt_3) { x.f = gopatchrt_3;
//
// ch is evaluated once, as range evaluates it, continue receives the next
// value, and the receive that finds ch closed leaves the variable as it was. The loop's variable is declared by the loop's init, so it is
// one variable for the whole loop before go1.22 and one an iteration from
// go1.22 on, exactly as the range it replaces.
func (r *rewriter) rangeClauses(rs *ast.RangeStmt) string {
	it, ok := r.tmp(), r.tmp()
	var key, assign string
	id, isIdent := rs.Key.(*ast.Ident)
	switch {
	case rs.Key == nil || isIdent && id.Name == "_":
		key = r.tmp() // used by Next's argument alone
	case rs.Tok == token.DEFINE:
		key = r.directive(id.Pos()) + id.Name
	default:
		key = r.tmp()
		assign = " " + r.child(rs.Key) + " = " + key + ";"
	}
	head := fmt.Sprintf("for %s, %s, %s := %s.RangeFirst(%s); %s; %s, %s = %s.Next(%s) {%s",
		it, key, ok, rtName, r.child(rs.X), ok, key, ok, it, key, assign)
	body := r.stmts(rs.Body.Lbrace+1, rs.Body.Rbrace, rs.Body.List)
	return r.compose(rs.Pos(), rs.End(), []part{
		{rs.Pos(), rs.Body.Lbrace + 1, head},
		{rs.Body.Lbrace + 1, rs.Body.Rbrace, body},
	})
}

// liftGoVersion returns src, a rewritten file, with its build constraint
// requiring at least version v (go1.18), which sets the file's language
// version to v. An existing //go:build line is extended in place, and
// // +build lines (which a //go:build line overrides) are folded into it and
// emptied, so no line moves; a file with no constraint gets a //go:build
// line above its first line. When src is compiled in place of the original
// it starts with a //line directive, which keeps positions exact below the
// new line.
func liftGoVersion(src []byte, v string) ([]byte, error) {
	tag := version.Lang(v)
	lines := bytes.SplitAfter(src, []byte("\n"))
	var exprs []constraint.Expr
	goBuild, plusBuild := -1, []int(nil)
	for i, l := range lines {
		t := strings.TrimSpace(string(l))
		if t == "" || strings.HasPrefix(t, "//line ") {
			continue
		}
		if !strings.HasPrefix(t, "//") {
			break // the package clause, or a /* comment: the header is over
		}
		if constraint.IsGoBuild(t) || constraint.IsPlusBuild(t) {
			x, err := constraint.Parse(t)
			if err != nil {
				return nil, fmt.Errorf("build constraint %q: %v", t, err)
			}
			if constraint.IsGoBuild(t) {
				goBuild, exprs = i, []constraint.Expr{x} // it alone counts
			} else {
				plusBuild = append(plusBuild, i)
				if goBuild < 0 {
					exprs = append(exprs, x)
				}
			}
		}
	}
	var x constraint.Expr = &constraint.TagExpr{Tag: tag}
	for i := len(exprs) - 1; i >= 0; i-- {
		x = &constraint.AndExpr{X: exprs[i], Y: x}
	}
	line := []byte("//go:build " + x.String() + "\n")
	switch {
	case goBuild >= 0:
		lines[goBuild] = line
	case len(plusBuild) > 0:
		lines[plusBuild[0]] = line
	case bytes.HasPrefix(src, []byte("//line ")):
		return append(line, src...), nil
	default:
		return append(append(line, '\n'), src...), nil // for a reader
	}
	for _, i := range plusBuild {
		if i != goBuild && !(goBuild < 0 && i == plusBuild[0]) {
			lines[i] = []byte("//\n")
		}
	}
	return bytes.Join(lines, nil), nil
}

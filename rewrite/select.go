// This file rewrites select statements into one gopatchrt.Select call and a switch on the chosen case.

package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// rewriteSelect rewrites
//
//	select {
//	case v := <-in:
//		use(v)
//	case out <- x:
//	default:
//	}
//
// into
//
//	switch gopatchrt_1 := gopatchrtSelect_f_go(in); gopatchrt.Select(true, gopatchrt.RecvCase(gopatchrt_1.C, &gopatchrt_1.V, &gopatchrt_1.OK), gopatchrt.SendCase(out, x)) {
//	case 0: v := gopatchrt_1.V;
//		use(v)
//	case 1:
//	default:
//	}
//
// A switch keeps break meaning what it meant in the select, and a label on
// the select labels the switch. The receive variables live in a value made
// by a per-file generic helper, so their type (the channel's element type)
// never has to be named. Without a default clause the last case is written
// as default, so a select that was a terminating statement still is one.
//
// Go evaluates the channel and value operands of all cases once, in source
// order, on entering the select. When every operand is free of calls and
// receives, the order cannot show and the operands stay in place; otherwise
// each one that is not a constant is evaluated into a temporary of the
// switch's init, one assignment in source order.
func rewriteSelect(r *rewriter, n ast.Node) (string, bool) {
	sel, ok := n.(*ast.SelectStmt)
	if !ok {
		return "", false
	}
	if len(sel.Body.List) == 0 {
		// select {} blocks forever; panic makes it a terminating statement still.
		return "{ " + rtName + `.Select(false); panic("unreachable") }`, true
	}
	hasDefault := false
	for _, s := range sel.Body.List {
		if s.(*ast.CommClause).Comm == nil {
			hasDefault = true
		}
	}
	hoist := false
	for _, s := range sel.Body.List {
		for _, e := range commOperands(s.(*ast.CommClause).Comm) {
			hoist = hoist || !r.pure(e)
		}
	}
	var tmps, inits, cases []string
	// operand returns the text of a case operand, hoisted when hoist is set.
	operand := func(e ast.Expr) string {
		if !hoist || r.isInert(e) {
			return r.child(e)
		}
		t := r.tmp()
		// The init sits in a switch header, where a composite literal of a
		// named type (token{}, &T{}) would be read as the start of the
		// switch's block, so such an operand is parenthesized.
		init := r.child(e)
		if hasCompositeLit(e) {
			init = "(" + init + ")"
		}
		tmps, inits = append(tmps, t), append(inits, init)
		return t
	}
	var parts []part
	idx := 0
	last := len(sel.Body.List) - 1
	for i, s := range sel.Body.List {
		cc := s.(*ast.CommClause)
		head := fmt.Sprintf("case %d:", idx)
		if cc.Comm == nil || !hasDefault && i == last {
			head = "default:"
		}
		switch c := cc.Comm.(type) {
		case nil:
		case *ast.SendStmt:
			ch := operand(c.Chan)
			if r.sendNeedsElemType(c.Chan, c.Value) {
				cases = append(cases, rtName+".SendCaseTo("+ch+")("+operand(c.Value)+")")
			} else {
				cases = append(cases, rtName+".SendCase("+ch+", "+operand(c.Value)+")")
			}
			idx++
		case *ast.ExprStmt, *ast.AssignStmt:
			var ch ast.Expr
			var lhs []ast.Expr
			tok := token.ILLEGAL
			if e, ok := c.(*ast.ExprStmt); ok {
				ch, _ = recvOperand(ast.Unparen(e.X))
			} else {
				a := c.(*ast.AssignStmt)
				ch, _ = recvOperand(ast.Unparen(a.Rhs[0]))
				lhs, tok = a.Lhs, a.Tok
			}
			if len(lhs) == 0 {
				// case <-ch: nothing to store.
				cases = append(cases, rtName+".RecvCase("+operand(ch)+", nil, nil)")
				idx++
				break
			}
			t := r.tmp()
			tmps = append(tmps, t)
			inits = append(inits, r.recvHelper()+"("+r.child(ch)+")")
			cases = append(cases, fmt.Sprintf("%s.RecvCase(%s.C, &%s.V, &%s.OK)", rtName, t, t, t))
			if assign := r.recvAssign(lhs, tok, t); assign != "" {
				head += " " + assign + ";"
			}
			idx++
		default:
			r.errorf(cc.Pos(), CodeUnsupported, "select case %T is not rewritten", c)
			return "", false
		}
		parts = append(parts, part{cc.Case, cc.Colon + 1, head})
		if len(cc.Body) > 0 {
			parts = append(parts, part{cc.Colon + 1, cc.End(), r.stmts(cc.Colon+1, cc.End(), cc.Body)})
		}
	}
	init := ""
	if len(tmps) > 0 {
		init = strings.Join(tmps, ", ") + " := " + strings.Join(inits, ", ") + "; "
	}
	call := fmt.Sprintf("%s.Select(%t", rtName, hasDefault)
	for _, c := range cases {
		call += ", " + c
	}
	call += ")"
	parts = append(parts, part{sel.Select, sel.Body.Lbrace, "switch " + init + call + " "})
	return r.compose(sel.Pos(), sel.End(), parts), true
}

// recvAssign returns the statement that gives a receive case's variables
// their values from temporary t, or "" when the case has none (or only
// blank ones declared with :=).
func (r *rewriter) recvAssign(lhs []ast.Expr, tok token.Token, t string) string {
	if len(lhs) == 0 {
		return ""
	}
	vals := []string{t + ".V", t + ".OK"}[:len(lhs)]
	if tok == token.DEFINE {
		blank := true
		for _, l := range lhs {
			if id, ok := l.(*ast.Ident); !ok || id.Name != "_" {
				blank = false
			}
		}
		if blank {
			return ""
		}
	}
	names := make([]string, len(lhs))
	for i, l := range lhs {
		names[i] = r.child(l)
	}
	return strings.Join(names, ", ") + " " + tok.String() + " " + strings.Join(vals, ", ")
}

// recvHelper returns the name of this file's helper that holds a receive
// case's channel and the variables the value and ok flag are received into,
// declaring it on first use.
func (r *rewriter) recvHelper() string {
	name := r.helperName("Select")
	r.helpers[name] = "// " + name + " holds a select receive case's channel and received value; added by gopatch.\n" +
		"func " + name + "[T any](c <-chan T) *struct {\n\tC  <-chan T\n\tV  T\n\tOK bool\n} {\n" +
		"\treturn &struct {\n\t\tC  <-chan T\n\t\tV  T\n\t\tOK bool\n\t}{C: c}\n}"
	return name
}

// commOperands returns the channel and value operands of a select case.
func commOperands(comm ast.Stmt) []ast.Expr {
	switch c := comm.(type) {
	case *ast.SendStmt:
		return []ast.Expr{c.Chan, c.Value}
	case *ast.ExprStmt:
		if ch, ok := recvOperand(ast.Unparen(c.X)); ok {
			return []ast.Expr{ch}
		}
	case *ast.AssignStmt:
		if ch, ok := recvOperand(ast.Unparen(c.Rhs[0])); ok {
			return []ast.Expr{ch}
		}
	}
	return nil
}

// pure reports whether evaluating e has no effect another operand could
// observe or be affected by: it has no calls and no receives.
func (r *rewriter) pure(e ast.Expr) bool {
	if r.isInert(e) {
		return true
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident, *ast.BasicLit:
		return true
	case *ast.SelectorExpr:
		return r.pure(e.X)
	case *ast.StarExpr:
		return r.pure(e.X)
	case *ast.UnaryExpr:
		return e.Op != token.ARROW && r.pure(e.X)
	case *ast.BinaryExpr:
		return r.pure(e.X) && r.pure(e.Y)
	}
	return false
}

// hasCompositeLit reports whether e contains a composite literal.
func hasCompositeLit(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if _, ok := n.(*ast.CompositeLit); ok {
			found = true
		}
		return !found
	})
	return found
}

// This file rewrites go statements into gopatchrt.Go calls that evaluate the function and its arguments first, as Go does.

package rewrite

import (
	"go/ast"
	"go/types"
	"strings"
)

// rewriteGo rewrites
//
//	go f(x, g())    →  { gopatchrt_1, gopatchrt_2 := x, g(); gopatchrt.Go(func() { f(gopatchrt_1, gopatchrt_2) }) }
//	go close(ch)    →  { gopatchrt_1 := ch; gopatchrt.Go(func() { gopatchrt.Close(gopatchrt_1) }) }
//	go obj.M(x)     →  { gopatchrt_1, gopatchrt_2 := obj.M, x; gopatchrt.Go(func() { gopatchrt_1(gopatchrt_2) }) }
//	go func() {}()  →  gopatchrt.Go(func() {})
//
// The go statement evaluates the function value and the arguments in the
// calling greenlet, so their values are fixed before the new greenlet runs.
// Constants, nil, function literals and declared functions need no
// temporary. The replacement stays on one line and is a block, which is
// valid wherever a go statement is.
func rewriteGo(r *rewriter, n ast.Node) (string, bool) {
	g, ok := n.(*ast.GoStmt)
	if !ok {
		return "", false
	}
	call := g.Call
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok && len(call.Args) == 0 &&
		lit.Type.Params.NumFields() == 0 && lit.Type.Results.NumFields() == 0 {
		return rtName + ".Go(" + r.child(lit) + ")", true
	}
	var decls []string // statements that evaluate into temporaries, in order
	var names, values []string
	subst := map[ast.Node]string{} // what the call inside the greenlet uses instead
	// The operands are rendered here, once, into the temporaries' values:
	// the call inside the greenlet must only name the temporaries, or an
	// argument would be evaluated twice.
	if r.needsCopy(call.Fun) {
		t := r.tmp()
		names, values = append(names, t), append(values, r.child(call.Fun))
		subst[call.Fun] = t
	}
	if tuple, ok := r.tuple(call.Args); ok && tuple.Len() > 1 {
		// go f(g()) where g returns several values.
		if len(names) > 0 {
			decls = append(decls, strings.Join(names, ", ")+" := "+strings.Join(values, ", "))
			names, values = nil, nil
		}
		var tmps []string
		for range tuple.Len() {
			tmps = append(tmps, r.tmp())
		}
		decls = append(decls, strings.Join(tmps, ", ")+" := "+r.child(call.Args[0]))
		subst[call.Args[0]] = strings.Join(tmps, ", ")
	} else {
		for _, a := range call.Args {
			if r.isInert(a) {
				continue
			}
			t := r.tmp()
			names, values = append(names, t), append(values, r.child(a))
			subst[a] = t
		}
	}
	if len(names) > 0 {
		decls = append(decls, strings.Join(names, ", ")+" := "+strings.Join(values, ", "))
	}
	// The call is rendered with its operands standing for the temporaries.
	// When the function is a declared function or builtin, the rules apply
	// to the call as to a plain one, so go close(ch) or go net.LookupHost(h)
	// become their rt forms rather than the native builtin or function. A
	// function value was already evaluated, through the rules, into its
	// temporary (a sync method value becomes its rt form there), so the call
	// of that temporary is left as it is.
	_, copied := subst[call.Fun]
	wasSkipped := r.skip[call]
	if copied {
		r.skip[call] = true
	}
	// r.subst is shared with the go statements nested in the call (a
	// function literal's body may hold more): each adds its own entries and
	// removes them when done, so an inner one never drops an outer one's.
	for n, t := range subst {
		r.subst[n] = t
	}
	body := r.child(call)
	for n := range subst {
		delete(r.subst, n)
	}
	if copied && !wasSkipped {
		delete(r.skip, call)
	}
	s := rtName + ".Go(func() { " + body + " })"
	if len(decls) == 0 {
		return s, true
	}
	return "{ " + strings.Join(decls, "; ") + "; " + s + " }", true
}

// tuple returns the type of args when it is a single multi-valued call.
func (r *rewriter) tuple(args []ast.Expr) (*types.Tuple, bool) {
	if len(args) != 1 {
		return nil, false
	}
	t, ok := r.info.TypeOf(args[0]).(*types.Tuple)
	return t, ok
}

// needsCopy reports whether the function expression of a go statement must
// be evaluated into a temporary: it is a value (a variable, a method value,
// an element), not a declared function, builtin or literal.
func (r *rewriter) needsCopy(fun ast.Expr) bool {
	switch f := ast.Unparen(fun).(type) {
	case *ast.FuncLit:
		return false
	case *ast.Ident:
		switch r.info.Uses[f].(type) {
		case *types.Func, *types.Builtin:
			return false
		}
	case *ast.SelectorExpr:
		if sel, ok := r.info.Selections[f]; ok {
			return sel.Kind() != types.MethodExpr
		}
		_, isFunc := r.info.Uses[f.Sel].(*types.Func)
		return !isFunc
	case *ast.IndexExpr:
		return !r.isGenericFunc(f.X)
	case *ast.IndexListExpr:
		return !r.isGenericFunc(f.X)
	}
	return true
}

func (r *rewriter) isGenericFunc(e ast.Expr) bool {
	var id *ast.Ident
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	default:
		return false
	}
	_, ok := r.info.Uses[id].(*types.Func)
	return ok
}

// isInert reports whether evaluating e later gives the same value: e is a
// constant, nil or a function literal. Constants also must not be copied,
// since a temporary would fix the type of an untyped constant.
func (r *rewriter) isInert(e ast.Expr) bool {
	if _, ok := ast.Unparen(e).(*ast.FuncLit); ok {
		return true
	}
	tv := r.info.Types[e]
	return tv.Value != nil || tv.IsNil()
}

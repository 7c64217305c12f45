// This file makes every call of package sync/atomic a scheduling point:
// the address of the value it works on passes through gopatchrt.AtomicAt.

package rewrite

import (
	"go/ast"
	"go/types"
	"strings"
)

// rewriteAtomic rewrites the calls of package sync/atomic's functions and
// of its types' methods so that the value's address goes through
// gopatchrt.AtomicAt, which returns it unchanged, after a scheduling point
// when a hub asks for one at every synchronising operation (gopatch test
// -yield=sync): a check-then-act on atomics, which never blocks, then
// gives the schedule a choice between the check and the act.
//
//	atomic.AddInt64(&n, 1)  →  atomic.AddInt64(gopatchrt.AtomicAt(&n), 1)
//	v.Load()  (v atomic.Int64)  →  gopatchrt.AtomicAt(&v).Load()
//	p.Store(x)  (p *atomic.Value)  →  gopatchrt.AtomicAt(p).Store(x)
//
// Every function of sync/atomic takes the address first, and Go evaluates
// a call's arguments left to right, so the point comes before the
// operation, as at the other synchronising operations; the operation
// itself is the native one. Method values and method expressions are
// left alone.
func rewriteAtomic(r *rewriter, n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return "", false
	}
	if fn, _ := r.pkgFuncRef(ast.Unparen(call.Fun), "sync/atomic"); fn != nil {
		if call.Ellipsis.IsValid() || len(call.Args) == 0 || r.isAtomicAt(call.Args[0]) {
			return "", false
		}
		args := []string{rtName + ".AtomicAt(" + r.child(call.Args[0]) + ")"}
		for _, a := range call.Args[1:] {
			args = append(args, r.child(a))
		}
		return r.child(call.Fun) + "(" + strings.Join(args, ", ") + ")", true
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || r.isAtomicAt(sel.X) {
		return "", false
	}
	s, ok := r.info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal {
		return "", false
	}
	if fn, ok := s.Obj().(*types.Func); !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync/atomic" {
		return "", false
	}
	recv, ok := r.syncReceiver(sel, s)
	if !ok {
		return "", false
	}
	args := make([]string, len(call.Args))
	for i, a := range call.Args {
		args[i] = r.child(a)
	}
	return rtName + ".AtomicAt(" + recv + ")." + r.child(sel.Sel) + "(" + strings.Join(args, ", ") + ")", true
}

// isAtomicAt reports whether e is a call of rt's AtomicAt already: the
// rewrite leaves rewritten code as it is.
func (r *rewriter) isAtomicAt(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "AtomicAt" {
		return false
	}
	pn, ok := r.info.Uses[identOf(sel.X)].(*types.PkgName)
	return ok && pn.Imported().Path() == rtPath
}

// This file rewrites package context's cancelable and deadline contexts into rt's, whose Done channels the hub owns and whose deadlines are on the hub clock.

package rewrite

import (
	"go/ast"
	"go/types"
)

// contextFuncs maps the rewritten functions of package context to their rt
// counterparts, which have the same signatures and return context.Context,
// context.CancelFunc and context.CancelCauseFunc. context.Cause needs no
// rewrite: an rt context answers its lookup with a std context that carries
// the cause.
var contextFuncs = map[string]string{
	"WithCancel":        "ContextWithCancel",
	"WithCancelCause":   "ContextWithCancelCause",
	"WithDeadline":      "ContextWithDeadline",
	"WithDeadlineCause": "ContextWithDeadlineCause",
	"WithTimeout":       "ContextWithTimeout",
	"WithTimeoutCause":  "ContextWithTimeoutCause",
	"AfterFunc":         "ContextAfterFunc",
}

// rewriteContext rewrites every reference to a function of contextFuncs,
// called or used as a value, matched by the object it refers to.
//
// In the standard library, which measures deadlines against the wall
// clock (rewriteTime), a call of a context.Context's Deadline method
// becomes gopatchrt.ContextDeadline(ctx): the deadline of a context made
// on a virtual clock, moved to the wall clock.
func rewriteContext(r *rewriter, n ast.Node) (string, bool) {
	if r.std {
		if call, ok := n.(*ast.CallExpr); ok && len(call.Args) == 0 {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && r.isContextDeadline(sel) {
				return rtName + ".ContextDeadline(" + r.child(sel.X) + ")", true
			}
		}
	}
	return r.rewritePkgFunc(n, "context", contextFuncs)
}

// isContextDeadline reports whether sel selects the Deadline method of
// context.Context (on an interface value, or promoted through an embedded
// one).
func (r *rewriter) isContextDeadline(sel *ast.SelectorExpr) bool {
	s, ok := r.info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal || sel.Sel.Name != "Deadline" {
		return false
	}
	fn, ok := s.Obj().(*types.Func)
	return ok && fn.Pkg() != nil && fn.Pkg().Path() == "context"
}

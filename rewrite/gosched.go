// This file rewrites runtime.Gosched into a yield to the hub.

package rewrite

import "go/ast"

// rewriteGosched rewrites runtime.Gosched() into gopatchrt.Sleep(0), which
// lets every other runnable greenlet run before the caller continues, as
// Gosched lets other goroutines run. A reference that is not called becomes
// a function literal with the same signature.
func rewriteGosched(r *rewriter, n ast.Node) (string, bool) {
	ref := n
	call, isCall := n.(*ast.CallExpr)
	if isCall {
		if len(call.Args) != 0 {
			return "", false
		}
		ref = ast.Unparen(call.Fun)
	}
	fn, pkgIdent := r.pkgFuncRef(ref, "runtime")
	if fn == nil || fn.Name() != "Gosched" {
		return "", false
	}
	r.dropUse(pkgIdent, "runtime")
	if isCall {
		return rtName + ".Sleep(0)", true
	}
	return "func() { " + rtName + ".Sleep(0) }", true
}

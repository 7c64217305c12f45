// This file rewrites recover() so that a recovered panic is never rt's kill sentinel.

package rewrite

import "go/ast"

// rewriteRecover rewrites recover() into gopatchrt.Recover(recover()), which
// re-panics when the recovered value is the sentinel Greenlet.Kill and
// Timeout unwind a greenlet with. recover stays a direct call of the
// deferred function, as it must to stop the panic.
func rewriteRecover(r *rewriter, n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) != 0 || r.builtin(call) != "recover" {
		return "", false
	}
	return rtName + ".Recover(" + r.directive(call.Pos()) + r.text(call.Pos(), call.End()) + ")", true
}

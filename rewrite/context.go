// This file rewrites package context's cancelable and deadline contexts into rt's, whose Done channels the hub owns and whose deadlines are on the hub clock.

package rewrite

import "go/ast"

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
func rewriteContext(r *rewriter, n ast.Node) (string, bool) {
	return r.rewritePkgFunc(n, "context", contextFuncs)
}

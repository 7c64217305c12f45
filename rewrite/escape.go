// This file marks channels that rewritten code hands to packages that are not rewritten as foreign.

package rewrite

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"
)

// rewriteEscape rewrites a call into a package outside the module being
// rewritten that passes a channel:
//
//	signal.Notify(c, os.Interrupt)  →  signal.Notify((gopatchrt.Escape(c)), os.Interrupt)
//
// Such code (the standard library, a dependency) sends and receives on the
// channel natively. A channel made by rewritten code is hub-owned: greenlets
// wait on it in rt's queues, which a native send never touches, so without
// this a greenlet would sleep through signal.Notify's send and the hub would
// report a false deadlock. Escape makes the channel foreign, so rt waits on
// it natively. The rule comes last in the table: a call that another rule
// rewrites (an offloaded call, a sync method) is not also matched here.
//
// Only an argument whose parameter is itself of a channel type escapes:
// code that takes a channel is code that sends or receives on it. A
// channel passed as an interface (sync.Pool's Put, fmt.Println, a map key
// in sync.Map) is only stored or printed, and escaping it would make every
// later wait on it go through a helper goroutine, which costs determinism
// and freezes a virtual clock (it did, for conc/stream's pooled channels).
func rewriteEscape(r *rewriter, n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return "", false
	}
	fn, ok := typeutil.Callee(r.info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() == rtPath || r.inModule(fn.Pkg().Path()) {
		return "", false
	}
	// Decide before rendering anything: rendering has effects (it counts
	// the import uses that rules drop), so it must happen once, and only
	// for the call this rule rewrites.
	sig, ok := r.info.TypeOf(call.Fun).Underlying().(*types.Signature)
	if !ok {
		return "", false
	}
	escape := map[ast.Expr]bool{}
	for i, a := range call.Args {
		if r.isChan(a) && !r.isEscaped(a) && isChanParam(sig, i) {
			escape[a] = true
		}
	}
	if len(escape) == 0 {
		return "", false
	}
	var parts []part
	for _, c := range children(call) {
		if a, ok := c.(ast.Expr); ok && escape[a] {
			// Parenthesized because vet's sigchanyzer takes any one-argument
			// call passed to signal.Notify for an unbuffered make(chan).
			parts = append(parts, part{a.Pos(), a.End(), "(" + rtName + ".Escape(" + r.child(a) + "))"})
			continue
		}
		if s, ok := r.render(c); ok {
			parts = append(parts, part{c.Pos(), c.End(), s})
		}
	}
	return r.compose(call.Pos(), call.End(), parts), true
}

// isChanParam reports whether the parameter that takes the i-th argument
// of a call of sig has a channel type (a type parameter counts when all
// its types are channels, as for func F[C ~chan int](c C)).
func isChanParam(sig *types.Signature, i int) bool {
	params := sig.Params()
	if params.Len() == 0 {
		return false
	}
	var t types.Type
	if sig.Variadic() && i >= params.Len()-1 {
		t = params.At(params.Len() - 1).Type().(*types.Slice).Elem()
	} else if i < params.Len() {
		t = params.At(i).Type()
	} else {
		return false
	}
	if tp, ok := t.(*types.TypeParam); ok {
		_, isChan := chanDirs(tp)
		return isChan
	}
	_, isChan := t.Underlying().(*types.Chan)
	return isChan
}

// isEscaped reports whether e already is a gopatchrt.Escape call, so that
// rewriting rewritten code changes nothing.
func (r *rewriter) isEscaped(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && r.isRTCall(call, "Escape")
}

// isChan reports whether e is a channel value (not a type).
func (r *rewriter) isChan(e ast.Expr) bool {
	tv, ok := r.info.Types[e]
	if !ok || !tv.IsValue() {
		return false
	}
	_, isChan := tv.Type.Underlying().(*types.Chan)
	return isChan
}

// inModule reports whether the package at path belongs to the module being
// rewritten, or is a dependency rewritten with it, and so is rewritten too.
func (r *rewriter) inModule(path string) bool {
	return r.mod != "" && (path == r.mod || strings.HasPrefix(path, r.mod+"/")) || r.opts.patched[path]
}

// modulePath returns the module path of p, or its package path outside a
// module.
func modulePath(p *packages.Package) string {
	if p.Module != nil {
		return p.Module.Path
	}
	return p.PkgPath
}

// This file rewrites calls into std that are known to block and cannot be made cooperative yet into calls through gopatchrt.Offload.

package rewrite

import (
	"fmt"
	"go/ast"
	"go/types"
)

// offloaded lists, by types.Func.FullName, the std functions and methods
// whose calls run on rt's offload pool. The list is short and explicit on
// purpose: each entry blocks the calling thread in a way the hub cannot see
// (a DNS lookup through cgo or the pure-Go resolver's own goroutines, a
// regular-file read or write, a wait for a child process), finishes on its
// own, and touches no hub-owned object, so running it on a native goroutine
// while the greenlet waits is safe. Calls through an interface (an
// io.Reader that happens to be an *os.File) are not matched: the method is
// not known until run time. Nor are calls in a go statement, whose call the
// go rule makes inside the new greenlet (go net.LookupHost(h) still blocks
// the hub).
//
// Offloading trades some determinism for progress: two greenlets whose
// offloaded calls overlap (two writes to one file) complete in the order the
// pool's native goroutines finish, as the original goroutines would, not in
// an order the hub decides. Without it, a read of a pipe whose writer is a
// greenlet of the same hub would block that writer forever.
var offloaded = map[string]bool{
	"net.LookupHost":                true,
	"net.LookupIP":                  true,
	"net.LookupAddr":                true,
	"net.LookupCNAME":               true,
	"net.LookupMX":                  true,
	"net.LookupTXT":                 true,
	"net.LookupPort":                true,
	"(*net.Resolver).LookupHost":    true,
	"(*net.Resolver).LookupIP":      true,
	"(*net.Resolver).LookupIPAddr":  true,
	"(*net.Resolver).LookupNetIP":   true,
	"(*net.Resolver).LookupAddr":    true,
	"(*net.Resolver).LookupCNAME":   true,
	"(*net.Resolver).LookupMX":      true,
	"(*net.Resolver).LookupTXT":     true,
	"(*net.Resolver).LookupPort":    true,
	"os.ReadFile":                   true,
	"os.WriteFile":                  true,
	"(*os.File).Read":               true,
	"(*os.File).Write":              true,
	"(*os.File).ReadAt":             true,
	"(*os.File).WriteAt":            true,
	"(*os.File).WriteString":        true,
	"(*os.File).Sync":               true,
	"(*os/exec.Cmd).Run":            true,
	"(*os/exec.Cmd).Output":         true,
	"(*os/exec.Cmd).CombinedOutput": true,
	"(*os/exec.Cmd).Wait":           true,
}

// rewriteOffload rewrites a call of a function in [offloaded],
//
//	addrs, err := net.LookupHost(h)  →  addrs, err := gopatchrt.Offloaded1to2(net.LookupHost)(h)
//	data, err := f.Read(b)           →  data, err := gopatchrt.Offloaded1to2(f.Read)(b)
//
// wrapping only the function operand, so the call keeps Go's order of
// evaluation, its argument conversions and its result types, and works in
// any expression position. The function is matched by its type-checked
// object: renamed imports, method expressions like (*os.File).Read and
// methods promoted through embedding are found too.
func rewriteOffload(r *rewriter, n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok || call.Ellipsis.IsValid() {
		return "", false
	}
	var id *ast.Ident
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = fun
	case *ast.SelectorExpr:
		id = fun.Sel
	default:
		return "", false
	}
	fn, ok := r.info.Uses[id].(*types.Func)
	if !ok || !offloaded[fn.FullName()] {
		return "", false
	}
	sig, ok := r.info.TypeOf(call.Fun).(*types.Signature)
	if !ok || sig.Variadic() {
		return "", false
	}
	np, nr := sig.Params().Len(), sig.Results().Len()
	if np > 3 || nr < 1 || nr > 2 {
		r.errorf(call.Pos(), CodeUnsupported, "call to %s with %d parameters and %d results cannot be offloaded", fn.FullName(), np, nr)
		return "", true
	}
	helper := fmt.Sprintf("%s.Offloaded%dto%d(", rtName, np, nr)
	parts := []part{{call.Fun.Pos(), call.Fun.Pos(), helper}, {call.Fun.End(), call.Fun.End(), ")"}}
	for _, c := range append([]ast.Expr{call.Fun}, call.Args...) {
		if s, ok := r.render(c); ok {
			parts = append(parts, part{c.Pos(), c.End(), s})
		}
	}
	return r.compose(call.Pos(), call.End(), parts), true
}

// This file rewrites package time's sleeps, clock reads, timers and tickers into their hub-clock counterparts in rt.

package rewrite

import (
	"go/ast"
	"go/types"
	"strings"
)

// timeFuncs maps the rewritten functions of package time to their rt
// counterparts, which have the same signatures and return the native types
// (*time.Timer, *time.Ticker, <-chan time.Time).
var timeFuncs = map[string]string{
	"Sleep":     "Sleep",
	"Now":       "Now",
	"Since":     "Since",
	"Until":     "Until",
	"NewTimer":  "NewTimer",
	"After":     "After",
	"AfterFunc": "AfterFunc",
	"NewTicker": "NewTicker",
	"Tick":      "Tick",
}

// rewriteTime rewrites every reference to a function of timeFuncs, called
// or used as a value, matched by the object it refers to, so a renamed or
// dot import of time is rewritten too and a local function named Sleep is
// not.
//
// In the standard library, clock reads (Now, Since, Until) stay the wall
// clock's: the absolute times std computes go to the kernel (a deadline
// handed to the poller, which reads it as real time) and into checks
// against the real world (a certificate's validity), which a virtual
// clock's year 2000 would fail. Its sleeps and timers still run on the
// hub clock.
func rewriteTime(r *rewriter, n ast.Node) (string, bool) {
	if r.std {
		if fn, _ := r.pkgFuncRef(n, "time"); fn != nil && wallClockReads[fn.Name()] {
			return "", false
		}
	}
	return r.rewritePkgFunc(n, "time", timeFuncs)
}

// wallClockReads are the functions of timeFuncs that read the clock.
var wallClockReads = map[string]bool{"Now": true, "Since": true, "Until": true}

// rewritePkgFunc rewrites a reference n to a package-level function of the
// package at path into the rt function funcs names for it, and counts the
// import's use as dropped.
func (r *rewriter) rewritePkgFunc(n ast.Node, path string, funcs map[string]string) (string, bool) {
	fn, pkgIdent := r.pkgFuncRef(n, path)
	if fn == nil {
		return "", false
	}
	to, ok := funcs[fn.Name()]
	if !ok {
		return "", false
	}
	r.dropUse(pkgIdent, path)
	return rtName + "." + to, true
}

// pkgFuncRef returns the package-level function of the package at path that
// n (pkg.F, or F through a dot import) refers to, and the pkg identifier,
// or nil.
func (r *rewriter) pkgFuncRef(n ast.Node, path string) (*types.Func, *ast.Ident) {
	var id, pkgIdent *ast.Ident
	switch x := n.(type) {
	case *ast.SelectorExpr:
		id = x.Sel
		pkgIdent, _ = x.X.(*ast.Ident)
	case *ast.Ident:
		id = x
	default:
		return nil, nil
	}
	fn, ok := r.info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != path || fn.Signature().Recv() != nil {
		return nil, nil
	}
	if pkgIdent != nil {
		if _, ok := r.info.Uses[pkgIdent].(*types.PkgName); !ok {
			return nil, nil
		}
	}
	return fn, pkgIdent
}

// dropUse records that a use of the import of path, through pkgIdent (nil:
// a dot import), is gone from the output.
func (r *rewriter) dropUse(pkgIdent *ast.Ident, path string) {
	if pkgIdent != nil {
		if pn, ok := r.info.Uses[pkgIdent].(*types.PkgName); ok {
			r.dropped[pn]++
		}
	} else if pn := r.dotImport(path); pn != nil {
		r.dropped[pn]++
	}
}

// dotImport returns the PkgName of a dot import of path in this file.
func (r *rewriter) dotImport(path string) *types.PkgName {
	for _, spec := range r.file.Imports {
		if spec.Name != nil && spec.Name.Name == "." {
			if pn, ok := r.info.Implicits[spec].(*types.PkgName); ok && pn.Imported().Path() == path {
				return pn
			}
		}
	}
	return nil
}

// timerMethods maps the methods of *time.Timer and *time.Ticker that native
// code cannot run on an rt timer to the rt functions that take the receiver
// as their first argument.
var timerMethods = map[string]string{
	"Timer.Stop":   "StopTimer",
	"Timer.Reset":  "ResetTimer",
	"Ticker.Stop":  "StopTicker",
	"Ticker.Reset": "ResetTicker",
}

// rewriteTimerMethod rewrites the Stop and Reset methods of *time.Timer and
// *time.Ticker, matched by their type-checked method objects:
//
//	t.Stop()              gopatchrt.StopTimer(t)
//	t.Reset(d)            gopatchrt.ResetTimer(t, d)
//	t.Stop                gopatchrt.StopTimerFunc(t)    (a method value)
//	(*time.Timer).Stop    gopatchrt.StopTimer           (a method expression)
//
// A receiver reached through embedded fields is spelled out (x.Timer), and
// an addressable time.Timer value gets its & back. The rt functions fall
// through to the native method for a timer that rt did not make. A call
// through an interface is not matched: it runs the native method.
func rewriteTimerMethod(r *rewriter, n ast.Node) (string, bool) {
	var sel *ast.SelectorExpr
	call, isCall := n.(*ast.CallExpr)
	if isCall {
		sel, _ = ast.Unparen(call.Fun).(*ast.SelectorExpr)
	} else {
		sel, _ = n.(*ast.SelectorExpr)
	}
	if sel == nil {
		return "", false
	}
	s := r.info.Selections[sel]
	if s == nil {
		return "", false
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "time" {
		return "", false
	}
	recv := fn.Signature().Recv()
	ptr, ok := recv.Type().(*types.Pointer)
	if !ok {
		return "", false
	}
	named, ok := ptr.Elem().(*types.Named)
	if !ok {
		return "", false
	}
	to, ok := timerMethods[named.Obj().Name()+"."+fn.Name()]
	if !ok {
		return "", false
	}
	if s.Kind() == types.MethodExpr {
		if isCall {
			return "", false // the call's Fun, a method expression, is rewritten on its own
		}
		if len(s.Index()) > 1 || !types.Identical(s.Recv(), ptr) {
			r.errorf(sel.Pos(), CodeUnsupported, "method expression %s is not rewritten: only (*time.%s).%s is supported",
				types.ExprString(sel), named.Obj().Name(), fn.Name())
			return "", false
		}
		return rtName + "." + to, true
	}
	x, ok := r.timerReceiver(sel, s, "*time."+named.Obj().Name())
	if !ok {
		return "", false
	}
	if !isCall {
		return rtName + "." + to + "Func(" + x + ")", true
	}
	args := []string{x}
	for _, a := range call.Args {
		args = append(args, r.child(a))
	}
	return rtName + "." + to + "(" + strings.Join(args, ", ") + ")", true
}

// timerReceiver returns the text of the *time.Timer or *time.Ticker that
// the method selection sel calls its method on: sel.X, followed by the
// embedded fields the selection goes through, with & when it ends at an
// addressable value.
func (r *rewriter) timerReceiver(sel *ast.SelectorExpr, s *types.Selection, recv string) (string, bool) {
	x := r.child(sel.X)
	t := s.Recv()
	path := s.Index()
	for _, i := range path[:len(path)-1] {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return "", false
		}
		f := st.Field(i)
		if !f.Exported() && f.Pkg() != r.pkg() {
			r.errorf(sel.Sel.Pos(), CodeUnsupported, "%s is not rewritten: its %s is the unexported embedded field %s of another package",
				types.ExprString(sel), recv, f.Name())
			return "", false
		}
		x += "." + f.Name()
		t = f.Type()
	}
	if _, isPtr := t.Underlying().(*types.Pointer); !isPtr {
		// The operand of a selector is a primary expression, so & needs
		// no parentheses.
		x = "&" + x
	}
	return x, true
}

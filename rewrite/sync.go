// This file rewrites the blocking methods of package sync's types, and sync.OnceFunc, OnceValue and OnceValues, into rt calls on the same native values.

package rewrite

import (
	"go/ast"
	"go/types"
	"strings"
)

// A syncMethod is the rt function that replaces one method of package sync.
type syncMethod struct {
	fn    string // rt function, taking the receiver first
	shape string // how a method value binds: "SyncMethod", "SyncMethodArg" or "SyncMethodResult"
}

// syncMethods maps "Type.Method" of package sync to its rt replacement.
// RWMutex.RLocker is left alone: it blocks nowhere, and rt recognizes the
// Locker it returns.
var syncMethods = map[string]syncMethod{
	"Mutex.Lock":       {"MutexLock", "SyncMethod"},
	"Mutex.Unlock":     {"MutexUnlock", "SyncMethod"},
	"Mutex.TryLock":    {"MutexTryLock", "SyncMethodResult"},
	"RWMutex.Lock":     {"RWMutexLock", "SyncMethod"},
	"RWMutex.Unlock":   {"RWMutexUnlock", "SyncMethod"},
	"RWMutex.TryLock":  {"RWMutexTryLock", "SyncMethodResult"},
	"RWMutex.RLock":    {"RWMutexRLock", "SyncMethod"},
	"RWMutex.RUnlock":  {"RWMutexRUnlock", "SyncMethod"},
	"RWMutex.TryRLock": {"RWMutexTryRLock", "SyncMethodResult"},
	"Locker.Lock":      {"LockerLock", "SyncMethod"},
	"Locker.Unlock":    {"LockerUnlock", "SyncMethod"},
	"WaitGroup.Add":    {"WaitGroupAdd", "SyncMethodArg"},
	"WaitGroup.Done":   {"WaitGroupDone", "SyncMethod"},
	"WaitGroup.Wait":   {"WaitGroupWait", "SyncMethod"},
	"WaitGroup.Go":     {"WaitGroupGo", "SyncMethodArg"},
	"Cond.Wait":        {"CondWait", "SyncMethod"},
	"Cond.Signal":      {"CondSignal", "SyncMethod"},
	"Cond.Broadcast":   {"CondBroadcast", "SyncMethod"},
	"Once.Do":          {"OnceDo", "SyncMethodArg"},
	"OnceFunc":         {"OnceFunc", ""},
	"OnceValue":        {"OnceValue", ""},
	"OnceValues":       {"OnceValues", ""},
}

// rewriteSync rewrites, matched by the type-checked object they refer to
// (so renamed imports, embedded locks and interface calls are found, and a
// user's own Lock method is not):
//
//	mu.Lock()              →  gopatchrt.MutexLock(&mu)
//	t.Lock()  (T embeds sync.Mutex)  →  gopatchrt.MutexLock(&t.Mutex)
//	wg.Add(n)              →  gopatchrt.WaitGroupAdd(&wg, n)
//	l.Lock()  (l sync.Locker)        →  gopatchrt.LockerLock(l)
//	f := mu.Lock           →  f := gopatchrt.SyncMethod(gopatchrt.MutexLock)(&mu)
//	(*sync.Mutex).Lock     →  gopatchrt.MutexLock
//	sync.OnceValue         →  gopatchrt.OnceValue
//
// The receiver is evaluated where Go evaluates it: before the arguments of
// a call, and where a method value is made.
func rewriteSync(r *rewriter, n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.CallExpr:
		sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
		if !ok {
			return "", false
		}
		m, selection, ok := r.syncMethodOf(sel)
		if !ok || selection.Kind() != types.MethodVal {
			return "", false
		}
		recv, ok := r.syncReceiver(sel, selection)
		if !ok {
			return "", false
		}
		args := []string{recv}
		for _, a := range x.Args {
			args = append(args, r.child(a))
		}
		return rtName + "." + m.fn + "(" + strings.Join(args, ", ") + ")", true
	case *ast.SelectorExpr:
		if fn, ok := r.syncFunc(x.Sel); ok {
			pn, ok := r.info.Uses[identOf(x.X)].(*types.PkgName)
			if !ok {
				return "", false
			}
			r.dropped[pn]++
			return rtName + "." + fn, true
		}
		m, selection, ok := r.syncMethodOf(x)
		if !ok {
			return "", false
		}
		switch selection.Kind() {
		case types.MethodExpr:
			r.dropPkgUses(x.X)
			return rtName + "." + m.fn, true
		case types.MethodVal:
			recv, ok := r.syncReceiver(x, selection)
			if !ok {
				return "", false
			}
			return rtName + "." + m.shape + "(" + rtName + "." + m.fn + ")(" + recv + ")", true
		}
	case *ast.Ident:
		if fn, ok := r.syncFunc(x); ok {
			if pn := r.dotImport("sync"); pn != nil {
				r.dropped[pn]++
			}
			return rtName + "." + fn, true
		}
	}
	return "", false
}

// syncFunc returns the rt function for id when id refers to sync.OnceFunc,
// OnceValue or OnceValues.
func (r *rewriter) syncFunc(id *ast.Ident) (string, bool) {
	fn, ok := r.info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" || fn.Signature().Recv() != nil {
		return "", false
	}
	m, ok := syncMethods[fn.Name()]
	return m.fn, ok
}

// syncMethodOf returns the rt replacement of the method sel selects, when it
// is one of package sync's blocking methods.
func (r *rewriter) syncMethodOf(sel *ast.SelectorExpr) (syncMethod, *types.Selection, bool) {
	s, ok := r.info.Selections[sel]
	if !ok {
		return syncMethod{}, nil, false
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return syncMethod{}, nil, false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return syncMethod{}, nil, false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := t.(*types.Named)
	if !ok {
		return syncMethod{}, nil, false
	}
	m, ok := syncMethods[named.Obj().Name()+"."+fn.Name()]
	return m, s, ok
}

// syncReceiver returns the expression rt gets as the receiver of the method
// sel selects: a pointer to the sync value, reached through the embedded
// fields the selection goes through, or the sync.Locker itself. It reports
// false, with a diagnostic, when an embedded field on the way cannot be
// named from this package.
func (r *rewriter) syncReceiver(sel *ast.SelectorExpr, s *types.Selection) (string, bool) {
	x := r.child(sel.X)
	t := r.info.TypeOf(sel.X)
	path := s.Index()
	for _, i := range path[:len(path)-1] {
		st, ok := derefStruct(t)
		if !ok {
			return "", false
		}
		f := st.Field(i)
		if !f.Exported() && f.Pkg() != r.pkg() {
			r.errorf(sel.Sel.Pos(), CodeUnsupported, "call of %s through the unexported embedded field %s of another package is not rewritten",
				s.Obj().(*types.Func).FullName(), f.Name())
			return "", false
		}
		x += "." + f.Name()
		t = f.Type()
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return x, true
	}
	if _, ok := t.(*types.TypeParam); ok {
		return x, true
	}
	// sel.X is a primary expression, and & binds looser than any of its
	// selectors, indexes and calls: no parentheses are needed.
	return "&" + x, true
}

// derefStruct returns the struct type t or *t is.
func derefStruct(t types.Type) (*types.Struct, bool) {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}

// dropPkgUses records that the package names used in e are removed with it.
func (r *rewriter) dropPkgUses(e ast.Expr) {
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if pn, ok := r.info.Uses[id].(*types.PkgName); ok {
				r.dropped[pn]++
			}
		}
		return true
	})
}

// identOf returns e as an identifier, or nil.
func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// pkg returns the package of the file being rewritten.
func (r *rewriter) pkg() *types.Package {
	if obj := r.info.Defs[r.file.Name]; obj != nil {
		return obj.Pkg()
	}
	for _, obj := range r.info.Defs {
		if obj != nil && obj.Pkg() != nil {
			return obj.Pkg()
		}
	}
	return nil
}

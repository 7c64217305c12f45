// This file finds spin loops: loops that wait for another goroutine by reading a sync/atomic value and never yield, which on one hub never ends, since the goroutine they wait for never runs.

package check

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// checkSpin reports loop when it spins: its condition reads a sync/atomic
// value, or it has no condition and an if statement of its body that
// leaves the loop reads one, and its body makes no call (but to
// sync/atomic) and no channel operation, any of which could let another
// greenlet run. A loop with a condition of its own (i < len(a)) ends
// without help, and is not reported.
//
// The check is syntactic on purpose: a loop that calls anything at all
// may yield inside the call, and is not reported.
func checkSpin(pass *analysis.Pass, loop *ast.ForStmt) {
	reads := loop.Cond != nil && readsAtomic(pass, loop.Cond)
	if loop.Cond == nil {
		for _, s := range loop.Body.List {
			if is, ok := s.(*ast.IfStmt); ok && readsAtomic(pass, is.Cond) && leaves(is.Body) {
				reads = true
				break
			}
		}
	}
	if !reads || mayYield(pass, loop.Body) || (loop.Post != nil && mayYield(pass, loop.Post)) {
		return
	}
	report(pass, loop, CodeSpin, "loop spins on sync/atomic waiting for another goroutine and never yields, so on the hub that goroutine never runs; wait on a channel, sync.Cond or sync.WaitGroup, or call runtime.Gosched in the loop")
}

// readsAtomic reports whether e calls sync/atomic.
func readsAtomic(pass *analysis.Pass, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && isAtomic(pass, call) {
			found = true
		}
		return !found
	})
	return found
}

func isAtomic(pass *analysis.Pass, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	return ok && fn.Pkg() != nil && fn.Pkg().Path() == "sync/atomic"
}

// leaves reports whether block ends with a statement that leaves the loop.
func leaves(block *ast.BlockStmt) bool {
	if len(block.List) == 0 {
		return false
	}
	switch s := block.List[len(block.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok == token.BREAK || s.Tok == token.GOTO
	}
	return false
}

// mayYield reports whether n holds a call other than to sync/atomic, a
// builtin or a conversion, a channel operation, a select or a go
// statement: anything after which another greenlet may have run.
func mayYield(pass *analysis.Pass, n ast.Node) bool {
	yields := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // not run here
		case *ast.SendStmt, *ast.SelectStmt, *ast.GoStmt:
			yields = true
		case *ast.UnaryExpr:
			yields = yields || n.Op == token.ARROW
		case *ast.RangeStmt:
			if _, ok := pass.TypesInfo.TypeOf(n.X).Underlying().(*types.Chan); ok {
				yields = true
			}
		case *ast.CallExpr:
			if isAtomic(pass, n) {
				break
			}
			if tv, ok := pass.TypesInfo.Types[n.Fun]; ok && tv.IsType() {
				break // a conversion
			}
			if _, ok := typeutil.Callee(pass.TypesInfo, n).(*types.Builtin); ok {
				break
			}
			yields = true
		}
		return !yields
	})
	return yields
}

// This file rewrites channel operations (send, receive, comma-ok receive, close, make, range) into hub channel operations on the same native channel.

package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
)

// rewriteSend rewrites ch <- v into gopatchrt.Send(ch, v).
func rewriteSend(r *rewriter, n ast.Node) (string, bool) {
	s, ok := n.(*ast.SendStmt)
	if !ok {
		return "", false
	}
	return rtName + ".Send(" + r.child(s.Chan) + ", " + r.child(s.Value) + ")", true
}

// rewriteRecv rewrites <-ch, in any expression position, into gopatchrt.Recv(ch).
func rewriteRecv(r *rewriter, n ast.Node) (string, bool) {
	ch, ok := recvOperand(n)
	if !ok {
		return "", false
	}
	return rtName + ".Recv(" + r.child(ch) + ")", true
}

// recvOperand returns ch when n is the receive <-ch.
func recvOperand(n ast.Node) (ast.Expr, bool) {
	u, ok := n.(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return nil, false
	}
	return u.X, true
}

// rewriteRecv2 rewrites the comma-ok receive in its three forms,
//
//	v, ok := <-ch     v, ok = <-ch     var v, ok = <-ch
//
// into the same form with gopatchrt.Recv2(ch) on the right.
func rewriteRecv2(r *rewriter, n ast.Node) (string, bool) {
	var lhs []ast.Node
	var rhs ast.Expr
	switch s := n.(type) {
	case *ast.AssignStmt:
		if len(s.Lhs) != 2 || len(s.Rhs) != 1 {
			return "", false
		}
		lhs, rhs = []ast.Node{s.Lhs[0], s.Lhs[1]}, s.Rhs[0]
	case *ast.ValueSpec:
		if len(s.Names) != 2 || len(s.Values) != 1 {
			return "", false
		}
		if s.Type != nil {
			lhs = append(lhs, s.Type)
		}
		rhs = s.Values[0]
	default:
		return "", false
	}
	ch, ok := recvOperand(ast.Unparen(rhs))
	if !ok {
		return "", false
	}
	parts := []part{{rhs.Pos(), rhs.End(), rtName + ".Recv2(" + r.child(ch) + ")"}}
	for _, l := range lhs {
		if s, ok := r.render(l); ok {
			parts = append(parts, part{l.Pos(), l.End(), s})
		}
	}
	return r.compose(n.Pos(), n.End(), parts), true
}

// rewriteClose rewrites close(ch) into gopatchrt.Close(ch).
func rewriteClose(r *rewriter, n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 || r.builtin(call) != "close" {
		return "", false
	}
	return rtName + ".Close(" + r.child(call.Args[0]) + ")", true
}

// rewriteMake rewrites make(chan T) and make(chan T, n) into
// gopatchrt.MakeChan[T](n), converting n to int when it has another type.
// A make of a named or directional channel type is reported: MakeChan
// returns chan T, and the conversion back needs a type the file may not be
// able to name.
func rewriteMake(r *rewriter, n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 || r.builtin(call) != "make" {
		return "", false
	}
	if _, isChan := r.info.TypeOf(call.Args[0]).Underlying().(*types.Chan); !isChan {
		return "", false
	}
	ct, ok := ast.Unparen(call.Args[0]).(*ast.ChanType)
	if !ok || ct.Dir != ast.SEND|ast.RECV {
		r.errorf(call.Pos(), CodeUnsupported, "make of channel type %s is not rewritten: only make(chan T) is supported",
			types.ExprString(call.Args[0]))
		return "", false
	}
	size := "0"
	if len(call.Args) > 1 {
		a := call.Args[1]
		size = r.child(a)
		if tv := r.info.Types[a]; tv.Value == nil && !types.Identical(tv.Type, types.Typ[types.Int]) {
			size = "int(" + size + ")"
		}
	}
	return rtName + ".MakeChan[" + r.child(ct.Value) + "](" + size + ")", true
}

// rewriteRange rewrites for v := range ch into for v := range gopatchrt.Range(ch).
func rewriteRange(r *rewriter, n ast.Node) (string, bool) {
	rs, ok := n.(*ast.RangeStmt)
	if !ok {
		return "", false
	}
	t := r.info.TypeOf(rs.X)
	if tp, ok := t.(*types.TypeParam); ok && hasChanTerm(tp) {
		r.errorf(rs.X.Pos(), CodeUnsupported, "range over %s, a type parameter that may be a channel, is not rewritten", types.ExprString(rs.X))
		return "", false
	}
	if _, isChan := t.Underlying().(*types.Chan); !isChan {
		return "", false
	}
	parts := []part{{rs.X.Pos(), rs.X.End(), rtName + ".Range(" + r.child(rs.X) + ")"}}
	for _, c := range []ast.Node{rs.Key, rs.Value, rs.Body} {
		if c == nil || c == ast.Node((*ast.BlockStmt)(nil)) {
			continue
		}
		if s, ok := r.render(c); ok {
			parts = append(parts, part{c.Pos(), c.End(), s})
		}
	}
	return r.compose(rs.Pos(), rs.End(), parts), true
}

// hasChanTerm reports whether tp's type set may hold a channel type.
func hasChanTerm(tp *types.TypeParam) bool {
	iface, ok := tp.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for i := range iface.NumEmbeddeds() {
		if u, ok := iface.EmbeddedType(i).(*types.Union); ok {
			for j := range u.Len() {
				if _, ok := u.Term(j).Type().Underlying().(*types.Chan); ok {
					return true
				}
			}
		} else if _, ok := iface.EmbeddedType(i).Underlying().(*types.Chan); ok {
			return true
		}
	}
	return false
}

// This file rewrites channel operations (send, receive, comma-ok receive, close, make, range) into hub channel operations on the same native channel.

package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// rewriteSend rewrites ch <- v into gopatchrt.Send(ch, v).
func rewriteSend(r *rewriter, n ast.Node) (string, bool) {
	s, ok := n.(*ast.SendStmt)
	if !ok {
		return "", false
	}
	if r.sendNeedsElemType(s.Chan, s.Value) {
		return rtName + ".SendTo(" + r.child(s.Chan) + ")(" + r.child(s.Value) + ")", true
	}
	return rtName + ".Send(" + r.child(s.Chan) + ", " + r.child(s.Value) + ")", true
}

// sendNeedsElemType reports whether the value sent on ch has a type that is
// assignable to ch's element type but not identical to it (a Callback sent
// on a chan func()): Send's inference would then take T from the value and
// reject the channel, so the rewrite uses SendTo, which infers T from ch.
func (r *rewriter) sendNeedsElemType(ch, v ast.Expr) bool {
	ct, ok := r.info.TypeOf(ch).Underlying().(*types.Chan)
	if !ok {
		return false
	}
	vt := r.info.TypeOf(v)
	if b, ok := vt.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		return false
	}
	return !types.Identical(ct.Elem(), vt)
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
// A make of any other channel type has a result of exactly that type:
//
//	make(<-chan T, n)  (<-chan T)(gopatchrt.MakeChan[T](n))
//	make(K, n)         gopatchrtMakeChan_f_go[K](n)
//
// where K is a named, alias or generic channel type, or a type parameter
// whose type set holds channels. K's element type may be one the file
// cannot name (an unexported type of another package, or of a package it
// does not import), so a per-file helper infers it from K and converts
// chan E to K, which Go allows: chan E is assignable to every channel type
// with element E it may send to or receive from, and converts to a type
// parameter when it converts to each type in the type set.
func rewriteMake(r *rewriter, n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 || r.builtin(call) != "make" {
		return "", false
	}
	dirs, isChan := chanDirs(r.info.TypeOf(call.Args[0]))
	if !isChan {
		return "", false
	}
	size := "0"
	if len(call.Args) > 1 {
		a := call.Args[1]
		size = r.child(a)
		// An untyped constant becomes an int; a typed one, even a constant
		// (const n int64 = 3), is converted like any other non-int size.
		if b, ok := r.info.TypeOf(a).(*types.Basic); !ok || b.Kind() != types.Int && b.Info()&types.IsUntyped == 0 {
			size = "int(" + size + ")"
		}
	}
	if ct, ok := ast.Unparen(call.Args[0]).(*ast.ChanType); ok {
		mk := rtName + ".MakeChan[" + r.child(ct.Value) + "](" + size + ")"
		if ct.Dir == ast.SEND|ast.RECV {
			return mk, true
		}
		typ := r.child(call.Args[0])
		if _, paren := call.Args[0].(*ast.ParenExpr); !paren {
			typ = "(" + typ + ")" // <-chan T(x) would not parse as a conversion
		}
		return typ + "(" + mk + ")", true
	}
	if dirs[types.SendOnly] && dirs[types.RecvOnly] {
		// Not valid Go: make rejects it; kept from silently passing through.
		r.errorf(call.Pos(), CodeUnsupported, "make of channel type %s is not rewritten: its type set holds send-only and receive-only channels",
			types.ExprString(call.Args[0]))
		return "", false
	}
	return r.makeChanHelper(dirs) + "[" + r.child(call.Args[0]) + "](" + size + ")", true
}

// makeChanHelper returns the name of this file's helper that makes a
// channel of a type whose channel types have the directions dirs, declaring
// it on first use. The constraint lists one term per direction, so a type
// parameter argument's type set is within it, and the element type is
// inferred from the argument's channel type.
func (r *rewriter) makeChanHelper(dirs map[types.ChanDir]bool) string {
	kind := ""
	var terms []string
	for _, d := range []struct {
		dir  types.ChanDir
		name string
		term string
	}{{types.SendRecv, "Bi", "~chan E"}, {types.SendOnly, "Send", "~chan<- E"}, {types.RecvOnly, "Recv", "~<-chan E"}} {
		if dirs[d.dir] {
			kind += d.name
			terms = append(terms, d.term)
		}
	}
	if kind == "Bi" {
		kind = "" // the common case: a named chan T
	}
	name := r.helperName("MakeChan" + kind)
	r.helpers[name] = "// " + name + " makes a channel of type C, registered with the hub; added by gopatch.\n" +
		"func " + name + "[C " + strings.Join(terms, " | ") + ", E any](size int) C {\n" +
		"\treturn C(" + rtName + ".MakeChan[E](size))\n}"
	return name
}

// chanDirs reports whether t is a channel type, or a type parameter whose
// type set holds channel types, and returns the directions of those types.
func chanDirs(t types.Type) (map[types.ChanDir]bool, bool) {
	dirs := map[types.ChanDir]bool{}
	var walk func(t types.Type)
	walk = func(t types.Type) {
		if u, ok := t.(*types.Union); ok {
			for i := range u.Len() {
				walk(u.Term(i).Type())
			}
			return
		}
		switch u := t.Underlying().(type) {
		case *types.Chan:
			dirs[u.Dir()] = true
		case *types.Interface:
			for e := range u.EmbeddedTypes() {
				walk(e)
			}
		}
	}
	if tp, ok := t.(*types.TypeParam); ok {
		walk(tp.Constraint())
	} else if c, ok := t.Underlying().(*types.Chan); ok {
		dirs[c.Dir()] = true
	}
	return dirs, len(dirs) > 0
}

// rewriteRange rewrites for v := range ch into for v := range gopatchrt.Range(ch).
func rewriteRange(r *rewriter, n ast.Node) (string, bool) {
	rs, ok := n.(*ast.RangeStmt)
	if !ok {
		return "", false
	}
	// A type parameter with a channel in its type set ranges only over
	// receivable channels of one element type, and Range infers it.
	if _, isChan := chanDirs(r.info.TypeOf(rs.X)); !isChan {
		return "", false
	}
	if !r.fileAtLeast(goRangeFunc) {
		return r.rangeClauses(rs), true
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

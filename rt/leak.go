// This file finds the greenlets that outlive their test, which gopatch
// test -seeds fails the test for unless -allow-leaks.

package rt

import (
	"fmt"
	"strings"
	"time"
)

// A test's greenlets outlive it when they are alive once the test function
// and its cleanups have returned: an httptest server that t.Cleanup
// closes is no leak. By then the test's hub has been carried on
// (carry.go), so the check runs there, as a greenlet of its own that
// lets the others run until they have all ended, or until nothing of
// theirs is left that could happen within leakGrace: no runnable
// greenlet, no timer, no outside wake-up.

// leakGrace is how long, in the hub's time, a test's greenlets may take to
// end after its cleanups before they count as leaked: a greenlet that has
// sent its last result still has to return, and one that sleeps a moment
// before it does is no leak. On the virtual clock it takes no real time.
const leakGrace = time.Second

// leakCheckLimit bounds the real time a leak check waits for a carried
// hub that never lets its check run (a greenlet that spins).
const leakCheckLimit = 10 * time.Second

// LeakError is what a test fails with when greenlets it started outlive
// it.
type LeakError struct {
	Leaked []BlockedGreenlet
	Busy   bool // the greenlets never let the check run: one spins
}

func (e *LeakError) Error() string {
	var b strings.Builder
	if e.Busy {
		fmt.Fprintf(&b, "rt: greenlets of the test were still at work %v after it returned, and never let the hub run the leak check (gopatch test -allow-leaks lets them)", leakCheckLimit)
		return b.String()
	}
	fmt.Fprintf(&b, "rt: %d greenlet(s) outlive the test (gopatch test -allow-leaks lets them):", len(e.Leaked))
	writeGreenlets(&b, e.Leaked)
	return b.String()
}

// findLeaks returns the greenlets of h, the hub of a test that has
// returned, that outlive the test, or nil. It runs on the test's
// goroutine, after RunTest and the test's cleanups.
func (h *Hub) findLeaks() *LeakError {
	if !h.carried {
		return nil // nothing was left when the test returned
	}
	result := make(chan *LeakError, 1)
	h.post(runItem{fn: func() {
		g := h.spawn(func() any {
			result <- settle()
			return nil
		})
		h.runq.push(runItem{g: g})
	}})
	limit := time.Now().Add(leakCheckLimit)
	for {
		select {
		case e := <-result:
			return e
		case <-time.After(time.Millisecond):
			if h.carryDone.Load() {
				return nil // every greenlet ended before the check could run
			}
			if time.Now().After(limit) {
				return &LeakError{Busy: true}
			}
		}
	}
}

// settle runs as a greenlet of a carried hub: it lets the hub's other
// greenlets run out their time, as the file comment says, and describes
// those still alive then.
func settle() *LeakError {
	h, g := current()
	deadline := h.clock.Now().Add(leakGrace)
	for h.liveCount.Load() > 2 { // the main greenlet, and this one
		Idle() // every greenlet that can run has run
		if h.liveCount.Load() <= 2 {
			break
		}
		now := h.clock.Now()
		if !now.Before(deadline) || len(h.timers) == 0 && h.externals == 0 {
			break
		}
		next := deadline
		if len(h.timers) > 0 && h.timers[0].when.Before(next) {
			next = h.timers[0].when
		}
		h.park(g, queuedWaiter(h, g, "Sleep"), next.Sub(now), nil)
	}
	// Greenlets still waiting on their fds get a moment of real time: on a
	// virtual clock leakGrace takes none, and an end of file that a test's
	// last Close sent its own server has yet to come through the poller.
	for range leakIOTries {
		if h.liveCount.Load() <= 2 || h.ioWaits == 0 {
			break
		}
		blockOffHub("leak check: I/O in flight", func() { time.Sleep(leakIOTry) })
		Idle()
	}
	if h.liveCount.Load() <= 2 {
		return nil
	}
	return &LeakError{Leaked: h.describeGreenlets(g, h.root)}
}

// A leak check waits up to leakIOTries times leakIOTry of real time for
// greenlets parked on fds (100 ms), once its leakGrace is over.
const (
	leakIOTries = 50
	leakIOTry   = 2 * time.Millisecond
)

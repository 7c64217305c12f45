// This file makes every clock read of a test's virtual clock move it on a
// little, so that a greenlet that spins on time.Now without blocking
// still sees time pass.

package rt

import "time"

// virtualReadStep is how far a clock read moves a test hub's virtual
// clock. A test that spins until time.Since(start) passes d ends after
// d/virtualReadStep reads, where a clock that moved only when every
// greenlet waits would make it spin for ever (issue 10). A microsecond
// keeps the drift small beside any timeout a test sets: a million reads
// are a virtual second.
const virtualReadStep = time.Microsecond

// withClockStep makes each [Now] on the hub's virtual clock advance it by
// d before it reads it, so that successive reads differ as on a real
// clock. It applies to test hubs (RunTest) only: programs run with
// [WithVirtualClock] keep exact times, which examples print.
func withClockStep(d time.Duration) Option { return func(h *Hub) { h.clockStep = d } }

// readClock is a clock read of rewritten code on h: [Now].
func (h *Hub) readClock() time.Time {
	if h.clockStep != 0 {
		if vc, ok := h.clock.(*VirtualClock); ok {
			vc.advanceTo(vc.Now().Add(h.clockStep))
		}
	}
	return h.clock.Now()
}

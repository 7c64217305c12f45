// This file holds the one virtual clock that every test hub of a test
// binary shares: time moves, to the earliest timer of any of them, only
// when all of them wait.

package rt

import (
	"sync"
	"time"
)

// Why one clock: a test's greenlets may outlive it (carry.go), and
// parallel tests and subtests run beside each other. With a clock a hub,
// a ticker a finished test left did not tick while a later test slept,
// and two hubs that talk through a channel disagreed on what time it was
// (issue 12's note; issue 10 asks for plain gopatch test on the virtual
// clock by default, which a ticker left by one test and read by the next
// needs). One clock, like testing/synctest's bubble clock, keeps every
// test hub's time the same, and moves it only when no test hub can move
// on without it.
//
// Invariants: the fields of Hub that begin with "tc" are touched only
// under testClock.mu; a hub is a member from the option that gives it
// the clock until it ends (leave). A member is parked while it waits in
// its idler (waitIdle), and says then when its next timer is due, whether
// an outside wake-up it waits for holds time still (an offloaded call:
// time must not move while real work decides), and whether it waits for
// I/O or a native wait (which may never end, or end only of what the
// test does next). Time moves when every member is parked,
// or blocked natively in t.Run or t.Parallel (it waits for other
// members); when none holds time; when each that waits for I/O has
// waited ioGrace of real time and has no event ready that it is about to
// collect (its poller's set is ready: a peer has answered); and when a carried member (its test is
// over, its greenlets run on) that is at work has been at it for less
// than carriedSpin of real time, which a ticker's tick takes well within,
// while a leaked greenlet that spins must not stop every later test's
// time. It moves to the earliest deadline of a parked member, and wakes
// every parked member whose deadline that is.

// testClock is the virtual clock of a test binary's hubs.
type testClock struct {
	vc *VirtualClock

	mu      sync.Mutex
	members []*Hub
	// Where the clock last jumped: its time then, and the wall clock's
	// (see catchUp).
	jumpedTo, jumpedAt time.Time
}

// binaryClock is the test binary's clock, made by the first test hub that
// asks for the virtual clock.
var binaryClock = sync.OnceValue(func() *testClock {
	return &testClock{vc: NewVirtualClock(DefaultEpoch)}
})

// withTestClock gives the hub the test binary's clock ([binaryClock]).
// When no other hub is on it, as when a test starts after every greenlet
// of the tests before it has ended, the clock goes back to [DefaultEpoch]:
// each test then reads the same times whether it runs alone or after
// others.
func withTestClock() Option {
	return func(h *Hub) {
		c := binaryClock()
		h.clock = c.vc
		h.testClock = c
		c.mu.Lock()
		defer c.mu.Unlock()
		if len(c.members) == 0 {
			c.vc.mu.Lock()
			c.vc.now = DefaultEpoch
			c.vc.mu.Unlock()
			c.jumpedTo, c.jumpedAt = DefaultEpoch, time.Now()
		}
		c.members = append(c.members, h)
	}
}

// leave takes h, which has ended, off the clock: the others may be
// waiting for it to wait.
func (c *testClock) leave(h *Hub) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, m := range c.members {
		if m == h {
			c.members = append(c.members[:i], c.members[i+1:]...)
			break
		}
	}
	c.advanceLocked(nil)
}

// carried marks h, whose test has returned, as one that never holds the
// others' time back.
func (c *testClock) carried(h *Hub) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h.tcCarried = true
	h.tcRunningSince = time.Now() // it is at work: handing off
	c.advanceLocked(nil)
}

// park marks h, about to wait in its idler for at most d (d < 0: no
// limit), as waiting, and moves time on if that was the last member it
// waited for. It returns how long h may wait: 0 when time has moved to
// h's next timer, which is due now; never longer than a poll interval, so
// that a wake-up lost to a race costs a moment, not the test. It runs on
// h's goroutine.
func (c *testClock) park(h *Hub, d time.Duration) time.Duration {
	var next time.Time
	if len(h.timers) > 0 {
		next = h.timers[0].when
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	h.tcParked = true
	h.tcDeadline = next
	h.tcHolds = h.externals > h.ioWaits+h.subtestWaits
	h.tcIO = h.ioWaits > 0
	if sw := h.running.load(); h.tcIO && (sw != h.tcIOSwitch || h.tcParkedAt.IsZero()) {
		// The grace runs from when the hub last ran a greenlet: waking
		// to look again, with nothing to run, does not start it anew.
		h.tcParkedAt, h.tcIOSwitch = time.Now(), sw
		h.tcGrace = ioGrace
		if h.ioEnded != h.tcIOEnded {
			h.tcGrace, h.tcIOEnded = ioBusyGrace, h.ioEnded
		}
	}
	if h.ioWaits+h.ioDeadlineWaits > 0 {
		c.catchUpLocked(h)
	}
	retry := c.advanceLocked(h)
	if !next.IsZero() && !next.After(c.vc.Now()) {
		return 0
	}
	limit := othersPollInterval
	if retry > 0 {
		limit = min(limit, retry)
	}
	if h.ioWaits+h.ioDeadlineWaits > 0 && !next.IsZero() {
		// Time flows with the wall clock's meanwhile: look again when
		// it will have reached the next timer.
		limit = min(limit, max(next.Sub(c.jumpedTo.Add(time.Since(c.jumpedAt))), time.Microsecond))
	}
	if d < 0 || d > limit {
		d = limit
	}
	return d
}

// unpark marks h as running again.
func (c *testClock) unpark(h *Hub) {
	now := time.Now()
	c.mu.Lock()
	h.tcParked, h.tcHolds, h.tcIO = false, false, false
	h.tcRunningSince = now
	c.mu.Unlock()
}

// carriedSpin is how long, in real time, a carried hub at work holds the
// other test hubs' time back.
const carriedSpin = 50 * time.Millisecond

// advanceLocked moves time to the earliest deadline of a parked member if
// no member can move on without it, and wakes the parked members whose
// deadline that is (all but self, which looks for itself). When only
// real time stands in the way (an I/O wait's grace, a carried hub at
// work) it returns how long that may take, for the caller to look again.
func (c *testClock) advanceLocked(self *Hub) (retry time.Duration) {
	var next time.Time
	for _, m := range c.members {
		native := m.blockedNatively.Load() // waits for other members; takes no posts
		switch {
		case m.tcCarried && !m.tcParked:
			if left := carriedSpin - time.Since(m.tcRunningSince); left > 0 {
				return left
			}
			continue // spinning: it must not stop time
		case m.tcCarried:
		case !(m.tcParked || native) || m.inbox.pending.Load() && !native || m.tcHolds:
			return 0 // it will wait, or be woken, in its own time
		case m.tcIO:
			retry = max(retry, m.tcGrace-time.Since(m.tcParkedAt))
			if retry <= 0 && m.idler.ioReady() {
				// Its peer has answered, and it has yet to run: on a
				// loaded machine that can take longer than the grace
				// (x/net's TestTransportExpectContinue/reject saw its
				// 10 s timeout pass while the server's 403 was ready).
				retry = ioReadyRetry
			}
		}
		if m.tcParked && !m.tcDeadline.IsZero() && (next.IsZero() || m.tcDeadline.Before(next)) {
			next = m.tcDeadline
		}
	}
	if retry > 0 || next.IsZero() {
		return retry
	}
	c.vc.advanceTo(next)
	c.jumpedTo, c.jumpedAt = c.vc.Now(), time.Now()
	c.wakeDueLocked(self)
	return 0
}

// wakeDueLocked wakes the parked members, but self, whose next timer is
// due now.
func (c *testClock) wakeDueLocked(self *Hub) {
	now := c.vc.Now()
	for _, m := range c.members {
		if m != self && m.tcParked && !m.tcDeadline.IsZero() && !m.tcDeadline.After(now) {
			m.idler.wake()
		}
	}
}

// A test that keeps a hub busy with I/O (an echo over loopback, back and
// forth) may never leave every hub waiting, so time would never move, and
// a timer that is to end it (a Close after 100 ms: x/net's nettest) would
// never fire. So while a hub has I/O waits out, time flows at least as
// fast as the wall clock's since the clock last jumped, up to the hub's
// next timer. Real I/O makes a test's timing the real world's anyway; a
// test without I/O keeps a clock that moves only when everything waits.

// catchUp moves the clock on as far as the wall clock has moved since it
// last jumped, up to h's next timer, for h, which has I/O waits out. It
// runs on h's goroutine.
func (c *testClock) catchUp(h *Hub) {
	c.mu.Lock()
	c.catchUpLocked(h)
	c.mu.Unlock()
}

func (c *testClock) catchUpLocked(h *Hub) {
	if len(h.timers) == 0 || c.jumpedAt.IsZero() {
		return
	}
	to := c.jumpedTo.Add(time.Since(c.jumpedAt))
	if next := h.timers[0].when; next.Before(to) {
		to = next
	}
	if to.After(c.vc.Now()) {
		c.vc.advanceTo(to)
		c.wakeDueLocked(h)
	}
}

// This file holds what a hub does when it has nothing to run: decide
// between moving virtual time on, waiting natively and reporting a
// deadlock, and the one native wait behind all of it.

package rt

import (
	"sync/atomic"
	"time"
)

// An idler is the hub's one native wait: it blocks the hub's goroutine until
// the inbox is posted to, the next timer is due, or an fd a greenlet waits
// on is ready.
//
// wait is called only by the goroutine driving the hub; wake by any
// goroutine. A wake while nothing waits is kept, so the next wait returns at
// once: a post made while the hub is busy is never lost.
type idler interface {
	wait(d time.Duration) // until wake, or until d passes (d < 0: no limit)
	wake()
	// usePoller makes waits that have fds to watch wait in p (the hub's
	// first wait for an fd installs it), on the hub's goroutine.
	usePoller(p *poller)
	// ioReady reports, from any goroutine, whether the hub waits in its
	// poller while events it has yet to collect are ready there: it is
	// about to wake.
	ioReady() bool
}

// chanIdler is the hub's idler: a channel of capacity one that wake fills,
// and a timer for the limit; or, once the hub has a poller and greenlets
// parked on fds, the poller's wait, which wake also ends.
type chanIdler struct {
	woken  chan struct{}
	timer  *time.Timer // made on the first limited wait, then reused
	poller atomic.Pointer[poller]
}

func newChanIdler() *chanIdler { return &chanIdler{woken: make(chan struct{}, 1)} }

func (c *chanIdler) usePoller(p *poller) { c.poller.Store(p) }

func (c *chanIdler) ioReady() bool {
	p := c.poller.Load()
	return p != nil && p.sleeping.Load() && p.eventsPending()
}

func (c *chanIdler) wait(d time.Duration) {
	if p := c.poller.Load(); p != nil && p.parked > 0 {
		p.wait(d)
		// A wake that ended the poller's wait filled the channel too; the
		// post it stands for is in the inbox, which the loop takes in.
		select {
		case <-c.woken:
		default:
		}
		return
	}
	if d < 0 {
		<-c.woken
		return
	}
	if c.timer == nil {
		c.timer = time.NewTimer(d)
	} else {
		c.timer.Reset(d)
	}
	select {
	case <-c.woken:
		c.timer.Stop()
	case <-c.timer.C:
	}
}

func (c *chanIdler) wake() {
	select {
	case c.woken <- struct{}{}:
	default:
	}
	if p := c.poller.Load(); p != nil {
		p.wake()
	}
}

// waitIdle blocks the hub's goroutine natively in its idler, marked idle for
// the other hubs and the monitor.
func (h *Hub) waitIdle(d time.Duration) {
	h.idling.Store(true)
	defer h.idling.Store(false)
	if c := h.testClock; c != nil {
		// On the test binary's clock the wait may move time on for
		// every test hub, this one's next timer included.
		d = c.park(h, d)
		defer c.unpark(h)
		if d == 0 {
			return
		}
	}
	h.idler.wait(d)
}

// idle runs when the run queue is empty and no timer is due. It moves
// virtual time on, or waits natively for the next timer or inbox post, and
// returns nil to let the loop look again; with nothing that could ever wake
// the hub it returns the main greenlet with a deadlock error to raise. A
// carried hub (one whose test has returned) returns the main greenlet, with
// nothing to raise, once every greenlet that outlived the test has ended.
func (h *Hub) idle() *Greenlet {
	if h.carried && h.liveCount.Load() == 1 && len(h.timers) == 0 && h.externals == 0 {
		return h.root
	}
	if h.testClock != nil && len(h.timers) > 0 {
		// Time moves when every test hub waits (testclock.go): wait,
		// and so say when this hub's next timer is due.
		h.waitIdle(-1)
		return nil
	}
	outside := h.externals > 0 || h.hasSharedWaits()
	if len(h.timers) > 0 {
		next := h.timers[0].when
		vc, virtual := h.clock.(*VirtualClock)
		holdsTime := h.externals > h.ioWaits // an outside wake-up that is no I/O wait
		switch {
		case virtual && !outside && !h.carried:
			vc.advanceTo(next)
		case virtual && !holdsTime && h.ioWaits > 0 && !h.inbox.pending.Load():
			// Only I/O waits are out (a listener's Accept may wait for
			// ever): give a peer on this machine a moment of real time to
			// answer, then let virtual time move on. The idler may return
			// early on a wake-up left from a post already taken in, so
			// the moment is measured, not assumed.
			graceEnd := time.Now().Add(ioGrace)
			for left := ioGrace; left > 0 && !h.inbox.pending.Load() && h.runq.len() == 0; left = time.Until(graceEnd) {
				h.waitIdle(left)
			}
			if !h.inbox.pending.Load() && h.runq.len() == 0 && !othersRunning(h) {
				vc.advanceTo(next)
			}
		case virtual && !holdsTime && !othersRunning(h):
			// Only other hubs could wake us (a queue they use too), and none
			// of them is running: each waits, for the inbox or for its own
			// virtual time, so ours moves on. Parallel subtests whose
			// greenlets share pooled channels would otherwise all wait for
			// each other for ever (conc's stream tests did). A carried hub
			// waits so too, so that greenlets a finished test left behind
			// (a ticker) do not race through their virtual time while
			// another test runs.
			vc.advanceTo(next)
		case virtual && !holdsTime:
			// Another hub runs and may wake us: look again shortly.
			h.waitIdle(othersPollInterval)
		case virtual:
			// Virtual time stands still while an outside wake-up that holds
			// it is pending (an offloaded call: real work that will end):
			// only the inbox can move on.
			h.waitIdle(-1)
		default:
			// The timer may have come due since the loop looked; a d <= 0
			// must not reach the idler, which reads d < 0 as "no limit"
			// (that wait for a due timer hung x/sync's TestWeighted one run
			// in five).
			if d := next.Sub(h.clock.Now()); d > 0 {
				h.waitIdle(d)
			}
		}
		return nil
	}
	if h.externals > 0 {
		if h.externals == h.subtestWaits {
			// Only subtests can wake us: let their hubs' deadlock
			// detection know this one waits for them (see blockNatively).
			h.mayProgress.Store(false)
			h.waitIdle(-1)
			h.mayProgress.Store(true)
			return nil
		}
		h.waitIdle(-1)
		return nil
	}
	// Only other hubs can wake us now: through a queue they use too
	// (shared), or through an object we have not seen them touch.
	if othersMayProgress(h) {
		h.mayProgress.Store(false)
		h.waitIdle(othersPollInterval)
		h.mayProgress.Store(true)
		return nil
	}
	if h.inbox.pending.Load() {
		// Another hub posted a wake-up after the loop last looked, and has
		// finished since: not a deadlock.
		return nil
	}
	if h.carried {
		// The greenlets a finished test left behind are blocked for good,
		// as far as anyone can tell: like goroutines blocked for ever they
		// stay, unreported (their test is over), in case a hub made later
		// wakes them through a queue they share. Meanwhile this hub counts
		// for nobody's progress.
		h.mayProgress.Store(false)
		h.waitIdle(-1)
		h.mayProgress.Store(true)
		return nil
	}
	h.throwing = h.deadlock()
	return h.root
}

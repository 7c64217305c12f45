// This file lets the standard library's own blocking points (an fd's wait
// for readiness, an fd's lock, io.Pipe, a process wait) wait off the hub:
// gopatch patches them to call blockOffHub, through a hook it installs.

package rt

import "time"

// ioGrace is how long, in real time, a hub on a virtual clock waits for an
// I/O wait to end before it lets virtual time move on regardless: a peer
// on this machine (a server on loopback, a child process) answers well
// within it, while a wait that may never end (Accept on an idle listener)
// must not hold virtual time for ever.
const ioGrace = 2 * time.Millisecond

// ioReadyRetry is how soon, in real time, a test's clock that could move
// on but for a member whose poller has events ready looks again: that
// member is about to run.
const ioReadyRetry = 100 * time.Microsecond

// ioBusyGrace is ioGrace on a test's clock for a hub whose I/O waits ended
// since its last grace began: data is flowing, and a stall in it is the
// machine's, not a wait that may never end. Two greenlets of a test
// copying a megabyte over loopback (x/net's nettest BasicIO) both waited
// on their fds for more than 2 ms on a loaded machine, while the kernel
// had yet to move the data, and virtual time jumped a minute to the
// test's watchdog.
const ioBusyGrace = 20 * time.Millisecond

// blockOffHub runs wait, a call that blocks natively (what names it in a
// deadlock report: "I/O wait", "process wait"), so that the calling
// greenlet's hub goes on running its other greenlets meanwhile, and reports
// whether it did. It returns false, without calling wait, when the caller
// should block natively itself: it is no greenlet of a hub that runs by
// itself (a plain goroutine, the lazy hub of a net/http connection
// goroutine), it runs in a hub callback, or nothing else on its hub could
// run anyway.
//
// wait runs to the end on a goroutine of its own while the greenlet is
// parked. A Kill or Timeout of the greenlet lands once wait has returned,
// not before: the waits it stands for hand over what must not be lost (a
// semaphore's wake-up, a child's exit status), and none of them can be
// abandoned halfway.
//
// gopatch installs blockOffHub as the hook of its patched internal/poll,
// io and os (os.GopatchSetBlock), only in the programs it builds, from a
// file the overlay adds to rt (rewrite/stdhooks.go); nothing else calls it.
func blockOffHub(what string, wait func()) bool {
	if what == ioDeadlineWait {
		return blockOffHubAs(what, wait, (*Hub).expectOutsideIODeadline)
	}
	return blockOffHubAs(what, wait, (*Hub).expectOutsideIO)
}

// ioDeadlineWait is what the patched internal/poll calls blockOffHub with
// for an fd's wait that has a deadline (rewrite/stdhooks.go).
const ioDeadlineWait = "I/O wait with a deadline"

// blockOffHubAs is blockOffHub with the outside wake-up that expect takes.
func blockOffHubAs(what string, wait func(), expect func(*Hub) *outsideWake) bool {
	h, g, ok := attendedGreenlet()
	if !ok {
		return false
	}
	out := expect(h)
	done := false
	var panicked any
	w := newWaiter(h, g, what)
	go func() {
		p := callOffloaded(wait)
		out.post(func() {
			done, panicked = true, p
			w.fire(h, waitFired, nil)
		})
	}()
	for {
		g.waiting = w
		h.suspend(g)
		g.waiting = nil
		if done {
			break
		}
		// Woken by an interruption, which must wait for wait: park
		// again, on a fresh waiter, since the old one is spent.
		w = newWaiter(h, g, what)
	}
	if panicked != nil {
		panic(panicked)
	}
	g.checkInterrupt()
	return true
}

// attendedGreenlet returns the calling greenlet and its hub when the hub
// runs by itself and has something else it could run while the caller
// waits. It never makes a hub.
func attendedGreenlet() (*Hub, *Greenlet, bool) {
	h, g, ok := hubGreenlet()
	if ok && h.liveCount.Load() == 1 && h.runq.len() == 0 && len(h.timers) == 0 {
		// The caller is the hub's only greenlet and no timer is set: no
		// other greenlet or callback of this hub could run meanwhile.
		return nil, nil, false
	}
	return h, g, ok
}

// hubGreenlet returns the calling greenlet and its hub when the hub runs
// by itself, whatever else it has to run. It never makes a hub. It is on
// the way to every fd wait, deep in a greenlet's stack: the map lookup,
// with its wide frame, is out of line.
func hubGreenlet() (*Hub, *Greenlet, bool) {
	id := currentGoid()
	h := lastHub.Load()
	if h == nil || !h.running.is(id) {
		if h = hubOf(id); h == nil {
			return nil, nil, false
		}
	}
	g := h.current
	if g == nil || g == h.hubg || g.goid != id || h.unattended() {
		return nil, nil, false
	}
	return h, g, true
}

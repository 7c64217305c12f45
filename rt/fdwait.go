// This file holds a greenlet's wait for a file descriptor to become ready,
// on its hub's poller, which the patched internal/poll calls before it
// would block in the runtime's: a socket's or a pipe's reader parks like
// any other waiter, with no goroutine of its own.

package rt

import (
	"sync/atomic"
	"time"
	"unsafe"
)

// ownFd is the hook internal/poll calls when it opens fd (pollDesc.init)
// before it would register fd with the runtime's netpoller. Called from a
// greenlet of a hub that runs by itself, it registers fd with the hub's
// poller instead and reports true: rt owns the fd, and internal/poll keeps
// its deadlines and closing itself, for waitFd, until a wait rt cannot do
// hands the fd to the runtime's netpoller as well, for good. It reports
// false, and the runtime polls fd as without gopatch, for any other caller,
// when the hub cannot have a poller, or when fd cannot be polled (a
// regular file, which the runtime then refuses the same way).
//
// An fd in one epoll set is woken once a change of state; in the runtime's
// set too, every read and write would wake both, and the runtime's netpoll
// would collect events for fds nobody waits on there (bench/net.sh
// measured that at twice the CPU a message of native Go).
func ownFd(fd int, state *unsafe.Pointer) bool {
	h, _, ok := hubGreenlet()
	if !ok {
		return false
	}
	p := h.fdPoller()
	return p != nil && p.arm(fd, loadFdState(state))
}

// waitFd is the hook internal/poll calls in place of runtime_pollWait. For
// a greenlet of a hub that runs by itself it registers the fd with the
// hub's poller, parks the greenlet until the poller sees the fd ready,
// fdChanged wakes it or, with d > 0, d nanoseconds (the fd's deadline for
// mode) pass, and returns reset's verdict on the fd then (pd is what
// reset takes: pollNoError, upon which the caller retries its I/O and
// calls again if it would still block, or that the fd is closing or past
// its deadline). It returns false when the caller must wait natively
// instead: it is no such greenlet, the hub has no poller (not Linux, or no
// descriptor left to make one), or the fd has a deadline and the hub's
// clock is not the real one, which the runtime's deadlines keep. Unless
// the fd is owned (ownFd), it returns false too when nothing else on the
// hub could run meanwhile: then a native wait costs less.
//
// A deadline passed is internal/poll's to report: it does not call here
// once its deadline has come, and setting or clearing one wakes the
// waiters here, which then look again.
func waitFd(fd, mode int, owned bool, state *unsafe.Pointer, pd unsafe.Pointer, reset func(pd unsafe.Pointer, mode int) int, d int64) (int, bool) {
	// The greenlet parks in this frame, the bottom of every parked fd
	// wait: the work before and after the park is out of line, so that
	// only w and res are kept here (see takeCoroutine for why).
	w := startFdWait(fd, mode, owned, state, d)
	if w == nil {
		return 0, false
	}
	// Registered first, checked second: a deadline or a Close that lands
	// after the check finds the waiter and wakes it.
	res := reset(pd, mode)
	if res == 0 || !w.tryClaim() {
		// Park until fired; a waiter somebody fired meanwhile is resumed
		// by the wake-up they scheduled, which must be taken here.
		w.hub.suspend(w.g)
	}
	endFdWait(w, state)
	if res == 0 {
		w.g.checkInterrupt()
		// Woken by a Close, the wait ends in its error, as the runtime's
		// does, not in a retry that might still find data.
		res = reset(pd, mode)
	}
	return res, true
}

// startFdWait is waitFd up to the park: it returns the waiter of the
// calling greenlet, queued on the fd and counted as parked, or nil when
// the caller must wait natively. Its usual path calls nothing deep: a
// parked greenlet's stack is sized by the deepest call it ever made.
func startFdWait(fd, mode int, owned bool, state *unsafe.Pointer, d int64) *waiter {
	greenlet := attendedGreenlet
	if owned {
		greenlet = hubGreenlet
	}
	h, g, ok := greenlet()
	if !ok {
		return nil
	}
	if _, real := h.clock.(realClock); d > 0 && !real {
		return nil
	}
	p := h.fds
	if p == nil {
		if p = h.fdPoller(); p == nil {
			return nil
		}
	}
	st := loadFdState(state)
	w := queuedWaiter(h, g, "I/O wait")
	for !st.addWaiter(p, w, mode) {
		// Not in p's set yet (an fd opened elsewhere, or before the hub
		// had a poller): add it, and queue again.
		if !p.arm(fd, st) {
			w.release()
			return nil
		}
	}
	// Counted as soon as it is queued: a fdChanged from another goroutine
	// may fire the waiter at once, and the hub, once it runs again, must
	// wait for that wake-up as one.
	h.beginIOWait()
	if d > 0 {
		w.timer = h.addTimer(time.Duration(d), w, nil)
	}
	p.parked++
	g.waiting = w
	return w
}

// endFdWait undoes startFdWait once the greenlet runs again, whether it
// parked or not.
func endFdWait(w *waiter, state *unsafe.Pointer) {
	h, g := w.hub, w.g
	g.waiting = nil
	h.fds.parked--
	h.stopTimer(w.timer)
	(*fdState)(atomic.LoadPointer(state)).remove(w)
	if w == &g.ownWaiter {
		// Off the fd's waiters, which fire only under its lock, and its
		// timer stopped: only g reaches it now.
		g.ownWaiterBusy = false
	}
	h.endIOWait()
}

// fdChanged is the hook internal/poll calls when an fd's deadline is set or
// the fd is evicted (closed): every greenlet waiting on it in waitFd wakes,
// from any goroutine, and looks again.
func fdChanged(state *unsafe.Pointer) {
	if st := (*fdState)(atomic.LoadPointer(state)); st != nil {
		st.fireAll()
	}
}

// fdClosed is the hook internal/poll calls, from any goroutine, just
// before it closes an fd rt owns: the fd leaves every poller that has it,
// as the runtime's pollClose takes it out of its own set (the kernel drops
// it only once no process holds the file open, and a child may).
func fdClosed(state *unsafe.Pointer) {
	if st := (*fdState)(atomic.LoadPointer(state)); st != nil {
		st.disarmAll()
	}
}

// fdPoller returns h's poller, making it on h's first wait for an fd; nil
// when h cannot have one. It runs on h's goroutine.
func (h *Hub) fdPoller() *poller {
	if h.fds == nil && !h.noFds {
		// noFds holds while the poller is made: its own epoll fd, a file
		// opened on this greenlet, must not be offered to it (ownFd).
		h.noFds = true
		p, err := newPoller(h)
		h.noFds = false
		if err != nil {
			h.noFds = true // fall back on blockOffHub's helper goroutines
			return nil
		}
		h.fds = p
		h.idler.usePoller(p)
	}
	return h.fds
}

// closePoller releases h's poller, once h has ended: greenlets still
// parked on fds are abandoned with it.
func (h *Hub) closePoller() {
	p := h.fds
	if p == nil {
		return
	}
	h.idler.usePoller(nil)
	// The fds outlive the hub: they must not keep it, and all it holds,
	// alive through their lists of pollers.
	for _, st := range p.fds {
		if st != nil {
			st.forgetPoller(p)
		}
	}
	p.close()
	h.fds = nil
}

// This file holds what rt keeps for each fd it polls: who waits on it and which hubs' pollers have it.

package rt

import (
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// An fdState is what rt keeps for one poll.FD (one open socket, pipe or
// tty): who waits on it and which hubs' pollers have it registered. The
// pollDesc holds it (its state pointer), so it lives and dies with the FD:
// a descriptor number the kernel reuses for a new file gets a new fdState,
// registered afresh.
//
// Every open connection has one, so it is kept to 48 bytes: room for the
// usual waiters (internal/poll's fd locks let one reader and one writer
// wait at a time) and the one poller of the hub that opened it, and the
// rest, rare, in extra. A wait then allocates nothing: an allocation deep
// in a parked greenlet's stack (mallocgc below startFdWait) grew every
// connection's stack to 4 KB, for good.
//
// Invariant: its fields are guarded by mu, and firing a waiter happens
// under mu, so that one removed is never fired.
type fdState struct {
	mu    sync.Mutex
	fd    int32    // the descriptor, once armed
	modes [2]uint8 // 'r' or 'w': what waiters[i] waits for
	// waiters are greenlets parked in waitFd (nil: a free slot); each
	// removes itself once resumed.
	waiters [2]*waiter
	armed   *poller  // a poller whose epoll set holds the fd, or nil
	extra   *fdExtra // more waiters and pollers than fit above, or nil
}

// fdExtra holds the waiters and pollers of an fd beyond those that fit in
// its fdState: a third greenlet waiting on it (a raw conn's Read beside
// the fd's own), or hubs beside the one that armed it.
type fdExtra struct {
	waiters []fdWaiter
	armed   []*poller
}

// An fdWaiter is a greenlet parked on an fd, for reading ('r') or writing
// ('w'), on the poller of its waiter's hub.
type fdWaiter struct {
	w    *waiter
	mode int
}

// loadFdState returns the fdState a pollDesc holds, making it on the
// first wait: two greenlets of different hubs may race to.
func loadFdState(state *unsafe.Pointer) *fdState {
	if st := (*fdState)(atomic.LoadPointer(state)); st != nil {
		return st
	}
	st := new(fdState)
	if atomic.CompareAndSwapPointer(state, nil, unsafe.Pointer(st)) {
		return st
	}
	return (*fdState)(atomic.LoadPointer(state))
}

// waiterCount returns how many greenlets wait on st.
func (st *fdState) waiterCount() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	n := 0
	for _, w := range st.waiters {
		if w != nil {
			n++
		}
	}
	if st.extra != nil {
		n += len(st.extra.waiters)
	}
	return n
}

// remove takes w off st's waiters. After it, nothing can fire w: firing
// happens under st.mu.
//
// It and addWaiter run deep in a parked greenlet's stack, so they keep to
// small frames: the rare extra waiters are handled out of line.
func (st *fdState) remove(w *waiter) {
	st.mu.Lock()
	switch {
	case st.waiters[0] == w:
		// Cleared: a stale waiter left there would keep its greenlet,
		// which may have ended, alive as long as the fd.
		st.waiters[0] = nil
	case st.waiters[1] == w:
		st.waiters[1] = nil
	case st.extra != nil:
		st.extra.remove(w)
	}
	st.mu.Unlock()
}

//go:noinline
func (x *fdExtra) remove(w *waiter) {
	x.waiters = slices.DeleteFunc(x.waiters, func(fw fdWaiter) bool { return fw.w == w })
}

// ready fires the waiters of p's hub that wait for what events allow:
// reading when readable (or hung up, or in error), writing when writable
// (or the same). It runs on p's hub.
func (st *fdState) ready(p *poller, readable, writable bool) {
	st.mu.Lock()
	for i, w := range st.waiters {
		if w != nil && w.hub == p.h && (st.modes[i] == 'r' && readable || st.modes[i] == 'w' && writable) {
			w.fire(p.h, waitFired, nil)
		}
	}
	if st.extra != nil {
		for _, fw := range st.extra.waiters {
			if fw.w.hub == p.h && (fw.mode == 'r' && readable || fw.mode == 'w' && writable) {
				fw.w.fire(p.h, waitFired, nil)
			}
		}
	}
	st.mu.Unlock()
}

// fireAll fires every waiter, from any goroutine: the fd's deadline
// changed or it is closing.
func (st *fdState) fireAll() {
	st.mu.Lock()
	for _, w := range st.waiters {
		if w != nil {
			w.fire(nil, waitFired, nil)
		}
	}
	if st.extra != nil {
		for _, fw := range st.extra.waiters {
			fw.w.fire(nil, waitFired, nil)
		}
	}
	st.mu.Unlock()
}

// addWaiter queues w on st for mode, if p has st's fd registered, and
// reports whether it did. It runs on p's hub.
func (st *fdState) addWaiter(p *poller, w *waiter, mode int) bool {
	st.mu.Lock()
	ok := st.armedWithLocked(p)
	switch {
	case !ok:
	case st.waiters[0] == nil:
		st.waiters[0], st.modes[0] = w, uint8(mode)
	case st.waiters[1] == nil:
		st.waiters[1], st.modes[1] = w, uint8(mode)
	default:
		st.addExtraWaiter(w, mode)
	}
	st.mu.Unlock()
	return ok
}

//go:noinline
func (st *fdState) addExtraWaiter(w *waiter, mode int) {
	if st.extra == nil {
		st.extra = new(fdExtra)
	}
	st.extra.waiters = append(st.extra.waiters, fdWaiter{w, mode})
}

//go:noinline
func (x *fdExtra) armedWith(p *poller) bool { return slices.Contains(x.armed, p) }

// armedWith reports whether p has st's fd registered. It runs on p's hub.
func (st *fdState) armedWith(p *poller) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.armedWithLocked(p)
}

func (st *fdState) armedWithLocked(p *poller) bool {
	return st.armed == p || st.extra != nil && st.extra.armedWith(p)
}

// addArmed records that p has st's fd registered.
func (st *fdState) addArmed(p *poller, fd int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.fd = int32(fd)
	if st.armed == nil {
		st.armed = p
		return
	}
	if st.extra == nil {
		st.extra = new(fdExtra)
	}
	st.extra.armed = append(st.extra.armed, p)
}

// disarmAll takes st's fd out of every poller that has it: it is closing.
func (st *fdState) disarmAll() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.armed != nil {
		st.armed.disarm(int(st.fd))
		st.armed = nil
	}
	if st.extra != nil {
		for _, p := range st.extra.armed {
			p.disarm(int(st.fd))
		}
		st.extra.armed = nil
	}
}

// forgetPoller takes p off st's pollers, without touching its epoll set:
// p is closing.
func (st *fdState) forgetPoller(p *poller) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.armed == p {
		st.armed = nil
	}
	if st.extra != nil {
		st.extra.armed = slices.DeleteFunc(st.extra.armed, func(q *poller) bool { return q == p })
	}
}

// This file implements gevent's RLock: a reentrant lock owned by a greenlet.

package rt

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// RLock is a reentrant lock owned by a greenlet (gevent.lock.RLock): the
// owner may lock it again, and must unlock it as many times. Unlock hands
// the lock straight to the oldest waiter, so waiters get it in FIFO order.
// Its zero value is unlocked; an RLock may be shared by greenlets of several
// hubs.
type RLock struct {
	mu      sync.Mutex
	owner   *Greenlet
	count   int
	waiters waitq
}

// Lock takes the lock, blocking while another greenlet owns it.
func (l *RLock) Lock() { l.lock(-1, nil) }

// LockTimeout is Lock that gives up after timeout (< 0: no limit; 0: do not
// block) and reports whether it took the lock.
func (l *RLock) LockTimeout(timeout time.Duration) bool { return l.lock(timeout, nil) == waitFired }

// LockContext is Lock that returns ctx.Err() if ctx is done first.
func (l *RLock) LockContext(ctx context.Context) error { return ctxResult(ctx, l.lock(-1, ctx)) }

// TryLock takes the lock if it is free or already the caller's.
func (l *RLock) TryLock() bool { return l.lock(0, nil) == waitFired }

func (l *RLock) lock(timeout time.Duration, ctx context.Context) waitResult {
	h, g := current()
	l.mu.Lock()
	switch l.owner {
	case g:
		l.count++
		l.mu.Unlock()
		return waitFired
	case nil:
		l.owner, l.count = g, 1
		l.mu.Unlock()
		return waitFired
	}
	if timeout == 0 {
		l.mu.Unlock()
		return waitTimedOut
	}
	w := queuedWaiter(h, g, "RLock.Lock")
	l.waiters.enqueue(w, &l.mu)
	l.mu.Unlock()
	return h.parkHandoff(g, w, timeout, ctx, func(*waiter) { l.release(h, g) })
}

// Unlock releases one level of the caller's hold; the last one hands the
// lock to the oldest waiter. It panics if the caller does not own the lock.
func (l *RLock) Unlock() {
	h, g := current()
	l.mu.Lock()
	if l.owner != g {
		owner := l.owner
		l.mu.Unlock()
		if owner == nil {
			panic(fmt.Sprintf("rt: RLock.Unlock by %v of an unlocked lock", g))
		}
		panic(fmt.Sprintf("rt: RLock.Unlock by %v, but %v owns the lock", g, owner))
	}
	l.count--
	if l.count > 0 {
		l.mu.Unlock()
		return
	}
	l.mu.Unlock()
	l.release(h, g)
}

// release hands the lock, held by g at count 0 or 1, to the oldest waiter,
// or frees it.
func (l *RLock) release(h *Hub, g *Greenlet) {
	l.mu.Lock()
	if l.owner != g {
		l.mu.Unlock()
		return
	}
	w := l.waiters.dequeue(h)
	if w != nil {
		l.owner, l.count = w.g, 1
	} else {
		l.owner, l.count = nil, 0
	}
	l.mu.Unlock()
	if w != nil {
		w.wake(h, waitFired)
	}
}

// Locked reports whether some greenlet owns the lock.
func (l *RLock) Locked() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.owner != nil
}

// This file implements gevent's Semaphore and BoundedSemaphore, with FIFO
// handoff of permits.

package rt

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Invariants:
//
//   - acquirers is non-empty only while value is 0: Release hands its
//     permit straight to the oldest acquirer instead of counting it, so a
//     greenlet that calls Acquire later never overtakes one that waits.
//   - watchers wait for a free permit without taking one (Wait); they are
//     woken only when a Release finds no acquirer and makes value positive.
//   - Everything is guarded by mu, which is never held while switching.

// Semaphore counts permits (gevent.lock.Semaphore). Acquire takes one,
// blocking while there is none; Release returns one, handing it to the
// oldest blocked Acquire if there is one. A Semaphore may be shared by
// greenlets of several hubs. Its zero value has no permits.
type Semaphore struct {
	mu        sync.Mutex
	value     int
	bounded   bool
	bound     int // for a bounded semaphore, the most value may reach
	acquirers waitq
	watchers  waitq
}

// NewSemaphore returns a semaphore with n permits. It panics if n < 0.
func NewSemaphore(n int) *Semaphore {
	if n < 0 {
		panic(fmt.Sprintf("rt: NewSemaphore(%d): negative count", n))
	}
	return &Semaphore{value: n}
}

// NewBoundedSemaphore returns a semaphore with n permits whose Release
// panics if it would make more than n (gevent.lock.BoundedSemaphore): a
// release without a matching acquire is a bug it reports at once.
func NewBoundedSemaphore(n int) *Semaphore {
	s := NewSemaphore(n)
	s.bounded, s.bound = true, n
	return s
}

// Acquire takes a permit, blocking until one is free.
func (s *Semaphore) Acquire() { s.acquire("Semaphore.Acquire", -1, nil) }

// AcquireTimeout is Acquire that gives up after timeout (< 0: no limit; 0:
// do not block) and reports whether it took a permit.
func (s *Semaphore) AcquireTimeout(timeout time.Duration) bool {
	return s.acquire("Semaphore.Acquire", timeout, nil) == waitFired
}

// AcquireContext is Acquire that returns ctx.Err() if ctx is done first.
func (s *Semaphore) AcquireContext(ctx context.Context) error {
	return ctxResult(ctx, s.acquire("Semaphore.Acquire", -1, ctx))
}

// TryAcquire takes a permit if one is free at once.
func (s *Semaphore) TryAcquire() bool { return s.acquire("", 0, nil) == waitFired }

// acquire is every Acquire; what names the wait in deadlock reports.
func (s *Semaphore) acquire(what string, timeout time.Duration, ctx context.Context) waitResult {
	s.mu.Lock()
	if s.value > 0 {
		s.value--
		s.mu.Unlock()
		return waitFired
	}
	if timeout == 0 {
		s.mu.Unlock()
		return waitTimedOut
	}
	h, g := current()
	w := queuedWaiter(h, g, what)
	s.acquirers.enqueue(w, &s.mu)
	s.mu.Unlock()
	return h.parkHandoff(g, w, timeout, ctx, func(*waiter) { s.Release() })
}

// Release returns a permit: to the oldest blocked Acquire if there is one,
// otherwise to the count. A bounded semaphore panics if the count would
// exceed its bound.
func (s *Semaphore) Release() {
	h := currentHub()
	s.mu.Lock()
	if w := s.acquirers.dequeue(h); w != nil {
		s.mu.Unlock()
		w.wake(h, waitFired)
		return
	}
	if s.bounded && s.value >= s.bound {
		s.mu.Unlock()
		panic(fmt.Sprintf("rt: BoundedSemaphore released too many times (bound %d)", s.bound))
	}
	s.value++
	s.watchers.wakeAll(h)
	s.mu.Unlock()
}

// Value returns the number of free permits.
func (s *Semaphore) Value() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.value
}

// Locked reports whether no permit is free.
func (s *Semaphore) Locked() bool { return s.Value() == 0 }

// Wait blocks until a permit is free, without taking it, or until timeout
// has passed (< 0: no limit), and reports whether one is free.
func (s *Semaphore) Wait(timeout time.Duration) bool {
	return s.wait("Semaphore.Wait", timeout, nil) == waitFired
}

// WaitContext is Wait that returns ctx.Err() if ctx is done first.
func (s *Semaphore) WaitContext(ctx context.Context) error {
	return ctxResult(ctx, s.wait("Semaphore.Wait", -1, ctx))
}

func (s *Semaphore) wait(what string, timeout time.Duration, ctx context.Context) waitResult {
	s.mu.Lock()
	if s.value > 0 {
		s.mu.Unlock()
		return waitFired
	}
	if timeout == 0 {
		s.mu.Unlock()
		return waitTimedOut
	}
	h, g := current()
	w := queuedWaiter(h, g, what)
	s.watchers.enqueue(w, &s.mu)
	s.mu.Unlock()
	return h.park(g, w, timeout, ctx)
}

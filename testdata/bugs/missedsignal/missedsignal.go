// Package missedsignal has a latch whose Wait looks at the flag before
// taking the lock: a Release between the look and the Cond.Wait is
// missed, and Wait sleeps forever.
package missedsignal

import "sync"

// Latch lets waiters through once it is released.
type Latch struct {
	mu       sync.Mutex
	cond     *sync.Cond
	released bool
}

// NewLatch returns a closed latch.
func NewLatch() *Latch {
	l := &Latch{}
	l.cond = sync.NewCond(&l.mu)
	return l
}

// Release opens the latch and wakes its waiters.
func (l *Latch) Release() {
	l.mu.Lock()
	l.released = true
	l.mu.Unlock()
	l.cond.Broadcast()
}

func (l *Latch) Wait() {
	if !l.released { // BUG: looked at without the lock
		l.mu.Lock()
		l.cond.Wait()
		l.mu.Unlock()
	}
}

// Package missedsignal is example.com/bugs/missedsignal with its bug mended; its test is
// the same file. See that package's doc for the bug.
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
	l.mu.Lock()
	for !l.released {
		l.cond.Wait()
	}
	l.mu.Unlock()
}

// This file defines the hub clock: real time, or a virtual clock that jumps.

package rt

import (
	"sync"
	"time"
)

// Clock is where a hub reads the time. Timers are due when Now reaches their
// deadline. The real clock waits for deadlines natively; a [VirtualClock]
// jumps straight to the next deadline whenever every greenlet of the hub is
// blocked, so a program that sleeps for an hour finishes in microseconds.
type Clock interface {
	Now() time.Time
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// VirtualClock is a clock that only moves when its hub has nothing left to
// run and a timer is pending: it then jumps to that timer's deadline. It
// starts at a fixed epoch, so programs that print times are reproducible.
// While an offloaded call is pending it stands still, so a timeout cannot
// fire during a slow DNS lookup; an I/O wait, or a native wait on an
// object of code gopatch did not rewrite, holds it for a moment of real
// time (ioGrace) only, as either may never end.
type VirtualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewVirtualClock returns a virtual clock that reads epoch until it is
// advanced.
func NewVirtualClock(epoch time.Time) *VirtualClock { return &VirtualClock{now: epoch} }

// Now implements [Clock].
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// advanceTo moves the clock forward to t; it never moves backwards.
func (c *VirtualClock) advanceTo(t time.Time) {
	c.mu.Lock()
	if t.After(c.now) {
		c.now = t
	}
	c.mu.Unlock()
}

// DefaultEpoch is the instant a virtual clock made by [WithVirtualClock]
// starts at: the same every run, like testing/synctest's.
var DefaultEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

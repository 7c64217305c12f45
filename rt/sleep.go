// This file implements Sleep and Idle, the ways a greenlet gives way.

package rt

import (
	"context"
	"time"
)

// Sleep suspends the calling greenlet for d on the hub clock. Sleep(0) (or a
// negative d) yields: every other greenlet that is runnable now runs, and the
// caller comes back in the same loop iteration without waiting for timers.
func Sleep(d time.Duration) {
	h, g := current()
	if d <= 0 {
		h.runq.push(runItem{g: g})
		h.suspend(g)
		g.checkInterrupt()
		return
	}
	h.park(g, queuedWaiter(h, g, "Sleep"), d, nil)
}

// SleepContext is Sleep that returns ctx.Err() early if ctx is done first.
func SleepContext(ctx context.Context, d time.Duration) error {
	h, g := current()
	if d <= 0 {
		Sleep(0)
		return ctx.Err()
	}
	if h.park(g, queuedWaiter(h, g, "Sleep"), d, ctx) == waitCancelled {
		return ctx.Err()
	}
	return nil
}

// Idle suspends the calling greenlet until the hub has nothing else to run:
// no runnable greenlet and no due timer (gevent.idle).
func Idle() {
	h, g := current()
	h.idlers = append(h.idlers, g)
	h.suspend(g)
	g.checkInterrupt()
}

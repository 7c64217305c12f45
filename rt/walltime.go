// This file translates absolute times between a hub's virtual clock and
// the wall clock, where they cross between rewritten code, which reads the
// hub clock, and the standard library's clock reads and the kernel, which
// stay the wall clock's.

package rt

import (
	"context"
	"time"
)

// On a virtual clock, a test's time.Now is in the year 2000 while the
// standard library's stays the wall clock's (rewrite/time.go: the deadlines
// std computes go to the kernel). An absolute time crosses between the two
// where a context's deadline made on the hub clock reaches std (net's
// dialer subtracts time.Now from it: every dial under a 30 s handshake
// timeout failed at once in gorilla/websocket's tests), where std makes a
// context with a deadline it computed from the wall clock, and where
// rewritten code sets a conn's deadline from its time.Now. Each time is
// taken to belong to the clock whose now it is nearer (the two are decades
// apart) and moved to the other by the same distance from now: a deadline
// 30 s ahead on one is 30 s ahead on the other.

// onHubClock returns t, an absolute time of the hub clock or the wall
// clock, as a time of h's clock.
func (h *Hub) onHubClock(t time.Time) time.Time {
	vc, ok := h.clock.(*VirtualClock)
	if !ok || t.IsZero() {
		return t
	}
	vnow, wnow := vc.Now(), time.Now()
	if t.Sub(wnow).Abs() < t.Sub(vnow).Abs() {
		return vnow.Add(t.Sub(wnow))
	}
	return t
}

// onWallClock returns t, an absolute time of h's clock or the wall clock,
// as a time of the wall clock.
func (h *Hub) onWallClock(t time.Time) time.Time {
	vc, ok := h.clock.(*VirtualClock)
	if !ok || t.IsZero() {
		return t
	}
	vnow, wnow := vc.Now(), time.Now()
	if t.Sub(vnow).Abs() < t.Sub(wnow).Abs() {
		return wnow.Add(t.Sub(vnow))
	}
	return t
}

// wallTime is onWallClock on the calling greenlet's hub: the hook the
// patched internal/poll calls on a deadline it is given, which it measures
// against the wall clock. Called from anything but a greenlet it returns t.
func wallTime(t time.Time) time.Time {
	h, _, ok := hubGreenlet()
	if !ok {
		return t
	}
	return h.onWallClock(t)
}

// ContextDeadline is ctx.Deadline() in the rewritten standard library: the
// deadline on the wall clock, which std measures it against, whatever clock
// the context was made on.
func ContextDeadline(ctx context.Context) (time.Time, bool) {
	d, ok := ctx.Deadline()
	if ok {
		d = wallTime(d)
	}
	return d, ok
}

package rt

import (
	"testing"
	"time"
)

// A time crosses between a hub's virtual clock and the wall clock by its
// distance from now, whichever clock it was read from; the zero time and
// a real clock's times stay as they are.
func TestTimesCrossBetweenClocks(t *testing.T) {
	Run(func() {
		h := currentHub()
		vnow := h.clock.Now()
		for _, d := range []time.Duration{30 * time.Second, -time.Minute, time.Hour} {
			wall := h.onWallClock(vnow.Add(d))
			if got := time.Until(wall); got < d-time.Second || got > d+time.Second {
				t.Errorf("virtual now%+v on the wall clock is %v from the wall's now", d, got)
			}
			if back := h.onHubClock(wall).Sub(vnow); back < d-time.Second || back > d+time.Second {
				t.Errorf("and back on the hub clock, %v from its now; want %v", back, d)
			}
			if same := h.onHubClock(vnow.Add(d)); !same.Equal(vnow.Add(d)) {
				t.Errorf("a hub clock's time moved on the hub clock: %v", same)
			}
		}
		if z := h.onWallClock(time.Time{}); !z.IsZero() {
			t.Errorf("the zero time (no deadline) became %v", z)
		}
		// net/http's "a long time ago", 1970, stays in the past.
		if at := h.onWallClock(time.Unix(1, 0)); !at.Before(time.Now()) {
			t.Errorf("1970 became %v", at)
		}
	}, WithVirtualClock())
	Run(func() {
		h := currentHub()
		now := time.Now()
		if got := h.onWallClock(now); !got.Equal(now) {
			t.Errorf("on the real clock a time moved to %v", got)
		}
	})
}

package rt

import (
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt/schedule"
)

// On a test's virtual clock a loop that spins on the clock without ever
// blocking ends: each read moves the clock on a little, and successive
// reads differ as on a real clock.
func TestVirtualClockReadsMoveOn(t *testing.T) {
	o, _ := scheduleOptions(schedule.Schedule{Virtual: true}, "TestSpinOnNow")
	reads := 0
	Run(func() {
		start := Now()
		prev := start
		for Since(start) < 10*time.Millisecond {
			now := Now()
			if !now.After(prev) {
				t.Fatalf("read %v after %v", now, prev)
			}
			prev = now
			reads++
		}
		if !start.Equal(DefaultEpoch.Add(virtualReadStep)) {
			t.Errorf("first read %v; want the epoch plus one step", start)
		}
	}, o...)
	if want := int(10 * time.Millisecond / virtualReadStep / 2); reads < want-1 || reads > want {
		t.Errorf("%d reads to see 10ms pass; want about %d (two reads a turn)", reads, want)
	}
}

// A virtual clock outside a test keeps exact times: examples print them.
func TestVirtualClockOutsideTestsStandsStill(t *testing.T) {
	Run(func() {
		a, b := Now(), Now()
		if !a.Equal(DefaultEpoch) || !b.Equal(a) {
			t.Errorf("reads %v, %v; want the epoch twice", a, b)
		}
		Sleep(time.Hour)
		if d := Since(a); d != time.Hour {
			t.Errorf("slept %v; want exactly an hour", d)
		}
	}, WithVirtualClock())
}

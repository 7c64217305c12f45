// This file checks that the benchmark programs do what they claim, with a
// few operations each, so that go test ./bench is fast.

package bench

import (
	"testing"
)

const checkOps = 1000

func TestSwitchProgramsCountEveryTransfer(t *testing.T) {
	if got := iterPullSwitch(times(checkOps)); got != checkOps {
		t.Errorf("iterPullSwitch: %d round trips, want %d", got, checkOps)
	}
	for _, n := range []int{0, 1, 2, checkOps} {
		if got := greenletSwitch(times(n)); got != n {
			t.Errorf("greenletSwitch(%d ops): %d switches", n, got)
		}
	}
}

func TestYieldProgramsAlternate(t *testing.T) {
	progs := map[string]func(loop) (int, int){
		"gosched":  goschedYield,
		"greenlet": greenletYield,
	}
	for name, prog := range progs {
		mine, theirs := prog(times(checkOps))
		if mine != checkOps {
			t.Errorf("%s: %d yields by the looping party, want %d", name, mine, checkOps)
		}
		// The partner yields once per round, plus once more after the
		// last if it runs before it sees the end; Gosched on more than one
		// thread promises no alternation, so check it only for greenlets.
		if name == "greenlet" && (theirs < checkOps || theirs > checkOps+1) {
			t.Errorf("%s: %d yields by the partner, want %d or %d", name, theirs, checkOps, checkOps+1)
		}
	}
}

func TestSpawnJoinProgramsRunEveryOne(t *testing.T) {
	if got := goroutineSpawnJoin(times(checkOps)); got != checkOps {
		t.Errorf("goroutineSpawnJoin: %d ran, want %d", got, checkOps)
	}
	if got := greenletSpawnJoin(times(checkOps)); got != checkOps {
		t.Errorf("greenletSpawnJoin: %d ran, want %d", got, checkOps)
	}
}

func TestChanPingPongProgramsCountRoundTrips(t *testing.T) {
	if got := goroutineChanPingPong(times(checkOps)); got != checkOps {
		t.Errorf("goroutine: last value %d, want %d", got, checkOps)
	}
	for _, n := range []int{0, 1, checkOps} {
		if got := channelPingPong(times(n)); got != n {
			t.Errorf("channel: last value %d after %d round trips", got, n)
		}
		if got := chanPingPong(times(n)); got != n {
			t.Errorf("chan: last value %d after %d round trips", got, n)
		}
	}
}

func TestEventWakeProgramsWakeEveryWaiter(t *testing.T) {
	const waiters, rounds = 100, 20
	if got := chanCloseWake(waiters, times(rounds)); got != waiters*rounds {
		t.Errorf("chanCloseWake: %d wake-ups, want %d", got, waiters*rounds)
	}
	if got := eventWake(waiters, times(rounds)); got != waiters*rounds {
		t.Errorf("eventWake: %d wake-ups, want %d", got, waiters*rounds)
	}
}

func TestParkedProgramsMeasureAndRelease(t *testing.T) {
	for _, impl := range []string{"goroutine", "greenlet"} {
		// A thousand is too few for a stable figure, but enough to see one
		// of the right size.
		if got := parked(impl, 1000); got < 1000 || got > 20000 {
			t.Errorf("%s: %.0f B/parked, want between 1,000 and 20,000", impl, got)
		}
	}
}

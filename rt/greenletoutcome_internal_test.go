package rt

import (
	"errors"
	"testing"
	"time"
)

// A go statement's greenlet has no outcome until something asks; it still
// answers Join, Ready, Value, Err and links as a spawned greenlet does,
// whether asked before it ends, after it ends, or after a Kill.
func TestGoGreenletOutcomeOnDemand(t *testing.T) {
	Run(func() {
		// Asked while it runs: the joiner wakes when it ends.
		var running *Greenlet
		Go(func() {
			running = Current()
			Sleep(time.Millisecond)
		})
		Sleep(0)
		if running.out.Load() != nil {
			t.Error("a go statement's greenlet has an outcome before anyone asked")
		}
		if running.Ready() {
			t.Error("Ready before the greenlet ended")
		}
		if !running.Join(time.Second) || !running.Ready() || !running.Successful() || running.Value() != nil || running.Err() != nil {
			t.Errorf("joined while running: ready %v, successful %v, value %v, err %v",
				running.Ready(), running.Successful(), running.Value(), running.Err())
		}
		if running.out.Load() == diedOutcome {
			t.Error("a greenlet asked for its outcome before it ended got the shared one")
		}

		// Asked after it ended: the shared outcome, ready at once.
		var ended *Greenlet
		Go(func() { ended = Current() })
		Sleep(time.Millisecond)
		if ended.out.Load() != diedOutcome {
			t.Error("a go statement's greenlet that ended unasked has no shared outcome")
		}
		if !ended.Join(0) || !ended.Ready() || ended.Value() != nil || ended.Err() != nil {
			t.Errorf("joined after it ended: ready %v, value %v, err %v", ended.Ready(), ended.Value(), ended.Err())
		}
		linked := make(chan *Greenlet, 1)
		ended.Link(func(g *Greenlet) { linked <- g })
		Sleep(time.Millisecond)
		select {
		case g := <-linked:
			if g != ended {
				t.Errorf("the link got %v, want %v", g, ended)
			}
		default:
			t.Error("a link on an ended go statement's greenlet did not run")
		}

		// Killed, running and fresh: the same outcome as a spawned
		// greenlet's, and the shared one is left alone.
		for _, fresh := range []bool{false, true} {
			var goG *Greenlet
			if fresh {
				goG = currentHub().spawnGo(func() { t.Error("a greenlet killed before it started ran") })
			} else {
				Go(func() {
					goG = Current()
					Sleep(time.Hour)
				})
			}
			spawned := Spawn(func() any { Sleep(time.Hour); return nil })
			if !fresh {
				Sleep(0)
			}
			boom := errors.New("boom")
			goG.KillWith(boom, time.Second)
			spawned.KillWith(boom, time.Second)
			if goG.Err() != boom || goG.Err() != spawned.Err() || goG.Value() != spawned.Value() || !goG.Ready() || !spawned.Ready() {
				t.Errorf("fresh %v: killed go greenlet: err %v value %v ready %v; spawned: err %v value %v ready %v", fresh,
					goG.Err(), goG.Value(), goG.Ready(), spawned.Err(), spawned.Value(), spawned.Ready())
			}
		}
		if diedOutcome.err != nil || diedOutcome.value != nil {
			t.Errorf("the shared outcome was written: value %v, err %v", diedOutcome.value, diedOutcome.err)
		}
	})
}

package rt_test

import (
	"context"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// A greenlet reuses its own waiter from one wait to the next, so waking a
// crowd again and again allocates nothing per waiter.
func TestRepeatedEventWaitsDoNotAllocate(t *testing.T) {
	rt.Run(func() {
		const waiters = 100
		var ev, back rt.Event
		left := 0
		stop := false
		gs := make([]*rt.Greenlet, waiters)
		for i := range gs {
			gs[i] = rt.Spawn(func() any {
				for {
					ev.Wait(-1)
					if stop {
						return nil
					}
					if left--; left == 0 {
						back.Set()
					}
					rt.Sleep(0) // let the others run before ev is cleared
				}
			})
		}
		rt.Sleep(0)
		round := func() {
			left = waiters
			back.Clear()
			ev.Set()
			back.Wait(-1)
			ev.Clear()
			rt.Sleep(0) // every waiter is back in ev.Wait
		}
		round()
		if a := testing.AllocsPerRun(20, round); a > 2 {
			t.Errorf("%.1f allocations to wake %d waiters; want at most 2, not one a waiter", a, waiters)
		}
		stop = true
		ev.Set()
		rt.JoinAll(gs, -1)
	})
}

// A wait whose context is cancelled just as it ends another way leaves a
// context callback that runs later: it must not end the greenlet's next
// wait, which may reuse the same waiter.
func TestLateContextCallbackDoesNotEndTheNextWait(t *testing.T) {
	rt.Run(func() {
		var first, second rt.Event
		ctx, cancel := context.WithCancel(context.Background())
		var firstErr error
		secondSet := make(chan bool, 1)
		g := rt.Spawn(func() any {
			firstErr = first.WaitContext(ctx)
			secondSet <- second.Wait(-1)
			return nil
		})
		rt.Sleep(0) // g waits on first
		first.Set() // ends g's wait...
		cancel()    // ...and starts the context's callback, which posts later
		rt.Sleep(20 * time.Millisecond)
		select {
		case ok := <-secondSet:
			t.Fatalf("the second wait ended (%v) before its event was set", ok)
		default:
		}
		second.Set()
		g.Join(-1)
		if firstErr != nil {
			t.Errorf("first wait: %v; want it woken by Set", firstErr)
		}
		if ok := <-secondSet; !ok {
			t.Error("second wait returned false; want true from Set")
		}
	})
}

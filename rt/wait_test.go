package rt_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

func TestWaitReturnsReadyInCompletionOrder(t *testing.T) {
	rt.Run(func() {
		var e rt.Event
		var r rt.AsyncResult
		slow := rt.Spawn(sleeper(3*time.Second, "slow"))
		fast := rt.Spawn(sleeper(time.Second, "fast"))
		rt.Spawn(func() any { rt.Sleep(2 * time.Second); r.Set(1); return nil })
		done := rt.Spawn(func() any { return nil })
		done.Join(-1)
		objs := []rt.Waitable{slow, &e, &r, fast, done}
		got := rt.Wait(objs, -1, 3)
		if len(got) != 3 || got[0] != done || got[1] != fast || got[2] != &r {
			t.Fatalf("Wait(count 3) = %v", got)
		}
		start := rt.Now()
		got = rt.Wait(objs, 5*time.Second, 0)
		if len(got) != 4 || got[3] != slow || rt.Now().Sub(start) != 5*time.Second {
			t.Fatalf("Wait with the event unset = %v after %v", got, rt.Now().Sub(start))
		}
		e.Set()
		if got = rt.Wait(objs, 0, 0); len(got) != 5 {
			t.Fatalf("Wait(0) with everything ready = %v", got)
		}
	}, rt.WithVirtualClock())
}

func TestIWaitYieldsEachAsItBecomesReady(t *testing.T) {
	rt.Run(func() {
		a := rt.Spawn(sleeper(2*time.Second, "a"))
		b := rt.Spawn(sleeper(time.Second, "b"))
		c := rt.Spawn(sleeper(3*time.Second, "c"))
		start := rt.Now()
		var got []string
		for o := range rt.IWait([]rt.Waitable{a, b, c}, -1) {
			v, _ := o.(*rt.Greenlet).Get()
			got = append(got, fmt.Sprintf("%v@%v", v, rt.Now().Sub(start)))
		}
		if fmt.Sprint(got) != "[b@1s a@2s c@3s]" {
			t.Fatalf("IWait yielded %v", got)
		}
		var never rt.Event
		n := 0
		for range rt.IWait([]rt.Waitable{&never, a}, time.Second) {
			n++
		}
		if n != 1 {
			t.Fatalf("IWait with a timeout yielded %d objects, want 1", n)
		}
	}, rt.WithVirtualClock())
}

func TestWaitContextAndKill(t *testing.T) {
	rt.Run(func() {
		var e rt.Event
		ctx, cancel := context.WithCancel(context.Background())
		rt.Spawn(func() any { cancel(); return nil })
		got, err := rt.WaitContext(ctx, []rt.Waitable{&e}, 0)
		if len(got) != 0 || !errors.Is(err, context.Canceled) {
			t.Fatalf("WaitContext = %v, %v", got, err)
		}
		killWhileBlocked(t, func() { rt.Wait([]rt.Waitable{&e}, -1, 0) })
		e.Set() // the killed waiter's link was removed
	})
}

func TestWaitDeadlockNamesWait(t *testing.T) {
	var e rt.Event
	wantDeadlockOn(t, "Wait", func() { rt.Wait([]rt.Waitable{&e}, -1, 0) })
}

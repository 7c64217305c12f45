package rt_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

func TestWithTimeoutFiresAtNextBlockingPoint(t *testing.T) {
	rt.Run(func() {
		start := rt.Now()
		deferred := false
		err := rt.WithTimeout(time.Second, func() {
			defer func() { deferred = true }()
			rt.Sleep(time.Hour)
			t.Error("Sleep returned past the timeout")
		})
		var te *rt.TimeoutError
		if !errors.As(err, &te) || !errors.Is(err, rt.ErrTimeout) || te.Duration != time.Second {
			t.Fatalf("WithTimeout = %v, want a 1s TimeoutError", err)
		}
		if !deferred {
			t.Fatal("deferred functions did not run")
		}
		if d := rt.Now().Sub(start); d != time.Second {
			t.Fatalf("fired after %v, want 1s on the virtual clock", d)
		}
		if err := rt.WithTimeout(time.Hour, func() { rt.Sleep(time.Second) }); err != nil {
			t.Fatalf("WithTimeout that did not fire = %v", err)
		}
		// Its timer was cancelled: sleeping past it raises nothing.
		rt.Sleep(2 * time.Hour)
	}, rt.WithVirtualClock())
}

func TestTimeoutCancelBeforeFiring(t *testing.T) {
	rt.Run(func() {
		to := rt.NewTimeout(time.Second)
		if to.Pending() {
			t.Fatal("a new Timeout is pending")
		}
		to.Start()
		if !to.Pending() {
			t.Fatal("a started Timeout is not pending")
		}
		rt.Sleep(time.Second / 2)
		to.Cancel()
		to.Cancel() // idempotent
		if to.Pending() {
			t.Fatal("a cancelled Timeout is pending")
		}
		rt.Sleep(time.Hour) // nothing raised
	}, rt.WithVirtualClock())
}

func TestTimeoutRaisesInTheGreenletThatStartedIt(t *testing.T) {
	var buf bytes.Buffer
	rt.SetErrorWriter(&buf)
	defer rt.SetErrorWriter(nil)
	rt.Run(func() {
		var to *rt.Timeout
		q := rt.NewQueue[int](0)
		g := rt.Spawn(func() any {
			to = rt.NewTimeout(time.Minute)
			to.Start()
			return q.Get()
		})
		g.Join(-1)
		if !errors.Is(g.Err(), to.Err()) || !errors.Is(g.Err(), rt.ErrTimeout) || to.Pending() {
			t.Fatalf("greenlet error %v, want its Timeout's error", g.Err())
		}
		// The timed-out getter left the queue: the item stays buffered.
		q.Put(1)
		if q.Len() != 1 {
			t.Fatalf("Len = %d, want 1", q.Len())
		}
	}, rt.WithVirtualClock())
}

func TestNestedWithTimeoutCatchesOnlyItsOwn(t *testing.T) {
	rt.Run(func() {
		var inner error
		outer := rt.WithTimeout(time.Second, func() {
			inner = rt.WithTimeout(time.Hour, func() { rt.Sleep(2 * time.Second) })
			t.Error("the outer timeout did not unwind past the inner WithTimeout")
		})
		if inner != nil || !errors.Is(outer, rt.ErrTimeout) {
			t.Fatalf("inner %v, outer %v; want the outer to fire", inner, outer)
		}
		outer = rt.WithTimeout(time.Hour, func() {
			inner = rt.WithTimeout(time.Second, func() { rt.Sleep(2 * time.Second) })
		})
		if !errors.Is(inner, rt.ErrTimeout) || outer != nil {
			t.Fatalf("inner %v, outer %v; want the inner to fire", inner, outer)
		}
	}, rt.WithVirtualClock())
}

// Kill wins over a Timeout that fires later: WithTimeout must not swallow
// the Kill.
func TestWithTimeoutDoesNotSwallowKill(t *testing.T) {
	rt.Run(func() {
		var got error
		g := rt.Spawn(func() any {
			got = rt.WithTimeout(time.Second, func() { rt.Sleep(time.Hour) })
			t.Error("WithTimeout returned after a Kill")
			return nil
		})
		rt.Sleep(time.Second / 2)
		g.Kill()
		if got != nil || g.Value() != rt.GreenletExit {
			t.Fatalf("WithTimeout returned %v, greenlet value %v", got, g.Value())
		}
		rt.Sleep(time.Hour) // the killed greenlet's timeout was cancelled
	}, rt.WithVirtualClock())
}

func TestWithTimeoutRepanicsOtherPanics(t *testing.T) {
	rt.Run(func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Fatalf("recovered %v, want boom", p)
			}
		}()
		rt.WithTimeout(time.Second, func() { panic("boom") })
	}, rt.WithVirtualClock())
}

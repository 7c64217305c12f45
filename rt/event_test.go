package rt_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// deadlockReport runs body as the main greenlet of a fresh hub and returns
// the message of the DeadlockError it must end with.
func deadlockReport(t *testing.T, body func()) string {
	t.Helper()
	var msg string
	rt.Run(func() {
		defer func() {
			p := recover()
			var de *rt.DeadlockError
			if err, _ := p.(error); !errors.As(err, &de) {
				t.Fatalf("recovered %v, want a DeadlockError", p)
			}
			msg = de.Error()
		}()
		body()
	})
	return msg
}

// wantDeadlockOn checks that a greenlet parked on op with nothing to wake it
// makes the main greenlet's join report a deadlock naming op.
func wantDeadlockOn(t *testing.T, op string, block func()) {
	t.Helper()
	msg := deadlockReport(t, func() {
		g := rt.Spawn(func() any { block(); return nil })
		g.Join(-1)
	})
	if !strings.Contains(msg, "waiting on "+op) {
		t.Fatalf("deadlock report does not name %s:\n%s", op, msg)
	}
}

// killWhileBlocked spawns a greenlet that blocks in block, kills it, and
// checks that its deferred functions ran and that it died of the kill.
func killWhileBlocked(t *testing.T, block func()) {
	t.Helper()
	deferred, returned := false, false
	g := rt.Spawn(func() any {
		defer func() { deferred = true }()
		block()
		returned = true
		return nil
	})
	rt.Sleep(0)
	g.Kill()
	if !deferred || returned || !g.Dead() || g.Value() != rt.GreenletExit {
		t.Fatalf("killed while blocked: deferred=%v returned=%v dead=%v value=%v",
			deferred, returned, g.Dead(), g.Value())
	}
}

func TestEventSetWakesAllWaitersFIFO(t *testing.T) {
	rt.Run(func() {
		var e rt.Event
		var order []int
		var gs []*rt.Greenlet
		for i := range 4 {
			gs = append(gs, rt.Spawn(func() any {
				if !e.Wait(-1) {
					t.Errorf("waiter %d: Wait returned false", i)
				}
				order = append(order, i)
				return nil
			}))
		}
		rt.Sleep(0)
		if len(order) != 0 {
			t.Fatalf("waiters ran before Set: %v", order)
		}
		e.Set()
		rt.JoinAll(gs, -1)
		if fmt.Sprint(order) != "[0 1 2 3]" {
			t.Fatalf("wake order %v, want FIFO", order)
		}
		if !e.IsSet() || !e.Wait(0) {
			t.Fatal("a set event does not report set")
		}
	})
}

func TestEventWaitersNotifiedEvenIfClearedBeforeTheyRun(t *testing.T) {
	rt.Run(func() {
		var e rt.Event
		results := make([]bool, 3)
		var gs []*rt.Greenlet
		for i := range results {
			gs = append(gs, rt.Spawn(func() any { results[i] = e.Wait(-1); return nil }))
		}
		rt.Sleep(0)
		e.Set()
		e.Clear()
		rt.JoinAll(gs, -1)
		if fmt.Sprint(results) != "[true true true]" || e.IsSet() {
			t.Fatalf("results %v, set %v; want every waiter woken and the flag cleared", results, e.IsSet())
		}
	})
}

func TestEventWaitTimesOutOnVirtualClock(t *testing.T) {
	rt.Run(func() {
		var e rt.Event
		start := rt.Now()
		if e.Wait(time.Minute) {
			t.Fatal("Wait on an unset event returned true")
		}
		if got := rt.Now().Sub(start); got != time.Minute {
			t.Fatalf("Wait took %v of virtual time, want 1m", got)
		}
		if e.Wait(0) {
			t.Fatal("Wait(0) on an unset event returned true")
		}
	}, rt.WithVirtualClock())
}

func TestEventWaitContextCancelled(t *testing.T) {
	rt.Run(func() {
		var e rt.Event
		ctx, cancel := context.WithCancel(context.Background())
		rt.Spawn(func() any { cancel(); return nil })
		if err := e.WaitContext(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("WaitContext = %v, want context.Canceled", err)
		}
		e.Set()
		if err := e.WaitContext(context.Background()); err != nil {
			t.Fatalf("WaitContext on a set event = %v", err)
		}
	})
}

func TestEventKillWhileWaiting(t *testing.T) {
	rt.Run(func() {
		var e rt.Event
		killWhileBlocked(t, func() { e.Wait(-1) })
		e.Set() // the killed waiter was unlinked: nothing to wake
	})
}

func TestEventDeadlockNamesWait(t *testing.T) {
	var e rt.Event
	wantDeadlockOn(t, "Event.Wait", func() { e.Wait(-1) })
}

// An Event set by a greenlet of another hub wakes the waiter through its
// hub's inbox (run with -race). The other hub exists before the wait, so the
// deadlock check knows it may still wake us.
func TestEventSetFromAnotherHub(t *testing.T) {
	rt.Run(func() {
		var e rt.Event
		entered := make(chan struct{})
		go rt.Run(func() {
			close(entered)
			rt.Sleep(time.Millisecond)
			e.Set()
		})
		<-entered
		if !e.Wait(-1) {
			t.Fatal("Wait returned false")
		}
	})
}

func TestAsyncResultDeliversValueToEveryWaiter(t *testing.T) {
	rt.Run(func() {
		var r rt.AsyncResult
		got := make([]any, 3)
		var gs []*rt.Greenlet
		for i := range got {
			gs = append(gs, rt.Spawn(func() any { got[i], _ = r.Get(); return nil }))
		}
		rt.Sleep(0)
		if r.Ready() || r.Value() != nil {
			t.Fatal("unset result reports ready")
		}
		r.Set(42)
		rt.JoinAll(gs, -1)
		if fmt.Sprint(got) != "[42 42 42]" || !r.Successful() || r.Value() != 42 || r.Err() != nil {
			t.Fatalf("got %v, successful %v", got, r.Successful())
		}
	})
}

func TestAsyncResultErrorAndTimeouts(t *testing.T) {
	rt.Run(func() {
		var r rt.AsyncResult
		if _, err := r.GetTimeout(time.Second); !errors.Is(err, rt.ErrTimeout) {
			t.Fatalf("GetTimeout on an unset result = %v, want ErrTimeout", err)
		}
		if r.Wait(time.Second) {
			t.Fatal("Wait on an unset result returned true")
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := r.GetContext(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("GetContext = %v, want context.Canceled", err)
		}
		boom := errors.New("boom")
		rt.Spawn(func() any { r.SetError(boom); return nil })
		if v, err := r.Get(); v != nil || err != boom {
			t.Fatalf("Get = %v, %v; want nil, boom", v, err)
		}
		if r.Successful() || r.Err() != boom {
			t.Fatal("failed result reports success")
		}
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "set twice") {
				t.Fatalf("second Set recovered %v, want a set-twice panic", p)
			}
		}()
		r.Set(1)
	}, rt.WithVirtualClock())
}

func TestAsyncResultKillAndDeadlock(t *testing.T) {
	rt.Run(func() {
		var r rt.AsyncResult
		killWhileBlocked(t, func() { r.Get() })
	})
	var r rt.AsyncResult
	wantDeadlockOn(t, "AsyncResult.Get", func() { r.Get() })
}

func TestLocalIsPerGreenlet(t *testing.T) {
	rt.Run(func() {
		var name rt.Local[string]
		name.Set("main")
		got := make([]string, 3)
		var gs []*rt.Greenlet
		for i := range got {
			gs = append(gs, rt.Spawn(func() any {
				if v := name.Get(); v != "" {
					t.Errorf("greenlet %d starts with %q, want the zero value", i, v)
				}
				name.Set(fmt.Sprint("g", i))
				rt.Sleep(0) // the others set theirs meanwhile
				got[i] = name.Get()
				return nil
			}))
		}
		rt.JoinAll(gs, -1)
		if fmt.Sprint(got) != "[g0 g1 g2]" || name.Get() != "main" {
			t.Fatalf("locals %v, main %q", got, name.Get())
		}
	})
}

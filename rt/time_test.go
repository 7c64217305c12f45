package rt_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// vrun runs fn on a hub with a virtual clock and returns the epoch.
func vrun(fn func(epoch time.Time)) {
	rt.Run(func() { fn(rt.Now()) }, rt.WithVirtualClock())
}

func TestTimersFireInDeadlineThenCreationOrder(t *testing.T) {
	vrun(func(epoch time.Time) {
		var log []string
		done := rt.MakeChan[struct{}](0)
		for _, c := range []struct {
			name string
			d    time.Duration
		}{{"a3", 3}, {"b1", 1}, {"c3", 3}, {"d2", 2}, {"e1", 1}} {
			tm := rt.NewTimer(c.d * time.Second)
			rt.Go(func() {
				at := rt.Recv(tm.C)
				log = append(log, fmt.Sprintf("%s@%v", c.name, at.Sub(epoch)))
				rt.Send(done, struct{}{})
			})
		}
		for range 5 {
			rt.Recv(done)
		}
		// The timers fire in deadline order, and at one deadline in the
		// order they were made (b1 then e1); each wakes its receiver to
		// run next, so that the last woken runs first, as in Go.
		want := "e1@1s b1@1s d2@2s c3@3s a3@3s"
		if got := strings.Join(log, " "); got != want {
			t.Fatalf("fired %q, want %q", got, want)
		}
	})
}

func TestTimerStopBeforeFiring(t *testing.T) {
	vrun(func(epoch time.Time) {
		tm := rt.NewTimer(time.Second)
		rt.Sleep(time.Second / 2)
		if !rt.StopTimer(tm) {
			t.Fatal("Stop of a pending timer = false")
		}
		if rt.StopTimer(tm) {
			t.Fatal("second Stop = true")
		}
		rt.Sleep(time.Hour)
		if i := rt.Select(true, rt.RecvCase(tm.C, nil, nil)); i != -1 {
			t.Fatal("a stopped timer sent a value")
		}
	})
}

func TestTimerStopDrainsUnreceivedValue(t *testing.T) {
	vrun(func(epoch time.Time) {
		tm := rt.NewTimer(time.Second)
		rt.Sleep(2 * time.Second) // fired, nobody received
		if !rt.StopTimer(tm) {
			t.Fatal("Stop of a timer whose value was not received = false, want true as in Go 1.23")
		}
		if i := rt.Select(true, rt.RecvCase(tm.C, nil, nil)); i != -1 {
			t.Fatal("a stale value was received after Stop")
		}
		// Received already: Stop reports false.
		tm = rt.NewTimer(time.Second)
		rt.Recv(tm.C)
		if rt.StopTimer(tm) {
			t.Fatal("Stop after the value was received = true")
		}
	})
}

func TestTimerReset(t *testing.T) {
	vrun(func(epoch time.Time) {
		tm := rt.NewTimer(time.Second)
		rt.Sleep(time.Second / 2)
		if !rt.ResetTimer(tm, 2*time.Second) {
			t.Fatal("Reset of an active timer = false")
		}
		if at := rt.Recv(tm.C).Sub(epoch); at != 2500*time.Millisecond {
			t.Fatalf("reset timer fired at %v, want 2.5s", at)
		}
		if rt.ResetTimer(tm, time.Second) {
			t.Fatal("Reset of a fired, received timer = true")
		}
		rt.Sleep(5 * time.Second) // fires at 3.5s, not received
		if !rt.ResetTimer(tm, time.Second) {
			t.Fatal("Reset with an unreceived value = false, want true")
		}
		if at := rt.Recv(tm.C).Sub(epoch); at != 8500*time.Millisecond {
			t.Fatalf("after Reset, received a value from %v, want the new one at 8.5s", at)
		}
		// A stopped timer can be reset.
		rt.StopTimer(tm)
		rt.ResetTimer(tm, 0)
		if at := rt.Recv(tm.C).Sub(epoch); at != 8500*time.Millisecond {
			t.Fatalf("Reset(0) fired at %v, want 8.5s", at)
		}
	})
}

func TestTimerNotMadeByRTFallsThrough(t *testing.T) {
	vrun(func(epoch time.Time) {
		tm := time.NewTimer(time.Hour)
		if !rt.StopTimer(tm) {
			t.Fatal("StopTimer of a native active timer = false")
		}
		if rt.ResetTimer(tm, time.Hour) {
			t.Fatal("ResetTimer of a native stopped timer = true")
		}
		if !rt.StopTimer(tm) {
			t.Fatal("StopTimer after native Reset = false")
		}
		tk := time.NewTicker(time.Hour)
		rt.ResetTicker(tk, time.Minute)
		rt.StopTicker(tk)
	})
}

func TestTimerNativeStopDoesNotPanic(t *testing.T) {
	vrun(func(epoch time.Time) {
		tm := rt.NewTimer(time.Second)
		// Code that was not rewritten calls the native method: it must not
		// panic with "uninitialized Timer".
		stop := (*time.Timer).Stop
		stop(tm)
		tk := rt.NewTicker(time.Second)
		tk.Stop()
		rt.StopTimer(tm)
		rt.StopTicker(tk)
	})
}

func TestTickerTicksAtMultiples(t *testing.T) {
	vrun(func(epoch time.Time) {
		tk := rt.NewTicker(time.Second)
		var got []time.Duration
		for range 3 {
			got = append(got, rt.Recv(tk.C).Sub(epoch))
		}
		rt.StopTicker(tk)
		if fmt.Sprint(got) != "[1s 2s 3s]" {
			t.Fatalf("ticks at %v, want [1s 2s 3s]", got)
		}
		rt.Sleep(time.Hour)
		if i := rt.Select(true, rt.RecvCase(tk.C, nil, nil)); i != -1 {
			t.Fatal("a stopped ticker ticked")
		}
	})
}

func TestTickerDropsTicksForSlowReceiver(t *testing.T) {
	vrun(func(epoch time.Time) {
		tk := rt.NewTicker(time.Second)
		rt.Sleep(3500 * time.Millisecond) // ticks at 1s, 2s and 3s; only 1s is kept
		if at := rt.Recv(tk.C).Sub(epoch); at != time.Second {
			t.Fatalf("first tick received is from %v, want 1s (the buffered one)", at)
		}
		if at := rt.Recv(tk.C).Sub(epoch); at != 4*time.Second {
			t.Fatalf("next tick from %v, want 4s: 2s and 3s were dropped", at)
		}
		rt.ResetTicker(tk, 10*time.Second)
		if at := rt.Recv(tk.C).Sub(epoch); at != 14*time.Second {
			t.Fatalf("after Reset(10s) at 4s, tick from %v, want 14s", at)
		}
		if at := rt.Recv(tk.C).Sub(epoch); at != 24*time.Second {
			t.Fatalf("second tick after Reset from %v, want 24s", at)
		}
		rt.StopTicker(tk)
	})
}

func TestNewTickerPanicsOnNonPositive(t *testing.T) {
	vrun(func(epoch time.Time) {
		defer func() {
			if r := recover(); r != "non-positive interval for NewTicker" {
				t.Fatalf("recovered %v", r)
			}
		}()
		rt.NewTicker(0)
	})
	if rt.Tick(0) != nil {
		t.Fatal("Tick(0) != nil")
	}
}

func TestAfterFuncRunsInItsOwnGreenlet(t *testing.T) {
	vrun(func(epoch time.Time) {
		var at time.Duration
		done := rt.MakeChan[struct{}](0)
		main := rt.Current()
		tm := rt.AfterFunc(time.Minute, func() {
			if rt.Current() == main {
				t.Error("f runs in the main greenlet")
			}
			rt.Sleep(time.Second) // f may block: it is a greenlet
			at = rt.Since(epoch)
			rt.Close(done)
		})
		if tm.C != nil {
			t.Error("AfterFunc timer has a C")
		}
		rt.Recv(done)
		if at != time.Minute+time.Second {
			t.Fatalf("f finished at %v, want 1m1s", at)
		}
		if rt.StopTimer(tm) {
			t.Fatal("Stop after f started = true")
		}
		ran := false
		tm = rt.AfterFunc(time.Minute, func() { ran = true })
		if !rt.StopTimer(tm) {
			t.Fatal("Stop before f = false")
		}
		if rt.ResetTimer(tm, time.Second) {
			t.Fatal("Reset of a stopped AfterFunc timer = true")
		}
		rt.Sleep(time.Hour)
		if !ran {
			t.Fatal("f did not run after Reset")
		}
	})
}

func TestAfterAndTickInSelectWithDefault(t *testing.T) {
	vrun(func(epoch time.Time) {
		after := rt.After(time.Second)
		tick := rt.Tick(300 * time.Millisecond)
		var log []string
		for len(log) < 5 {
			var now time.Time
			switch rt.Select(true, rt.RecvCase(after, &now, nil), rt.RecvCase(tick, &now, nil)) {
			case 0:
				log = append(log, "after@"+now.Sub(epoch).String())
			case 1:
				log = append(log, "tick@"+now.Sub(epoch).String())
			default:
				rt.Sleep(100 * time.Millisecond)
			}
		}
		want := "tick@300ms tick@600ms tick@900ms after@1s tick@1.2s"
		if got := strings.Join(log, " "); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}

func TestSinceUntilOnHubClock(t *testing.T) {
	vrun(func(epoch time.Time) {
		rt.Sleep(time.Hour)
		if d := rt.Since(epoch); d != time.Hour {
			t.Fatalf("Since = %v", d)
		}
		if d := rt.Until(epoch.Add(3 * time.Hour)); d != 2*time.Hour {
			t.Fatalf("Until = %v", d)
		}
	})
}

func TestTimerStoppedFromAnotherGoroutine(t *testing.T) {
	vrun(func(epoch time.Time) {
		tm := rt.NewTimer(time.Second)
		// A plain goroutine, waited for natively: its Stop posts the hub
		// part to this hub, which runs it when the main greenlet next blocks.
		res := make(chan bool)
		go func() { res <- rt.StopTimer(tm) }()
		if !<-res {
			t.Fatal("Stop from another goroutine = false")
		}
		rt.Sleep(time.Hour)
		if i := rt.Select(true, rt.RecvCase(tm.C, nil, nil)); i != -1 {
			t.Fatal("a timer stopped from another goroutine fired")
		}
	})
}

func TestGoschedInterleaves(t *testing.T) {
	vrun(func(epoch time.Time) {
		var log []string
		done := rt.MakeChan[struct{}](0)
		for _, name := range []string{"a", "b"} {
			rt.Go(func() {
				for i := range 3 {
					log = append(log, fmt.Sprint(name, i))
					rt.Sleep(0) // runtime.Gosched in rewritten code
				}
				rt.Send(done, struct{}{})
			})
		}
		rt.Recv(done)
		rt.Recv(done)
		// b, the newest go statement's, starts first (Go's runnext).
		if got := strings.Join(log, " "); got != "b0 a0 b1 a1 b2 a2" {
			t.Fatalf("got %q", got)
		}
		if rt.Since(epoch) != 0 {
			t.Fatal("Gosched moved the virtual clock")
		}
	})
}

// Timer channels are synchronous, as in Go 1.23: len and cap are 0, and a
// value that is due waits for its receiver.
func TestTimerChannelIsSynchronous(t *testing.T) {
	vrun(func(epoch time.Time) {
		tm := rt.NewTimer(time.Second)
		tk := rt.NewTicker(time.Second)
		rt.Sleep(time.Hour)
		if len(tm.C) != 0 || cap(tm.C) != 0 || len(tk.C) != 0 || cap(tk.C) != 0 {
			t.Fatalf("len/cap %d/%d and %d/%d, want 0", len(tm.C), cap(tm.C), len(tk.C), cap(tk.C))
		}
		if at := rt.Recv(tm.C).Sub(epoch); at != time.Second {
			t.Fatalf("timer value from %v, want 1s", at)
		}
		if at := rt.Recv(tk.C).Sub(epoch); at != time.Second {
			t.Fatalf("pending tick from %v, want 1s", at)
		}
		rt.StopTicker(tk)
		if rt.StopTimer(tm) {
			t.Fatal("Stop after the value was received = true")
		}
	})
}

// NewTicker ticks on the hub clock; with a virtual clock the program below
// takes microseconds, and its times are exact.
func ExampleNewTicker() {
	rt.Run(func() {
		start := rt.Now()
		tk := rt.NewTicker(time.Second)
		defer rt.StopTicker(tk)
		timeout := rt.After(3500 * time.Millisecond)
		for {
			var now time.Time
			if rt.Select(false, rt.RecvCase(tk.C, &now, nil), rt.RecvCase(timeout, nil, nil)) == 1 {
				fmt.Println("timeout at", rt.Since(start))
				return
			}
			fmt.Println("tick at", now.Sub(start))
		}
	}, rt.WithVirtualClock())
	// Output:
	// tick at 1s
	// tick at 2s
	// tick at 3s
	// timeout at 3.5s
}

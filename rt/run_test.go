package rt_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// Run releases the coroutines its hub kept for reuse, so a program that
// runs many hubs one after another does not accumulate goroutines.
func TestRunReleasesPooledCoroutines(t *testing.T) {
	rt.Run(func() { rt.Spawn(func() any { return nil }).Join(-1) }) // warm up the monitor
	before := runtime.NumGoroutine()
	for range 20 {
		rt.Run(func() {
			var gs []*rt.Greenlet
			for range 10 {
				gs = append(gs, rt.Spawn(func() any { rt.Sleep(0); return nil }))
			}
			rt.JoinAll(gs, -1)
		})
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Fatalf("goroutines grew from %d to %d over 20 Runs", before, after)
	}
}

// A go statement run on a goroutine that is no greenlet of a Run (a
// connection goroutine of net/http calling a rewritten handler) starts a
// goroutine, as Go does: a greenlet on the caller's lazily made hub would
// run only if the caller blocked in rt again, and this one never does.
func TestGoFromAPlainGoroutineRuns(t *testing.T) {
	ran := make(chan struct{})
	go func() {
		rt.Go(func() { close(ran) })
	}()
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("a go statement on a plain goroutine never ran")
	}
}

// A plain goroutine that starts a goroutine and at once waits for it is not
// told it deadlocked while the new goroutine has not reached rt yet.
func TestGoFromAPlainGoroutineAndWaitIsNoDeadlock(t *testing.T) {
	for range 200 {
		res := make(chan any, 1)
		go func() {
			defer func() { res <- recover() }()
			c := rt.MakeChan[int](0)
			rt.Go(func() { rt.Send(c, 1) })
			rt.Recv(c)
		}()
		if p := <-res; p != nil {
			t.Fatalf("the wait panicked: %v", p)
		}
	}
}

// Timers and context deadlines made on a goroutine that is no greenlet of a
// Run fire although that goroutine never blocks in rt again: its lazily made
// hub would fire them only from its loop, so they are native ones.
func TestTimersAndDeadlinesOnAPlainGoroutineFire(t *testing.T) {
	fired := make(chan string, 5)
	go func() {
		rt.AfterFunc(time.Millisecond, func() { fired <- "AfterFunc" })
		tm := rt.NewTimer(time.Millisecond)
		tk := rt.NewTicker(time.Millisecond)
		ctx, cancel := rt.ContextWithTimeout(context.Background(), time.Millisecond)
		rt.ContextAfterFunc(ctx, func() { fired <- "ContextAfterFunc" })
		// From here on only native operations: the hub's loop never runs.
		go func() { <-tm.C; fired <- "NewTimer" }()
		go func() { <-tk.C; tk.Stop(); fired <- "NewTicker" }()
		go func() { defer cancel(); <-ctx.Done(); fired <- "ContextWithTimeout" }()
	}()
	got := map[string]bool{}
	deadline := time.After(10 * time.Second)
	for len(got) < 5 {
		select {
		case s := <-fired:
			got[s] = true
		case <-deadline:
			t.Fatalf("after 10s only %v had fired", got)
		}
	}
}

// A timer that comes due between the loop's last look and its idle wait
// must fire, not leave the hub waiting for a post that never comes (it
// hung x/sync's TestWeighted one run in five). Sleeps of a few hundred
// nanoseconds hit that window often.
func TestTimerDueAtIdleFires(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		rt.Run(func() {
			var gs []*rt.Greenlet
			for i := range 2 {
				gs = append(gs, rt.Spawn(func() any {
					for j := range 3000 {
						rt.Sleep(time.Duration(100 + (i*7+j*13)%900))
					}
					return nil
				}))
			}
			rt.JoinAll(gs, -1)
		})
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the hub stopped waking for due timers")
	}
}

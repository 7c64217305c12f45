package rt_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// withinTime runs fn on a goroutine of its own, as go test runs a test,
// and fails t if it has not returned in a few seconds: a greenlet frozen
// with its test's goroutine hangs the next test.
func withinTime(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still blocked after 10s", what)
	}
}

// A worker pool that one test starts in package state answers a later
// test: its greenlets go on after the test that started them returns.
func TestGreenletsOutliveTheirTest(t *testing.T) {
	var (
		once    sync.Once
		jobs    chan int
		results chan int
	)
	startPool := func() {
		once.Do(func() {
			jobs, results = rt.MakeChan[int](0), rt.MakeChan[int](0)
			for range 3 {
				rt.Go(func() {
					for j := range rt.Range(jobs) {
						rt.Send(results, j*j)
					}
				})
			}
		})
	}
	withinTime(t, "first test", func() {
		var tb fakeTB
		rt.RunTest(&tb, func() {
			startPool()
			rt.Send(jobs, 2)
			if v := rt.Recv(results); v != 4 {
				t.Errorf("first test got %d", v)
			}
		})
		if len(tb.fatals) > 0 {
			t.Errorf("first test: %q", tb.fatals)
		}
	})
	for i, n := range []int{3, 4} {
		withinTime(t, "later test", func() {
			var tb fakeTB
			rt.RunTest(&tb, func() {
				startPool()
				rt.Send(jobs, n)
				if v := rt.Recv(results); v != n*n {
					t.Errorf("test %d got %d, want %d", i+2, v, n*n)
				}
			})
			if len(tb.fatals) > 0 {
				t.Errorf("test %d: %q", i+2, tb.fatals)
			}
		})
	}
	withinTime(t, "closing test", func() {
		rt.RunTest(&fakeTB{}, func() { rt.Close(jobs) })
	})
}

// A ticker greenlet started by one test keeps ticking, on its test's
// clock, while a later test sleeps and then asks it how far it got.
func TestTickerOutlivesItsTest(t *testing.T) {
	var (
		mu    sync.Mutex
		ticks int
		stop  chan struct{}
	)
	withinTime(t, "first test", func() {
		rt.RunTest(&fakeTB{}, func() {
			stop = rt.MakeChan[struct{}](0)
			tk := rt.NewTicker(time.Millisecond)
			rt.Go(func() {
				defer rt.StopTicker(tk)
				for {
					var ok bool
					switch rt.Select(false, rt.RecvCase(tk.C, nil, &ok), rt.RecvCase(stop, nil, &ok)) {
					case 0:
						mu.Lock()
						ticks++
						mu.Unlock()
					case 1:
						return
					}
				}
			})
		})
	})
	withinTime(t, "second test", func() {
		rt.RunTest(&fakeTB{}, func() {
			rt.Sleep(50 * time.Millisecond)
			mu.Lock()
			n := ticks
			mu.Unlock()
			if n < 5 {
				t.Errorf("the ticker ticked %d times in 50ms of a later test", n)
			}
			rt.Close(stop)
		})
	})
}

// The deadlock detector still reports a wait that only greenlets of a
// finished test could end, when those are blocked for good.
func TestDeadlockOnAFinishedTestsGreenlets(t *testing.T) {
	var never, results chan int
	withinTime(t, "first test", func() {
		rt.RunTest(&fakeTB{}, func() {
			never, results = rt.MakeChan[int](0), rt.MakeChan[int](0)
			rt.Go(func() {
				rt.Recv(never) // nobody sends: blocked for good
				rt.Send(results, 1)
			})
			rt.Sleep(0)
		})
	})
	withinTime(t, "second test", func() {
		var tb fakeTB
		rt.RunTest(&tb, func() { rt.Recv(results) })
		var de *rt.DeadlockError
		if len(tb.errs) != 1 || !errors.As(tb.errs[0], &de) {
			t.Fatalf("second test reported %q, want one DeadlockError", tb.fatals)
		}
		if !strings.Contains(tb.fatals[0], "main waiting on chan receive") {
			t.Errorf("report does not name the wait:\n%s", tb.fatals[0])
		}
	})
}

// A carried hub goes away once the last greenlet its test left has ended.
func TestCarriedHubEnds(t *testing.T) {
	before := rt.HubCount()
	withinTime(t, "test", func() {
		rt.RunTest(&fakeTB{}, func() {
			rt.Go(func() { rt.Sleep(10 * time.Millisecond) })
		})
	})
	deadline := time.Now().Add(5 * time.Second)
	for rt.HubCount() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d hubs, %d before the test", rt.HubCount(), before)
		}
		time.Sleep(time.Millisecond)
	}
}

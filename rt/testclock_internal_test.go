package rt

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt/schedule"
)

// clockTB is the TB of a test run by RunTest here.
type clockTB struct {
	name   string
	fatals []any
}

func (*clockTB) Helper()           {}
func (tb *clockTB) Name() string   { return tb.name }
func (tb *clockTB) Fatal(a ...any) { tb.fatals = append(tb.fatals, a...) }
func (tb *clockTB) Log(a ...any)   {}
func (tb *clockTB) Failed() bool   { return len(tb.fatals) > 0 }
func (tb *clockTB) Skipped() bool  { return false }
func (tb *clockTB) String() string { return tb.name }
func (tb *clockTB) wantNoFatal(t *testing.T) {
	t.Helper()
	if len(tb.fatals) > 0 {
		t.Errorf("%s: %v", tb.name, tb.fatals)
	}
}

// onTestClock makes the tests RunTest runs until the returned function is
// called take the virtual clock, as plain gopatch test asks.
func onTestClock(t *testing.T) {
	saved := envSchedule
	envSchedule = func() (schedule.Schedule, error) { return schedule.Schedule{Virtual: true}, nil }
	t.Cleanup(func() { envSchedule = saved })
}

// runTestOnGoroutine runs fn as the test named name on a goroutine of its
// own, as go test does, and waits for it.
func runTestOnGoroutine(t *testing.T, name string, fn func()) {
	t.Helper()
	tb := &clockTB{name: name}
	done := make(chan struct{})
	go func() {
		defer close(done)
		RunTest(tb, fn)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still running after 10s of real time", name)
	}
	tb.wantNoFatal(t)
}

// A ticker that one test leaves running ticks while a later test sleeps,
// on the one clock of the binary: a tick a virtual millisecond.
func TestTestClockTickerOutlivesItsTest(t *testing.T) {
	onTestClock(t)
	var mu sync.Mutex
	ticks := 0
	var stop atomic.Bool
	runTestOnGoroutine(t, "TestStartsTicker", func() {
		Go(func() {
			for !stop.Load() {
				Sleep(time.Millisecond)
				mu.Lock()
				ticks++
				mu.Unlock()
			}
		})
	})
	var before, after int
	var slept time.Duration
	runTestOnGoroutine(t, "TestSleeps", func() {
		mu.Lock()
		before = ticks
		mu.Unlock()
		start := Now()
		Sleep(50 * time.Millisecond)
		slept = Since(start)
		mu.Lock()
		after = ticks
		mu.Unlock()
	})
	stop.Store(true)
	if d := after - before; d < 45 || d > 51 {
		t.Errorf("the ticker ticked %d times while the later test slept %v; want about 50", d, slept)
	}
}

// A test that only receives sees the time pass that a greenlet of an
// earlier test sleeps between its sends: the two hubs read one clock.
func TestTestClockHubsShareTime(t *testing.T) {
	onTestClock(t)
	var ch chan int
	runTestOnGoroutine(t, "TestStartsSender", func() {
		ch = MakeChan[int](0)
		Go(func() {
			for i := range 5 {
				Sleep(10 * time.Millisecond)
				Send(ch, i)
			}
		})
	})
	var elapsed time.Duration
	runTestOnGoroutine(t, "TestReceives", func() {
		start := Now()
		for range 5 {
			Recv(ch)
		}
		elapsed = Since(start)
	})
	// The sender may sleep its first 10ms before the second test starts:
	// its hub runs on its own between the tests.
	if elapsed < 40*time.Millisecond || elapsed > 51*time.Millisecond {
		t.Errorf("the receiving test saw %v pass; want the 40 to 50ms the sender slept", elapsed)
	}
}

// A test that starts when no greenlet of an earlier test is left reads
// the epoch again, as it would alone.
func TestTestClockStartsAtTheEpoch(t *testing.T) {
	onTestClock(t)
	waitClockFree(t)
	var first, second time.Time
	runTestOnGoroutine(t, "TestFirst", func() {
		Sleep(time.Hour)
		first = Now()
	})
	runTestOnGoroutine(t, "TestSecond", func() { second = Now() })
	if first.Sub(DefaultEpoch) < time.Hour {
		t.Errorf("the first test slept an hour to %v", first)
	}
	if d := second.Sub(DefaultEpoch); d < 0 || d > time.Millisecond {
		t.Errorf("the second test started at %v; want the epoch", second)
	}
}

// A greenlet that an earlier test leaks, spinning without ever waiting,
// does not stop a later test's time.
func TestTestClockSpinningLeakDoesNotStopTime(t *testing.T) {
	onTestClock(t)
	var stop atomic.Bool
	runTestOnGoroutine(t, "TestLeaksSpinner", func() {
		Go(func() {
			for !stop.Load() {
				Sleep(0)
			}
		})
	})
	runTestOnGoroutine(t, "TestSleepsBesideIt", func() { Sleep(time.Minute) })
	stop.Store(true)
}

func waitGroupWithin(t *testing.T, wg *sync.WaitGroup) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("still running after 10s of real time")
	}
}

// waitClockFree waits until no hub is on the binary's clock: the carried
// greenlets of earlier tests have ended.
func waitClockFree(t *testing.T) {
	t.Helper()
	c := binaryClock()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		c.mu.Lock()
		n := len(c.members)
		c.mu.Unlock()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d hubs still on the clock after 10s", n)
		}
	}
}

// I/O that keeps flowing, each wait ended by a peer a few milliseconds
// of real time later (a loaded machine's loopback), holds the test's
// virtual time to the wall clock's: its watchdog, a minute off, does not
// fire. Only the first wait has the short grace of a wait that may never
// end.
func TestTestClockFlowingIOHoldsOffTheWatchdog(t *testing.T) {
	onTestClock(t)
	var fired atomic.Bool
	var elapsed time.Duration
	runTestOnGoroutine(t, "TestCopies", func() {
		watchdog := AfterFunc(time.Minute, func() { fired.Store(true) })
		defer watchdog.Stop()
		data := make(chan int) // a native channel: the peer is outside the hub
		go func() {
			for i := range 10 {
				if i > 0 {
					time.Sleep(5 * time.Millisecond)
				}
				data <- i
			}
		}()
		start := Now()
		for range 10 {
			if !blockOffHub("I/O wait", func() { <-data }) {
				t.Error("the wait did not leave the hub")
				return
			}
		}
		elapsed = Since(start)
	})
	if fired.Load() || elapsed >= time.Minute {
		t.Errorf("virtual time jumped a minute to the watchdog (%v) while I/O flowed", elapsed)
	}
}

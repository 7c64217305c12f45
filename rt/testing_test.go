package rt_test

import (
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gopatch/gopatch/rt"
)

// fakeTB records what RunTest reports. Its Fatal returns, unlike
// testing.T's, so the test can look at what was reported.
type fakeTB struct {
	fatals []string
	errs   []error
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Name() string { return "TestFake" }

func (f *fakeTB) Fatal(args ...any) {
	for _, a := range args {
		if err, ok := a.(error); ok {
			f.errs = append(f.errs, err)
		}
	}
	f.fatals = append(f.fatals, sprint(args))
}

func sprint(args []any) string {
	var b strings.Builder
	for _, a := range args {
		if e, ok := a.(error); ok {
			b.WriteString(e.Error())
		}
	}
	return b.String()
}

// A deadlock in a test body is reported through Fatal with the
// DeadlockError, naming each blocked greenlet and the line it waits at,
// instead of crashing the test binary.
func TestRunTestReportsDeadlock(t *testing.T) {
	var tb fakeTB
	rt.RunTest(&tb, func() {
		ch := rt.MakeChan[int](0)
		rt.Go(func() { rt.Send(ch, 1); rt.Send(ch, 2) })
		rt.Recv(ch)
		rt.Recv(rt.MakeChan[int](0)) // nobody ever sends
	})
	if len(tb.fatals) != 1 {
		t.Fatalf("Fatal called %d times, want 1: %q", len(tb.fatals), tb.fatals)
	}
	var de *rt.DeadlockError
	if !errors.As(tb.errs[0], &de) {
		t.Fatalf("Fatal got %v, want a *DeadlockError", tb.errs[0])
	}
	msg := tb.fatals[0]
	for _, want := range []string{"deadlock", "main waiting on chan receive at", "testing_test.go:", "waiting on chan send"} {
		if !strings.Contains(msg, want) {
			t.Errorf("report %q does not mention %q", msg, want)
		}
	}
}

// A body that finishes reports nothing; a panic that is not a deadlock goes
// on unwinding, as it would from the original test.
func TestRunTestPassesOtherPanics(t *testing.T) {
	var tb fakeTB
	ran := false
	rt.RunTest(&tb, func() {
		ch := rt.MakeChan[int](1)
		rt.Go(func() { rt.Send(ch, 7) })
		ran = rt.Recv(ch) == 7
	})
	if !ran || len(tb.fatals) != 0 {
		t.Fatalf("ran=%v fatals=%q, want true and none", ran, tb.fatals)
	}
	defer func() {
		if p := recover(); p != "boom" {
			t.Fatalf("recovered %v, want boom", p)
		}
	}()
	rt.RunTest(&tb, func() { panic("boom") })
	t.Fatal("RunTest returned after a panic")
}

// runOnGoroutine stands in for testing.T.Run: it runs f on a new goroutine
// and blocks the caller natively until f returns.
func runOnGoroutine(tb *fakeTB) func(string, func(*fakeTB)) bool {
	return func(name string, f func(*fakeTB)) bool {
		done := make(chan struct{})
		go func() {
			defer close(done)
			f(tb)
		}()
		<-done
		return len(tb.fatals) == 0
	}
}

// A subtest that deadlocks while its parent's hub waits natively in t.Run
// is reported, not left polling forever for a parent that waits for it;
// the parent's hub goes on afterwards.
func TestRunSubtestReportsDeadlock(t *testing.T) {
	var parent, sub fakeTB
	var ok, after bool
	rt.RunTest(&parent, func() {
		ok = rt.RunSubtest(runOnGoroutine(&sub), "sub", func(*fakeTB) {
			rt.Recv(rt.MakeChan[int](0))
		})
		ch := rt.MakeChan[bool](1)
		rt.Go(func() { rt.Send(ch, true) })
		after = rt.Recv(ch)
	})
	if ok || len(sub.fatals) != 1 || !strings.Contains(sub.fatals[0], "deadlock") {
		t.Fatalf("subtest: ok=%v fatals=%q, want one deadlock report", ok, sub.fatals)
	}
	if !after || len(parent.fatals) != 0 {
		t.Fatalf("parent: after=%v fatals=%q, want it to go on and pass", after, parent.fatals)
	}
}

// RunFuzz calls the Fuzz method with the target unchanged.
func TestRunFuzzCallsFuzz(t *testing.T) {
	var got any
	rt.RunTest(&fakeTB{}, func() {
		rt.RunFuzz(func(target any) { got = target }, 42)
	})
	if got != 42 {
		t.Fatalf("Fuzz got %v, want 42", got)
	}
}

// A test paused in t.Parallel, with a hub already made, does not keep a
// deadlocked sequential test waiting: the paused hub is marked as unable to
// progress until the sequential tests are done.
func TestWaitParallelDoesNotHideDeadlock(t *testing.T) {
	paused, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		rt.RunTest(&fakeTB{}, func() {
			rt.WaitParallel(func() {
				close(paused)
				<-release // testing's Parallel: wait for the sequential tests
			})
		})
	}()
	<-paused
	var seq fakeTB
	rt.RunTest(&seq, func() { rt.Recv(rt.MakeChan[int](0)) })
	close(release)
	<-done
	if len(seq.fatals) != 1 || !strings.Contains(seq.fatals[0], "deadlock") {
		t.Fatalf("sequential test: fatals=%q, want one deadlock report", seq.fatals)
	}
}

// A test's deadlock report names each greenlet by its number on the hub,
// its go statement, what it waits on and who holds it, where a channel
// was made, and the greenlets that wait for each other's locks as a
// cycle (issue 10).
func TestDeadlockReportNamesHoldersAndCycles(t *testing.T) {
	var tb fakeTB
	rt.RunTest(&tb, func() {
		var a, b sync.Mutex
		locked, both := rt.MakeChan[int](0), rt.MakeChan[int](0)
		rt.Go(func() { // g2: a, then b
			rt.MutexLock(&a)
			rt.Send(locked, 1)
			rt.Recv(both)
			rt.MutexLock(&b)
		})
		rt.Go(func() { // g3: b, then a
			rt.MutexLock(&b)
			rt.Send(locked, 1)
			rt.Recv(both)
			rt.MutexLock(&a)
		})
		rt.Recv(locked)
		rt.Recv(locked)
		rt.Close(both)
		rt.Recv(locked) // nobody sends a third
	})
	if len(tb.fatals) != 1 {
		t.Fatalf("Fatal called %d times, want 1: %q", len(tb.fatals), tb.fatals)
	}
	msg := tb.fatals[0]
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`main waiting on chan receive at .*testing_test.go:\d+\n\t\tthe channel was made at .*testing_test.go:\d+`),
		regexp.MustCompile(`g2 waiting on sync.Mutex.Lock at .*testing_test.go:\d+ \(go statement at .*testing_test.go:\d+\)\n\t\theld by g3`),
		regexp.MustCompile(`g3 waiting on sync.Mutex.Lock at .*testing_test.go:\d+ \(go statement at .*testing_test.go:\d+\)\n\t\theld by g2`),
		regexp.MustCompile(`lock-order cycle: g(2|3) waits for a lock held by g(3|2), which waits for a lock held by g(2|3)(\n|$)`),
	} {
		if !want.MatchString(msg) {
			t.Errorf("report does not match %q:\n%s", want, msg)
		}
	}
}

// This file runs test entry points (tests, benchmarks, fuzz targets, subtests) as the main greenlet of a hub and turns a deadlock into a test failure.

package rt

import (
	"errors"
	"fmt"
)

// TB is the part of testing.TB that the test entry points use. rt does not
// import testing, so that programs that are not tests do not link it;
// *testing.T, *testing.B and *testing.F all satisfy TB.
type TB interface {
	Helper()
	Fatal(args ...any)
	Name() string
}

// RunTest runs fn as the main greenlet of a new hub on the calling
// goroutine, as [Run] does, for a test, benchmark or fuzz function that tb
// belongs to. When the hub deadlocks, the [DeadlockError] (every greenlet,
// what it waits on and where) is reported with tb.Fatal, so that the test
// fails and the other tests of the binary still run; any other panic goes on
// unwinding, as it would from the original test. The hub's policy and
// clock are those of the schedule gopatch test -seeds passes in the
// environment ([SchedEnv], [ClockEnv]): FIFO and the real clock by default.
//
// Rewritten code calls it as the whole body of TestXxx, BenchmarkXxx and
// FuzzXxx functions and of fuzz targets.
func RunTest(tb TB, fn func()) {
	tb.Helper()
	var dl *DeadlockError
	carried := 0
	var p *testPolicy
	// The run is recorded last, when the test's result is known, whether
	// it returns, t.Fatal ends it with runtime.Goexit or a panic unwinds
	// it (which testing then fails it for).
	returned := false
	defer func() {
		if p != nil {
			f := failed(tb)
			p.record(f || !returned && !skipped(tb), !returned)
		}
	}()
	var hub *Hub
	if leakCheck() {
		// Checked after the test's cleanups, which may stop what the
		// test started: registered first, this cleanup runs last.
		check := func() {
			if failed(tb) {
				return // a test that failed (a deadlock leaves its greenlets blocked) says enough
			}
			if e := hub.findLeaks(); e != nil {
				tb.Fatal(e)
			}
		}
		if c, ok := tb.(interface{ Cleanup(func()) }); ok {
			c.Cleanup(check)
		} else {
			defer check()
		}
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				if err, ok := p.(error); ok && errors.As(err, &dl) {
					return
				}
				panic(p)
			}
		}()
		var opts []Option
		opts, p = testScheduleOptions(tb.Name())
		body := fn
		if p != nil {
			// The steps are taken down as the test's main greenlet ends
			// (returns, fails with t.Fatal's runtime.Goexit, or unwinds
			// with a deadlock), before greenlets that outlive it go on
			// with the policy on a goroutine of their own.
			body = func() {
				defer p.testEnded()
				fn()
			}
		}
		if _, bench := tb.(interface{ ResetTimer() }); !bench && !manySeeds() {
			// A test's deadlock and leak reports say where each greenlet
			// started and who holds what. A benchmark keeps its spawns
			// cheap, and so does a run of many seeds in one binary
			// (gopatch test -seeds), which only has to tell pass from
			// fail: gopatch runs a failing seed again alone, and that
			// run reports.
			opts = append(opts, WithReports())
		}
		opts = append(opts, func(h *Hub) {
			name := tb.Name()
			h.testName.Store(&name)
			hub = h
		})
		carried = run(body, true, opts)
	}()
	returned = true
	if dl != nil {
		returned = false // Fatal ends the test with runtime.Goexit
		tb.Fatal(dl)
	}
	// Under a seeded schedule that lets leaks be, a greenlet that
	// outlives its test is reported: it runs on beside later tests, which
	// a schedule replayed with -run would not see.
	if l, ok := tb.(interface{ Log(...any) }); ok && carried > 0 && seededSchedule() && !leakCheck() {
		l.Log(fmt.Sprintf("rt: %d greenlet(s) outlive the test and go on running", carried))
	}
}

// manySeeds reports whether the binary runs a list of seeds.
func manySeeds() bool {
	s, err := envSchedule()
	return err == nil && s.Seeds != ""
}

// leakCheck reports whether the schedule fails tests for their leaks.
func leakCheck() bool {
	s, err := envSchedule()
	return err == nil && s.Leaks
}

// failed reports whether tb has failed, when it can tell (every testing.TB
// can).
func failed(tb TB) bool {
	f, ok := tb.(interface{ Failed() bool })
	return ok && f.Failed()
}

// skipped reports whether tb has been skipped, when it can tell.
func skipped(tb TB) bool {
	s, ok := tb.(interface{ Skipped() bool })
	return ok && s.Skipped()
}

// RunSubtest calls run(name, f), where run is the Run method of a
// *testing.T or *testing.B, so that f runs as the main greenlet of its own
// hub on the subtest's goroutine, through [RunTest].
//
// While run blocks the caller natively, the caller's hub cannot do anything:
// RunSubtest tells the deadlock detector so, or a deadlocked subtest would
// wait forever for a parent that is waiting for it. Rewritten code calls it
// in place of t.Run(name, f); the arguments are evaluated in the same order.
//
// The parent's other greenlets (an httptest server the parent started,
// which the subtest calls) go on running meanwhile: t.Run runs off the
// parent's hub, as a native wait does (blockOffHub), unless the parent has
// nothing else to run.
func RunSubtest[T TB](run func(string, func(T)) bool, name string, f func(T)) bool {
	var ok bool
	call := func() {
		ok = run(name, func(t T) {
			t.Helper()
			RunTest(t, func() { f(t) })
		})
	}
	if !blockOffHubAs("t.Run", call, (*Hub).expectOutsideSubtest) {
		blockNatively(call)
	}
	return ok
}

// RunFuzz calls fuzz(target), where fuzz is the Fuzz method of a
// *testing.F, telling the deadlock detector that the caller's hub waits
// natively meanwhile, as [RunSubtest] does. The target's own body is wrapped
// in [RunTest] by the rewrite, which knows its parameters.
func RunFuzz(fuzz func(any), target any) {
	blockNatively(func() { fuzz(target) })
}

// RunTestingMain calls main(matchString, tests, benchmarks, examples),
// where main is testing.Main, for a program that runs tests from its own
// main: testing runs each test on a goroutine of its own while the caller
// blocks natively in t.Run, and the caller's hub, with the greenlets the
// program's init functions started, goes on running meanwhile, as
// [RunSubtest] lets a parent's. Rewritten code calls it in place of
// testing.Main outside _test.go files.
func RunTestingMain[M, T, B, E any](main func(M, T, B, E), m M, t T, b B, e E) {
	call := func() { main(m, t, b, e) }
	if !blockOffHubAs("testing.Main", call, (*Hub).expectOutsideSubtest) {
		blockNatively(call)
	}
}

// RunTestingM calls run, the Run method of a *testing.M, as
// [RunTestingMain] calls testing.Main, and returns its exit code.
func RunTestingM(run func() int) int {
	var code int
	call := func() { code = run() }
	if !blockOffHubAs("testing.M.Run", call, (*Hub).expectOutsideSubtest) {
		blockNatively(call)
	}
	return code
}

// WaitParallel calls parallel, the Parallel method of a *testing.T, which
// blocks the test natively until the sequential tests (or the parent's
// function) have finished, telling the deadlock detector so, as
// [RunSubtest] does: a deadlocked sequential test must not wait for a
// paused parallel one.
func WaitParallel(parallel func()) {
	blockNatively(parallel)
}

// blockNatively runs fn, which blocks the calling goroutine natively until
// code on other hubs has finished, with the caller's hub marked as unable to
// make progress, so that the other hubs' deadlock detection does not wait for
// it. It is only sound for a call that cannot return before those hubs have
// finished or handed control back (t.Run returns early only after t.Parallel,
// when the subtest is no longer waited for; t.Parallel returns only after
// the tests it waits for).
func blockNatively(fn func()) {
	h := currentHub()
	was := h.mayProgress.Swap(false)
	h.blockedNatively.Store(true)
	defer func() {
		h.blockedNatively.Store(false)
		h.mayProgress.Store(was)
	}()
	fn()
}

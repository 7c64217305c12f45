// This file checks the properties of the gevent tutorial's examples
// (tutorial_example_test.go) that an Output block cannot state: how long they
// take on the virtual clock and that a seeded schedule replays exactly.

package rt_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// TestSeedPollingTakesLongestWait checks that the polling example's two
// 2-second waits and 1-second task overlap: the run ends after exactly 2
// virtual seconds, not the 5 they would take one after another.
func TestSeedPollingTakesLongestWait(t *testing.T) {
	var elapsed time.Duration
	var ended []time.Duration
	rt.Run(func() {
		start := rt.Now()
		poll := func() any {
			rt.Sleep(2 * time.Second)
			ended = append(ended, rt.Now().Sub(start))
			return nil
		}
		stuff := func() any {
			rt.Sleep(1 * time.Second)
			ended = append(ended, rt.Now().Sub(start))
			return nil
		}
		done := rt.JoinAll([]*rt.Greenlet{rt.Spawn(poll), rt.Spawn(poll), rt.Spawn(stuff)}, -1)
		if len(done) != 3 {
			t.Errorf("JoinAll returned %d greenlets, want 3", len(done))
		}
		elapsed = rt.Now().Sub(start)
	}, rt.WithVirtualClock())
	if elapsed != 2*time.Second {
		t.Errorf("polling took %v of virtual time, want exactly 2s (5s would mean the waits did not overlap)", elapsed)
	}
	if want := []time.Duration{time.Second, 2 * time.Second, 2 * time.Second}; !slices.Equal(ended, want) {
		t.Errorf("greenlets ended at %v, want %v", ended, want)
	}
}

// TestSeedSynchronousAsynchronousDurations checks, for many sets of random
// delays, that running task(pid) one after another takes the sum of the
// delays and spawning them all takes the longest one, and that spawned tasks
// finish in order of their delays, ties in spawn order.
func TestSeedSynchronousAsynchronousDurations(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, seed))
		delay := make([]time.Duration, 10)
		var sum, longest time.Duration
		for i := range delay {
			delay[i] = time.Duration(rng.IntN(3)) * time.Millisecond
			sum += delay[i]
			longest = max(longest, delay[i])
		}
		var syncTook, asyncTook time.Duration
		var syncOrder, asyncOrder []int
		rt.Run(func() {
			task := func(pid int, order *[]int) {
				rt.Sleep(delay[pid])
				*order = append(*order, pid)
			}
			start := rt.Now()
			for i := range delay {
				task(i, &syncOrder)
			}
			syncTook = rt.Now().Sub(start)

			start = rt.Now()
			var gs []*rt.Greenlet
			for i := range delay {
				gs = append(gs, rt.Spawn(func() any { task(i, &asyncOrder); return nil }))
			}
			rt.JoinAll(gs, -1)
			asyncTook = rt.Now().Sub(start)
		}, rt.WithVirtualClock())

		if syncTook != sum {
			t.Errorf("seed %d, delays %v: synchronous run took %v, want the sum %v", seed, delay, syncTook, sum)
		}
		if asyncTook != longest {
			t.Errorf("seed %d, delays %v: asynchronous run took %v, want the longest delay %v", seed, delay, asyncTook, longest)
		}
		byDelay := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
		slices.SortStableFunc(byDelay, func(a, b int) int { return int(delay[a] - delay[b]) })
		if !slices.Equal(syncOrder, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
			t.Errorf("seed %d: synchronous order %v, want pid order", seed, syncOrder)
		}
		if !slices.Equal(asyncOrder, byDelay) {
			t.Errorf("seed %d, delays %v: asynchronous order %v, want %v (by delay, ties in spawn order)", seed, delay, asyncOrder, byDelay)
		}
	}
}

// seededTrace runs a small concurrent program under a seeded policy and a
// virtual clock and returns its trace: which greenlet did what, when. The
// program mixes yields, sleeps that end at the same instant, a join with a
// timeout, a kill and a raw greenlet switch, so a policy has many choices
// to make.
func seededTrace(seed uint64) string {
	var trace []string
	logf := func(format string, args ...any) {
		trace = append(trace, fmt.Sprintf("%v ", rt.Now().Sub(rt.DefaultEpoch))+fmt.Sprintf(format, args...))
	}
	rt.Run(func() {
		var workers []*rt.Greenlet
		for i := range 5 {
			workers = append(workers, rt.Spawn(func() any {
				for step := range 4 {
					logf("w%d step %d", i, step)
					if (i+step)%2 == 0 {
						rt.Sleep(0)
					} else {
						rt.Sleep(time.Duration(step) * time.Millisecond)
					}
				}
				return i
			}))
		}
		killer := rt.Spawn(func() any {
			rt.Sleep(2 * time.Millisecond)
			workers[4].Kill()
			logf("killed w4")
			return nil
		})
		joiner := rt.Spawn(func() any {
			logf("w0 finished within 1ms: %t", workers[0].Join(time.Millisecond))
			return nil
		})
		pinger := rt.Spawn(func() any {
			var pong *rt.Greenlet
			pong = rt.NewGreenlet(func(args ...any) any {
				logf("pong got %v", args[0])
				rt.Sleep(0)
				return "pong"
			}, nil)
			logf("ping got %v", pong.Switch("ping"))
			return nil
		})
		rt.JoinAll(append(workers, killer, joiner, pinger), -1)
		for i, g := range workers {
			v, err := g.Get()
			logf("w%d: %v %v", i, v, err)
		}
	}, rt.WithVirtualClock(), rt.WithPolicy(rt.NewSeeded(seed)))
	return strings.Join(trace, "\n")
}

// TestSeedDeterminism checks the tutorial's claim for seeded schedules: a
// seed fixes the whole interleaving, so every run of the same program with
// the same seed gives the same trace, while different seeds explore
// different interleavings.
func TestSeedDeterminism(t *testing.T) {
	const seeds, runs = 20, 4
	distinct := make(map[string][]uint64)
	for seed := range uint64(seeds) {
		first := seededTrace(seed)
		for run := 1; run < runs; run++ {
			if got := seededTrace(seed); got != first {
				t.Fatalf("seed %d: run %d differs from run 0:\n%s\n--- run 0:\n%s", seed, run, got, first)
			}
		}
		distinct[first] = append(distinct[first], seed)
	}
	if len(distinct) < 2 {
		t.Fatalf("%d seeds all gave the same trace; a seeded policy should vary the interleaving", seeds)
	}
	t.Logf("%d seeds gave %d distinct traces", seeds, len(distinct))
}

// TestSeedTimeoutUnwindsAtDeadline checks the timeout examples' timing: a
// Timeout unwinds the sleeping function exactly at its deadline, running its
// deferred calls then, and a started Timeout interrupts a Join at the
// deadline it shares with the joined greenlet's sleep.
func TestSeedTimeoutUnwindsAtDeadline(t *testing.T) {
	rt.Run(func() {
		start := rt.Now()
		var deferredAt time.Duration = -1
		err := rt.WithTimeout(5*time.Second, func() {
			defer func() { deferredAt = rt.Now().Sub(start) }()
			rt.Sleep(10 * time.Second)
			t.Error("the sleep outlived its timeout")
		})
		if !errors.Is(err, rt.ErrTimeout) {
			t.Errorf("WithTimeout returned %v, want a timeout", err)
		}
		if deferredAt != 5*time.Second {
			t.Errorf("deferred call ran at %v, want 5s", deferredAt)
		}

		start = rt.Now()
		timeout := rt.NewTimeout(10 * time.Second)
		timeout.Start()
		defer timeout.Cancel()
		sleeper := rt.Spawn(func() any { rt.Sleep(10 * time.Second); return "woke" })
		var caught error
		func() {
			defer func() {
				if p := recover(); p != nil {
					caught, _ = p.(error)
					if !errors.Is(caught, timeout.Err()) {
						panic(p)
					}
				}
			}()
			sleeper.Join(-1)
		}()
		if caught == nil {
			t.Fatalf("Join returned without the timeout firing")
		}
		if got := rt.Now().Sub(start); got != 10*time.Second {
			t.Errorf("timeout fired after %v, want 10s", got)
		}
		if timeout.Pending() {
			t.Errorf("timeout still pending after it fired")
		}
		if v, err := sleeper.Get(); v != "woke" || err != nil {
			t.Errorf("sleeper.Get() = %v, %v; want woke, nil: the timeout was the main greenlet's only", v, err)
		}
		if got := rt.Now().Sub(start); got != 10*time.Second {
			t.Errorf("sleeper finished after %v, want 10s", got)
		}
	}, rt.WithVirtualClock())
}

// TestSeedGreenletStateReportsFailure checks what the greenlet state example
// hides: the loser's panic is kept as a *PanicError holding the original
// value and is reported once on the error writer, never raised in the
// greenlet that joins it.
func TestSeedGreenletStateReportsFailure(t *testing.T) {
	var report bytes.Buffer
	rt.SetErrorWriter(&report)
	defer rt.SetErrorWriter(nil)
	errFail := errors.New("You fail at failing.")
	rt.Run(func() {
		winner := rt.Spawn(func() any { return "You win!" })
		loser := rt.Spawn(func() any { panic(errFail) })
		if done := rt.JoinAll([]*rt.Greenlet{winner, loser}, -1); len(done) != 2 {
			t.Fatalf("JoinAll returned %d greenlets, want 2", len(done))
		}
		var pe *rt.PanicError
		if !errors.As(loser.Err(), &pe) || pe.Value != errFail {
			t.Fatalf("loser.Err() = %#v, want a *PanicError holding errFail", loser.Err())
		}
		if winner.Err() != nil || winner.Value() != "You win!" {
			t.Errorf("winner: Value() = %v, Err() = %v", winner.Value(), winner.Err())
		}
	})
	got := report.String()
	if n := strings.Count(got, "failed with panic: You fail at failing."); n != 1 {
		t.Errorf("error writer got %d failure reports, want 1:\n%s", n, got)
	}
	if strings.Contains(got, "You win!") {
		t.Errorf("the winner was reported:\n%s", got)
	}
}

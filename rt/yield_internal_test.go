package rt

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gopatch/gopatch/rt/schedule"
)

// lostUpdate runs two greenlets that each read balance, take the lock to
// log, and write balance+1 back after unlocking: a lost update, which only
// a switch at the lock can expose. It returns the final balance.
func lostUpdate(opts []Option) int {
	var mu sync.Mutex
	var log []string
	balance := 0
	Run(func() {
		var wg sync.WaitGroup
		for range 2 {
			WaitGroupAdd(&wg, 1)
			Go(func() {
				defer WaitGroupDone(&wg)
				b := balance
				MutexLock(&mu)
				log = append(log, "deposit")
				MutexUnlock(&mu)
				balance = b + 1
			})
		}
		WaitGroupWait(&wg)
	}, opts...)
	return balance
}

// abba runs two greenlets that take two locks in opposite orders and
// reports whether the hub deadlocked.
func abba(opts []Option) (deadlocked bool) {
	var a, b sync.Mutex
	defer func() {
		if p := recover(); p != nil {
			var dl *DeadlockError
			if err, ok := p.(error); !ok || !errors.As(err, &dl) {
				panic(p)
			}
			deadlocked = true
		}
	}()
	Run(func() {
		var wg sync.WaitGroup
		WaitGroupAdd(&wg, 2)
		Go(func() { MutexLock(&a); MutexLock(&b); MutexUnlock(&b); MutexUnlock(&a); WaitGroupDone(&wg) })
		Go(func() { MutexLock(&b); MutexLock(&a); MutexUnlock(&a); MutexUnlock(&b); WaitGroupDone(&wg) })
		WaitGroupWait(&wg)
	}, opts...)
	return false
}

// Only scheduling points at sync operations expose a lost update across a
// lock and an ABBA deadlock (issue 10): switching only where a greenlet
// blocks, no seed does, since neither greenlet ever blocks; with them,
// both the random and the PCT strategy find each within 50 seeds.
func TestSyncYieldsExposeLostUpdateAndABBA(t *testing.T) {
	for _, strategy := range []schedule.Strategy{schedule.Random, schedule.PCT} {
		for _, yield := range []bool{false, true} {
			lost, dead := 0, 0
			for seed := range uint64(50) {
				s := schedule.Schedule{Strategy: strategy, Seed: seed, Depth: 2, Virtual: true, Yield: yield}
				o, _ := scheduleOptions(s, "T")
				if lostUpdate(o) != 2 {
					lost++
				}
				o, _ = scheduleOptions(s, "T")
				if abba(o) {
					dead++
				}
			}
			t.Logf("%v yield=%v: %d lost updates, %d deadlocks in 50 seeds", strategy, yield, lost, dead)
			if !yield && (lost != 0 || dead != 0) {
				t.Errorf("%v without sync yields: %d lost updates and %d deadlocks; want none, as neither greenlet blocks", strategy, lost, dead)
			}
			if yield && (lost == 0 || dead == 0) {
				t.Errorf("%v with sync yields: %d lost updates and %d deadlocks in 50 seeds; want some of each", strategy, lost, dead)
			}
		}
	}
}

// A hub that did not ask for sync yields does not switch at them, even
// when another hub of the process did (syncYields is process-wide).
func TestSyncYieldsAreTheHubsChoice(t *testing.T) {
	o, _ := scheduleOptions(schedule.Schedule{Strategy: schedule.Random, Seed: 1, Yield: true}, "T")
	Run(func() {}, o...)
	if !syncYields.Load() {
		t.Fatal("WithSyncYields did not turn on the scheduling points")
	}
	for seed := range uint64(20) {
		o, _ := scheduleOptions(schedule.Schedule{Strategy: schedule.Random, Seed: seed}, "T")
		if n := lostUpdate(o); n != 2 {
			t.Fatalf("seed %d without sync yields lost an update (balance %d)", seed, n)
		}
	}
}

// With no change points PCT is strict priority scheduling: the runnable
// greenlet of highest priority always runs, so greenlets that yield at
// every lock never interleave, and the seed decides their order. One
// change point lets a seed preempt one of them.
func TestPCTRunsHighestPriority(t *testing.T) {
	run := func(seed uint64, depth int) string {
		var b strings.Builder
		var mu sync.Mutex
		Run(func() {
			var wg sync.WaitGroup
			for i := range 3 {
				WaitGroupAdd(&wg, 1)
				Go(func() {
					defer WaitGroupDone(&wg)
					for range 3 {
						MutexLock(&mu)
						b.WriteByte(byte('a' + i))
						MutexUnlock(&mu)
					}
				})
			}
			WaitGroupWait(&wg)
		}, WithPolicy(NewPCT(seed, depth, 30)), WithSyncYields())
		return b.String()
	}
	orders := map[string]bool{}
	interleaved := false
	for seed := range uint64(30) {
		s := run(seed, 0)
		if s != run(seed, 0) {
			t.Fatalf("seed %d: two runs differ", seed)
		}
		for i := 0; i < len(s); i += 3 {
			if s[i] != s[i+1] || s[i] != s[i+2] {
				t.Fatalf("seed %d, no change points: %s interleaves", seed, s)
			}
		}
		orders[s] = true
		if s := run(seed, 1); s[0] != s[1] || s[1] != s[2] || s[3] != s[4] || s[4] != s[5] {
			interleaved = true
		}
	}
	if len(orders) < 2 {
		t.Errorf("30 seeds gave %d order(s) of the greenlets; want the seed to choose", len(orders))
	}
	if !interleaved {
		t.Error("one change point never preempted a greenlet in 30 seeds")
	}
}

// NewPCT places depth distinct change points within the estimated steps.
func TestPCTChangePoints(t *testing.T) {
	for seed := range uint64(100) {
		p := NewPCT(seed, 3, 10)
		if len(p.changes) != 3 {
			t.Fatalf("seed %d: %d change points; want 3", seed, len(p.changes))
		}
		for i, c := range p.changes {
			if c < 1 || c > 10 || (i > 0 && c <= p.changes[i-1]) {
				t.Fatalf("seed %d: change points %v; want distinct, ascending, in [1, 10]", seed, p.changes)
			}
		}
	}
	if p := NewPCT(1, 5, 2); len(p.changes) != 2 {
		t.Errorf("5 change points in 2 steps: got %v; want both steps", p.changes)
	}
}

// A test past its step limit fails with a message that says what to look
// for, and the policy counts the steps of a test for the step file.
func TestStepLimit(t *testing.T) {
	o, p := scheduleOptions(schedule.Schedule{MaxSteps: 100}, "TestSpin")
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "TestSpin took more than 100 scheduling steps (-max-steps=100): livelock or spin loop?") {
			t.Errorf("panicked with %q; want the step limit's message", msg)
		}
		if p.steps != 101 {
			t.Errorf("counted %d steps; want 101", p.steps)
		}
	}()
	Run(func() {
		for {
			Sleep(0)
		}
	}, o...)
}

// With a trace file the policy records each pick, each greenlet by its
// number on the hub, so that two runs of one schedule compare: equal for
// a program that is a function of its schedule, unequal for one whose
// order comes from map iteration. A greenlet whose wait ended says what
// it waited on and who ended it.
func TestTestPolicyRecordsPicks(t *testing.T) {
	var trace []schedule.TraceStep
	run := func(body func()) []int {
		o, p := scheduleOptions(schedule.Schedule{Strategy: schedule.Random, Seed: 3, Yield: true, Trace: "unused"}, "T")
		Run(body, o...)
		trace = p.trace
		var gs []int
		for _, st := range p.trace {
			gs = append(gs, st.G)
		}
		return gs
	}
	spawn := func(order []int) {
		var wg sync.WaitGroup
		for _, i := range order {
			WaitGroupAdd(&wg, 1)
			Go(func() {
				defer WaitGroupDone(&wg)
				for range i {
					Sleep(0)
				}
			})
		}
		WaitGroupWait(&wg)
	}
	a, b := run(func() { spawn([]int{1, 2, 3, 4}) }), run(func() { spawn([]int{1, 2, 3, 4}) })
	if len(a) == 0 || !slices.Equal(a, b) {
		t.Errorf("two runs of one schedule picked %v and %v", a, b)
	}
	if c := run(func() { spawn([]int{4, 3, 2, 1}) }); slices.Equal(a, c) {
		t.Errorf("greenlets that yield 1..4 and 4..1 times picked the same %v", a)
	}
	// main waits for a value g2 sends.
	run(func() {
		ch := MakeChan[int](0)
		Go(func() { Send(ch, 1) })
		Recv(ch)
	})
	want := schedule.TraceStep{G: 1, Why: schedule.WakeFired, What: "chan receive", By: 2}
	if !slices.Contains(trace, want) {
		t.Errorf("trace %+v has no step %+v", trace, want)
	}
}

// On the virtual clock without a seed (gopatch test -clock=virtual) a
// test's select choices come from its name, so a run is a function of
// the test: the same choices twice, where FIFO's would be the runtime's
// random ones.
func TestVirtualFIFOSeedsSelect(t *testing.T) {
	choices := func() string {
		o, p := scheduleOptions(schedule.Schedule{Virtual: true}, "TestSelects")
		if p == nil {
			t.Fatal("no policy for a FIFO schedule on the virtual clock")
		}
		var b strings.Builder
		Run(func() {
			a, c := MakeChan[int](1), MakeChan[int](1)
			var v int
			var ok bool
			for range 40 {
				Send(a, 1)
				Send(c, 2)
				b.WriteByte(byte('0' + Select(false, RecvCase(a, &v, &ok), RecvCase(c, &v, &ok))))
				Select(false, RecvCase(a, &v, &ok), RecvCase(c, &v, &ok))
			}
		}, o...)
		return b.String()
	}
	if x, y := choices(), choices(); x != y {
		t.Errorf("two runs chose %s and %s", x, y)
	}
}

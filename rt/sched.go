// This file reads the schedule that gopatch test asks a test binary for,
// through its environment, and turns it into each test hub's policy, clock
// and scheduling points.

package rt

import (
	"fmt"
	"hash/fnv"
	"os"
	"sync"

	"github.com/gopatch/gopatch/rt/schedule"
)

// SchedEnv and ClockEnv are the environment variables through which
// gopatch test -seeds passes a schedule (see package schedule, which owns
// the protocol and its other variables).
const (
	SchedEnv = schedule.SchedEnv
	ClockEnv = schedule.ClockEnv
)

var envSchedule = sync.OnceValues(func() (schedule.Schedule, error) {
	return schedule.Parse(os.Getenv)
})

// seededSchedule reports whether the environment asks for a seeded
// schedule.
func seededSchedule() bool {
	s, err := envSchedule()
	return err == nil && s.Seeded()
}

// envSteps returns each test's step count from the step file of an earlier
// run that the schedule names, for PCT's change points.
var envSteps = sync.OnceValue(func() map[string]int64 {
	s, err := envSchedule()
	if err != nil || s.Steps == "" {
		return nil
	}
	f, err := os.Open(s.Steps)
	if err != nil {
		return nil
	}
	defer f.Close()
	_, max, _ := schedule.ReadSteps(f)
	return max
})

// defaultPCTSteps is PCT's estimate of a test's steps when no earlier run
// measured them (a test binary run by hand).
const defaultPCTSteps = 100

// testScheduleOptions returns the options of the hub of the test named
// name under the schedule of the environment, and the policy that counts
// its steps (nil when the schedule asks for nothing but the defaults).
// Each test's seed is the run's seed mixed with the test's name, so that a
// test replays the same schedule when it runs alone (-run) as when it runs
// among the others.
func testScheduleOptions(name string) ([]Option, *testPolicy) {
	s, err := envSchedule()
	if err != nil {
		panic("rt: " + err.Error())
	}
	return scheduleOptions(s, name)
}

// scheduleOptions is testScheduleOptions for the schedule s.
func scheduleOptions(s schedule.Schedule, name string) ([]Option, *testPolicy) {
	var opts []Option
	if s.Virtual {
		opts = append(opts, WithVirtualClock(), withClockStep(virtualReadStep))
	}
	if s == (schedule.Schedule{}) {
		// Plain FIFO on the real clock, gopatch test's default: the hub's
		// nil policy is the fastest. On the virtual clock (-clock=virtual)
		// the select choices come from the test's name too, so that the
		// run is a function of the test.
		return opts, nil
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	seed := s.Seed ^ h.Sum64()
	p := &testPolicy{name: name, max: s.MaxSteps}
	if s.Trace != "" {
		p.numbers = make(map[*Greenlet]int)
	}
	switch s.Strategy {
	case schedule.Random:
		p.Policy = NewSeeded(seed)
	case schedule.PCT:
		steps, ok := envSteps()[name]
		if !ok {
			steps = defaultPCTSteps
		}
		p.Policy = NewPCT(seed, s.Depth, steps)
	default:
		p.Policy = &seededFIFO{Seeded{state: seed}}
	}
	opts = append(opts, WithPolicy(p))
	if s.Yield {
		opts = append(opts, WithSyncYields())
	}
	return opts, p
}

// seededFIFO is FIFO order with select's choices from a seed, so that a
// FIFO schedule is a function of the test too.
type seededFIFO struct{ rng Seeded }

func (*seededFIFO) Pick(Runnables) int                { return 0 }
func (f *seededFIFO) PickCase(_ *Greenlet, n int) int { return f.rng.next(n) }

// testPolicy is a test hub's policy: it counts the hub's scheduling steps
// (each choice of the run queue, and each scheduling point with nothing
// else to run), for the step file and the step limit.
type testPolicy struct {
	Policy
	name  string
	steps int64
	max   int64 // 0: no limit

	// With a trace file (gopatch test -check-determinism): the greenlet
	// each pick ran, numbered by first appearance (0 for a callback).
	numbers map[*Greenlet]int
	picks   []int
}

// Pick implements [Policy].
func (p *testPolicy) Pick(q Runnables) int {
	p.step()
	i := p.Policy.Pick(q)
	if p.numbers != nil {
		n := 0
		if g := q.q.at(i).g; g != nil {
			if n = p.numbers[g]; n == 0 {
				n = len(p.numbers) + 1
				p.numbers[g] = n
			}
		}
		p.picks = append(p.picks, n)
	}
	return i
}

// step counts one step and fails the test past the limit. It panics, on
// the hub's own loop or in a greenlet, which ends the test binary as an
// unrecovered panic in a test does: a test that never stops taking steps
// cannot be unwound, as its greenlets would go on running.
func (p *testPolicy) step() {
	p.steps++
	if p.max > 0 && p.steps > p.max {
		panic(fmt.Sprintf("rt: %s took more than %d scheduling steps (-max-steps=%d): livelock or spin loop?", p.name, p.max, p.max))
	}
}

// recordSteps appends the test's step count to the schedule's step file
// and its picks to its trace file, if it names them.
func (p *testPolicy) recordSteps() {
	s, err := envSchedule()
	if err != nil {
		return
	}
	if s.Stats != "" {
		appendFile(s.Stats, schedule.FormatSteps(p.name, p.steps))
	}
	if s.Trace != "" {
		appendFile(s.Trace, schedule.FormatTrace(p.name, p.picks))
	}
}

// appendFile appends line to the file named name, made if need be. A
// failure is dropped: the CLI reads the file only for its report.
func appendFile(name, line string) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return
	}
	f.WriteString(line)
	f.Close()
}

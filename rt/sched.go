// This file reads the schedule that gopatch test asks a test binary for,
// through its environment, and turns it into each test hub's policy, clock
// and scheduling points.

package rt

import (
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

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
	sf, _ := schedule.ReadSteps(f)
	return sf.MaxSteps()
})

// envReplay returns each test's decisions from the decisions file the
// schedule replays, if it names one.
var envReplay = sync.OnceValue(func() map[string][]schedule.Decision {
	s, err := envSchedule()
	if err != nil || s.Replay == "" {
		return nil
	}
	f, err := os.Open(s.Replay)
	if err != nil {
		panic("rt: " + schedule.ReplayEnv + ": " + err.Error())
	}
	defer f.Close()
	m, _ := schedule.ReadDecisions(f)
	return m
})

// replayPolicy makes the choices of a decisions file: its picks one after
// another, each the greenlet it names, and its select steps likewise;
// past their end, or where the greenlet named is not runnable, the choice
// that switches nothing. It replays a schedule that gopatch test shrank.
type replayPolicy struct {
	ds          []schedule.Decision
	pick, cases int // the next pick and select step of ds to look at
}

// Pick implements [Policy].
func (r *replayPolicy) Pick(q Runnables) int {
	if q.Len() < 2 {
		return 0
	}
	// A decision that did not preempt stands for "switch nothing", not
	// for the greenlet it named: when an earlier one changed, switching
	// nothing may name another.
	if d, ok := r.next(&r.pick, false); ok && d.Preempts() {
		if i := q.find(d.Choice); i >= 0 {
			return i
		}
	}
	return q.Default()
}

// PickCase implements [Policy].
func (r *replayPolicy) PickCase(_ *Greenlet, n int) int {
	if d, ok := r.next(&r.cases, true); ok && d.Preempts() && d.Choice < n {
		return d.Choice
	}
	return n - 1
}

// next returns the next decision of the kind asked for, from *at on.
func (r *replayPolicy) next(at *int, isCase bool) (schedule.Decision, bool) {
	for *at < len(r.ds) {
		d := r.ds[*at]
		*at++
		if d.Case == isCase {
			return d, true
		}
	}
	return schedule.Decision{}, false
}

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
	runSeed := s.Seed
	if s.Seeds != "" {
		runSeed = seedRuns.seedOf(s, name)
	}
	var opts []Option
	if s.Virtual {
		opts = append(opts, withTestClock(), withClockStep(virtualReadStep))
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
	seed := runSeed ^ h.Sum64()
	p := &testPolicy{name: name, runSeed: runSeed, max: s.MaxSteps}
	p.tracing = s.Trace != ""
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
	if ds, ok := envReplay()[name]; ok {
		p.Policy = &replayPolicy{ds: ds}
	}
	p.recording = s.Decisions != ""
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
	name    string
	runSeed uint64 // the seed of the run (the test's own is mixed with its name)
	steps   int64
	max     int64 // 0: no limit

	// With a decisions file (gopatch test shrinking a failing schedule):
	// every choice the hub made where it had one.
	recording bool
	decisions []schedule.Decision

	// What the test's main greenlet left when it ended: its steps, picks
	// and decisions then, which greenlets that outlive it do not change.
	doneSteps     int64
	doneTrace     []schedule.TraceStep
	doneDecisions []schedule.Decision

	// With a trace file (-check-determinism, -sched-trace): each pick, as
	// a step of the trace.
	tracing bool
	trace   []schedule.TraceStep
}

// Pick implements [Policy].
func (p *testPolicy) Pick(q Runnables) int {
	p.step()
	i := p.Policy.Pick(q)
	if p.recording && q.Len() > 1 {
		p.decisions = append(p.decisions, schedule.Decision{Choice: q.number(i), Default: q.number(q.Default())})
	}
	if p.tracing {
		p.trace = append(p.trace, traceStep(q, i))
	}
	return i
}

// traceStep describes the pick of item i of q for the trace: the
// greenlet, and for one whose wait ended, why, on what and by whom.
func traceStep(q Runnables, i int) schedule.TraceStep {
	g := q.q.at(i).g
	if g == nil {
		return schedule.TraceStep{}
	}
	st := schedule.TraceStep{G: int(g.num)}
	if w := g.waiting; w != nil {
		st.What = w.what
		if w.wokeBy != nil {
			st.By = int(w.wokeBy.num)
		}
		switch q.At(i).Reason {
		case WakeTimedOut:
			st.Why = schedule.WakeTimedOut
		case WakeCancelled:
			st.Why = schedule.WakeCancelled
		default:
			st.Why = schedule.WakeFired
		}
	}
	return st
}

// PickCase implements [Policy].
func (p *testPolicy) PickCase(g *Greenlet, n int) int {
	j := p.Policy.PickCase(g, n)
	if p.recording {
		p.decisions = append(p.decisions, schedule.Decision{Choice: j, Default: n - 1, Case: true})
	}
	return j
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

// testEnded takes down the steps and picks of the test's main greenlet,
// which has just ended; greenlets that outlive it go on with the policy on
// a goroutine of their own, so record reads only what this left.
func (p *testPolicy) testEnded() {
	p.doneSteps, p.doneTrace, p.doneDecisions = p.steps, p.trace, p.decisions
}

// record appends the test's run to the schedule's step file and its picks
// to its trace file, if it names them. A failed run, or one that ended
// abnormally (a panic, or runtime.Goexit, which may yet end the binary),
// is written at once, with every line before it. Without a list of seeds
// the binary runs each test once, and every line is written at once.
func (p *testPolicy) record(failed, abnormal bool) {
	s, err := envSchedule()
	if err != nil {
		return
	}
	now := failed || abnormal || s.Seeds == ""
	if s.Trace != "" {
		appendLine(&traceFile, s.Trace, schedule.FormatTrace(p.name, p.runSeed, p.doneTrace), now)
	}
	if s.Decisions != "" {
		appendLine(&decisionsFile, s.Decisions, schedule.FormatDecisions(p.name, p.doneDecisions), now)
	}
	if s.Stats != "" {
		appendLine(&statsFile, s.Stats, schedule.FormatRun(schedule.Run{Test: p.name, Steps: p.doneSteps, Seed: p.runSeed, Failed: failed}), now)
	}
}

// seedRuns counts the runs of each test under a list of seeds.
var seedRuns = &seedCounter{runs: make(map[string]int)}

// seedCounter maps the runs of each test to the seeds of a list.
type seedCounter struct {
	mu      sync.Mutex
	list    []uint64       // the schedule's seeds, parsed on the first run
	runs    map[string]int // runs of each top-level test so far
	started int            // the seeds whose runs have begun
}

// seedOf returns the seed of this run of the test named name, under s,
// whose Seeds lists several: go test -count=k runs each top-level test k
// times, and its i-th run takes the i-th seed (the i/r-th, when k is r
// times the number of seeds: each seed runs r times in a row); a subtest
// takes its top-level test's current seed. The first run of a seed writes
// the step file's line that says so, so that a binary that dies in it
// still tells which seed it ran.
func (c *seedCounter) seedOf(s schedule.Schedule, name string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.list == nil {
		list, err := schedule.ParseSeeds(s.Seeds, schedule.MaxSeeds)
		if err != nil {
			panic("rt: " + err.Error()) // Parse accepted it
		}
		c.list = list
	}
	top, _, sub := strings.Cut(name, "/")
	run := c.runs[top]
	if !sub {
		run++
		c.runs[top] = run
	}
	i := max(run-1, 0) / repeats(len(c.list))
	seed := c.list[i%len(c.list)]
	if i >= c.started {
		c.started = i + 1
		if i == len(c.list)-1 {
			// The binary may end with the last seed's runs: nothing can
			// wait for a timer then.
			statsFile.writeThrough()
			traceFile.writeThrough()
		}
		// At once, so that a binary that dies in this seed's runs (a
		// panic on a goroutine of its own, a timeout) says which seed
		// it was in.
		markSeed(s, seed)
	}
	return seed
}

// repeats returns how many runs of each test go test's -count asks for
// each of n seeds: 1, unless -test.count is a multiple of n.
func repeats(n int) int {
	f := flag.Lookup("test.count")
	if f == nil {
		return 1
	}
	count, err := strconv.Atoi(f.Value.String())
	if err != nil || count < 2*n || count%n != 0 {
		return 1
	}
	return count / n
}

// statsFile and traceFile stay open for the binary's life once a test has
// written to them.
var statsFile, traceFile, decisionsFile lineFile

// A lineFile is a file that lines are appended to. Under a list of seeds
// a binary runs tens of thousands of tests a second, each of which writes a
// line, and a write is a system call: so lines wait in a buffer, written
// when it fills, flushDelay after the first line it took, or at once when
// the caller says the line must not wait (a test failed, or the binary may
// end before the delay: see [seedCounter.seedOf]).
type lineFile struct {
	mu    sync.Mutex
	f     *os.File
	buf   []byte
	timer *time.Timer // flushes the buffer; armed while it holds lines
	armed bool
	exact bool // from now on, every line is written at once
}

// flushDelay bounds how long a line waits in a lineFile's buffer.
const flushDelay = 50 * time.Millisecond

// appendLine appends line to lf, opening the file named name, made if need
// be, on the first line; now writes it, and every line before it, at once.
// A failure is dropped: the CLI reads the file only for its report, and a
// missing line shows there.
func appendLine(lf *lineFile, name, line string, now bool) {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	if lf.f == nil {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
		if err != nil {
			return
		}
		lf.f = f
	}
	lf.buf = append(lf.buf, line...)
	switch {
	case now || lf.exact || len(lf.buf) >= 32<<10:
		lf.flushLocked()
	case !lf.armed:
		lf.armed = true
		if lf.timer == nil {
			lf.timer = time.AfterFunc(flushDelay, lf.flush)
		} else {
			lf.timer.Reset(flushDelay)
		}
	}
}

// flush writes what lf's buffer holds.
func (lf *lineFile) flush() {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	lf.flushLocked()
}

func (lf *lineFile) flushLocked() {
	if len(lf.buf) > 0 && lf.f != nil {
		lf.f.Write(lf.buf)
	}
	lf.buf = lf.buf[:0]
	if lf.armed {
		lf.armed = false
		lf.timer.Stop()
	}
}

// writeThrough flushes lf and makes it write every later line at once.
func (lf *lineFile) writeThrough() {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	lf.flushLocked()
	lf.exact = true
}

// Package schedule is the protocol by which gopatch test tells a test
// binary which schedule to run under: a few environment variables and the
// grammar of their values, and the step file through which a test binary
// reports how many scheduling steps each test took. The CLI writes them and
// rt reads them, both through this package, so the protocol is written
// once.
//
// It lives under rt, and imports only the standard library below rt, so
// that the rt copy gopatch writes next to rewritten code carries it.
package schedule

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The environment variables that carry a schedule:
//
//   - SchedEnv: "fifo" (the default), "random:SEED", a seeded uniform choice
//     among runnable greenlets and ready select cases, or "pct:N:SEED",
//     probabilistic concurrency testing with N priority-change points.
//   - ClockEnv: "real" (the default) or "virtual", a virtual clock that
//     jumps to the next timer when every greenlet waits.
//   - YieldEnv: "blocking" (the default), where the hub chooses only when a
//     greenlet blocks or yields, or "sync", where every channel operation,
//     lock, WaitGroup, Cond and Once operation and clock read is a
//     scheduling point as well.
//   - MaxStepsEnv: a test that takes more scheduling steps than this fails
//     ("" or 0: no limit).
//   - StepsEnv: a step file (see [ReadSteps]) with each test's step count
//     from an earlier run, from which pct places its change points.
//   - StatsEnv: a step file to which each test appends its own count.
//   - TraceEnv: a trace file (see [ReadTraces]) to which each test appends
//     the greenlets its hub ran, step by step.
const (
	SchedEnv    = "GOPATCH_SCHED"
	ClockEnv    = "GOPATCH_CLOCK"
	YieldEnv    = "GOPATCH_YIELD"
	MaxStepsEnv = "GOPATCH_MAX_STEPS"
	StepsEnv    = "GOPATCH_STEPS"
	StatsEnv    = "GOPATCH_STATS"
	TraceEnv    = "GOPATCH_TRACE"
)

// A Strategy is how a hub chooses among the greenlets that are ready.
type Strategy uint8

const (
	FIFO   Strategy = iota // gevent's order: oldest runnable first
	Random                 // a seeded uniform choice
	PCT                    // seeded random priorities with Depth change points
)

func (s Strategy) String() string {
	switch s {
	case Random:
		return "random"
	case PCT:
		return "pct"
	}
	return "fifo"
}

// A Schedule is what one run of a test binary is asked for.
type Schedule struct {
	Strategy Strategy
	Seed     uint64 // the run's seed, for Random and PCT
	Depth    int    // PCT's number of priority-change points
	Virtual  bool   // a virtual clock, not the real one
	Yield    bool   // every synchronising operation is a scheduling point
	MaxSteps int64  // fail a test past this many steps; 0 is no limit
	Steps    string // step file of an earlier run, for PCT; "" for none
	Stats    string // step file each test appends its count to; "" for none
	Trace    string // trace file each test appends its picks to; "" for none
}

// Seeded reports whether s's choices come from its seed.
func (s Schedule) Seeded() bool { return s.Strategy != FIFO }

// Parse reads a schedule from the environment through getenv ("" means the
// default for each variable).
func Parse(getenv func(string) string) (Schedule, error) {
	var s Schedule
	sched := getenv(SchedEnv)
	name, arg, _ := strings.Cut(sched, ":")
	switch name {
	case "", "fifo":
		if arg != "" {
			return s, fmt.Errorf("%s=%q: fifo takes no seed", SchedEnv, sched)
		}
	case "random":
		seed, err := strconv.ParseUint(arg, 10, 64)
		if err != nil {
			return s, fmt.Errorf("%s=%q: want random:SEED with a decimal SEED", SchedEnv, sched)
		}
		s.Strategy, s.Seed = Random, seed
	case "pct":
		n, seedText, _ := strings.Cut(arg, ":")
		depth, err := strconv.Atoi(n)
		seed, err2 := strconv.ParseUint(seedText, 10, 64)
		if err != nil || err2 != nil || depth < 0 {
			return s, fmt.Errorf("%s=%q: want pct:N:SEED with decimal N and SEED", SchedEnv, sched)
		}
		s.Strategy, s.Depth, s.Seed = PCT, depth, seed
	default:
		return s, fmt.Errorf("%s=%q: want fifo, random:SEED or pct:N:SEED", SchedEnv, sched)
	}
	switch clock := getenv(ClockEnv); clock {
	case "", "real":
	case "virtual":
		s.Virtual = true
	default:
		return s, fmt.Errorf("%s=%q: want real or virtual", ClockEnv, clock)
	}
	switch yield := getenv(YieldEnv); yield {
	case "", "blocking":
	case "sync":
		s.Yield = true
	default:
		return s, fmt.Errorf("%s=%q: want blocking or sync", YieldEnv, yield)
	}
	if max := getenv(MaxStepsEnv); max != "" {
		n, err := strconv.ParseInt(max, 10, 64)
		if err != nil || n < 0 {
			return s, fmt.Errorf("%s=%q: want a number of steps", MaxStepsEnv, max)
		}
		s.MaxSteps = n
	}
	s.Steps, s.Stats, s.Trace = getenv(StepsEnv), getenv(StatsEnv), getenv(TraceEnv)
	return s, nil
}

// SchedValue returns s's value of SchedEnv.
func (s Schedule) SchedValue() string {
	switch s.Strategy {
	case Random:
		return "random:" + strconv.FormatUint(s.Seed, 10)
	case PCT:
		return "pct:" + strconv.Itoa(s.Depth) + ":" + strconv.FormatUint(s.Seed, 10)
	}
	return "fifo"
}

// Env returns the environment entries that ask a test binary for s. Every
// variable is set, so that none leaks in from the caller's environment.
func (s Schedule) Env() []string {
	clock, yield, max := "real", "blocking", ""
	if s.Virtual {
		clock = "virtual"
	}
	if s.Yield {
		yield = "sync"
	}
	if s.MaxSteps > 0 {
		max = strconv.FormatInt(s.MaxSteps, 10)
	}
	return []string{
		SchedEnv + "=" + s.SchedValue(),
		ClockEnv + "=" + clock,
		YieldEnv + "=" + yield,
		MaxStepsEnv + "=" + max,
		StepsEnv + "=" + s.Steps,
		StatsEnv + "=" + s.Stats,
		TraceEnv + "=" + s.Trace,
	}
}

// A step file has one line a test run: the test's name, a tab and the
// number of scheduling steps its hub took. Names of Go tests hold no tabs
// or newlines (go test rewrites spaces in subtest names to underscores).

// FormatSteps returns the line of a step file for one run of test.
func FormatSteps(test string, steps int64) string {
	return test + "\t" + strconv.FormatInt(steps, 10) + "\n"
}

// ReadSteps reads a step file: every test's count, in file order, and the
// largest count of each test (a test run more than once, by -count, keeps
// its largest). Malformed lines are skipped: a binary killed while writing
// leaves a partial last line.
func ReadSteps(r io.Reader) (counts []int64, max map[string]int64, err error) {
	max = make(map[string]int64)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, n, ok := strings.Cut(sc.Text(), "\t")
		steps, err := strconv.ParseInt(n, 10, 64)
		if !ok || err != nil || steps < 0 {
			continue
		}
		counts = append(counts, steps)
		if old, seen := max[name]; !seen || steps > old {
			max[name] = steps
		}
	}
	return counts, max, sc.Err()
}

// A trace file has one line a test run: the test's name, a tab, and the
// greenlet each step of its hub ran, space-separated, each numbered by
// its first appearance in the test (0 for a hub callback), so that two
// runs of one schedule give the same line.

// FormatTrace returns the line of a trace file for one run of test.
func FormatTrace(test string, picks []int) string {
	var b strings.Builder
	b.WriteString(test)
	b.WriteByte('\t')
	for i, p := range picks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(p))
	}
	b.WriteByte('\n')
	return b.String()
}

// A Trace is one test run of a trace file.
type Trace struct {
	Test  string
	Picks []int
}

// ReadTraces reads a trace file, in file order; malformed lines are
// skipped.
func ReadTraces(r io.Reader) ([]Trace, error) {
	var ts []Trace
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		name, picks, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		t := Trace{Test: name}
		for f := range strings.FieldsSeq(picks) {
			n, err := strconv.Atoi(f)
			if err != nil {
				t.Picks = nil
				break
			}
			t.Picks = append(t.Picks, n)
		}
		ts = append(ts, t)
	}
	return ts, sc.Err()
}

// Diverge compares two runs' traces and describes the first difference
// ("" when they agree): the test, the step, and the greenlet each run
// ran there.
func Diverge(a, b []Trace) string {
	for i := range max(len(a), len(b)) {
		switch {
		case i >= len(a):
			return fmt.Sprintf("the second run ran a test more: %s", b[i].Test)
		case i >= len(b):
			return fmt.Sprintf("the first run ran a test more: %s", a[i].Test)
		case a[i].Test != b[i].Test:
			return fmt.Sprintf("the runs ran %s and %s in turn %d", a[i].Test, b[i].Test, i+1)
		}
		pa, pb := a[i].Picks, b[i].Picks
		for j := range max(len(pa), len(pb)) {
			name := func(p []int) string {
				switch {
				case j >= len(p):
					return "nothing (the test had ended)"
				case p[j] == 0:
					return "a hub callback"
				}
				return fmt.Sprintf("greenlet %d", p[j])
			}
			if j >= len(pa) || j >= len(pb) || pa[j] != pb[j] {
				return fmt.Sprintf("%s diverges at step %d: the first run ran %s, the second %s (greenlets numbered in the order they first ran)", a[i].Test, j+1, name(pa), name(pb))
			}
		}
	}
	return ""
}

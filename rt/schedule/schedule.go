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
	"os"
	"strconv"
	"strings"
)

// The environment variables that carry a schedule:
//
//   - SchedEnv: "fifo" (the default), "random:SEEDS", a seeded uniform
//     choice among runnable greenlets and ready select cases, or
//     "pct:N:SEEDS", probabilistic concurrency testing with N
//     priority-change points. SEEDS is one seed, or a list of them (see
//     [ParseSeeds]): the binary then runs each test once a seed, the k-th
//     run of a test (go test's -count) under the k-th seed, so that one
//     process explores many schedules.
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
//   - StatsEnv: a step file to which each test appends its own count and
//     result, and each seed a line as its runs begin.
//   - TraceEnv: a trace file (see [ReadTraces]) to which each test appends
//     the greenlets its hub ran, step by step.
//   - LeaksEnv: "fail" fails a test whose greenlets outlive it; "" (the
//     default) or "allow" lets them go on, as goroutines do.
//   - DecisionsEnv: a decisions file (see [ReadDecisions]) to which each
//     test appends every choice its hub made, for shrinking a failure.
//   - ReplayEnv: a decisions file whose tests make the choices it lists,
//     in place of their strategy's (a shrunk schedule).
const (
	SchedEnv     = "GOPATCH_SCHED"
	ClockEnv     = "GOPATCH_CLOCK"
	YieldEnv     = "GOPATCH_YIELD"
	MaxStepsEnv  = "GOPATCH_MAX_STEPS"
	StepsEnv     = "GOPATCH_STEPS"
	StatsEnv     = "GOPATCH_STATS"
	TraceEnv     = "GOPATCH_TRACE"
	LeaksEnv     = "GOPATCH_LEAKS"
	DecisionsEnv = "GOPATCH_DECISIONS"
	ReplayEnv    = "GOPATCH_REPLAY"
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
	Strategy  Strategy
	Seed      uint64 // the run's seed, for Random and PCT; the first of Seeds
	Seeds     string // several seeds, as FormatSeeds writes them; "" for Seed alone
	Depth     int    // PCT's number of priority-change points
	Virtual   bool   // a virtual clock, not the real one
	Yield     bool   // every synchronising operation is a scheduling point
	MaxSteps  int64  // fail a test past this many steps; 0 is no limit
	Steps     string // step file of an earlier run, for PCT; "" for none
	Stats     string // step file each test appends its count to; "" for none
	Trace     string // trace file each test appends its picks to; "" for none
	Leaks     bool   // fail a test whose greenlets outlive it
	Decisions string // decisions file each test appends its choices to; "" for none
	Replay    string // decisions file whose tests replay their choices; "" for none
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
		if err := s.setSeeds(arg); err != nil {
			return s, fmt.Errorf("%s=%q: want random:SEEDS with a decimal seed or a list of them: %v", SchedEnv, sched, err)
		}
		s.Strategy = Random
	case "pct":
		n, seeds, _ := strings.Cut(arg, ":")
		depth, err := strconv.Atoi(n)
		if err == nil {
			err = s.setSeeds(seeds)
		}
		if err != nil || depth < 0 {
			return s, fmt.Errorf("%s=%q: want pct:N:SEEDS with a decimal N and a decimal seed or a list of them", SchedEnv, sched)
		}
		s.Strategy, s.Depth = PCT, depth
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
	switch leaks := getenv(LeaksEnv); leaks {
	case "", "allow":
	case "fail":
		s.Leaks = true
	default:
		return s, fmt.Errorf("%s=%q: want fail or allow", LeaksEnv, leaks)
	}
	s.Steps, s.Stats, s.Trace = getenv(StepsEnv), getenv(StatsEnv), getenv(TraceEnv)
	s.Decisions, s.Replay = getenv(DecisionsEnv), getenv(ReplayEnv)
	return s, nil
}

// setSeeds sets s.Seed, and s.Seeds for a list of more than one seed.
func (s *Schedule) setSeeds(list string) error {
	seeds, err := ParseSeeds(list, MaxSeeds)
	if err != nil {
		return err
	}
	s.Seed, s.Seeds = seeds[0], ""
	if len(seeds) > 1 {
		s.Seeds = FormatSeeds(seeds)
	}
	return nil
}

// SchedValue returns s's value of SchedEnv.
func (s Schedule) SchedValue() string {
	seeds := s.Seeds
	if seeds == "" {
		seeds = strconv.FormatUint(s.Seed, 10)
	}
	switch s.Strategy {
	case Random:
		return "random:" + seeds
	case PCT:
		return "pct:" + strconv.Itoa(s.Depth) + ":" + seeds
	}
	return "fifo"
}

// Env returns the environment entries that ask a test binary for s. Every
// variable is set, so that none leaks in from the caller's environment.
func (s Schedule) Env() []string {
	clock, yield, max, leaks := "real", "blocking", "", "allow"
	if s.Virtual {
		clock = "virtual"
	}
	if s.Yield {
		yield = "sync"
	}
	if s.MaxSteps > 0 {
		max = strconv.FormatInt(s.MaxSteps, 10)
	}
	if s.Leaks {
		leaks = "fail"
	}
	return []string{
		SchedEnv + "=" + s.SchedValue(),
		ClockEnv + "=" + clock,
		YieldEnv + "=" + yield,
		MaxStepsEnv + "=" + max,
		StepsEnv + "=" + s.Steps,
		StatsEnv + "=" + s.Stats,
		TraceEnv + "=" + s.Trace,
		LeaksEnv + "=" + leaks,
		DecisionsEnv + "=" + s.Decisions,
		ReplayEnv + "=" + s.Replay,
	}
}

// A step file has one line a test run: the test's name, the number of
// scheduling steps its hub took, the seed it ran under and "ok" or "FAIL",
// tab-separated; and a line "seed", a tab and the seed, as the runs of
// each seed of a list begin, so that a binary that dies mid-run (a panic,
// a timeout) still says which seed it was running. Names of Go tests hold
// no tabs or newlines (go test rewrites spaces in subtest names to
// underscores).

// A step file's progress file holds, in its first 8 bytes, little-endian,
// one more than the seed whose runs a binary began last (0: none yet). A
// binary that can map files into memory marks its seeds there, with a
// store; one that cannot writes seed lines into the step file.

// ProgressSize is the size of a progress file.
const ProgressSize = 8

// ProgressFile returns the name of the progress file of the step file
// named stats.
func ProgressFile(stats string) string { return stats + ".seed" }

// ReadProgress returns the seed a progress file says a binary began last.
func ReadProgress(name string) (seed uint64, ok bool) {
	b, err := os.ReadFile(name)
	if err != nil || len(b) < ProgressSize {
		return 0, false
	}
	var v uint64
	for i := ProgressSize - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v - 1, v != 0
}

// A Run is one test's run under one seed, as a step file records it.
type Run struct {
	Test   string
	Steps  int64
	Seed   uint64
	Failed bool
}

// FormatRun returns the line of a step file for r.
func FormatRun(r Run) string {
	result := "ok"
	if r.Failed {
		result = "FAIL"
	}
	return r.Test + "\t" + strconv.FormatInt(r.Steps, 10) + "\t" + strconv.FormatUint(r.Seed, 10) + "\t" + result + "\n"
}

// FormatSeedStart returns the line of a step file that says the runs of
// seed begin.
func FormatSeedStart(seed uint64) string { return "seed\t" + strconv.FormatUint(seed, 10) + "\n" }

// A StepFile is what a step file holds.
type StepFile struct {
	Runs    []Run    // in file order
	Started []uint64 // the seeds whose runs began, in order
}

// ReadSteps reads a step file. Malformed lines are skipped: a binary
// killed while writing leaves a partial last line.
func ReadSteps(r io.Reader) (StepFile, error) {
	var f StepFile
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) == 2 && fields[0] == "seed" {
			if seed, err := strconv.ParseUint(fields[1], 10, 64); err == nil {
				f.Started = append(f.Started, seed)
			}
			continue
		}
		if len(fields) != 4 || fields[3] != "ok" && fields[3] != "FAIL" {
			continue
		}
		steps, err := strconv.ParseInt(fields[1], 10, 64)
		seed, err2 := strconv.ParseUint(fields[2], 10, 64)
		if err != nil || err2 != nil || steps < 0 {
			continue
		}
		f.Runs = append(f.Runs, Run{Test: fields[0], Steps: steps, Seed: seed, Failed: fields[3] == "FAIL"})
	}
	return f, sc.Err()
}

// MaxSteps returns the largest step count of each test among f's runs (a
// test run more than once keeps its largest).
func (f StepFile) MaxSteps() map[string]int64 {
	max := make(map[string]int64)
	for _, r := range f.Runs {
		if old, seen := max[r.Test]; !seen || r.Steps > old {
			max[r.Test] = r.Steps
		}
	}
	return max
}

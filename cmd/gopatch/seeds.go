// This file holds gopatch test's own flags (-seeds, -sched, -yield, ...)
// and the seed loop: each package's tests run once a seed, each under that
// seed's schedule, until one fails, with one summary line a package.

package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gopatch/gopatch/internal/gocmd"
	"github.com/gopatch/gopatch/rewrite"
	"github.com/gopatch/gopatch/rt/schedule"
)

// testSchedule is what test's own flags ask for.
type testSchedule struct {
	seeds    []uint64
	list     string // -seeds as given, for the run's identity
	strategy schedule.Strategy
	depth    int // pct's change points
	virtual  bool
	yield    bool
	maxSteps int64
	shard    string   // -shard as given, "" for all the seeds
	twice    bool     // -check-determinism: run each seed twice and compare
	trace    string   // -sched-trace: the file the seed's schedule goes to
	flags    []string // -sched, -clock, -yield and -max-steps as given, for the replay command
	repeat   int      // go test's -count: runs of each test a seed
	batch    int      // -batch: the most seeds one test binary runs; 0 for as many as fill batchTime
	// allowLeaks lets greenlets outlive their test; without it a test
	// whose greenlets are alive after it and its cleanups fails.
	allowLeaks bool
	replay     string // -replay: a decisions file of shrunk schedules to replay
	dir        string // the workspace's directory, where shrunk schedules go
}

// The defaults under -seeds. Random found the bugs of testdata/bugs in
// fewer seeds than PCT: over seeds 1-200 of each, the expected number of
// seeds to find all twelve, one at a time (the sum of 1/p, p the share of
// seeds that fail), is 26 for random against 34 to 68 for pct:1 to pct:5
// (README has the table). Random is the default; pct's default is 3
// change points. Every sync operation is a scheduling point, or
// greenlets that never block never give the hub a choice.
const (
	defaultStrategy = schedule.Random
	defaultDepth    = 3
)

// testFlags are gopatch test's own flags; all but check-determinism, a
// boolean, take a value.
var testFlags = []string{"seeds", "sched", "clock", "yield", "max-steps", "shard", "check-determinism", "sched-trace", "batch", "allow-leaks", "replay"}

// boolFlags are those of testFlags that take no value.
var boolFlags = []string{"check-determinism", "allow-leaks"}

// parseScheduleFlags takes test's own flags out of args, wherever they
// stand among go test's flags and packages (up to -args or --, after
// which everything is the test binary's), and returns the schedule they
// ask for (no seeds without -seeds, where only -clock may be given) and
// the rest, in order.
func parseScheduleFlags(args []string) (*testSchedule, []string, error) {
	s := &testSchedule{strategy: defaultStrategy, depth: defaultDepth, virtual: true, yield: true}
	var rest []string
	var seeds string
	given := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-args" || a == "--args" {
			rest = append(rest, args[i:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		name, value, hasValue := gocmd.Cut(a)
		if !slices.Contains(testFlags, name) {
			rest = append(rest, a)
			if !hasValue && gocmd.Lookup(strings.TrimPrefix(name, "test.")).Value && i+1 < len(args) {
				i++
				rest = append(rest, args[i])
			}
			continue
		}
		if slices.Contains(boolFlags, name) {
			on, err := strconv.ParseBool(cmp.Or(value, "true"))
			if err != nil {
				return nil, nil, fmt.Errorf("-%s=%s: want true or false", name, value)
			}
			if name == "check-determinism" {
				s.twice = on
			} else {
				s.allowLeaks = on
			}
			if on {
				given = true
				s.flags = append(s.flags, "-"+name)
			}
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return nil, nil, fmt.Errorf("flag -%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if err := s.set(name, value); err != nil {
			return nil, nil, err
		}
		switch name {
		case "seeds":
			seeds = value
		case "shard":
			s.shard = value
		case "batch":
			given = true
		case "replay":
			given = true
			abs, err := filepath.Abs(value)
			if err != nil {
				return nil, nil, fmt.Errorf("-replay=%s: %v", value, err)
			}
			if _, err := os.Stat(abs); err != nil {
				return nil, nil, fmt.Errorf("-replay=%s: %v", value, err)
			}
			s.replay = abs
			s.flags = append(s.flags, "-replay="+value)
		case "sched-trace":
			given = true
			s.trace = value
		default:
			given = given || name != "clock"
			s.flags = append(s.flags, "-"+name+"="+value)
		}
	}
	if seeds == "" {
		if given || s.shard != "" {
			return nil, nil, errors.New("-sched, -yield, -max-steps, -shard, -batch, -allow-leaks, -replay, -check-determinism and -sched-trace go with -seeds")
		}
		return s, rest, nil
	}
	var err error
	if s.seeds, err = parseSeeds(seeds); err != nil {
		return nil, nil, err
	}
	s.list = seeds
	if s.trace != "" && len(s.seeds) != 1 {
		return nil, nil, fmt.Errorf("-sched-trace=%s: draws one seed's schedule; give -seeds one seed (the one a run printed to replay)", s.trace)
	}
	if s.shard != "" {
		if s.seeds, err = shardSeeds(s.seeds, s.shard); err != nil {
			return nil, nil, err
		}
	}
	return s, rest, nil
}

// set sets the flag name (other than -seeds) to value.
func (s *testSchedule) set(name, value string) error {
	switch name {
	case "sched":
		strategy, arg, hasArg := strings.Cut(value, ":")
		switch {
		case strategy == "random" && !hasArg:
			s.strategy = schedule.Random
		case strategy == "fifo" && !hasArg:
			s.strategy = schedule.FIFO
		case strategy == "pct":
			s.strategy, s.depth = schedule.PCT, defaultDepth
			if hasArg {
				n, err := strconv.Atoi(arg)
				if err != nil || n < 0 || n > 100 {
					return fmt.Errorf("-sched=%s: want pct:N with N from 0 to 100 priority-change points", value)
				}
				s.depth = n
			}
		default:
			return fmt.Errorf("-sched=%s: want pct[:N], random or fifo", value)
		}
	case "clock":
		if value != "virtual" && value != "real" {
			return fmt.Errorf("-clock=%s: want virtual or real", value)
		}
		s.virtual = value == "virtual"
	case "yield":
		if value != "sync" && value != "blocking" {
			return fmt.Errorf("-yield=%s: want sync or blocking", value)
		}
		s.yield = value == "sync"
	case "batch":
		if value == "all" {
			s.batch = schedule.MaxSeeds
			break
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return fmt.Errorf("-batch=%s: want a number of seeds a test binary runs (0: as many as fill a second), or all", value)
		}
		s.batch = n
	case "max-steps":
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("-max-steps=%s: want a number of steps (0: no limit)", value)
		}
		s.maxSteps = n
	}
	return nil
}

// parseSeeds parses -seeds' list, such as 1-100 or 3,7,9-12.
func parseSeeds(list string) ([]uint64, error) {
	seeds, err := schedule.ParseSeeds(list, schedule.MaxSeeds)
	if err != nil {
		return nil, fmt.Errorf("-seeds=%s: %v", list, err)
	}
	return seeds, nil
}

// shardSeeds returns part I of N of seeds (-shard=I/N, I from 1): the
// seeds cut into N runs of consecutive seeds whose lengths differ by one
// at most, so that N CI jobs with I = 1..N run each seed exactly once.
func shardSeeds(seeds []uint64, shard string) ([]uint64, error) {
	is, ns, _ := strings.Cut(shard, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return nil, fmt.Errorf("-shard=%s: want I/N with 1 <= I <= N", shard)
	}
	lo, hi := len(seeds)*(i-1)/n, len(seeds)*i/n
	return seeds[lo:hi], nil
}

// sched returns the schedule of a run of seeds, the k-th run of each test
// under the k-th seed (no seeds: seed 0).
func (s *testSchedule) sched(seeds []uint64) schedule.Schedule {
	sched := schedule.Schedule{Strategy: s.strategy, Depth: s.depth, Virtual: s.virtual, Yield: s.yield, MaxSteps: s.maxSteps, Leaks: !s.allowLeaks, Replay: s.replay}
	if len(seeds) > 0 {
		sched.Seed = seeds[0]
	}
	if len(seeds) > 1 {
		sched.Seeds = schedule.FormatSeeds(seeds)
	}
	return sched
}

// describe names the strategy, yield mode and clock, as the identity and
// failure lines print them.
func (s *testSchedule) describe() string {
	sched := s.strategy.String()
	if s.strategy == schedule.PCT {
		sched += ":" + strconv.Itoa(s.depth)
	}
	yield, clock := "blocking", "real"
	if s.yield {
		yield = "sync"
	}
	if s.virtual {
		clock = "virtual"
	}
	d := "sched=" + sched + " yield=" + yield + " clock=" + clock
	if s.maxSteps > 0 {
		d += " max-steps=" + strconv.FormatInt(s.maxSteps, 10)
	}
	if s.allowLeaks {
		d += " allow-leaks"
	}
	if s.replay != "" {
		d += " replay"
	}
	if s.twice {
		d += " check-determinism"
	}
	return d
}

// A seedUnit is what one run of a test binary covers: a package's test
// binary, or (when the arguments need go test itself) one go test run of
// everything.
type seedUnit struct {
	name string
	// batch says whether one run may take many seeds: a test binary of
	// its own runs each test once a seed (-test.count), stopping at the
	// first failure (-test.failfast). A go test run of several packages
	// runs them side by side, which would mix their step files: it takes
	// one seed a run.
	batch bool
	// run runs the unit once under sched, each test count times,
	// writing to w what go test prints, and reports whether it passed.
	run func(ctx context.Context, w *bytes.Buffer, sched schedule.Schedule, count int) (passed bool, err error)
	// shrinkRun runs one top-level test once, for shrinking a failing
	// schedule; nil when the unit cannot (go test a seed).
	shrinkRun func(test string) shrinkRun
}

// testSeeds rewrites once and runs the tests under each seed's schedule:
// each package's test binary, built once when the arguments allow (see
// buildSeedBinaries), running many seeds a process, else go test a seed.
// It prints the run's identity first, then for each package the first
// failing seed's output whole with the command that replays it, and a
// summary line; the exit code is 1 if any seed failed.
func testSeeds(ctx context.Context, s *testSchedule, patch rewrite.PatchMode, args []string) error {
	runArgs, err := s.cutCount(args)
	if err != nil {
		return &usageError{err}
	}
	g := gocmd.Split(runArgs, false)
	ws, err := prepare(g, true, patch)
	if err != nil {
		return err
	}
	// With -json, standard output is go test's JSON stream alone; gopatch's
	// own lines go to standard error.
	status := stdout
	if slices.ContainsFunc(args, func(a string) bool { return a == "-json" || a == "--json" || strings.HasPrefix(a, "-json=") }) {
		status = stderr
	}
	fmt.Fprintf(status, "gopatch: %s\n", s.identity(ctx))
	sb, fast, err := buildSeedBinaries(ctx, ws, g)
	if err != nil {
		return err
	}
	var units []seedUnit
	replayArgs := func(string) []string { return args }
	if fast {
		// A package's replay names that package alone, when the patterns
		// name more.
		if len(sb.pkgs) > 1 {
			ga := gocmd.Split(args, false)
			replayArgs = func(pkg string) []string {
				return append(append(append([]string{}, ga.Flags...), pkg), ga.After...)
			}
		}
		defer sb.remove()
		for _, p := range sb.pkgs {
			if p.binary == "" {
				fmt.Fprintf(status, "?   \t%s\t[no test files]\n", p.path)
				continue
			}
			units = append(units, seedUnit{p.path, true, func(ctx context.Context, w *bytes.Buffer, sched schedule.Schedule, count int) (bool, error) {
				return sb.runPkg(ctx, w, p, sched, count)
			}, func(test string) shrinkRun {
				top, _, _ := strings.Cut(test, "/")
				return func(ctx context.Context, sched schedule.Schedule) (bool, []byte, error) {
					var w bytes.Buffer
					passed, err := sb.runPkg(ctx, &w, p, sched, 1, "-test.run=^"+regexp.QuoteMeta(top)+"$")
					return !passed, w.Bytes(), err
				}
			}})
		}
	} else {
		units = append(units, seedUnit{name: strings.Join(g.Packages, " "), run: func(ctx context.Context, w *bytes.Buffer, sched schedule.Schedule, count int) (bool, error) {
			goArgs := append(append([]string{"test"}, ws.Flags()...), "-count="+strconv.Itoa(count))
			cmd := gocmd.Command(ctx, append(goArgs, runArgs...)...)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, w, w
			cmd.Env = append(cmd.Env, sched.Env()...)
			err := cmd.Run()
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				return false, err
			}
			return err == nil, nil
		}})
	}
	s.dir = ws.Dir
	tmp, err := os.MkdirTemp(ws.Dir, "steps-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	failed := false
	for i, u := range units {
		// -sched-trace's file, one a package when there are more.
		traceOut := s.trace
		if traceOut != "" && len(units) > 1 {
			traceOut = fmt.Sprintf("%s.%d", s.trace, i+1)
		}
		ok, err := s.runUnit(ctx, u, filepath.Join(tmp, strconv.Itoa(i)), traceOut, status, patch, replayArgs(u.name))
		if err != nil {
			return err
		}
		failed = failed || !ok
	}
	if failed {
		return &exitError{1}
	}
	return nil
}

// cutCount takes go test's -count out of args (up to -args), where with
// -seeds it says how many times each seed runs each test, and returns the
// rest.
func (s *testSchedule) cutCount(args []string) ([]string, error) {
	s.repeat = 1
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-args" || a == "--args" {
			return append(rest, args[i:]...), nil
		}
		name, value, hasValue := gocmd.Cut(a)
		if !strings.HasPrefix(a, "-") || strings.TrimPrefix(name, "test.") != "count" {
			rest = append(rest, a)
			if strings.HasPrefix(a, "-") && !hasValue && gocmd.Lookup(strings.TrimPrefix(name, "test.")).Value && i+1 < len(args) {
				i++
				rest = append(rest, args[i])
			}
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return nil, errors.New("flag -count needs a value")
			}
			i++
			value = args[i]
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-count=%s: want a number of runs of each seed, at least 1", value)
		}
		s.repeat = n
	}
	return rest, nil
}

// batchTime is how long one test binary run of many seeds should take:
// long enough that starting the binary costs little beside its seeds, short
// enough that the progress line moves. At half a second, bench/seeds.sh ran
// 22,800-23,800 schedules a second; at a second, 24,600-25,600.
const batchTime = time.Second

// runUnit runs u under each seed until a seed fails, many seeds a binary
// run when u allows, and prints the summary line. stepsFile is where the
// unit's binaries write their step counts; traceOut, if not "", where
// -sched-trace's picture goes; args are go test's arguments for the replay
// command.
func (s *testSchedule) runUnit(ctx context.Context, u seedUnit, stepsFile, traceOut string, status io.Writer, patch rewrite.PatchMode, args []string) (bool, error) {
	var estimate string
	if s.strategy == schedule.PCT {
		// PCT places its change points among the steps a test takes:
		// count them in a FIFO run first. The run is a function of the
		// arguments alone, so a replay counts the same.
		estimate = stepsFile + ".estimate"
		est := s.sched(nil)
		est.Strategy, est.Stats, est.MaxSteps = schedule.FIFO, estimate, 0
		var out bytes.Buffer
		if _, err := u.run(ctx, &out, est, s.repeat); err != nil {
			return false, err
		}
	}
	st := newSeedStats(status, u.name, len(s.seeds))
	batch := 1 // the first run takes one seed, and times it
	if s.batch > 0 {
		batch = s.batch
	}
	for done := 0; done < len(s.seeds); {
		seeds := s.seeds[done:min(done+batch, len(s.seeds))]
		if !u.batch {
			seeds = seeds[:1]
		}
		sched := s.sched(seeds)
		sched.Steps, sched.Stats = estimate, stepsFile
		os.Remove(stepsFile)
		os.Remove(schedule.ProgressFile(stepsFile))
		if s.twice || s.trace != "" {
			sched.Trace = stepsFile + ".trace"
			os.Remove(sched.Trace)
		}
		var out bytes.Buffer
		start := time.Now()
		passed, err := u.run(ctx, &out, sched, len(seeds)*s.repeat)
		if err != nil {
			return false, err
		}
		took := time.Since(start)
		steps := readStepFile(stepsFile)
		st.add(steps)
		if traceOut != "" {
			if err := writeSchedTrace(sched.Trace, traceOut); err != nil {
				return false, err
			}
			fmt.Fprintf(status, "gopatch: %s: the schedule of seed %d is in %s\n", u.name, seeds[0], traceOut)
		}
		var failSeed uint64
		if !passed {
			failSeed = failingSeed(steps, stepsFile, seeds)
		}
		diverged := ""
		if s.twice {
			seed, d, err := runAgain(ctx, u, sched, len(seeds)*s.repeat, passed, steps)
			if err != nil {
				return false, err
			}
			if d != "" && (passed || slices.Index(seeds, seed) < slices.Index(seeds, failSeed)) {
				passed, failSeed, diverged = false, seed, d
			}
		}
		if passed {
			done += len(seeds)
			st.passed += len(seeds)
			st.progress()
			if u.batch && s.batch == 0 {
				batch = nextBatch(batch, len(seeds), took)
			}
			continue
		}
		before := seeds[:max(slices.Index(seeds, failSeed), 0)]
		st.passed += len(before)
		st.endProgress()
		replay := append([]string{"gopatch", "test", "-seeds=" + strconv.FormatUint(failSeed, 10)}, s.flags...)
		if diverged != "" {
			fmt.Fprintf(status, "gopatch: seed %d is not deterministic (%s): %s\n", failSeed, s.describe(), diverged)
		} else {
			alone, err := s.failureAlone(ctx, u, failSeed, before, estimate, stepsFile, &out)
			if err != nil {
				return false, err
			}
			stdout.Write(alone.Bytes())
			fmt.Fprintf(status, "gopatch: seed %d failed (%s)\n", failSeed, s.describe())
			if alone == &out && len(before) > 0 {
				// It fails only after the seeds before it in the same
				// binary: the replay runs them too.
				// -batch=1 runs every seed in a binary of its own.
				fmt.Fprintf(status, "gopatch: seed %d fails after seeds %s ran in the same test binary, and passes alone: the test depends on what their runs left behind (package state, goroutines that outlive a test)\n",
					failSeed, schedule.FormatSeeds(before))
				replay = append([]string{"gopatch", "test", "-seeds=" + schedule.FormatSeeds(append(slices.Clone(before), failSeed)), "-batch=all"}, s.flags...)
			}
		}
		if patch != rewrite.PatchAll {
			replay = append(replay, "-patch="+patch.String())
		}
		replay = append(replay, quoteArgs(args)...)
		fmt.Fprintf(status, "gopatch: replay with: %s\n", strings.Join(replay, " "))
		// A seed that fails alone (its replay names one seed) under a
		// strategy that preempts is shrunk.
		single := !strings.ContainsAny(strings.TrimPrefix(replay[2], "-seeds="), ",-")
		if test := failingTest(steps, failSeed); diverged == "" && single && test != "" && u.shrinkRun != nil && s.strategy != schedule.FIFO && s.replay == "" {
			base := s.sched([]uint64{failSeed})
			base.Steps = estimate
			if err := shrink(ctx, u.shrinkRun(test), base, test, s.dir, status, replay); err != nil {
				return false, err
			}
		}
		fmt.Fprintf(status, "gopatch: FAIL %s: %d seeds run, %d passed, 1 failed (seed %d); %s\n", u.name, st.passed+1, st.passed, failSeed, st.rates(st.passed+1))
		return false, nil
	}
	st.endProgress()
	fmt.Fprintf(status, "gopatch: ok   %s: %d seeds passed; %s\n", u.name, st.passed, st.rates(st.passed))
	return true, nil
}

// failureAlone runs seed, which failed in a run after the seeds before,
// alone, as its replay will, and returns that run's output when it fails
// there too, else batchOut, the output of the run it failed in. A seed
// that failed first in its run is not run again.
func (s *testSchedule) failureAlone(ctx context.Context, u seedUnit, seed uint64, before []uint64, estimate, stepsFile string, batchOut *bytes.Buffer) (*bytes.Buffer, error) {
	if len(before) == 0 {
		return batchOut, nil
	}
	sched := s.sched([]uint64{seed})
	sched.Steps, sched.Stats = estimate, stepsFile+".alone"
	var out bytes.Buffer
	passed, err := u.run(ctx, &out, sched, s.repeat)
	if err != nil || passed {
		return batchOut, err
	}
	return &out, nil
}

// failingTest returns the first test that failed under seed, as the step
// file records it ("" for none: the binary died).
func failingTest(f schedule.StepFile, seed uint64) string {
	for _, r := range f.Runs {
		if r.Failed && r.Seed == seed {
			return r.Test
		}
	}
	return ""
}

// nextBatch returns how many seeds the next binary run takes, after a
// run of n seeds that took took: as many as fill batchTime at that pace,
// at most eight times as many as before, so that a slow seed ahead costs
// little.
func nextBatch(batch, n int, took time.Duration) int {
	per := took / time.Duration(n)
	want := schedule.MaxSeeds
	if per > 0 {
		want = int(batchTime / per)
	}
	return max(1, min(want, 8*batch))
}

// failingSeed returns the seed under which a run of seeds failed: that of
// the first failing test its step file f, named stats, records, else the
// last seed whose runs began (the binary died in it: a panic, a timeout),
// as its progress file or its seed lines say, else the first.
func failingSeed(f schedule.StepFile, stats string, seeds []uint64) uint64 {
	for _, r := range f.Runs {
		if r.Failed {
			return r.Seed
		}
	}
	if seed, ok := schedule.ReadProgress(schedule.ProgressFile(stats)); ok {
		return seed
	}
	if n := len(f.Started); n > 0 {
		return f.Started[n-1]
	}
	return seeds[0]
}

// readStepFile reads the step file name; a run that wrote none (no test
// ran) has none.
func readStepFile(name string) schedule.StepFile {
	f, err := os.Open(name)
	if err != nil {
		return schedule.StepFile{}
	}
	defer f.Close()
	sf, _ := schedule.ReadSteps(f)
	return sf
}

// runAgain runs u a second time under sched, which names a trace file
// that the first run wrote, and describes how the second run differs:
// another result, or the first step where another greenlet ran ("" for
// none), with the seed it differs in. Map iteration order, unseeded
// math/rand and real I/O make a schedule vary; the seed fixes everything
// else.
func runAgain(ctx context.Context, u seedUnit, sched schedule.Schedule, count int, passed bool, steps schedule.StepFile) (uint64, string, error) {
	first, firstStats := sched.Trace, sched.Stats
	sched.Trace, sched.Stats = first+".again", sched.Stats+".again"
	os.Remove(sched.Trace)
	os.Remove(sched.Stats)
	os.Remove(schedule.ProgressFile(sched.Stats))
	var out bytes.Buffer
	again, err := u.run(ctx, &out, sched, count)
	if err != nil {
		return 0, "", err
	}
	if again != passed {
		if !passed {
			return failingSeed(steps, firstStats, []uint64{sched.Seed}), "the first run failed, the second passed", nil
		}
		return failingSeed(readStepFile(sched.Stats), sched.Stats, []uint64{sched.Seed}), "the first run passed, the second failed", nil
	}
	read := func(name string) []schedule.Trace {
		f, err := os.Open(name)
		if err != nil {
			return nil
		}
		defer f.Close()
		ts, _ := schedule.ReadTraces(f)
		return ts
	}
	seed, d := schedule.Diverge(read(first), read(sched.Trace))
	return seed, d, nil
}

// seedStats sums up the seeds one unit has run, and shows how far it has
// got: a line that updates in place on a terminal, elsewhere a line every
// few seconds.
type seedStats struct {
	w                 io.Writer
	name              string
	total             int
	terminal          bool
	shown             bool // a progress line is on the terminal
	start, lastReport time.Time
	passed            int
	steps             []int64 // every test's steps of every run
}

func newSeedStats(w io.Writer, name string, total int) *seedStats {
	now := time.Now()
	return &seedStats{w: w, name: name, total: total, terminal: isTerminal(w), start: now, lastReport: now}
}

// add takes in the step counts of one run's step file.
func (st *seedStats) add(f schedule.StepFile) {
	for _, r := range f.Runs {
		st.steps = append(st.steps, r.Steps)
	}
}

// progress shows how many seeds have passed so far.
func (st *seedStats) progress() {
	if st.passed == st.total {
		return
	}
	line := fmt.Sprintf("gopatch: %s: %d of %d seeds passed so far; %s", st.name, st.passed, st.total, st.rates(st.passed))
	switch {
	case st.terminal:
		fmt.Fprintf(st.w, "\r\033[K%s", line)
		st.shown = true
	case time.Since(st.lastReport) > 5*time.Second:
		st.lastReport = time.Now()
		fmt.Fprintln(st.w, line)
	}
}

// endProgress clears the progress line, if one is shown.
func (st *seedStats) endProgress() {
	if st.shown {
		fmt.Fprint(st.w, "\r\033[K")
		st.shown = false
	}
}

// rates says how fast the schedules ran (runs of them, so far) and how
// many steps a test took.
func (st *seedStats) rates(runs int) string {
	r := fmt.Sprintf("%.0f schedules/s", float64(runs)/time.Since(st.start).Seconds())
	if len(st.steps) == 0 {
		return r
	}
	lo, hi, sum := st.steps[0], st.steps[0], int64(0)
	for _, n := range st.steps {
		lo, hi, sum = min(lo, n), max(hi, n), sum+n
	}
	return r + fmt.Sprintf("; steps a test min %d, avg %.1f, max %d", lo, float64(sum)/float64(len(st.steps)), hi)
}

// isTerminal reports whether w is a terminal, where a line can be
// rewritten in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// identity is what the run prints first: everything that decides its
// schedules, so that a log says how to run them again.
func (s *testSchedule) identity(ctx context.Context) string {
	seeds := "seeds=" + s.list
	if s.shard != "" {
		seeds += " shard=" + s.shard
		if len(s.seeds) > 0 {
			seeds += fmt.Sprintf(" (seeds %d-%d of the list)", s.seeds[0], s.seeds[len(s.seeds)-1])
		} else {
			seeds += " (no seeds)"
		}
	}
	return fmt.Sprintf("%s %s; gopatch %s", seeds, s.describe(), versions(ctx))
}

// quoteArgs quotes the arguments a shell would split or expand.
func quoteArgs(args []string) []string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]|&;<>()#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		q[i] = a
	}
	return q
}

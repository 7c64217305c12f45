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
var testFlags = []string{"seeds", "sched", "clock", "yield", "max-steps", "shard", "check-determinism", "sched-trace"}

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
		if name == "check-determinism" {
			on, err := strconv.ParseBool(cmp.Or(value, "true"))
			if err != nil {
				return nil, nil, fmt.Errorf("-check-determinism=%s: want true or false", value)
			}
			s.twice = on
			if on {
				given = true
				s.flags = append(s.flags, "-check-determinism")
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
			return nil, nil, errors.New("-sched, -yield, -max-steps, -shard, -check-determinism and -sched-trace go with -seeds")
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
	case "max-steps":
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("-max-steps=%s: want a number of steps (0: no limit)", value)
		}
		s.maxSteps = n
	}
	return nil
}

// maxSeeds bounds one -seeds list, so that a typo (1-10000000) does not
// start a run of days.
const maxSeeds = 100_000

// parseSeeds parses a list such as 1-100 or 3,7,9-12.
func parseSeeds(list string) ([]uint64, error) {
	var seeds []uint64
	for part := range strings.SplitSeq(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseUint(lo, 10, 64)
		b := a
		if err == nil && isRange {
			b, err = strconv.ParseUint(hi, 10, 64)
		}
		if err != nil || b < a {
			return nil, fmt.Errorf("-seeds=%s: %q is not a seed or a range of seeds (lo-hi)", list, part)
		}
		if b-a >= maxSeeds || len(seeds)+int(b-a+1) > maxSeeds {
			return nil, fmt.Errorf("-seeds=%s: more than %d seeds", list, maxSeeds)
		}
		for v := a; ; v++ {
			seeds = append(seeds, v)
			if v == b {
				break
			}
		}
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

// sched returns the schedule of one seed.
func (s *testSchedule) sched(seed uint64) schedule.Schedule {
	return schedule.Schedule{Strategy: s.strategy, Seed: seed, Depth: s.depth, Virtual: s.virtual, Yield: s.yield, MaxSteps: s.maxSteps}
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
	if s.twice {
		d += " check-determinism"
	}
	return d
}

// A seedUnit is what one schedule runs: a package's test binary, or (when
// the arguments need go test itself) one go test run of everything.
type seedUnit struct {
	name string
	run  func(ctx context.Context, w *bytes.Buffer, sched schedule.Schedule) (passed bool, err error)
}

// testSeeds rewrites once and runs the tests once a seed, with the seed's
// schedule in the environment: each package's test binary, built once when
// the arguments allow (see buildSeedBinaries), else go test -count=1 a
// seed. It prints the run's identity first, then for each package the
// first failing seed's output whole with the command that replays it, and
// a summary line; the exit code is 1 if any seed failed.
func testSeeds(ctx context.Context, s *testSchedule, patch rewrite.PatchMode, args []string) error {
	g := gocmd.Split(args, false)
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
			replayArgs = func(pkg string) []string {
				return append(append(append([]string{}, g.Flags...), pkg), g.After...)
			}
		}
		defer sb.remove()
		for _, p := range sb.pkgs {
			if p.binary == "" {
				fmt.Fprintf(status, "?   \t%s\t[no test files]\n", p.path)
				continue
			}
			units = append(units, seedUnit{p.path, func(ctx context.Context, w *bytes.Buffer, sched schedule.Schedule) (bool, error) {
				return sb.runPkg(ctx, w, p, sched)
			}})
		}
	} else {
		goArgs := append(append(append([]string{"test"}, ws.Flags()...), "-count=1"), args...)
		units = append(units, seedUnit{strings.Join(g.Packages, " "), func(ctx context.Context, w *bytes.Buffer, sched schedule.Schedule) (bool, error) {
			cmd := gocmd.Command(ctx, goArgs...)
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

// runUnit runs u once a seed until a seed fails, and prints the summary
// line. stepsFile is where the unit's binaries write their step counts;
// traceOut, if not "", where -sched-trace's picture goes; args are go
// test's arguments for the replay command.
func (s *testSchedule) runUnit(ctx context.Context, u seedUnit, stepsFile, traceOut string, status io.Writer, patch rewrite.PatchMode, args []string) (bool, error) {
	var estimate string
	if s.strategy == schedule.PCT {
		// PCT places its change points among the steps a test takes:
		// count them in a FIFO run first. The run is a function of the
		// arguments alone, so a replay counts the same.
		estimate = stepsFile + ".estimate"
		est := s.sched(0)
		est.Strategy, est.Stats, est.MaxSteps = schedule.FIFO, estimate, 0
		var out bytes.Buffer
		if _, err := u.run(ctx, &out, est); err != nil {
			return false, err
		}
	}
	st := seedStats{start: time.Now(), lastReport: time.Now()}
	for _, seed := range s.seeds {
		sched := s.sched(seed)
		sched.Steps, sched.Stats = estimate, stepsFile
		os.Remove(stepsFile)
		var out bytes.Buffer
		if s.twice || s.trace != "" {
			sched.Trace = stepsFile + ".trace"
			os.Remove(sched.Trace)
		}
		passed, err := u.run(ctx, &out, sched)
		if err != nil {
			return false, err
		}
		if traceOut != "" {
			if err := writeSchedTrace(sched.Trace, traceOut); err != nil {
				return false, err
			}
			fmt.Fprintf(status, "gopatch: %s: the schedule of seed %d is in %s\n", u.name, seed, traceOut)
		}
		st.add(stepsFile)
		diverged := ""
		if s.twice {
			if diverged, err = runAgain(ctx, u, sched, passed); err != nil {
				return false, err
			}
		}
		if diverged != "" {
			fmt.Fprintf(status, "gopatch: seed %d is not deterministic (%s): %s\n", seed, s.describe(), diverged)
			passed = false
		}
		if passed {
			st.passed++
			if time.Since(st.lastReport) > 5*time.Second {
				st.lastReport = time.Now()
				fmt.Fprintf(status, "gopatch: %s: %d of %d seeds passed so far\n", u.name, st.passed, len(s.seeds))
			}
			continue
		}
		if diverged == "" {
			stdout.Write(out.Bytes())
			fmt.Fprintf(status, "gopatch: seed %d failed (%s)\n", seed, s.describe())
		}
		replay := append([]string{"gopatch", "test", "-seeds=" + strconv.FormatUint(seed, 10)}, s.flags...)
		if patch != rewrite.PatchAll {
			replay = append(replay, "-patch="+patch.String())
		}
		fmt.Fprintf(status, "gopatch: replay with: %s\n", strings.Join(append(replay, quoteArgs(args)...), " "))
		fmt.Fprintf(status, "gopatch: FAIL %s: %d seeds run, %d passed, 1 failed (seed %d); %s\n", u.name, st.passed+1, st.passed, seed, st.rates())
		return false, nil
	}
	fmt.Fprintf(status, "gopatch: ok   %s: %d seeds passed; %s\n", u.name, st.passed, st.rates())
	return true, nil
}

// runAgain runs u a second time under sched, which names a trace file
// that the first run wrote, and describes how the second run differs:
// another result, or the first step where another greenlet ran ("" for
// none). Map iteration order, unseeded math/rand and real I/O make a
// schedule vary; the seed fixes everything else.
func runAgain(ctx context.Context, u seedUnit, sched schedule.Schedule, passed bool) (string, error) {
	first := sched.Trace
	sched.Trace = first + ".again"
	os.Remove(sched.Trace)
	var out bytes.Buffer
	again, err := u.run(ctx, &out, sched)
	if err != nil {
		return "", err
	}
	if again != passed {
		return fmt.Sprintf("the first run passed: %v, the second: %v", passed, again), nil
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
	return schedule.Diverge(read(first), read(sched.Trace)), nil
}

// seedStats sums up the seeds one unit has run.
type seedStats struct {
	start, lastReport time.Time
	passed            int
	runs              int     // runs with step counts
	steps             []int64 // every test's steps of every run
}

// add takes in the step counts of one run's step file.
func (st *seedStats) add(file string) {
	st.runs++
	f, err := os.Open(file)
	if err != nil {
		return
	}
	defer f.Close()
	counts, _, _ := schedule.ReadSteps(f)
	st.steps = append(st.steps, counts...)
}

// rates says how fast the schedules ran and how many steps a test took.
func (st *seedStats) rates() string {
	r := fmt.Sprintf("%.0f schedules/s", float64(st.runs)/time.Since(st.start).Seconds())
	if len(st.steps) == 0 {
		return r
	}
	lo, hi, sum := st.steps[0], st.steps[0], int64(0)
	for _, n := range st.steps {
		lo, hi, sum = min(lo, n), max(hi, n), sum+n
	}
	return r + fmt.Sprintf("; steps a test min %d, avg %.1f, max %d", lo, float64(sum)/float64(len(st.steps)), hi)
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

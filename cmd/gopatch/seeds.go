// This file holds gopatch test -seeds: one go test run a seed, each under
// that seed's schedule, until one fails.

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"github.com/gopatch/gopatch/internal/gocmd"
	"github.com/gopatch/gopatch/rewrite"
	"github.com/gopatch/gopatch/rt/schedule"
)

// testSchedule is what test's own flags ask for.
type testSchedule struct {
	seeds []uint64
	sched string   // "random" or "fifo"
	clock string   // "virtual" or "real"
	flags []string // the flags as given, for the replay command
}

// parseScheduleFlags takes -seeds, -sched and -clock off the front of args
// and returns the schedule they ask for (nil without -seeds) and the rest.
func parseScheduleFlags(args []string) (*testSchedule, []string, error) {
	s := &testSchedule{sched: "random", clock: "virtual"}
	var seeds string
	i := 0
	for ; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !strings.HasPrefix(args[i], "-") || (name != "seeds" && name != "sched" && name != "clock") {
			break
		}
		if !hasValue {
			if i+1 == len(args) {
				return nil, nil, fmt.Errorf("flag -%s needs a value", name)
			}
			i++
			value = args[i]
		}
		switch name {
		case "seeds":
			seeds = value
		case "sched":
			if value != "random" && value != "fifo" {
				return nil, nil, fmt.Errorf("-sched=%s: want random or fifo", value)
			}
			s.sched = value
		case "clock":
			if value != "virtual" && value != "real" {
				return nil, nil, fmt.Errorf("-clock=%s: want virtual or real", value)
			}
			s.clock = value
		}
		s.flags = append(s.flags, "-"+name+"="+value)
	}
	rest := args[i:]
	if hasScheduleFlag(rest) {
		return nil, nil, errors.New("-seeds, -sched and -clock must come before go test's flags")
	}
	if seeds == "" {
		if len(s.flags) > 0 {
			return nil, nil, errors.New("-sched and -clock go with -seeds")
		}
		return nil, rest, nil
	}
	var err error
	if s.seeds, err = parseSeeds(seeds); err != nil {
		return nil, nil, err
	}
	return s, rest, nil
}

// hasScheduleFlag reports whether args start with one of test's own flags.
func hasScheduleFlag(args []string) bool {
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "seeds" || name == "sched" || name == "clock") {
			return true
		}
	}
	return false
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

// testSeeds rewrites once and runs the tests once a seed, with the seed's
// schedule in the environment: on test binaries built once when the
// arguments allow (see buildSeedBinaries), else with go test -count=1 a
// seed. It prints a line a seed; the first failing run's output is printed
// whole, with the command that replays it, and the exit code is go test's.
func testSeeds(ctx context.Context, s *testSchedule, patch rewrite.PatchMode, args []string) error {
	g := gocmd.Split(args, false)
	ws, err := prepare(g, true, patch)
	if err != nil {
		return err
	}
	sb, fast, err := buildSeedBinaries(ctx, ws, g)
	if err != nil {
		return err
	}
	if fast {
		defer sb.remove()
	}
	goArgs := append(append(append([]string{"test"}, ws.Flags()...), "-count=1"), args...)
	// With -json, standard output is go test's JSON stream alone; gopatch's
	// own lines go to standard error.
	status := stdout
	if slices.ContainsFunc(args, func(a string) bool { return a == "-json" || a == "--json" || strings.HasPrefix(a, "-json=") }) {
		status = stderr
	}
	for _, seed := range s.seeds {
		sched := schedule.Schedule{Seeded: s.sched == "random", Seed: seed, Virtual: s.clock == "virtual"}
		var out bytes.Buffer
		passed, code := false, 1
		if fast {
			if passed, err = sb.run(ctx, &out, sched); err != nil {
				return err
			}
		} else {
			cmd := gocmd.Command(ctx, goArgs...)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, &out, &out
			cmd.Env = append(cmd.Env, sched.Env()...)
			err := cmd.Run()
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				return err
			}
			if passed = err == nil; !passed {
				code = ee.ExitCode()
			}
		}
		if passed {
			fmt.Fprintf(status, "gopatch: seed %d (sched=%s, clock=%s): ok\n", seed, s.sched, s.clock)
			continue
		}
		stdout.Write(out.Bytes())
		fmt.Fprintf(status, "gopatch: seed %d (sched=%s, clock=%s): FAIL\n", seed, s.sched, s.clock)
		replay := append([]string{"gopatch", "test", "-seeds=" + strconv.FormatUint(seed, 10)}, s.otherFlags()...)
		if patch != rewrite.PatchAll {
			replay = append(replay, "-patch="+patch.String())
		}
		fmt.Fprintf(status, "gopatch: replay with: %s\n", strings.Join(append(replay, quoteArgs(args)...), " "))
		return &exitError{code}
	}
	fmt.Fprintf(status, "gopatch: %d seeds passed (sched=%s, clock=%s)\n", len(s.seeds), s.sched, s.clock)
	return nil
}

// otherFlags returns the -sched and -clock flags as given.
func (s *testSchedule) otherFlags() []string {
	var fs []string
	for _, f := range s.flags {
		if !strings.HasPrefix(f, "-seeds=") {
			fs = append(fs, f)
		}
	}
	return fs
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

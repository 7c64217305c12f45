package main

import (
	"context"
	"os"

	"github.com/gopatch/gopatch/rt/schedule"
)

var testCmd = &command{
	Name:      "test",
	UsageLine: "test [-patch m] [-seeds list [-sched s] [-yield y] [-clock c] [-max-steps n] [-shard i/n] [-batch n] [-allow-leaks] [-replay file] [-check-determinism] [-sched-trace file]] [build/test flags] [packages] [test binary flags]",
	Short:     "rewrite and test packages",
	Long: `
Test rewrites the named packages and their tests, each TestXxx body running
as the main greenlet of a hub, and the dependency modules they use (not
their tests), and runs "go test" on the result. Flags are go test's, and
gopatch's own, which may stand anywhere among them:
` + patchUsage + `	-seeds list   run each package's tests once for each seed of list (1-100,
	              or 3,7,9-12), each time under that seed's schedule, and
	              stop at a package's first seed that fails, printing the
	              command that replays it and a summary line a package.
	              One test binary runs many seeds, as go test -count runs
	              a test many times (with -count=n, each seed n times)
	-sched s      how a seed orders the runnable greenlets and the ready cases
	              of a select: random (the default with -seeds: a uniform
	              choice at every step), pct[:N] (PCT with N priority-change
	              points, 3 by default, placed among the steps a first FIFO
	              run counts) or fifo (gevent's order)
	-yield y      sync (the default with -seeds): every channel operation,
	              lock and unlock, WaitGroup, Cond and Once operation and
	              clock read is a point where the schedule may switch; or
	              blocking: it switches only where a greenlet blocks or yields
	-clock c      virtual (the default): time starts at 2000-01-01, jumps to
	              the next timer when every greenlet of every test waits,
	              and moves on a microsecond at every clock read; or real.
	              Without -seeds the greenlets run in Go's order
	-max-steps n  fail a test that takes more than n scheduling steps: a
	              livelock or a spin loop (0, the default: no limit)
	-shard i/n    run only the i-th of n equal parts of the seed list, so
	              that n CI jobs share one list
	-allow-leaks  let greenlets outlive their test: without it, a test whose
	              greenlets are still alive once it and its cleanups have
	              returned, and have had a second of the test's time to
	              end, fails with a report of each (goroutines left behind
	              make a schedule depend on the tests before it)
	-replay file  replay the schedules a shrink wrote to file for the tests
	              it lists (after a seed fails, gopatch test looks for a
	              schedule of the failing test with fewer preemptions that
	              fails the same way, writes it under .gopatch/schedules
	              and prints the command that replays it)
	-batch n      run at most n seeds in one test binary (0, the default:
	              as many as fill a second; all: every seed in one);
	              -batch=1 gives each seed a fresh process, for tests that
	              cannot run twice in one
	-check-determinism
	              run each seed twice and fail it when the runs differ:
	              another result, or another greenlet run at some step (the
	              first such step is printed)
	-sched-trace file
	              with one seed: write its schedule to file as Chrome
	              trace-event JSON (open it in Perfetto): a track a greenlet,
	              a slice a step. (go test's own -trace is the execution
	              tracer's, and stays go test's.)

Without -seeds, a test is deterministic too: Go's order (oldest first, but
a new or woken goroutine next, as Go's runtime does at GOMAXPROCS=1) on the
virtual clock, which starts at the same instant for each test that runs alone.
With -seeds, a run prints its identity first (the seeds, the schedule, gopatch's and
Go's versions). One seed gives one schedule: a test that fails under it
fails the same way when it runs again alone, as long as the test does
nothing else that varies (real I/O, map order, unseeded math/rand). The
exit code is go test's without -seeds; with it, 1 when some seed failed.
`,
	Run: func(ctx context.Context, args []string) error {
		sched, rest, err := parseScheduleFlags(args)
		if err != nil {
			return &usageError{err}
		}
		patch, rest, err := cutPatchFlag(rest)
		if err != nil {
			return &usageError{err}
		}
		if sched.seeds == nil {
			// Plain gopatch test runs FIFO on the virtual clock too (the
			// test binary's one clock, rt/testclock.go), so that it is
			// deterministic and a test that sleeps an hour takes no time;
			// -clock=real opts out. The test binaries read it from the
			// environment, which go test passes on and keys its test
			// cache with.
			clock := "real"
			if sched.virtual {
				clock = "virtual"
			}
			os.Setenv(schedule.ClockEnv, clock)
			return goVerb("test", true)(ctx, append([]string{"-patch=" + patch.String()}, rest...))
		}
		return testSeeds(ctx, sched, patch, rest)
	},
}

package main

import "context"

var testCmd = &command{
	Name:      "test",
	UsageLine: "test [-patch m] [-seeds list [-sched s] [-clock c]] [build/test flags] [packages] [test binary flags]",
	Short:     "rewrite and test packages",
	Long: `
Test rewrites the named packages and their tests, each TestXxx body running
as the main greenlet of a hub, and the dependency modules they use (not
their tests), and runs "go test" on the result. Flags are go test's, apart
from four of gopatch's own, which come first:
` + patchUsage + `	-seeds list   run the tests once for each seed of list (1-100, or 3,7,9-12),
	              each time under that seed's schedule, and stop at the first
	              seed whose run fails, printing the command that replays it
	-sched s      how a seed orders the runnable greenlets and the ready cases
	              of a select: random (the default with -seeds) or fifo
	-clock c      virtual (the default with -seeds): time starts at 2000-01-01
	              and jumps to the next timer when every greenlet waits; or real

One seed gives one schedule: a test that fails under it fails the same way
when it runs again alone, as long as the test does nothing else that
varies (real I/O, map order, unseeded math/rand). The exit code is go
test's: that of the failing seed's run, or 0 when every seed passes.
`,
	Run: func(ctx context.Context, args []string) error {
		patch, args, err := cutPatchFlag(args)
		if err != nil {
			return &usageError{err}
		}
		sched, rest, err := parseScheduleFlags(args)
		if err != nil {
			return &usageError{err}
		}
		if sched == nil {
			return goVerb("test", true)(ctx, append([]string{"-patch=" + patch.String()}, rest...))
		}
		return testSeeds(ctx, sched, patch, rest)
	},
}

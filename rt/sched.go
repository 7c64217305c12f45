// This file reads the schedule that gopatch test -seeds asks a test binary
// for, through its environment, and turns it into each test hub's policy
// and clock.

package rt

import (
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
	"strings"
	"sync"
)

// The environment variables through which gopatch test -seeds passes a
// schedule to the test binary it runs. SchedEnv is "fifo" (the default) or
// "random:SEED", a seeded choice among runnable greenlets and ready select
// cases; ClockEnv is "real" (the default) or "virtual", a virtual clock
// from [DefaultEpoch] that jumps to the next timer when every greenlet
// waits.
const (
	SchedEnv = "GOPATCH_SCHED"
	ClockEnv = "GOPATCH_CLOCK"
)

// schedule is what SchedEnv and ClockEnv ask for.
type schedule struct {
	seeded  bool
	seed    uint64
	virtual bool
}

var envSchedule = sync.OnceValues(func() (schedule, error) {
	return parseSchedule(os.Getenv(SchedEnv), os.Getenv(ClockEnv))
})

// parseSchedule parses the values of SchedEnv and ClockEnv.
func parseSchedule(sched, clock string) (schedule, error) {
	var s schedule
	switch name, arg, _ := strings.Cut(sched, ":"); name {
	case "", "fifo":
		if arg != "" {
			return s, fmt.Errorf("%s=%q: fifo takes no seed", SchedEnv, sched)
		}
	case "random":
		seed, err := strconv.ParseUint(arg, 10, 64)
		if err != nil {
			return s, fmt.Errorf("%s=%q: want random:SEED with a decimal SEED", SchedEnv, sched)
		}
		s.seeded, s.seed = true, seed
	default:
		return s, fmt.Errorf("%s=%q: want fifo or random:SEED", SchedEnv, sched)
	}
	switch clock {
	case "", "real":
	case "virtual":
		s.virtual = true
	default:
		return s, fmt.Errorf("%s=%q: want real or virtual", ClockEnv, clock)
	}
	return s, nil
}

// seededSchedule reports whether the environment asks for a seeded
// schedule.
func seededSchedule() bool {
	s, err := envSchedule()
	return err == nil && s.seeded
}

// testScheduleOptions returns the options of the hub of the test named
// name under the schedule of the environment. Each test's seed is the
// run's seed mixed with the test's name, so that a test replays the same
// schedule when it runs alone (-run) as when it runs among the others.
func testScheduleOptions(name string) []Option {
	s, err := envSchedule()
	if err != nil {
		panic("rt: " + err.Error())
	}
	var opts []Option
	if s.seeded {
		h := fnv.New64a()
		h.Write([]byte(name))
		opts = append(opts, WithPolicy(NewSeeded(s.seed^h.Sum64())))
	}
	if s.virtual {
		opts = append(opts, WithVirtualClock())
	}
	return opts
}

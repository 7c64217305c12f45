// This file reads the schedule that gopatch test -seeds asks a test binary
// for, through its environment, and turns it into each test hub's policy
// and clock.

package rt

import (
	"hash/fnv"
	"os"
	"sync"

	"github.com/gopatch/gopatch/rt/schedule"
)

// SchedEnv and ClockEnv are the environment variables through which
// gopatch test -seeds passes a schedule (see package schedule, which owns
// the protocol).
const (
	SchedEnv = schedule.SchedEnv
	ClockEnv = schedule.ClockEnv
)

var envSchedule = sync.OnceValues(func() (schedule.Schedule, error) {
	return schedule.Parse(os.Getenv(SchedEnv), os.Getenv(ClockEnv))
})

// seededSchedule reports whether the environment asks for a seeded
// schedule.
func seededSchedule() bool {
	s, err := envSchedule()
	return err == nil && s.Seeded
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
	if s.Seeded {
		h := fnv.New64a()
		h.Write([]byte(name))
		opts = append(opts, WithPolicy(NewSeeded(s.Seed^h.Sum64())))
	}
	if s.Virtual {
		opts = append(opts, WithVirtualClock())
	}
	return opts
}

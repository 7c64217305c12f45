// Package schedule is the protocol by which gopatch test -seeds tells a
// test binary which schedule to run under: two environment variables and
// the grammar of their values. The CLI writes them and rt reads them, both
// through this package, so the protocol is written once.
//
// It lives under rt, and imports only the standard library below rt, so
// that the rt copy gopatch writes next to rewritten code carries it.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// The environment variables that carry a schedule. SchedEnv is "fifo" (the
// default) or "random:SEED", a seeded choice among runnable greenlets and
// ready select cases; ClockEnv is "real" (the default) or "virtual", a
// virtual clock that jumps to the next timer when every greenlet waits.
const (
	SchedEnv = "GOPATCH_SCHED"
	ClockEnv = "GOPATCH_CLOCK"
)

// A Schedule is what one run of a test binary is asked for.
type Schedule struct {
	Seeded  bool   // a seeded random choice, not FIFO
	Seed    uint64 // the run's seed, when Seeded
	Virtual bool   // a virtual clock, not the real one
}

// Parse parses the values of SchedEnv and ClockEnv ("" means the default).
func Parse(sched, clock string) (Schedule, error) {
	var s Schedule
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
		s.Seeded, s.Seed = true, seed
	default:
		return s, fmt.Errorf("%s=%q: want fifo or random:SEED", SchedEnv, sched)
	}
	switch clock {
	case "", "real":
	case "virtual":
		s.Virtual = true
	default:
		return s, fmt.Errorf("%s=%q: want real or virtual", ClockEnv, clock)
	}
	return s, nil
}

// Env returns the environment entries that ask a test binary for s.
func (s Schedule) Env() []string {
	sched, clock := "fifo", "real"
	if s.Seeded {
		sched = "random:" + strconv.FormatUint(s.Seed, 10)
	}
	if s.Virtual {
		clock = "virtual"
	}
	return []string{SchedEnv + "=" + sched, ClockEnv + "=" + clock}
}

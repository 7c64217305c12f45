package rt

import (
	"strings"
	"testing"

	"github.com/gopatch/gopatch/rt/schedule"
)

// Under a seeded schedule each test's hub has its own seed, from the run's
// seed and the test's name, so the order of its greenlets is a function of
// the two.
func TestTestScheduleOptionsSeedEachTest(t *testing.T) {
	saved := envSchedule
	defer func() { envSchedule = saved }()
	envSchedule = func() (schedule.Schedule, error) {
		return schedule.Schedule{Strategy: schedule.Random, Seed: 1, Virtual: true}, nil
	}
	order := func(name string) string {
		var b strings.Builder
		Run(func() {
			var gs []*Greenlet
			for i := range 8 {
				gs = append(gs, Spawn(func() any { b.WriteByte(byte('0' + i)); return nil }))
			}
			JoinAll(gs, -1)
			if _, virtual := currentHub().clock.(*VirtualClock); !virtual {
				t.Error("the hub's clock is not virtual")
			}
		}, opts(testScheduleOptions(name))...)
		return b.String()
	}
	a, again, other := order("TestA"), order("TestA"), order("TestB")
	if a != again {
		t.Errorf("TestA ran its greenlets in order %s, then %s", a, again)
	}
	if a == "01234567" && other == "01234567" {
		t.Errorf("both tests ran their greenlets in spawn order: the seed is not used")
	}
	if a == other {
		t.Errorf("TestA and TestB share the order %s: the name is not mixed in", a)
	}
}

func opts(o []Option, _ *testPolicy) []Option { return o }

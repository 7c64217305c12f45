package rt

import (
	"strings"
	"testing"
)

func TestParseSchedule(t *testing.T) {
	for _, tc := range []struct {
		sched, clock string
		want         schedule
		err          string
	}{
		{"", "", schedule{}, ""},
		{"fifo", "real", schedule{}, ""},
		{"random:42", "", schedule{seeded: true, seed: 42}, ""},
		{"random:7", "virtual", schedule{seeded: true, seed: 7, virtual: true}, ""},
		{"random", "", schedule{}, "want random:SEED"},
		{"random:-1", "", schedule{}, "want random:SEED"},
		{"fifo:3", "", schedule{}, "fifo takes no seed"},
		{"pct:3", "", schedule{}, "want fifo or random:SEED"},
		{"", "slow", schedule{}, "want real or virtual"},
	} {
		got, err := parseSchedule(tc.sched, tc.clock)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseSchedule(%q, %q) error %v; want one saying %q", tc.sched, tc.clock, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseSchedule(%q, %q) = %+v, %v; want %+v", tc.sched, tc.clock, got, err, tc.want)
		}
	}
}

// Under a seeded schedule each test's hub has its own seed, from the run's
// seed and the test's name, so the order of its greenlets is a function of
// the two.
func TestTestScheduleOptionsSeedEachTest(t *testing.T) {
	saved := envSchedule
	defer func() { envSchedule = saved }()
	envSchedule = func() (schedule, error) { return parseSchedule("random:1", "virtual") }
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
		}, testScheduleOptions(name)...)
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

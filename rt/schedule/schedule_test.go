package schedule

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		sched, clock string
		want         Schedule
		err          string
	}{
		{"", "", Schedule{}, ""},
		{"fifo", "real", Schedule{}, ""},
		{"random:42", "", Schedule{Seeded: true, Seed: 42}, ""},
		{"random:7", "virtual", Schedule{Seeded: true, Seed: 7, Virtual: true}, ""},
		{"random", "", Schedule{}, "want random:SEED"},
		{"random:-1", "", Schedule{}, "want random:SEED"},
		{"fifo:3", "", Schedule{}, "fifo takes no seed"},
		{"pct:3", "", Schedule{}, "want fifo or random:SEED"},
		{"", "slow", Schedule{}, "want real or virtual"},
	} {
		got, err := Parse(tc.sched, tc.clock)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Parse(%q, %q) error %v; want one saying %q", tc.sched, tc.clock, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q, %q) = %+v, %v; want %+v", tc.sched, tc.clock, got, err, tc.want)
		}
	}
}

// What Env writes, Parse reads back.
func TestEnvRoundTrips(t *testing.T) {
	for _, s := range []Schedule{{}, {Virtual: true}, {Seeded: true, Seed: 18446744073709551615}, {Seeded: true, Seed: 3, Virtual: true}} {
		env := s.Env()
		sched, _ := strings.CutPrefix(env[0], SchedEnv+"=")
		clock, _ := strings.CutPrefix(env[1], ClockEnv+"=")
		if got, err := Parse(sched, clock); err != nil || got != s {
			t.Errorf("%+v: Env %q parses to %+v, %v", s, env, got, err)
		}
	}
}

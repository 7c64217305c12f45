package schedule

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want Schedule
		err  string
	}{
		{nil, Schedule{}, ""},
		{[]string{SchedEnv, "fifo", ClockEnv, "real", YieldEnv, "blocking"}, Schedule{}, ""},
		{[]string{SchedEnv, "random:42"}, Schedule{Strategy: Random, Seed: 42}, ""},
		{[]string{SchedEnv, "random:7", ClockEnv, "virtual"}, Schedule{Strategy: Random, Seed: 7, Virtual: true}, ""},
		{[]string{SchedEnv, "pct:3:9", YieldEnv, "sync"}, Schedule{Strategy: PCT, Depth: 3, Seed: 9, Yield: true}, ""},
		{[]string{SchedEnv, "fifo", MaxStepsEnv, "500", StepsEnv, "/a", StatsEnv, "/b"}, Schedule{MaxSteps: 500, Steps: "/a", Stats: "/b"}, ""},
		{[]string{SchedEnv, "random"}, Schedule{}, "want random:SEED"},
		{[]string{SchedEnv, "random:-1"}, Schedule{}, "want random:SEED"},
		{[]string{SchedEnv, "fifo:3"}, Schedule{}, "fifo takes no seed"},
		{[]string{SchedEnv, "pct:3"}, Schedule{}, "want pct:N:SEED"},
		{[]string{SchedEnv, "pct:-1:3"}, Schedule{}, "want pct:N:SEED"},
		{[]string{SchedEnv, "dfs"}, Schedule{}, "want fifo, random:SEED or pct:N:SEED"},
		{[]string{ClockEnv, "slow"}, Schedule{}, "want real or virtual"},
		{[]string{YieldEnv, "always"}, Schedule{}, "want blocking or sync"},
		{[]string{MaxStepsEnv, "many"}, Schedule{}, "want a number of steps"},
	} {
		got, err := Parse(env(tc.env...))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Parse(%q) error %v; want one saying %q", tc.env, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tc.env, got, err, tc.want)
		}
	}
}

// What Env writes, Parse reads back.
func TestEnvRoundTrips(t *testing.T) {
	for _, s := range []Schedule{
		{},
		{Virtual: true},
		{Strategy: Random, Seed: 18446744073709551615},
		{Strategy: Random, Seed: 3, Virtual: true, Yield: true},
		{Strategy: PCT, Depth: 2, Seed: 5, MaxSteps: 10, Steps: "s", Stats: "t", Trace: "u"},
	} {
		m := map[string]string{}
		for _, kv := range s.Env() {
			k, v, _ := strings.Cut(kv, "=")
			m[k] = v
		}
		if got, err := Parse(func(k string) string { return m[k] }); err != nil || got != s {
			t.Errorf("%+v: Env %q parses to %+v, %v", s, s.Env(), got, err)
		}
	}
}

func TestReadSteps(t *testing.T) {
	file := FormatSteps("TestA", 12) + FormatSteps("TestB/sub", 3) + FormatSteps("TestA", 20) + "TestC\tbroken\nTestD\t4"
	counts, max, err := ReadSteps(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(counts, []int64{12, 3, 20, 4}) {
		t.Errorf("counts = %v", counts)
	}
	if want := map[string]int64{"TestA": 20, "TestB/sub": 3, "TestD": 4}; !maps.Equal(max, want) {
		t.Errorf("max = %v; want %v", max, want)
	}
}

func TestTracesDiverge(t *testing.T) {
	read := func(s string) []Trace {
		ts, err := ReadTraces(strings.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	a := read(FormatTrace("TestA", []int{1, 2, 1}) + FormatTrace("TestB", []int{1, 0, 2, 3}))
	if len(a) != 2 || a[1].Test != "TestB" || !slices.Equal(a[1].Picks, []int{1, 0, 2, 3}) {
		t.Fatalf("read %+v", a)
	}
	if d := Diverge(a, a); d != "" {
		t.Errorf("a trace diverges from itself: %s", d)
	}
	b := read(FormatTrace("TestA", []int{1, 2, 1}) + FormatTrace("TestB", []int{1, 0, 3, 2}))
	if d, want := Diverge(a, b), "TestB diverges at step 3: the first run ran greenlet 2, the second greenlet 3"; !strings.HasPrefix(d, want) {
		t.Errorf("Diverge = %q; want %q...", d, want)
	}
	c := read(FormatTrace("TestA", []int{1, 2}))
	if d := Diverge(a, c); !strings.Contains(d, "TestA diverges at step 3: the first run ran greenlet 1, the second nothing (the test had ended)") {
		t.Errorf("Diverge = %q", d)
	}
}

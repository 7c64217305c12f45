package schedule

import (
	"maps"
	"os"
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
		{[]string{SchedEnv, "random:3-5"}, Schedule{Strategy: Random, Seed: 3, Seeds: "3-5"}, ""},
		{[]string{SchedEnv, "pct:2:4,9"}, Schedule{Strategy: PCT, Depth: 2, Seed: 4, Seeds: "4,9"}, ""},
		{[]string{SchedEnv, "random"}, Schedule{}, "want random:SEEDS"},
		{[]string{SchedEnv, "random:-1"}, Schedule{}, "want random:SEEDS"},
		{[]string{SchedEnv, "fifo:3"}, Schedule{}, "fifo takes no seed"},
		{[]string{SchedEnv, "pct:3"}, Schedule{}, "want pct:N:SEEDS"},
		{[]string{SchedEnv, "pct:-1:3"}, Schedule{}, "want pct:N:SEEDS"},
		{[]string{SchedEnv, "dfs"}, Schedule{}, "want fifo, random:SEED or pct:N:SEED"},
		{[]string{ClockEnv, "slow"}, Schedule{}, "want real or virtual"},
		{[]string{YieldEnv, "always"}, Schedule{}, "want blocking or sync"},
		{[]string{MaxStepsEnv, "many"}, Schedule{}, "want a number of steps"},
		{[]string{LeaksEnv, "fail"}, Schedule{Leaks: true}, ""},
		{[]string{LeaksEnv, "maybe"}, Schedule{}, "want fail or allow"},
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
		{Strategy: Random, Seed: 1, Seeds: "1-100,200", Leaks: true},
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
	file := FormatSeedStart(7) + FormatRun(Run{"TestA", 12, 7, false}) + FormatRun(Run{"TestB/sub", 3, 7, false}) +
		FormatSeedStart(8) + FormatRun(Run{"TestA", 20, 8, true}) + "TestC\tbroken\t8\tok\nseed\tx\nTestD\t4\t9\tmaybe\n" +
		FormatSeedStart(9) + "TestD\t4"
	sf, err := ReadSteps(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []Run{{"TestA", 12, 7, false}, {"TestB/sub", 3, 7, false}, {"TestA", 20, 8, true}}
	if !slices.Equal(sf.Runs, want) {
		t.Errorf("runs = %v; want %v", sf.Runs, want)
	}
	if !slices.Equal(sf.Started, []uint64{7, 8, 9}) {
		t.Errorf("started = %v; want [7 8 9]", sf.Started)
	}
	if want := map[string]int64{"TestA": 20, "TestB/sub": 3}; !maps.Equal(sf.MaxSteps(), want) {
		t.Errorf("max = %v; want %v", sf.MaxSteps(), want)
	}
}

func TestSeedsRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		list string
		want []uint64
		text string
	}{
		{"7", []uint64{7}, "7"},
		{"1-5", []uint64{1, 2, 3, 4, 5}, "1-5"},
		{"3,7,9-12,13", []uint64{3, 7, 9, 10, 11, 12, 13}, "3,7,9-13"},
		{"5,4", []uint64{5, 4}, "5,4"},
	} {
		got, err := ParseSeeds(tc.list, 100)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ParseSeeds(%q) = %v, %v; want %v", tc.list, got, err, tc.want)
		}
		if text := FormatSeeds(got); text != tc.text {
			t.Errorf("FormatSeeds(%v) = %q; want %q", got, text, tc.text)
		}
	}
	for _, bad := range []string{"", "x", "5-3", "1-", "1,,2", "1-200"} {
		if _, err := ParseSeeds(bad, 100); err == nil {
			t.Errorf("ParseSeeds(%q) accepted it", bad)
		}
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
	steps := func(gs ...int) []TraceStep {
		var ss []TraceStep
		for _, g := range gs {
			ss = append(ss, TraceStep{G: g})
		}
		return ss
	}
	woken := TraceStep{G: 3, Why: WakeFired, What: "chan receive", By: 2}
	a := read(FormatTrace("TestA", 1, steps(1, 2, 1)) + FormatTrace("TestB", 5, append(steps(1, 0, 2), woken)))
	if len(a) != 2 || a[1].Test != "TestB" || !slices.Equal(a[1].Steps, append(steps(1, 0, 2), woken)) {
		t.Fatalf("read %+v", a)
	}
	if _, d := Diverge(a, a); d != "" {
		t.Errorf("a trace diverges from itself: %s", d)
	}
	b := read(FormatTrace("TestA", 1, steps(1, 2, 1)) + FormatTrace("TestB", 5, steps(1, 0, 3, 2)))
	seed, d := Diverge(a, b)
	if want := "TestB (seed 5) diverges at step 3: the first run ran greenlet 2, the second greenlet 3"; seed != 5 || !strings.HasPrefix(d, want) {
		t.Errorf("Diverge = %d, %q; want 5, %q...", seed, d, want)
	}
	c := read(FormatTrace("TestA", 1, steps(1, 2)))
	if _, d := Diverge(a, c); !strings.Contains(d, "TestA (seed 1) diverges at step 3: the first run ran greenlet 1, the second nothing (the test had ended)") {
		t.Errorf("Diverge = %q", d)
	}
}

func TestDecisionsRoundTrip(t *testing.T) {
	a := []Decision{{1, 0, false}, {0, 0, true}, {2, 2, false}, {0, 1, true}}
	file := FormatDecisions("TestA", a) + "TestB\tbroken 1/x\n" + FormatDecisions("TestC", nil) + FormatDecisions("TestA", a[:2])
	m, err := ReadDecisions(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m["TestA"], a[:2]) {
		t.Errorf("TestA = %v; want its last line, %v", m["TestA"], a[:2])
	}
	if _, ok := m["TestB"]; ok {
		t.Errorf("a malformed line was read: %v", m["TestB"])
	}
	if ds, ok := m["TestC"]; !ok || len(ds) != 0 {
		t.Errorf("TestC = %v, %v; want no decisions", ds, ok)
	}
	if n := Preemptions(a); n != 2 {
		t.Errorf("Preemptions = %d; want 2", n)
	}
}

func TestReadProgress(t *testing.T) {
	dir := t.TempDir()
	name := ProgressFile(dir + "/steps")
	if _, ok := ReadProgress(name); ok {
		t.Error("a missing progress file says a seed began")
	}
	os.WriteFile(name, make([]byte, ProgressSize), 0o666)
	if _, ok := ReadProgress(name); ok {
		t.Error("a zero progress file says a seed began")
	}
	os.WriteFile(name, []byte{0x2c, 0x01, 0, 0, 0, 0, 0, 0}, 0o666) // 299 + 1 = 0x012c, little-endian
	if seed, ok := ReadProgress(name); !ok || seed != 299 {
		t.Errorf("ReadProgress = %d, %v; want 299", seed, ok)
	}
}

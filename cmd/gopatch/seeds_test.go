package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gopatch/gopatch/rt/schedule"
)

func TestParseSeeds(t *testing.T) {
	for _, tc := range []struct {
		list string
		want []uint64
		err  string
	}{
		{"7", []uint64{7}, ""},
		{"1-4", []uint64{1, 2, 3, 4}, ""},
		{"3,7,9-11", []uint64{3, 7, 9, 10, 11}, ""},
		{"0-0", []uint64{0}, ""},
		{"5-2", nil, "not a seed or a range"},
		{"a", nil, "not a seed or a range"},
		{"1,,2", nil, "not a seed or a range"},
		{"1-1000000", nil, "more than"},
		{"18446744073709551615", []uint64{18446744073709551615}, ""},
	} {
		got, err := parseSeeds(tc.list)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseSeeds(%q) error %v; want one saying %q", tc.list, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("parseSeeds(%q) = %v, %v; want %v", tc.list, got, err, tc.want)
		}
	}
}

func TestParseScheduleFlags(t *testing.T) {
	s, rest, err := parseScheduleFlags([]string{"-seeds", "2-3", "-sched=fifo", "-v", "./..."})
	if err != nil || s == nil || !slices.Equal(s.seeds, []uint64{2, 3}) || s.strategy != schedule.FIFO || !s.virtual || !s.yield {
		t.Fatalf("got %+v, %v", s, err)
	}
	if !slices.Equal(rest, []string{"-v", "./..."}) {
		t.Errorf("rest = %q; want go test's arguments", rest)
	}
	if !slices.Equal(s.flags, []string{"-sched=fifo"}) {
		t.Errorf("flags = %q", s.flags)
	}
	if s, rest, err := parseScheduleFlags([]string{"-run", "X", "."}); err != nil || s.seeds != nil || len(s.flags) != 0 || len(rest) != 3 {
		t.Errorf("without -seeds: %+v, %q, %v; want no seeds and the arguments unchanged", s, rest, err)
	}
	if s, _, err := parseScheduleFlags([]string{"-clock=virtual", "."}); err != nil || !s.virtual || !slices.Equal(s.flags, []string{"-clock=virtual"}) {
		t.Errorf("-clock=virtual without -seeds: %+v, %v; want the virtual clock asked for", s, err)
	}
}

// gopatch's flags may stand anywhere among go test's, as go test's own
// may: before, between and after the packages; a go flag's value that
// looks like one of them is left alone, and -args ends the search.
func TestParseScheduleFlagsAnywhere(t *testing.T) {
	s, rest, err := parseScheduleFlags([]string{"-run", "-seeds=9", "-seeds=1-300", "./a", "-count", "2", "-sched", "pct:2", "-check-determinism", "./b", "-yield=blocking", "-max-steps=50", "-args", "-seeds=7"})
	if err != nil || s == nil {
		t.Fatalf("got %+v, %v", s, err)
	}
	if len(s.seeds) != 300 || s.strategy != schedule.PCT || s.depth != 2 || s.yield || s.maxSteps != 50 || !s.twice {
		t.Errorf("schedule %+v", s)
	}
	if want := []string{"-run", "-seeds=9", "./a", "-count", "2", "./b", "-args", "-seeds=7"}; !slices.Equal(rest, want) {
		t.Errorf("rest = %q; want %q", rest, want)
	}
	if want := []string{"-sched=pct:2", "-check-determinism", "-yield=blocking", "-max-steps=50"}; !slices.Equal(s.flags, want) {
		t.Errorf("flags for the replay = %q; want %q", s.flags, want)
	}
}

func TestParseScheduleFlagsDefaults(t *testing.T) {
	s, _, err := parseScheduleFlags([]string{"-seeds=1"})
	if err != nil || s.strategy != defaultStrategy || s.depth != defaultDepth || !s.yield || !s.virtual || s.maxSteps != 0 {
		t.Fatalf("defaults %+v, %v", s, err)
	}
	if got := s.describe(); got != "sched=random yield=sync clock=virtual" {
		t.Errorf("describe() = %q", got)
	}
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"-seeds=1", "-sched=pct:x"}, "want pct:N"},
		{[]string{"-seeds=1", "-sched=dfs"}, "want pct[:N], random or fifo"},
		{[]string{"-seeds=1", "-yield=always"}, "want sync or blocking"},
		{[]string{"-seeds=1", "-max-steps=-3"}, "want a number of steps"},
		{[]string{"-seeds=1", "-shard=3/2"}, "want I/N"},
		{[]string{"-yield=sync"}, "go with -seeds"},
		{[]string{"-sched=fifo", "-clock=real"}, "go with -seeds"},
		{[]string{"-check-determinism"}, "go with -seeds"},
		{[]string{"-seeds=1-2", "-sched-trace=x.json"}, "give -seeds one seed"},
		{[]string{"-seeds=1", "-check-determinism=maybe"}, "want true or false"},
		{[]string{"-seeds"}, "needs a value"},
	} {
		if _, _, err := parseScheduleFlags(tc.args); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: error %v; want one saying %q", tc.args, err, tc.err)
		}
	}
}

// The shards of a list cover it exactly once, in order, in parts whose
// lengths differ by one at most.
func TestShardSeeds(t *testing.T) {
	seeds, _ := parseSeeds("1-10")
	var all []uint64
	for i := 1; i <= 3; i++ {
		part, err := shardSeeds(seeds, fmt.Sprintf("%d/3", i))
		if err != nil {
			t.Fatal(err)
		}
		if len(part) < 3 || len(part) > 4 {
			t.Errorf("shard %d/3 of 10 seeds: %v", i, part)
		}
		all = append(all, part...)
	}
	if !slices.Equal(all, seeds) {
		t.Errorf("the shards make %v; want %v", all, seeds)
	}
}

// The binaries of go test -c -o dir/ are named as the go command names
// them: a major version suffix is no name.
func TestExecName(t *testing.T) {
	for path, want := range map[string]string{
		"example.com/a/b":           "b",
		"github.com/alitto/pond/v2": "pond",
		"example.com/m/v10":         "m",
		"example.com/v1":            "v1",
		"example.com/m/v0":          "v0",
		"v2":                        "v2",
		"example.com/m/vx":          "vx",
	} {
		if got := execName(path); got != want {
			t.Errorf("execName(%q) = %q; want %q", path, got, want)
		}
	}
}

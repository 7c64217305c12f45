package main

import (
	"slices"
	"strings"
	"testing"
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
	if err != nil || s == nil || !slices.Equal(s.seeds, []uint64{2, 3}) || s.sched != "fifo" || s.clock != "virtual" {
		t.Fatalf("got %+v, %v", s, err)
	}
	if !slices.Equal(rest, []string{"-v", "./..."}) {
		t.Errorf("rest = %q; want go test's arguments", rest)
	}
	if !slices.Equal(s.otherFlags(), []string{"-sched=fifo"}) {
		t.Errorf("otherFlags = %q", s.otherFlags())
	}
	if s, rest, err := parseScheduleFlags([]string{"-run", "X", "."}); s != nil || err != nil || len(rest) != 3 {
		t.Errorf("without -seeds: %+v, %q, %v; want nil and the arguments unchanged", s, rest, err)
	}
}

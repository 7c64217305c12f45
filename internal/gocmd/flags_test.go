package gocmd

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		args []string
		run  bool
		want Args
	}{
		{nil, false, Args{After: []string{}}},
		{[]string{"-v", "-run", "TestX", "./...", "-count=1"}, false,
			Args{Flags: []string{"-v", "-run", "TestX"}, Packages: []string{"./..."}, After: []string{"-count=1"}}},
		{[]string{"-tags", "a,b", "./p", "./q"}, false,
			Args{Flags: []string{"-tags", "a,b"}, Packages: []string{"./p", "./q"}, After: []string{}, Tags: "a,b"}},
		{[]string{"--tags=x", "-C", "dir", "."}, false,
			Args{Flags: []string{"--tags=x", "-C", "dir"}, Packages: []string{"."}, After: []string{}, Tags: "x"}},
		// A boolean flag does not take the next argument.
		{[]string{"-race", "-trimpath", "./p"}, false,
			Args{Flags: []string{"-race", "-trimpath"}, Packages: []string{"./p"}, After: []string{}}},
		// "--" ends the flags; "-" is no flag.
		{[]string{"-v", "--", "-p"}, false, Args{Flags: []string{"-v"}, After: []string{"-p"}}},
		{[]string{"-"}, false, Args{After: []string{"-"}}},
		{[]string{"-race", ".", "x", "-y"}, true,
			Args{Flags: []string{"-race"}, Packages: []string{"."}, After: []string{"x", "-y"}}},
		{[]string{"a.go", "b.go", "arg"}, true,
			Args{Packages: []string{"a.go", "b.go"}, After: []string{"arg"}}},
		{[]string{"./cmd", "a.go"}, true,
			Args{Packages: []string{"./cmd"}, After: []string{"a.go"}}},
		// A value flag at the end has no value to take.
		{[]string{"-run"}, false, Args{Flags: []string{"-run"}, After: []string{}}},
	} {
		got := Split(tc.args, tc.run)
		if len(got.After) == 0 {
			got.After = []string{}
		}
		if len(tc.want.After) == 0 {
			tc.want.After = []string{}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Split(%q, %v) = %+v, want %+v", tc.args, tc.run, got, tc.want)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		name string
		want Flag
	}{
		{"tags", Flag{Value: true, Kind: Build}},
		{"modfile", Flag{Value: true, Kind: Build}},
		{"race", Flag{Value: false, Kind: Build}},
		{"no-such-flag", Flag{Value: false, Kind: Build}},
		{"run", Flag{Value: true, Kind: TestBinary}},
		{"v", Flag{Value: false, Kind: TestBinary}},
		{"json", Flag{Value: false, Kind: GoTest}},
		{"coverprofile", Flag{Value: true, Kind: GoTest}},
		{"o", Flag{Value: true, Kind: GoTest}},
	} {
		if got := Lookup(tc.name); got != tc.want {
			t.Errorf("Lookup(%q) = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		arg, name, value string
		hasValue         bool
	}{
		{"-v", "v", "", false},
		{"--count=3", "count", "3", true},
		{"-run=", "run", "", true},
		{"-ldflags=-X a=b", "ldflags", "-X a=b", true},
	} {
		name, value, hasValue := Cut(tc.arg)
		if name != tc.name || value != tc.value || hasValue != tc.hasValue {
			t.Errorf("Cut(%q) = %q, %q, %v; want %q, %q, %v", tc.arg, name, value, hasValue, tc.name, tc.value, tc.hasValue)
		}
	}
}

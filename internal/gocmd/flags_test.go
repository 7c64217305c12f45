package gocmd

import (
	"os/exec"
	"reflect"
	"regexp"
	"strings"
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
			Args{Flags: []string{"-tags", "a,b"}, Packages: []string{"./p", "./q"}, After: []string{}, Load: []string{"-tags=a,b"}}},
		{[]string{"--tags=x", "-C", "dir", "."}, false,
			Args{Flags: []string{"--tags=x", "-C", "dir"}, Packages: []string{"."}, After: []string{}, Load: []string{"-tags=x"}}},
		// A boolean flag does not take the next argument. -race, -msan
		// and -asan set build tags: the load needs them.
		{[]string{"-race", "-trimpath", "./p"}, false,
			Args{Flags: []string{"-race", "-trimpath"}, Packages: []string{"./p"}, After: []string{}, Load: []string{"-race"}}},
		{[]string{"-asan=false", "--msan", "-tags=", "./p"}, false,
			Args{Flags: []string{"-asan=false", "--msan", "-tags="}, Packages: []string{"./p"}, After: []string{}, Load: []string{"-asan=false", "--msan", "-tags="}}},
		// "--" ends the flags; "-" is no flag.
		{[]string{"-v", "--", "-p"}, false, Args{Flags: []string{"-v"}, After: []string{"-p"}}},
		{[]string{"-"}, false, Args{After: []string{"-"}}},
		{[]string{"-race", ".", "x", "-y"}, true,
			Args{Flags: []string{"-race"}, Packages: []string{"."}, After: []string{"x", "-y"}, Load: []string{"-race"}}},
		{[]string{"a.go", "b.go", "arg"}, true,
			Args{Packages: []string{"a.go", "b.go"}, After: []string{"arg"}}},
		{[]string{"./cmd", "a.go"}, true,
			Args{Packages: []string{"./cmd"}, After: []string{"a.go"}}},
		// go test's -vet takes a value: off is no package.
		{[]string{"-vet", "off", "./..."}, false,
			Args{Flags: []string{"-vet", "off"}, Packages: []string{"./..."}, After: []string{}}},
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

// TestFlagsAgreeWithGoHelp reads the flags that go help documents for
// build, test and testflag, one a line as "\t-name" or "\t-name value",
// and checks the table: a flag documented with a value takes one, a flag
// without does not, and go test's own flags are no build flags. A go
// release that adds a flag taking a value fails here until it is listed.
func TestFlagsAgreeWithGoHelp(t *testing.T) {
	line := regexp.MustCompile(`^\t-([a-zA-Z][a-zA-Z0-9]*)( .*)?$`)
	seen := 0
	for _, topic := range []string{"build", "test", "testflag"} {
		out, err := exec.Command("go", "help", topic).Output()
		if err != nil {
			t.Fatalf("go help %s: %v", topic, err)
		}
		for l := range strings.SplitSeq(string(out), "\n") {
			m := line.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			seen++
			name, value := m[1], m[2] != ""
			f := Lookup(name)
			if f.Value != value {
				t.Errorf("go help %s documents %q; Lookup(%q).Value = %v", topic, strings.TrimSpace(l), name, f.Value)
			}
			if topic != "build" && f.Kind == Build {
				t.Errorf("go help %s documents -%s; Lookup(%q).Kind = Build, want a test flag", topic, name, name)
			}
		}
	}
	// go help build alone lists some thirty flags: far fewer means the
	// format changed and this test checks nothing.
	if seen < 50 {
		t.Fatalf("found %d flags in go help build, test and testflag; has the format changed?", seen)
	}
}

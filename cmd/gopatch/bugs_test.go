package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var bugSeeds = flag.Int("bugs.seeds", 1000, "seeds for the fixed twins of testdata/bugs")

// The programs of testdata/bugs each hold a real concurrency bug, and a
// fixed twin with the same test. gopatch test -seeds=1-1000 must fail each
// buggy one, under the default strategy (random) and under pct, and print
// a replay command; the replay must fail the same way; the fixed twins
// must pass every seed, each run twice by -check-determinism, which must
// find no divergence. The twins run 1,000 seeds (-bugs.seeds), all of a
// package's in a few test binaries: the whole test takes about 90 s on
// two busy cores, where 300 seeds took 72 s a process a seed.
func TestBugsAreFoundAndFixedTwinsPass(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs test binaries")
	}
	gopatch, dir := bugsWorkspace(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var bugs, fixed []string
	for _, e := range entries {
		if e.IsDir() {
			bugs = append(bugs, "./"+e.Name())
			fixed = append(fixed, "./"+e.Name()+"/fixed")
			a, _ := os.ReadFile(filepath.Join(dir, e.Name(), e.Name()+"_test.go"))
			b, _ := os.ReadFile(filepath.Join(dir, e.Name(), "fixed", e.Name()+"_test.go"))
			if len(a) == 0 || !bytes.Equal(a, b) {
				t.Errorf("%s: the fixed twin's test is not the bug's test", e.Name())
			}
		}
	}
	if len(bugs) < 12 {
		t.Fatalf("testdata/bugs holds %d bugs; want at least 12", len(bugs))
	}
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(gopatch, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return string(out), cmd.ProcessState.ExitCode()
	}

	for _, sched := range []string{"random", "pct"} {
		out, code := run(append([]string{"test", "-seeds=1-1000", "-sched=" + sched}, bugs...)...)
		if code != 1 {
			t.Fatalf("-sched=%s on the bugs: exit %d; want 1\n%s", sched, code, out)
		}
		failures := splitFailures(out)
		var found []string
		for _, bug := range bugs {
			path := "example.com/bugs/" + strings.TrimPrefix(bug, "./")
			f, ok := failures[path]
			if !ok {
				t.Errorf("-sched=%s: %s passed all 1000 seeds\n%s", sched, bug, out)
				continue
			}
			found = append(found, fmt.Sprintf("%s in %d", strings.TrimPrefix(bug, "./"), f.seed))
			if sched != "random" {
				continue
			}
			// The replay fails the same way.
			args := strings.Fields(f.replay)
			if len(args) < 3 || args[0] != "gopatch" || args[1] != "test" || !slices.Contains(args, path) {
				t.Errorf("%s: replay command %q; want gopatch test ... %s", bug, f.replay, path)
				continue
			}
			rout, rcode := run(args[1:]...)
			again := splitFailures(rout)[path]
			if rcode != 1 || again == nil {
				t.Errorf("%s: the replay %q exits %d without failing\n%s", bug, f.replay, rcode, rout)
				continue
			}
			if again.seed != f.seed || again.signature != f.signature {
				t.Errorf("%s: the replay fails otherwise:\nfirst (seed %d):\n%s\nreplay (seed %d):\n%s", bug, f.seed, f.signature, again.seed, again.signature)
			}
		}
		t.Logf("-sched=%s: first failing seed of each bug: %s", sched, strings.Join(found, ", "))
	}

	seeds := fmt.Sprintf("-seeds=1-%d", *bugSeeds)
	out, code := run(append([]string{"test", seeds, "-check-determinism"}, fixed...)...)
	if code != 0 {
		t.Errorf("the fixed twins: exit %d; want 0\n%s", code, out)
	}
	for _, f := range fixed {
		want := fmt.Sprintf("gopatch: ok   example.com/bugs/%s: %d seeds passed;", strings.TrimPrefix(f, "./"), *bugSeeds)
		if !strings.Contains(out, want) {
			t.Errorf("no line %q in\n%s", want, out)
		}
	}
}

// A bugFailure is what a -seeds run printed for one failing package.
type bugFailure struct {
	seed      uint64
	replay    string // the replay command
	signature string // the failure's lines, without times and addresses
}

var (
	summaryRE = regexp.MustCompile(`(?m)^gopatch: FAIL (\S+): \d+ seeds run, \d+ passed, 1 failed \(seed (\d+)\)`)
	replayRE  = regexp.MustCompile(`^gopatch: replay with: (.*)$`)
	// What varies between two runs of one schedule: durations, addresses,
	// goroutine numbers.
	noiseRE = regexp.MustCompile(`\(\d+\.\d+s\)|\t\d+\.\d+s|0x[0-9a-f]+|goroutine \d+|\+0x[0-9a-f]+`)
)

// splitFailures finds each failing package's seed, replay command and
// failure lines in the output of a -seeds run. A package's failing output
// runs from the end of the previous package's summary to its own.
func splitFailures(out string) map[string]*bugFailure {
	m := make(map[string]*bugFailure)
	var block []string
	for line := range strings.SplitSeq(out, "\n") {
		if sm := summaryRE.FindStringSubmatch(line); sm != nil {
			f := &bugFailure{}
			f.seed, _ = strconv.ParseUint(sm[2], 10, 64)
			var sig []string
			for _, l := range block {
				if rm := replayRE.FindStringSubmatch(l); rm != nil {
					f.replay = rm[1]
				} else if strings.Contains(l, "_test.go:") || strings.Contains(l, ".go:") && strings.Contains(l, "bugs") ||
					strings.Contains(l, "panic:") || strings.Contains(l, "fatal error:") || strings.Contains(l, "deadlock") ||
					strings.HasPrefix(strings.TrimSpace(l), "--- FAIL") || strings.Contains(l, "waiting on") {
					sig = append(sig, noiseRE.ReplaceAllString(l, "_"))
				}
			}
			f.signature = strings.Join(sig, "\n")
			m[sm[1]] = f
			block = nil
			continue
		}
		if strings.HasPrefix(line, "gopatch: ok ") {
			block = nil
			continue
		}
		block = append(block, line)
	}
	return m
}

// bugsWorkspace builds gopatch and copies testdata/bugs, a module of its
// own, to a temporary directory, with an environment that builds offline
// from the module cache, as the scripts' does.
func bugsWorkspace(t *testing.T) (gopatch, dir string) {
	tmp := t.TempDir()
	gopatch = filepath.Join(tmp, "gopatch")
	if out, err := exec.Command("go", "build", "-o", gopatch, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir = filepath.Join(tmp, "bugs")
	if err := os.CopyFS(dir, os.DirFS("../../testdata/bugs")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOPATCHCACHE", filepath.Join(tmp, "cache"))
	t.Setenv("GOFLAGS", "-mod=readonly")
	t.Setenv("GOTOOLCHAIN", "local")
	t.Setenv("GOWORK", "off")
	return gopatch, dir
}

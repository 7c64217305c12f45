// This file shrinks a failing schedule: after a seed fails, it looks for
// a schedule of the failing test with fewer preemptions that fails the
// same way, and writes it where -replay replays it.

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gopatch/gopatch/rt/schedule"
)

// A random schedule switches greenlets at many points where nothing
// depends on it; the failure usually needs two or three switches. Shrinking
// tries the failing schedule with runs of its preemptions (a choice other
// than the one that switches nothing) undone, largest runs first, as
// delta debugging does, and keeps each try that still fails the same
// way, taking the decisions that run actually made (undoing one choice
// changes the states the later ones choose among). It stops at
// shrinkTries tries or shrinkTime, whichever comes first.
const (
	shrinkTries = 48
	shrinkTime  = 30 * time.Second
)

// A shrinkRun runs the failing test once under sched, recording its
// decisions in sched.Decisions, and reports whether it failed and what
// it printed.
type shrinkRun func(ctx context.Context, sched schedule.Schedule) (failed bool, out []byte, err error)

// shrink looks for a schedule of test, which failed under base (one
// seed's schedule), with fewer preemptions, and prints how to replay it.
// dir is where the schedule file goes; replay is the command that replays
// the seed, which the file's flag joins.
func shrink(ctx context.Context, run shrinkRun, base schedule.Schedule, test string, dir string, status io.Writer, replay []string) error {
	tmp, err := os.MkdirTemp(dir, "shrink-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	try := 0
	attempt := func(replayFile string) (map[string][]schedule.Decision, string, bool, error) {
		try++
		sched := base
		sched.Replay = replayFile
		sched.Decisions = filepath.Join(tmp, "decisions-"+strconv.Itoa(try))
		failed, out, err := run(ctx, sched)
		if err != nil || !failed {
			return nil, "", false, err
		}
		f, err := os.Open(sched.Decisions)
		if err != nil {
			return nil, "", false, nil
		}
		defer f.Close()
		ds, err := schedule.ReadDecisions(f)
		return ds, failureSignature(out, test), err == nil, err
	}
	best, want, ok, err := attempt("")
	if err != nil || !ok || best[test] == nil {
		return err // the seed alone did not fail, or its decisions are missing: nothing to shrink
	}
	// What the tries leave behind (files a test writes) is what the
	// failing run left: it runs once more, last.
	defer run(ctx, base)
	from := schedule.Preemptions(best[test])
	deadline := time.Now().Add(shrinkTime)
	for chunk := max(from/2, 1); chunk >= 1 && from > 0; chunk /= 2 {
		for start := 0; try < shrinkTries && time.Now().Before(deadline); {
			cur := best[test]
			pre := preemptionIndexes(cur)
			if start >= len(pre) {
				break
			}
			cand := slices.Clone(cur)
			for _, i := range pre[start:min(start+chunk, len(pre))] {
				cand[i].Choice = cand[i].Default
			}
			file := filepath.Join(tmp, "try-"+strconv.Itoa(try))
			if err := writeDecisions(file, best, test, cand); err != nil {
				return err
			}
			got, sig, failed, err := attempt(file)
			if err != nil {
				return err
			}
			if failed && sig == want && got[test] != nil && schedule.Preemptions(got[test]) < schedule.Preemptions(cur) {
				best = got // the same run of preemptions, undone, starts over at start
				continue
			}
			start += chunk
		}
		if chunk == 1 {
			break
		}
	}
	to := schedule.Preemptions(best[test])
	if to >= from {
		fmt.Fprintf(status, "gopatch: the failing schedule of %s has %d preemptions; %d tries found none fewer that fail the same way\n", test, from, try)
		return nil
	}
	out := filepath.Join(dir, "schedules", fmt.Sprintf("%s-seed%d.txt", sanitize(test), base.Seed))
	if err := os.MkdirAll(filepath.Dir(out), 0o777); err != nil {
		return err
	}
	if err := writeDecisions(out, best, test, best[test]); err != nil {
		return err
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, out); err == nil {
			out = rel
		}
	}
	fmt.Fprintf(status, "gopatch: shrunk the failing schedule of %s from %d preemptions to %d (%d tries)\n", test, from, to, try)
	fmt.Fprintf(status, "gopatch: replay it with: %s\n", strings.Join(append(replay[:3:3], append([]string{"-replay=" + out}, replay[3:]...)...), " "))
	return nil
}

// preemptionIndexes returns the indexes of the decisions of ds that
// preempt.
func preemptionIndexes(ds []schedule.Decision) []int {
	var is []int
	for i, d := range ds {
		if d.Preempts() {
			is = append(is, i)
		}
	}
	return is
}

// writeDecisions writes a decisions file of every test of all, test's
// decisions replaced by ds.
func writeDecisions(name string, all map[string][]schedule.Decision, test string, ds []schedule.Decision) error {
	var b strings.Builder
	for t, tds := range all {
		if t == test {
			tds = ds
		}
		b.WriteString(schedule.FormatDecisions(t, tds))
	}
	return os.WriteFile(name, []byte(b.String()), 0o666)
}

var (
	failLineRE = regexp.MustCompile(`^\s*--- FAIL: (\S+)`)
	messageRE  = regexp.MustCompile(`^\s+\S+\.go:\d+: (.*)$`)
	numberRE   = regexp.MustCompile(`\d+`)
)

// failureSignature is what tells one failure of test from another: the
// first line of the message of its first failure, numbers left out (a
// step count, a greenlet's number), or the panic line of a binary that
// died.
func failureSignature(out []byte, test string) string {
	lines := strings.Split(string(out), "\n")
	for i, l := range lines {
		if m := failLineRE.FindStringSubmatch(l); m != nil && m[1] == test && i+1 < len(lines) {
			if mm := messageRE.FindStringSubmatch(lines[i+1]); mm != nil {
				return test + ": " + numberRE.ReplaceAllString(mm[1], "N")
			}
			return test
		}
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			return numberRE.ReplaceAllString(l, "N")
		}
	}
	return test + ": " + string(bytes.TrimSpace([]byte(lines[len(lines)-1])))
}

// sanitize makes a test name a file name.
func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' || r == ':' {
			return '_'
		}
		return r
	}, name)
}

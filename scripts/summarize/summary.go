// This file parses go test -json streams and compares a plain run with a
// gopatch run.

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// event is the part of a go test -json (test2json) event that counts.
type event struct {
	Time        time.Time
	Action      string
	Package     string
	Test        string
	Output      string
	FailedBuild string
}

// A run is what one go test -json stream says.
type run struct {
	tests map[string]string // "package TestName" to its last pass, fail or skip
	// failed holds the packages that failed as a whole, each with why,
	// when it failed with no test failing, or timed out.
	failed map[string]string
	// took is the span from the first time stamp to the last: the
	// run's wall time, less the build before the first test binary starts.
	took time.Duration
}

// timedOut starts the line a test binary prints when -timeout fires.
const timedOut = "panic: test timed out after "

// parse reads a go test -json stream. Lines that are not JSON, such as
// build output on the same stream, are skipped.
func parse(r io.Reader) (*run, error) {
	res := &run{tests: map[string]string{}, failed: map[string]string{}}
	pkgFail := map[string]string{} // package to why, "" when nothing says
	failedTest := map[string]bool{}
	timeout := map[string]string{}
	var first, last time.Time
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		if !e.Time.IsZero() {
			if first.IsZero() {
				first = e.Time
			}
			last = e.Time
		}
		switch e.Action {
		case "output":
			if after, ok := strings.CutPrefix(e.Output, timedOut); ok {
				timeout[e.Package] = "timed out after " + strings.TrimSpace(after)
			}
		case "pass", "fail", "skip":
			switch {
			case e.Test != "":
				res.tests[e.Package+" "+e.Test] = e.Action
				if e.Action == "fail" {
					failedTest[e.Package] = true
				}
			case e.Action == "fail" && e.FailedBuild != "":
				pkgFail[e.Package] = "failed to build"
			case e.Action == "fail":
				pkgFail[e.Package] = ""
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for p, why := range pkgFail {
		switch {
		case timeout[p] != "":
			res.failed[p] = timeout[p]
		case why != "":
			res.failed[p] = why
		case !failedTest[p]:
			res.failed[p] = "failed outside any test: a crash, or TestMain"
		}
	}
	res.took = last.Sub(first)
	return res, nil
}

// count returns how many of r's tests ended with action.
func (r *run) count(action string) int {
	n := 0
	for _, a := range r.tests {
		if a == action {
			n++
		}
	}
	return n
}

// A summary compares a plain run with a gopatch run.
type summary struct {
	plain, patched *run
	// missing counts the tests with a plain result and none under gopatch;
	// they count as failed there.
	missing int
	// regressed lists, sorted, the tests that pass plainly and fail or
	// skip under gopatch, and per package the number of such tests with
	// no result under gopatch.
	regressed []string
}

// compare compares plain with patched. It does not mutate them.
func compare(plain, patched *run) *summary {
	s := &summary{plain: plain, patched: patched}
	noResult := map[string]int{}
	for name, a := range plain.tests {
		got, ok := patched.tests[name]
		if !ok {
			s.missing++
		}
		if a != "pass" {
			continue
		}
		switch {
		case got == "pass":
		case !ok:
			pkg, _, _ := strings.Cut(name, " ")
			noResult[pkg]++
		default:
			s.regressed = append(s.regressed, name+" ("+got+")")
		}
	}
	for pkg, n := range noResult {
		why := patched.failed[pkg]
		if why == "" {
			why = "package failed to build, crashed or timed out"
		}
		tests := "tests"
		if n == 1 {
			tests = "test"
		}
		s.regressed = append(s.regressed, fmt.Sprintf("%s: %d %s with no result (%s)", pkg, n, tests, why))
	}
	slices.Sort(s.regressed)
	return s
}

// write prints s for module mod.
func (s *summary) write(w io.Writer, mod string) {
	fmt.Fprintf(w, "%s\n", mod)
	fmt.Fprintf(w, "  plain:   %d passed, %d failed, %d skipped in %s\n",
		s.plain.count("pass"), s.plain.count("fail"), s.plain.count("skip"), seconds(s.plain.took))
	fmt.Fprintf(w, "  gopatch: %d passed, %d failed, %d skipped in %s",
		s.patched.count("pass"), s.patched.count("fail")+s.missing, s.patched.count("skip"), seconds(s.patched.took))
	if s.missing > 0 {
		fmt.Fprintf(w, " (%d of the failed with no result)", s.missing)
	}
	fmt.Fprintln(w)
	for _, side := range []struct {
		name string
		r    *run
	}{{"plain", s.plain}, {"gopatch", s.patched}} {
		for _, p := range sortedKeys(side.r.failed) {
			fmt.Fprintf(w, "  %s: package %s %s\n", side.name, p, side.r.failed[p])
		}
	}
	if len(s.regressed) == 0 {
		fmt.Fprintln(w, "  every test that passes plainly passes under gopatch")
		return
	}
	fmt.Fprintln(w, "  pass plainly, fail under gopatch:")
	for _, r := range s.regressed {
		fmt.Fprintf(w, "    %s\n", r)
	}
}

// seconds formats d as seconds with one decimal, as go test prints times.
func seconds(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

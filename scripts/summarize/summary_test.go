package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

// The streams in testdata are go test -json -count=1 ./... of one small
// module, its stack traces cut: plain.json with -short, gopatch.json
// with -timeout=2s, under which TestHang in package a sleeps past the
// timeout and TestB in package b writes to a nil map, so TestC after it
// never runs. Package c fails to build in both.

func readTestdata(t *testing.T, name string) *run {
	t.Helper()
	r, err := readRun("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParseCapturedRun(t *testing.T) {
	r := readTestdata(t, "gopatch.json")
	for name, want := range map[string]string{
		"example.com/s/a TestPass":  "pass",
		"example.com/s/a TestFail":  "fail",
		"example.com/s/a TestSkip":  "skip",
		"example.com/s/a TestSub/x": "pass",
		"example.com/s/b TestB":     "fail",
		"example.com/s/a TestHang":  "",
		"example.com/s/b TestC":     "",
	} {
		if got := r.tests[name]; got != want {
			t.Errorf("tests[%q] = %q, want %q", name, got, want)
		}
	}
	if len(r.tests) != 6 {
		t.Errorf("%d tests have a result, want 6: %v", len(r.tests), r.tests)
	}
	// b failed in a test, so it is not listed: only the timeout and the
	// build failure are failures of a package as a whole.
	want := map[string]string{"example.com/s/a": "timed out after 2s", "example.com/s/c": "failed to build"}
	if len(r.failed) != len(want) || r.failed["example.com/s/a"] != want["example.com/s/a"] || r.failed["example.com/s/c"] != want["example.com/s/c"] {
		t.Errorf("failed = %q, want %q", r.failed, want)
	}
	if r.took < 2*time.Second || r.took > 3*time.Second {
		t.Errorf("took = %v, want the 2.04s from the first time stamp to the last", r.took)
	}
}

func TestSummaryOfCapturedRuns(t *testing.T) {
	s := compare(readTestdata(t, "plain.json"), readTestdata(t, "gopatch.json"))
	var b strings.Builder
	s.write(&b, "example.com/s")
	want := `example.com/s
  plain:   6 passed, 1 failed, 1 skipped in 0.1s
  gopatch: 3 passed, 4 failed, 1 skipped in 2.0s (2 of the failed with no result)
  plain: package example.com/s/c failed to build
  gopatch: package example.com/s/a timed out after 2s
  gopatch: package example.com/s/c failed to build
  pass plainly, fail under gopatch:
    example.com/s/a: 1 test with no result (timed out after 2s)
    example.com/s/b TestB (fail)
    example.com/s/b: 1 test with no result (package failed to build, crashed or timed out)
`
	if got := b.String(); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}

func parseString(t *testing.T, stream string) *run {
	t.Helper()
	r, err := parse(strings.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSummaryWhenEverythingPasses(t *testing.T) {
	stream := `go: downloading example.com/dep v1.0.0
{"Time":"2026-01-01T00:00:00Z","Action":"start","Package":"p"}
{"Time":"2026-01-01T00:00:00Z","Action":"pass","Package":"p","Test":"TestA"}
{"Time":"2026-01-01T00:00:01.5Z","Action":"skip","Package":"p","Test":"TestB"}
{"Time":"2026-01-01T00:00:01.5Z","Action":"pass","Package":"p"}
`
	s := compare(parseString(t, stream), parseString(t, stream))
	var b strings.Builder
	s.write(&b, "m@v1")
	want := `m@v1
  plain:   1 passed, 0 failed, 1 skipped in 1.5s
  gopatch: 1 passed, 0 failed, 1 skipped in 1.5s
  every test that passes plainly passes under gopatch
`
	if got := b.String(); got != want || len(s.regressed) != 0 {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}

func TestSummaryCountsSkipsAndCrashes(t *testing.T) {
	plain := parseString(t, `{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"pass","Package":"p","Test":"TestB"}
{"Action":"fail","Package":"p","Test":"TestC"}
{"Action":"pass","Package":"q","Test":"TestD"}
`)
	// Under gopatch, TestB is skipped, TestC (failing plainly too) has no
	// result, and q exits before any test runs.
	patched := parseString(t, `{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"skip","Package":"p","Test":"TestB"}
{"Action":"output","Package":"q","Output":"FAIL\tq\t0.001s\n"}
{"Action":"fail","Package":"q"}
`)
	s := compare(plain, patched)
	want := []string{"p TestB (skip)", "q: 1 test with no result (failed outside any test: a crash, or TestMain)"}
	if strings.Join(s.regressed, "\n") != strings.Join(want, "\n") {
		t.Errorf("regressed = %q, want %q", s.regressed, want)
	}
	if s.missing != 2 {
		t.Errorf("missing = %d, want 2 (TestC and TestD)", s.missing)
	}
}

func TestParseKeepsLastResult(t *testing.T) {
	// With -count=2 a test reports twice; the last result is the one kept.
	r := parseString(t, `{"Action":"pass","Package":"p","Test":"TestFlaky"}
{"Action":"fail","Package":"p","Test":"TestFlaky"}
{"Action":"fail","Package":"p"}
`)
	if r.tests["p TestFlaky"] != "fail" || len(r.failed) != 0 {
		t.Errorf("tests = %v, failed = %v; want TestFlaky failed and p not failed as a whole", r.tests, r.failed)
	}
}

func TestReadRunMissingFile(t *testing.T) {
	if _, err := readRun("testdata/no-such.json"); !os.IsNotExist(err) {
		t.Errorf("readRun of a missing file: %v, want a not-exist error", err)
	}
}

package rt

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// fallbackEnv, set in the environment of a run of this test binary, turns
// off at init every fast path that reads the runtime's or the standard
// library's internals (goroutine ids from the g struct, weak handles,
// WaitGroup's counter word, Once's done flag), so that the fallbacks rt
// takes when a Go release moves them are run by tests too.
const fallbackEnv = "GOPATCH_RT_TEST_FALLBACKS"

func init() {
	if os.Getenv(fallbackEnv) == "1" {
		goidFast, weakRaw, wgLayout, onceLayout = false, false, false, false
	}
}

// On the Go versions gopatch knows, every fast path's layout check passes
// at init; in the run with fallbackEnv each is off.
func TestLayoutChecks(t *testing.T) {
	want := os.Getenv(fallbackEnv) != "1"
	for name, got := range map[string]bool{"goid": goidFast, "weak": weakRaw, "WaitGroup": wgLayout, "Once": onceLayout} {
		if got != want {
			t.Errorf("%s fast path on = %v, want %v", name, got, want)
		}
	}
	if id := stackGoid(); id <= 0 || id != currentGoid() {
		t.Errorf("stackGoid %d, currentGoid %d", id, currentGoid())
	}
}

// The tests of channels, select, sync, hubs of plain goroutines and
// carried hubs pass with every fallback taken (all but the one that
// counts allocations).
func TestFallbacksPass(t *testing.T) {
	if os.Getenv(fallbackEnv) == "1" {
		t.Skip("this is the run with the fallbacks")
	}
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	cmd := exec.Command(os.Args[0], "-test.run",
		"TestLayoutChecks|TestChan|TestSelect|TestMutex|TestRWMutex|TestWaitGroup|TestOnce|TestCond|TestGreenletsOutlive|TestOutsideWake|TestGoFromAPlainGoroutine",
		"-test.skip", "TestChanHandoffDoesNotAllocate", // the fallbacks may allocate; only speed depends on it
		"-test.count=1")
	cmd.Env = append(os.Environ(), fallbackEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("with every fallback: %v\n%s", err, out)
	}
}

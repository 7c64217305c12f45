package rt

import (
	"fmt"
	"runtime/debug"
	"testing"
	"time"
)

// A greenlet spawned on the main goroutine of a program before Run (as a go
// statement in an init function does) runs beside Run's function: Run
// adopts the hub the goroutine already has instead of nesting a new one.
// The test's goroutine stands in for the main goroutine.
func TestRunAdoptsTheHubMadeBeforeIt(t *testing.T) {
	done := make(chan string)
	exited := make(chan struct{})
	defer func() { <-exited }() // the globals are restored before the next test
	go func() {
		defer close(exited)
		saved := mainGoid.Swap(currentGoid())
		defer mainGoid.Store(saved)
		savedAdopts := mainAdopts.Swap(true) // as in a program
		defer mainAdopts.Store(savedAdopts)
		ch := MakeChan[int](0)
		Go(func() { Send(ch, 42) }) // before Run, like init
		if h := currentHub(); h.liveCount.Load() != 2 {
			done <- fmt.Sprintf("the go statement left %d live greenlets on the main goroutine's hub, want 2", h.liveCount.Load())
			return
		}
		Run(func() { done <- fmt.Sprint(Recv(ch)) })
	}()
	select {
	case got := <-done:
		if got != "42" {
			t.Fatalf("received %s, want 42", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the greenlet spawned before Run never ran")
	}
}

// In a test binary no Run adopts the main goroutine's hub (go test's main
// waits natively while the tests run elsewhere), so a go statement in an
// init function starts a goroutine, as it would in a goroutine that is no
// greenlet.
func TestInitGoStatementInATestBinaryStartsAGoroutine(t *testing.T) {
	if mainAdopts.Load() {
		t.Fatal("a test binary run by go test was taken for a program")
	}
	ran := make(chan struct{})
	exited := make(chan struct{})
	defer func() { <-exited }()
	go func() {
		defer close(exited)
		saved := mainGoid.Swap(currentGoid())
		defer mainGoid.Store(saved)
		Go(func() { close(ran) }) // as in init; nothing here blocks in rt again
	}()
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("the init go statement never ran")
	}
}

func TestIsTestBinary(t *testing.T) {
	stamped := func(path string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) { return &debug.BuildInfo{Path: path}, true }
	}
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	testFlags := []string{"-test.paniconexit0", "-test.timeout=10m0s"}
	for _, c := range []struct {
		name string
		info func() (*debug.BuildInfo, bool)
		args []string
		want bool
	}{
		{"stamped test, no flags", stamped("example.com/m/pkg.test"), nil, true},
		{"stamped program, test-like flags", stamped("example.com/m/cmd/serve"), testFlags, false},
		{"unstamped, test flags", none, testFlags, true},
		{"unstamped, program flags", none, []string{"-v", "serve"}, false},
		{"unstamped, no flags", none, nil, false},
		{"this binary, no flags", debug.ReadBuildInfo, nil, true},
	} {
		if got := isTestBinary(c.info, c.args); got != c.want {
			t.Errorf("%s: isTestBinary = %v, want %v", c.name, got, c.want)
		}
	}
}

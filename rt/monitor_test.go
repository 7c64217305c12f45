package rt_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// syncBuffer is a bytes.Buffer safe for the monitor goroutine to write to.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// captureReports makes rt's reports go to the returned buffer, with the
// blocking monitor's threshold at d, until the test ends.
func captureReports(t *testing.T, d time.Duration) *syncBuffer {
	out := &syncBuffer{}
	rt.SetErrorWriter(out)
	rt.SetMaxBlockingTime(d)
	t.Cleanup(func() {
		rt.SetMaxBlockingTime(100 * time.Millisecond)
		rt.SetErrorWriter(nil)
	})
	return out
}

// A greenlet that spins without switching while another greenlet waits is
// reported once, with its stack.
func TestMonitorReportsGreenletThatHoldsTheHub(t *testing.T) {
	out := captureReports(t, 20*time.Millisecond)
	rt.Run(func() {
		starved := rt.Spawn(func() any { return nil })
		spinWithoutSwitching(300 * time.Millisecond)
		starved.Join(-1)
	})
	report := out.String()
	if !strings.Contains(report, "without switching") || !strings.Contains(report, "spinWithoutSwitching") {
		t.Fatalf("no blocking report naming the spinning function; got:\n%s", report)
	}
	if n := strings.Count(report, "without switching"); n != 1 {
		t.Fatalf("reported %d times, want once:\n%s", n, report)
	}
}

func spinWithoutSwitching(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

// A plain goroutine that started a goroutine through rt and went back to
// code of its own (a handler returned to net/http) leaves a post in its
// hub's inbox that nobody drains: it holds nothing up, and is not reported.
func TestMonitorLeavesAPlainGoroutineAlone(t *testing.T) {
	out := captureReports(t, 20*time.Millisecond)
	done := make(chan struct{})
	go func() {
		defer close(done)
		started := make(chan struct{})
		rt.Go(func() { close(started) })
		<-started
		time.Sleep(300 * time.Millisecond) // native: out of rt for good
	}()
	<-done
	if report := out.String(); strings.Contains(report, "without switching") {
		t.Fatalf("a goroutine outside rt was reported as holding its hub:\n%s", report)
	}
}

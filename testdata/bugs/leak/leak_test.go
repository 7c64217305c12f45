package leak

import (
	"sync"
	"testing"
	"time"
)

// The worker must be gone once Stop has returned.
func TestStopEndsWorker(t *testing.T) {
	p := Start()
	var mu sync.Mutex
	n := 0
	p.Submit(func() { mu.Lock(); n++; mu.Unlock() })
	p.Stop()
	done := make(chan struct{})
	go func() { p.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("the worker is still running a second after Stop: leaked")
	}
}

package rt

import (
	"fmt"
	"testing"
	"time"
)

// A greenlet spawned on the main goroutine before Run (as a go statement in
// an init function does) runs beside Run's function: Run adopts the hub the
// goroutine already has instead of nesting a new one. The test's goroutine
// stands in for the main goroutine.
func TestRunAdoptsTheHubMadeBeforeIt(t *testing.T) {
	done := make(chan string)
	go func() {
		saved := mainGoid.Swap(currentGoid())
		defer mainGoid.Store(saved)
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

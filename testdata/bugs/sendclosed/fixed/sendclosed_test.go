package sendclosed

import (
	"sync"
	"testing"
)

func TestFirst(t *testing.T) {
	var wg sync.WaitGroup
	replica := func(v int) func() int {
		wg.Add(1)
		return func() int { defer wg.Done(); return v }
	}
	got := First([]func() int{replica(1), replica(2), replica(3)})
	wg.Wait()
	if got < 1 || got > 3 {
		t.Fatalf("First = %d; want an answer of a replica", got)
	}
}

package missedsignal

import (
	"sync"
	"testing"
)

func TestReleaseWakesWaiter(t *testing.T) {
	l := NewLatch()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); l.Wait() }()
	go func() { defer wg.Done(); l.Release() }()
	wg.Wait()
}

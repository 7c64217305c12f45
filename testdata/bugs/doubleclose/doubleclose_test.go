package doubleclose

import (
	"sync"
	"testing"
)

func TestStopTwice(t *testing.T) {
	s := NewServer()
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Stop()
		}()
	}
	wg.Wait()
	select {
	case <-s.quit:
	default:
		t.Fatal("the server is not stopped")
	}
}

package unlockerr

import (
	"sync"
	"testing"
)

func TestPutBoth(t *testing.T) {
	s := NewStore()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := s.Put("a", 1); err != nil {
			t.Errorf("Put a: %v", err)
		}
	}()
	go func() {
		defer wg.Done()
		if err := s.Put("b", -1); err != ErrNegative {
			t.Errorf("Put b: %v; want ErrNegative", err)
		}
	}()
	wg.Wait()
}

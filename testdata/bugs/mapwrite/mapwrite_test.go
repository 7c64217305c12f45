package mapwrite

import (
	"sync"
	"testing"
)

func TestIDsAreUnique(t *testing.T) {
	r := NewRegistry()
	ids := make([]int, 2)
	var wg sync.WaitGroup
	for i, name := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i] = r.Register(name)
		}()
	}
	wg.Wait()
	if ids[0] == ids[1] {
		t.Fatalf("both names got id %d", ids[0])
	}
}

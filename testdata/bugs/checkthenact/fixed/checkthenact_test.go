package checkthenact

import (
	"sync"
	"testing"
)

func TestLoadsOnce(t *testing.T) {
	c := NewCache()
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v := c.Get("k"); v != "value of k" {
				t.Errorf("Get = %q", v)
			}
		}()
	}
	wg.Wait()
	if c.loads != 1 {
		t.Fatalf("loaded the key %d times; want once", c.loads)
	}
}

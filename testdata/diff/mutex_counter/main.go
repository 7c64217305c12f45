// Command mutex_counter exercises a sync.Mutex protecting a counter incremented by many goroutines that yield inside the critical section.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) inc(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.n[key]
	runtime.Gosched()
	c.n[key] = v + 1
}

func main() {
	c := counter{n: map[string]int{}}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				c.inc([]string{"a", "b"}[i%2])
			}
		}()
	}
	wg.Wait()
	fmt.Println(c.n["a"], c.n["b"])
}

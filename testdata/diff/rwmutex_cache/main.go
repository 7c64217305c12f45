// Command rwmutex_cache exercises a sync.RWMutex guarding a cache read by many readers while writers fill it.
package main

import (
	"fmt"
	"sync"
	"time"
)

type cache struct {
	mu sync.RWMutex
	m  map[int]int
}

func (c *cache) get(k int) (int, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *cache) set(k, v int) {
	c.mu.Lock()
	c.m[k] = v
	c.mu.Unlock()
}

func main() {
	c := &cache{m: map[int]int{}}
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w * 10; k < w*10+10; k++ {
				c.set(k, k*k)
			}
		}()
	}
	var hits sync.Map
	for r := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 30 {
				for {
					if v, ok := c.get(k); ok {
						if v != k*k {
							panic("bad value")
						}
						break
					}
					time.Sleep(100 * time.Microsecond)
				}
			}
			hits.Store(r, true)
		}()
	}
	wg.Wait()
	n := 0
	hits.Range(func(any, any) bool { n++; return true })
	c.mu.RLock()
	fmt.Println("entries", len(c.m), "readers done", n)
	c.mu.RUnlock()
}

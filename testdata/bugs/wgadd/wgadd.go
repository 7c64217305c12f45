// Package wgadd sums items in goroutines that call WaitGroup.Add
// themselves: Wait may run before any Add and return at once.
package wgadd

import "sync"

func Sum(items []int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for _, it := range items {
		go func() {
			wg.Add(1) // BUG: Add must happen before Wait can run
			defer wg.Done()
			mu.Lock()
			total += it
			mu.Unlock()
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return total
}

// Package wgadd is example.com/bugs/wgadd with its bug mended; its test is
// the same file. See that package's doc for the bug.
package wgadd

import "sync"

func Sum(items []int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for _, it := range items {
		wg.Add(1)
		go func() {
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

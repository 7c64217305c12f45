// Command sync_map exercises sync.Map written by concurrent goroutines with LoadOrStore deciding the winner per key.
package main

import (
	"fmt"
	"sort"
	"sync"
)

func main() {
	var m sync.Map
	var wg sync.WaitGroup
	var mu sync.Mutex
	stored := 0
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 5 {
				if _, loaded := m.LoadOrStore(k, g); !loaded {
					mu.Lock()
					stored++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	var keys []int
	m.Range(func(k, _ any) bool { keys = append(keys, k.(int)); return true })
	sort.Ints(keys)
	fmt.Println(keys, "stored", stored)
}

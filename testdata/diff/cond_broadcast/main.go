// Command cond_broadcast exercises sync.Cond.Broadcast releasing every goroutine waiting for a start flag.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready := false
	waiting := 0
	var wg sync.WaitGroup
	results := make([]int, 6)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			waiting++
			for !ready {
				cond.Wait()
			}
			mu.Unlock()
			results[i] = i * 2
		}()
	}
	for {
		mu.Lock()
		if waiting == len(results) {
			ready = true
			cond.Broadcast()
			mu.Unlock()
			break
		}
		mu.Unlock()
		cond.Signal() // no waiter is woken early: ready is still false
		runtimeYield()
	}
	wg.Wait()
	fmt.Println(results)
}

func runtimeYield() {
	ch := make(chan struct{})
	go func() { close(ch) }()
	<-ch
}

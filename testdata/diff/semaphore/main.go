// Command semaphore exercises bounded parallelism with a buffered channel used as a counting semaphore.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	const limit = 3
	sem := make(chan struct{}, limit)
	var mu sync.Mutex
	running, maxRunning, done := 0, 0, 0
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			mu.Lock()
			running++
			maxRunning = max(maxRunning, running)
			mu.Unlock()
			time.Sleep(time.Duration(1+i%2) * time.Millisecond)
			mu.Lock()
			running--
			done++
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println("done", done, "bounded", maxRunning <= limit, "parallel", maxRunning > 1, "left", len(sem))
}

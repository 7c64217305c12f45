// Asyncsync is the gevent tutorial's synchronous vs asynchronous example in
// plain Go: ten tasks that each sleep, run one after another (the sum of the
// delays) and then as goroutines (about the longest delay). Under gopatch
// the asynchronous tasks finish in order of their delays, ties in the order
// they started (Go's: the one started last first), every run.
package main

import (
	"fmt"
	"sync"
	"time"
)

var delays = []time.Duration{30, 10, 20, 0, 10, 30, 20, 0, 10, 20}

func task(pid int) {
	time.Sleep(delays[pid] * time.Millisecond)
	fmt.Println("Task", pid, "done")
}

func main() {
	start := time.Now()
	for i := range delays {
		task(i)
	}
	sequential := time.Since(start)
	start = time.Now()
	var wg sync.WaitGroup
	for i := range delays {
		wg.Add(1)
		go func() { defer wg.Done(); task(i) }()
	}
	wg.Wait()
	concurrent := time.Since(start)
	fmt.Println("synchronous took at least the sum:", sequential >= 150*time.Millisecond)
	fmt.Println("asynchronous took less than the sum:", concurrent < sequential)
}

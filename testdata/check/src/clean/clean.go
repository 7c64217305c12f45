// Package clean is concurrent code that gopatch makes cooperative whole:
// no findings.
package clean

import (
	"context"
	"sync"
	"time"
)

func Fan(ctx context.Context, n int) int {
	ch := make(chan int)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case ch <- i:
			case <-ctx.Done():
			}
		}()
	}
	go func() { wg.Wait(); close(ch) }()
	sum := 0
	for v := range ch {
		sum += v
		time.Sleep(time.Millisecond)
	}
	return sum
}

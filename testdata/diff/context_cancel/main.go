// Command context_cancel exercises context.WithCancel stopping workers that select on ctx.Done, and cancellation propagating to child contexts.
package main

import (
	"context"
	"fmt"
	"sync"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	child, childCancel := context.WithCancel(ctx)
	defer childCancel()
	var wg sync.WaitGroup
	counts := make([]int, 3)
	tick := make(chan struct{})
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-child.Done():
					return
				case tick <- struct{}{}:
					counts[i]++
				}
			}
		}()
	}
	for range 30 {
		<-tick
	}
	cancel()
	wg.Wait()
	total := 0
	for _, c := range counts {
		total += c
	}
	fmt.Println("ticks", total >= 30 && total <= 33)
	fmt.Println("parent:", ctx.Err(), "child:", child.Err())
	fmt.Println("cause:", context.Cause(child))
}

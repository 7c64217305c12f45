// Command atomic_counter exercises sync/atomic counters and a compare-and-swap spin yielding with runtime.Gosched.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

func main() {
	var n atomic.Int64
	var flag atomic.Bool
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				n.Add(1)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !flag.CompareAndSwap(true, false) {
			runtime.Gosched()
		}
	}()
	flag.Store(true)
	wg.Wait()
	fmt.Println(n.Load(), flag.Load())
}

// Sleepzero is the gevent tutorial's "sleep(0)" example in plain Go: two
// goroutines hand control to each other with runtime.Gosched. Natively the
// interleaving is up to the scheduler; under gopatch each Gosched yields to
// the other greenlet, so the four lines alternate as in gevent's, every
// run, bar's first: the goroutine started last runs first, as Go's runtime
// runs it at GOMAXPROCS=1.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		fmt.Println("Running in foo")
		runtime.Gosched()
		fmt.Println("Explicit context switch to foo again")
	}()
	go func() {
		defer wg.Done()
		fmt.Println("Explicit context to bar")
		runtime.Gosched()
		fmt.Println("Implicit context switch back to bar")
	}()
	wg.Wait()
}

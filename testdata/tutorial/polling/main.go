// Polling is the gevent tutorial's select/polling example in plain Go: two
// goroutines each wait 2 s with a timeout (select on time.After) while a
// third does 1 s of work; together they take about 2 s, not 5 s.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	start := time.Now()
	tic := func() string { return fmt.Sprintf("at %1.1f seconds", time.Since(start).Seconds()) }
	never := make(chan struct{})
	poll := func() {
		fmt.Println("Started Polling:", tic())
		select {
		case <-never:
		case <-time.After(2 * time.Second):
		}
		fmt.Println("Ended Polling:", tic())
	}
	var wg sync.WaitGroup
	for _, f := range []func(){poll, poll, func() {
		fmt.Println("Hey lets do some stuff while the greenlets poll,", tic())
		time.Sleep(time.Second)
	}} {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	wg.Wait()
	fmt.Println("Done", tic())
}

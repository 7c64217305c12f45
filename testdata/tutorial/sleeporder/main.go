// Sleeporder starts 100 goroutines that each sleep 10ms and print their
// number. Natively the order is up to the scheduler; under gopatch the
// goroutines start in Go's order (the one started last first, as Go's
// runtime runs them at GOMAXPROCS=1) and timers due at the same instant
// fire in creation order, so it prints 99 and then 0..98, every time.
package main

import (
	"fmt"
	"time"
)

func main() {
	done := make(chan bool)
	for i := range 100 {
		go func() {
			time.Sleep(10 * time.Millisecond)
			fmt.Println(i)
			done <- true
		}()
	}
	for range 100 {
		<-done
	}
}

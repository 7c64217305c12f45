// Sleeporder starts 100 goroutines that each sleep 10ms and print their
// number. Natively the order is up to the scheduler; under gopatch, timers
// due at the same instant fire in creation order, so it prints 0..99 in
// order, every time.
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

// Command ticker_worker exercises a heartbeat goroutine driven by a ticker that stops when a done channel closes.
package main

import (
	"fmt"
	"time"
)

func main() {
	done := make(chan struct{})
	beats := make(chan int)
	go func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		defer close(beats)
		i := 0
		for {
			select {
			case <-t.C:
				i++
				select {
				case beats <- i:
				case <-done:
					return
				}
			case <-done:
				return
			}
		}
	}()
	for range 4 {
		fmt.Println("beat", <-beats)
	}
	close(done)
	for range beats {
	}
	fmt.Println("stopped")
}

// Command chan_capacity_blocks exercises a sender blocking exactly when a buffered channel is full, and an unbuffered send completing only at the receive.
package main

import (
	"fmt"
	"sync/atomic"
	"time"
)

func main() {
	var sent atomic.Int32
	ch := make(chan int, 2)
	go func() {
		for i := range 5 {
			ch <- i
			sent.Add(1)
		}
	}()
	time.Sleep(5 * time.Millisecond)
	fmt.Println("sent before any receive:", sent.Load(), "len", len(ch))
	<-ch
	time.Sleep(5 * time.Millisecond)
	fmt.Println("sent after one receive:", sent.Load(), "len", len(ch))

	var handedOff atomic.Bool
	unbuf := make(chan int)
	go func() {
		unbuf <- 1
		handedOff.Store(true)
	}()
	time.Sleep(5 * time.Millisecond)
	fmt.Println("unbuffered send done before receive:", handedOff.Load())
	<-unbuf
	for !handedOff.Load() {
		time.Sleep(time.Millisecond)
	}
	fmt.Println("unbuffered send done after receive:", handedOff.Load())
}

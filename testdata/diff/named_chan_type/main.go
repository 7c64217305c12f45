// Command named_chan_type exercises a defined channel type with methods, as conc's pool uses `type limiter chan struct{}` for its semaphore.
package main

import "fmt"

type limiter chan struct{}

func (l limiter) acquire() { l <- struct{}{} }
func (l limiter) release() { <-l }

func main() {
	l := make(limiter, 2)
	done := make(chan int)
	for i := range 4 {
		go func() {
			l.acquire()
			defer l.release()
			done <- i
		}()
	}
	sum := 0
	for range 4 {
		sum += <-done
	}
	fmt.Println("sum", sum, "cap", cap(l))
}

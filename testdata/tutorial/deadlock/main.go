// Deadlock's goroutines all block forever on channels nobody else uses.
// Under gopatch the hub notices nothing can wake them and reports a
// deadlock naming each blocked greenlet and where it waits, and the
// program exits non-zero.
package main

import "fmt"

func main() {
	a := make(chan int)
	b := make(chan int)
	go func() {
		a <- 1 // nobody receives from a
	}()
	go func() {
		fmt.Println(<-b) // nobody sends on b
	}()
	select {}
}

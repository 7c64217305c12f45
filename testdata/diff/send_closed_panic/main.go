// Command send_closed_panic exercises the runtime panics of channel misuse (send on closed, close of closed, close of nil) recovered in goroutines.
package main

import "fmt"

func try(name string, f func()) string {
	res := make(chan string)
	go func() {
		defer func() { res <- fmt.Sprint(name, ": ", recover()) }()
		f()
	}()
	return <-res
}

func main() {
	c := make(chan int, 1)
	close(c)
	fmt.Println(try("send on closed", func() { c <- 1 }))
	fmt.Println(try("close of closed", func() { close(c) }))
	var n chan int
	fmt.Println(try("close of nil", func() { close(n) }))
	fmt.Println(try("select send on closed", func() {
		select {
		case c <- 1:
		default:
		}
	}))
	// A sender blocked on b is woken by close and panics; if the close
	// comes first, the send panics at once. Both orders print the same,
	// though the race detector reports the unordered send and close.
	b := make(chan int)
	out := make(chan string)
	go func() {
		defer func() { out <- fmt.Sprint("blocked sender: ", recover()) }()
		b <- 1
	}()
	go func() { out <- "closer ran"; close(b) }()
	fmt.Println(<-out)
	fmt.Println(<-out)
}

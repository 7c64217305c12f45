// Command chan_of_chan exercises channels of channels, channel direction conversion, and len/cap of buffered channels.
package main

import "fmt"

func main() {
	chans := make(chan chan int, 3)
	for i := range 3 {
		c := make(chan int, i+1)
		for j := range i + 1 {
			c <- j
		}
		chans <- c
	}
	close(chans)
	for c := range chans {
		var ro <-chan int = c
		fmt.Println("len", len(ro), "cap", cap(ro))
		close(c)
		for v := range ro {
			fmt.Print(v, " ")
		}
		fmt.Println()
	}
	var sendOnly chan<- chan<- string = make(chan chan<- string, 1)
	reply := make(chan string, 1)
	sendOnly <- reply
	reply <- "through a send-only chan of chans"
	fmt.Println(<-reply)
}

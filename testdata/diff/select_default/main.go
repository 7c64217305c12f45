// Command select_default exercises non-blocking sends and receives with select default on full, empty and ready channels.
package main

import "fmt"

func main() {
	ch := make(chan int, 2)
	for i := range 4 {
		select {
		case ch <- i:
			fmt.Println("sent", i)
		default:
			fmt.Println("full at", i)
		}
	}
	for range 3 {
		select {
		case v := <-ch:
			fmt.Println("recv", v)
		default:
			fmt.Println("empty")
		}
	}
	unbuf := make(chan int)
	select {
	case unbuf <- 1:
		fmt.Println("unexpected send")
	default:
		fmt.Println("no receiver")
	}
	closed := make(chan int)
	close(closed)
	select {
	case v, ok := <-closed:
		fmt.Println("closed ready", v, ok)
	default:
		fmt.Println("unexpected default")
	}
}

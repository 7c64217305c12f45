// Command prodcons exercises one producer closing a channel that one consumer ranges over, with a done channel for the handshake.
package main

import "fmt"

func main() {
	ch := make(chan int, 3)
	done := make(chan bool)
	go func() {
		sum := 0
		for v := range ch {
			fmt.Println("consume", v)
			sum += v
		}
		fmt.Println("sum", sum)
		done <- true
	}()
	for i := range 6 {
		ch <- i
	}
	close(ch)
	<-done
	v, ok := <-ch
	fmt.Println("after close", v, ok)
}

// Command select_timeout_loop exercises a receive loop whose per-iteration timeout ends it once the sender goes quiet.
package main

import (
	"fmt"
	"time"
)

func main() {
	ch := make(chan int)
	go func() {
		for i := range 4 {
			ch <- i
		}
		// stays quiet from here on; the receiver must time out
	}()
	for {
		select {
		case v := <-ch:
			fmt.Println("recv", v)
			continue
		case <-time.After(50 * time.Millisecond):
			fmt.Println("idle, stopping")
		}
		break
	}
}

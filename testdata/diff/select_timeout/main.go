// Command select_timeout exercises select with a time.After timeout that fires because the other case never becomes ready.
package main

import (
	"fmt"
	"time"
)

func main() {
	never := make(chan int)
	slow := make(chan int)
	go func() {
		time.Sleep(50 * time.Millisecond)
		slow <- 1
	}()
	select {
	case v := <-never:
		fmt.Println("got", v)
	case <-time.After(2 * time.Millisecond):
		fmt.Println("timeout 1")
	}
	select {
	case v := <-slow:
		fmt.Println("slow", v)
	case <-time.After(5 * time.Millisecond):
		fmt.Println("timeout 2")
	}
	fmt.Println("slow finally", <-slow)
}

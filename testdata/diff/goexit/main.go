// Command goexit exercises runtime.Goexit in a goroutine: its defers run, nothing after it does, and others continue.
package main

import (
	"fmt"
	"runtime"
)

func main() {
	done := make(chan string)
	go func() {
		defer func() { done <- "deferred ran, recover: " + fmt.Sprint(recover()) }()
		func() {
			defer fmt.Println("inner defer")
			runtime.Goexit()
		}()
		fmt.Println("never printed")
	}()
	fmt.Println(<-done)
}

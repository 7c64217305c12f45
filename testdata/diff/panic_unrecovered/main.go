// Command panic_unrecovered exercises an unrecovered panic in a goroutine ending the process with exit code 2 after earlier output.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("before")
	os.Stdout.Sync()
	done := make(chan struct{})
	go func() {
		defer fmt.Println("deferred in panicking goroutine")
		panic("worker failed")
	}()
	<-done
	fmt.Println("never printed")
}

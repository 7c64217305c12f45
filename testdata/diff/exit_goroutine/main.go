// Command exit_goroutine exercises os.Exit called from a goroutine while main is blocked on a channel.
package main

import (
	"fmt"
	"os"
)

func main() {
	block := make(chan int)
	go func() {
		fmt.Println("goroutine exits the process")
		os.Exit(4)
	}()
	<-block
	fmt.Println("never printed")
}

// Command exit_code exercises os.Exit with a non-zero code from main after goroutines have printed.
package main

import (
	"fmt"
	"os"
)

func main() {
	done := make(chan bool)
	go func() {
		fmt.Println("worker done")
		done <- true
	}()
	<-done
	fmt.Println("exiting 3")
	os.Exit(3)
}

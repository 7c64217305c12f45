// Command go_from_cleanup_goroutine has a goroutine started from the runtime's cleanup goroutine, which no hub drives, start another and return: the grandchild runs on, as in Go.
package main

import (
	"fmt"
	"runtime"
	"time"
)

func main() {
	done := make(chan string, 1)
	obj := new([64]byte)
	runtime.AddCleanup(obj, func(int) {
		// This runs on the runtime's cleanup goroutine, which no hub drives.
		go func() { // the child
			go func() { // the grandchild, which outlives the child
				done <- "grandchild ran"
			}()
		}()
	}, 0)
	obj = nil
	runtime.GC()
	select {
	case s := <-done:
		fmt.Println(s)
	case <-time.After(3 * time.Second):
		fmt.Println("grandchild never ran")
	}
}

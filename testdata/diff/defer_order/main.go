// Command defer_order exercises defers and a re-panic unwinding inside goroutines that block on channels in their deferred calls.
package main

import "fmt"

func main() {
	log := make(chan string)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			r := recover()
			log <- fmt.Sprint("outer recovered: ", r)
		}()
		defer func() {
			r := recover()
			log <- fmt.Sprint("inner recovered: ", r)
			panic(fmt.Sprint("re-panic of ", r))
		}()
		for i := range 2 {
			defer func() { log <- fmt.Sprint("defer ", i) }()
		}
		panic("first")
	}()
	for {
		select {
		case l := <-log:
			fmt.Println(l)
		case <-done:
			return
		}
	}
}

// Command afterfunc exercises time.AfterFunc callbacks, one allowed to fire and one stopped before it fires.
package main

import (
	"fmt"
	"time"
)

func main() {
	fired := make(chan string, 2)
	time.AfterFunc(2*time.Millisecond, func() { fired <- "first" })
	t := time.AfterFunc(time.Hour, func() { fired <- "never" })
	fmt.Println("stopped:", t.Stop())
	fmt.Println(<-fired)
	t2 := time.AfterFunc(time.Hour, func() { fired <- "reset" })
	t2.Reset(time.Millisecond)
	fmt.Println(<-fired)
	select {
	case v := <-fired:
		fmt.Println("unexpected", v)
	case <-time.After(5 * time.Millisecond):
		fmt.Println("nothing else fired")
	}
}

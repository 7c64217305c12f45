// Command ticker exercises time.NewTicker: counting ticks, Stop, and Reset to a new period.
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTicker(2 * time.Millisecond)
	n := 0
	for range t.C {
		n++
		if n == 3 {
			break
		}
	}
	t.Reset(time.Millisecond)
	<-t.C
	t.Stop()
	select {
	case <-t.C:
		fmt.Println("tick after Stop")
	case <-time.After(10 * time.Millisecond):
		fmt.Println("no tick after Stop")
	}
	fmt.Println("ticks", n)
}

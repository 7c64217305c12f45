// Command timer_no_stale exercises Go 1.23 timer semantics: after Reset or Stop no value from the earlier expiry is delivered, even if it was due.
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(time.Millisecond)
	time.Sleep(5 * time.Millisecond) // expired, value not received
	fmt.Println("Reset of expired timer:", t.Reset(time.Hour))
	select {
	case <-t.C:
		fmt.Println("stale value after Reset")
	case <-time.After(5 * time.Millisecond):
		fmt.Println("no stale value after Reset")
	}
	fmt.Println("Stop of pending timer:", t.Stop())
	tk := time.NewTicker(time.Millisecond)
	time.Sleep(5 * time.Millisecond) // ticks due, none received
	tk.Stop()
	select {
	case <-tk.C:
		fmt.Println("stale tick after Stop")
	default:
		fmt.Println("no stale tick after Stop")
	}
	t2 := time.NewTimer(time.Millisecond)
	time.Sleep(5 * time.Millisecond)
	fmt.Println("Stop of expired, unreceived timer:", t2.Stop())
	select {
	case <-t2.C:
		fmt.Println("stale value after Stop")
	default:
		fmt.Println("no stale value after Stop")
	}
}

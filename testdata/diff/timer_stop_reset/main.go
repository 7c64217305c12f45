// Command timer_stop_reset exercises time.NewTimer with Stop before firing, Reset after Stop, and Stop after firing.
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(time.Hour)
	fmt.Println("stop active:", t.Stop())
	fmt.Println("stop again:", t.Stop())
	t.Reset(time.Millisecond)
	<-t.C
	fmt.Println("fired after reset")
	fmt.Println("stop fired:", t.Stop())
	fmt.Println("reset fired:", t.Reset(2*time.Millisecond))
	fmt.Println("reset pending:", t.Reset(time.Millisecond))
	v := <-t.C
	fmt.Println("fired again, non-zero time:", !v.IsZero())
	select {
	case <-t.C:
		fmt.Println("unexpected second value")
	default:
		fmt.Println("channel empty")
	}
}

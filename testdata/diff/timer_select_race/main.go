// Command timer_select_race exercises a timer racing a result channel, with the timer stopped when the result wins.
package main

import (
	"fmt"
	"time"
)

func fetch(d time.Duration) <-chan string {
	ch := make(chan string, 1)
	go func() {
		time.Sleep(d)
		ch <- fmt.Sprint("result after ", d)
	}()
	return ch
}

func main() {
	for _, d := range []time.Duration{time.Millisecond, 60 * time.Millisecond} {
		timer := time.NewTimer(20 * time.Millisecond)
		select {
		case r := <-fetch(d):
			fmt.Println(r, "stopped:", timer.Stop())
		case <-timer.C:
			fmt.Println("timed out waiting", d)
		}
	}
}

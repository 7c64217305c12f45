// Command timer_chan_sync exercises Go 1.23 synchronous timer channels: len and cap of a Timer's, a Ticker's and After's channel are 0, even with a value due.
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(time.Millisecond)
	time.Sleep(5 * time.Millisecond)
	fmt.Println("timer len", len(t.C), "cap", cap(t.C))
	<-t.C
	tk := time.NewTicker(time.Millisecond)
	time.Sleep(5 * time.Millisecond)
	fmt.Println("ticker len", len(tk.C), "cap", cap(tk.C))
	tk.Stop()
	a := time.After(time.Millisecond)
	fmt.Println("After cap", cap(a))
	<-a
}

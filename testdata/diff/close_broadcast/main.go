// Command close_broadcast exercises close waking every goroutine blocked receiving on a channel, each seeing the zero value and ok=false.
package main

import "fmt"

func main() {
	start := make(chan struct{})
	gate := make(chan int)
	report := make(chan string, 8)
	for range 8 {
		go func() {
			start <- struct{}{}
			v, ok := <-gate
			report <- fmt.Sprint(v, ok)
		}()
	}
	for range 8 {
		<-start
	}
	close(gate)
	counts := map[string]int{}
	for range 8 {
		counts[<-report]++
	}
	fmt.Println(counts)
}

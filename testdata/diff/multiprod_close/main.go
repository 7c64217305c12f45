// Command multiprod_close exercises several producers sharing one channel that a coordinator closes after all of them report done.
package main

import "fmt"

func main() {
	ch := make(chan int)
	finished := make(chan struct{})
	const producers = 5
	for p := range producers {
		go func() {
			for i := range 10 {
				ch <- p*100 + i
			}
			finished <- struct{}{}
		}()
	}
	go func() {
		for range producers {
			<-finished
		}
		close(ch)
	}()
	count, sum := 0, 0
	for v := range ch {
		count++
		sum += v
	}
	fmt.Println(count, sum)
}

// Command pipeline_cancel exercises stopping an infinite pipeline early by closing a done channel that every stage selects on.
package main

import "fmt"

func naturals(done <-chan struct{}) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; ; i++ {
			select {
			case out <- i:
			case <-done:
				return
			}
		}
	}()
	return out
}

func double(done <-chan struct{}, in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for v := range in {
			select {
			case out <- 2 * v:
			case <-done:
				return
			}
		}
	}()
	return out
}

func main() {
	done := make(chan struct{})
	out := double(done, naturals(done))
	for i := 0; i < 5; i++ {
		fmt.Println(<-out)
	}
	close(done)
	n := 0
	for range out {
		n++
	}
	fmt.Println("drained, at most one more:", n <= 1)
}

// Command fanout_fanin exercises fanning one input channel out to several workers and fanning their outputs back in through a select loop.
package main

import "fmt"

func main() {
	in := make(chan int)
	go func() {
		for i := 1; i <= 100; i++ {
			in <- i
		}
		close(in)
	}()
	const n = 4
	outs := make([]chan int, n)
	for i := range outs {
		outs[i] = make(chan int)
		go func(out chan<- int) {
			sum := 0
			for v := range in {
				sum += v
			}
			out <- sum
		}(outs[i])
	}
	total := 0
	for _, c := range outs {
		total += <-c
	}
	fmt.Println("total", total)
}

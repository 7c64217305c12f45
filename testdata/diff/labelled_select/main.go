// Command labelled_select exercises labelled break and continue out of a select inside nested loops, and a plain break that only leaves the select.
package main

import "fmt"

func main() {
	data := make(chan int)
	quit := make(chan struct{})
	go func() {
		for i := 1; i <= 9; i++ {
			data <- i
		}
		close(quit)
	}()
	sum := 0
outer:
	for round := 0; ; round++ {
		for {
			select {
			case v := <-data:
				if v%3 == 0 {
					fmt.Println("round", round, "ends at", v)
					continue outer
				}
				if v == 5 {
					break // leaves the select only
				}
				sum += v
			case <-quit:
				break outer
			}
		}
	}
	fmt.Println("sum", sum)
}

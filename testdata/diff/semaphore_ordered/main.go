// Command semaphore_ordered exercises a buffered-channel semaphore bounding goroutines that store results by index, without locks.
package main

import "fmt"

func main() {
	inputs := []string{"a", "bb", "ccc", "dddd", "eeeee", "ffffff", "g"}
	out := make([]int, len(inputs))
	sem := make(chan struct{}, 2)
	done := make(chan struct{})
	for i, s := range inputs {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; done <- struct{}{} }()
			out[i] = len(s) * (i + 1)
		}()
	}
	for range inputs {
		<-done
	}
	fmt.Println(out)
}

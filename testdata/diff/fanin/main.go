// Command fanin exercises merging several producer channels into one with a WaitGroup-guarded close; lines are compared sorted.
// gopatch:sort-output
package main

import (
	"fmt"
	"sync"
)

func producer(name string, n int) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for i := range n {
			out <- fmt.Sprintf("%s-%d", name, i)
		}
	}()
	return out
}

func merge(cs ...<-chan string) <-chan string {
	var wg sync.WaitGroup
	out := make(chan string)
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range c {
				out <- v
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func main() {
	for v := range merge(producer("a", 3), producer("b", 2), producer("c", 4)) {
		fmt.Println(v)
	}
}

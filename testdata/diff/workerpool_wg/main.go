// Command workerpool_wg exercises workers joined by a WaitGroup, with a closer goroutine that closes the results channel after Wait.
package main

import (
	"fmt"
	"sync"
)

func main() {
	jobs := make(chan int)
	results := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- j * j
			}
		}()
	}
	go func() {
		for i := 1; i <= 20; i++ {
			jobs <- i
		}
		close(jobs)
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	sum, n := 0, 0
	for r := range results {
		sum += r
		n++
	}
	fmt.Println("results", n, "sum", sum)
}

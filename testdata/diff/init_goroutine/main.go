// Command init_goroutine exercises a channel made in a package-level variable and a goroutine started from init, before main runs.
package main

import "fmt"

var ready = make(chan string, 1)

var results = make(chan int)

func init() {
	ready <- "set in init"
	go func() {
		for i := range 3 {
			results <- i * i
		}
		close(results)
	}()
}

func main() {
	fmt.Println(<-ready)
	for v := range results {
		fmt.Println("from init's goroutine", v)
	}
}

// Command tick_ratelimit exercises time.Tick as a rate limiter spacing out a burst of requests.
package main

import (
	"fmt"
	"time"
)

func main() {
	requests := make(chan int, 5)
	for i := 1; i <= 5; i++ {
		requests <- i
	}
	close(requests)
	limiter := time.Tick(2 * time.Millisecond)
	start := time.Now()
	for req := range requests {
		<-limiter
		fmt.Println("request", req)
	}
	fmt.Println("spaced out:", time.Since(start) >= 8*time.Millisecond)
}

// Command sleep_sort exercises many goroutines sleeping different whole milliseconds; output is compared sorted since native wake order may jitter.
// gopatch:sort-output
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	var wg sync.WaitGroup
	for _, n := range []int{5, 1, 4, 2, 3} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(n) * time.Millisecond)
			fmt.Println("woke", n)
		}()
	}
	wg.Wait()
}

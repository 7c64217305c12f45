// Command waitgroup_go exercises sync.WaitGroup.Go (Go 1.25) and reusing one WaitGroup for a second round.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	squares := make([]int, 8)
	for i := range squares {
		wg.Go(func() { squares[i] = i * i })
	}
	wg.Wait()
	fmt.Println(squares)
	ch := make(chan int, 3)
	for i := range 3 {
		wg.Go(func() { ch <- i + 100 })
	}
	wg.Wait()
	close(ch)
	sum := 0
	for v := range ch {
		sum += v
	}
	fmt.Println("second round", sum)
}

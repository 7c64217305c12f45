// Command go_args_eval exercises go statements on function literals whose arguments are evaluated at the go statement, not when the goroutine runs.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	dst := make([]int, 3)
	src := []int{7, 8, 9}
	wg.Add(1)
	go func(d, s []int) {
		defer wg.Done()
		copy(d, s)
	}(dst, src)
	src = []int{0, 0, 0}
	wg.Wait()
	fmt.Println(dst, src)

	x := 1
	out := make(chan string, 1)
	go func(s string) { out <- s }(fmt.Sprint("x=", x))
	x = 2
	fmt.Println(<-out, "now", x)
}

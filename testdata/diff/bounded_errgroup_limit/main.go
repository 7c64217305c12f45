// Command bounded_errgroup_limit exercises a limited-concurrency task group that collects results in input order and stops on the first error.
package main

import (
	"errors"
	"fmt"
	"sync"
)

func process(inputs []int, limit int) ([]int, error) {
	out := make([]int, len(inputs))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	stop := make(chan struct{})
	for i, in := range inputs {
		select {
		case <-stop:
		case sem <- struct{}{}:
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				if in < 0 {
					once.Do(func() { firstErr = fmt.Errorf("input %d: %w", i, errors.ErrUnsupported); close(stop) })
					return
				}
				out[i] = in * 3
			}()
		}
	}
	wg.Wait()
	return out, firstErr
}

func main() {
	fmt.Println(process([]int{1, 2, 3, 4, 5, 6}, 2))
	_, err := process([]int{1, -2}, 1)
	fmt.Println(err)
}

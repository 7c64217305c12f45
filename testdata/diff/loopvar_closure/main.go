// Command loopvar_closure exercises Go 1.22 per-iteration loop variables captured by goroutine closures in three-clause and range loops.
package main

import "fmt"

func main() {
	results := make(chan [2]int, 20)
	for i := 0; i < 5; i++ {
		go func() { results <- [2]int{0, i} }()
	}
	for i, v := range []int{10, 20, 30} {
		go func() { results <- [2]int{1, i*100 + v} }()
	}
	for i := range 4 {
		go func() {
			i *= 2 // modifies this iteration's copy only
			results <- [2]int{2, i}
		}()
	}
	seen := map[int][]int{}
	for range 12 {
		r := <-results
		seen[r[0]] = append(seen[r[0]], r[1])
	}
	for k := range 3 {
		sum := 0
		for _, v := range seen[k] {
			sum += v
		}
		fmt.Println("loop", k, "count", len(seen[k]), "sum", sum)
	}
}

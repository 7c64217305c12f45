// Command workerpool exercises a fixed pool of workers reading jobs from one channel and writing results to another.
package main

import (
	"fmt"
	"sort"
)

type result struct{ job, worker, value int }

func worker(id int, jobs <-chan int, results chan<- result) {
	for j := range jobs {
		results <- result{j, id, j * 10}
	}
}

func main() {
	jobs := make(chan int, 100)
	results := make(chan result, 100)
	for w := 1; w <= 3; w++ {
		go worker(w, jobs, results)
	}
	for j := 1; j <= 9; j++ {
		jobs <- j
	}
	close(jobs)
	var got []result
	for range 9 {
		got = append(got, <-results)
	}
	sort.Slice(got, func(i, k int) bool { return got[i].job < got[k].job })
	for _, r := range got {
		fmt.Println(r.job, r.value, r.worker >= 1 && r.worker <= 3)
	}
}

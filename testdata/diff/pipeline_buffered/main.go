// Command pipeline_buffered exercises a pipeline whose stages are joined by buffered channels of different capacities.
package main

import (
	"fmt"
	"strings"
)

func main() {
	words := make(chan string, 2)
	upper := make(chan string, 5)
	lengths := make(chan int)
	go func() {
		defer close(words)
		for _, w := range []string{"alpha", "beta", "gamma", "delta", "epsilon"} {
			words <- w
		}
	}()
	go func() {
		defer close(upper)
		for w := range words {
			upper <- strings.ToUpper(w)
		}
	}()
	go func() {
		defer close(lengths)
		for w := range upper {
			fmt.Println(w)
			lengths <- len(w)
		}
	}()
	total := 0
	for n := range lengths {
		total += n
	}
	fmt.Println("total", total, "len", len(words), "cap", cap(upper))
}

// Command context_values exercises request-scoped values and cancellation passed down a tree of goroutines.
package main

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

type key string

func handle(ctx context.Context, depth int, out chan<- string, wg *sync.WaitGroup) {
	defer wg.Done()
	if depth == 2 {
		<-ctx.Done()
		out <- fmt.Sprintf("%v leaf stopped: %v", ctx.Value(key("req")), ctx.Err())
		return
	}
	for i := range 2 {
		wg.Add(1)
		go handle(context.WithValue(ctx, key(fmt.Sprint("lvl", depth)), i), depth+1, out, wg)
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key("req"), "req-7"))
	out := make(chan string, 10)
	var wg sync.WaitGroup
	wg.Add(1)
	go handle(ctx, 0, out, &wg)
	cancel()
	wg.Wait()
	close(out)
	var lines []string
	for l := range out {
		lines = append(lines, l)
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
}

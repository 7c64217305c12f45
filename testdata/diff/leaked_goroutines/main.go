// Command leaked_goroutines exercises main returning, with exit code 0, while other goroutines are still blocked on channels, locks, conds, sleeps and select {}.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	var mu sync.Mutex
	mu.Lock()
	cond := sync.NewCond(&sync.Mutex{})
	var wg sync.WaitGroup
	wg.Add(1)
	started := make(chan string, 6)
	go func() { started <- "chan"; <-make(chan int) }()
	go func() { started <- "mutex"; mu.Lock() }()
	go func() { started <- "cond"; cond.L.Lock(); cond.Wait() }()
	go func() { started <- "sleep"; time.Sleep(time.Hour) }()
	go func() { started <- "select"; select {} }()
	go func() { started <- "waitgroup"; wg.Wait() }()
	n := 0
	for range 6 {
		<-started
		n++
	}
	fmt.Println("started", n, "blocked goroutines; main returns")
}

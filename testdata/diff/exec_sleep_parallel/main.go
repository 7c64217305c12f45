// Command exec_sleep_parallel runs twenty `sleep 0.2` processes at once from twenty goroutines and waits for all of them.
package main

import (
	"fmt"
	"os/exec"
	"sync"
	"time"
)

func main() {
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- exec.Command("sleep", "0.2").Run()
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if err != nil {
			fmt.Println("error:", err)
		}
		n++
	}
	// Run one after another they would take 4 s.
	fmt.Println("done:", n, "in under 2s:", time.Since(start) < 2*time.Second)
}

// Command runtime_gosched exercises runtime.Gosched handing the processor back so a busy loop lets other goroutines progress.
package main

import (
	"fmt"
	"runtime"
	"sync/atomic"
)

func main() {
	var stop atomic.Bool
	var spins atomic.Int64
	done := make(chan struct{})
	go func() {
		for !stop.Load() {
			spins.Add(1)
			runtime.Gosched()
		}
		close(done)
	}()
	for spins.Load() < 3 {
		runtime.Gosched()
	}
	stop.Store(true)
	<-done
	fmt.Println("spun at least 3 times:", spins.Load() >= 3)
}

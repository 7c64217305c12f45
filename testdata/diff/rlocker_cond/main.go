// Command rlocker_cond exercises a sync.Cond whose Locker is an RWMutex's RLocker, woken by Broadcast from a writer.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var rw sync.RWMutex
	cond := sync.NewCond(rw.RLocker())
	version := 0
	var wg sync.WaitGroup
	ready := make(chan struct{}, 3)
	seen := make(chan int, 3)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cond.L.Lock()
			ready <- struct{}{}
			for version == 0 {
				cond.Wait()
			}
			seen <- version
			cond.L.Unlock()
		}()
	}
	for range 3 {
		<-ready
	}
	rw.Lock()
	version = 1
	rw.Unlock()
	cond.Broadcast()
	wg.Wait()
	close(seen)
	for v := range seen {
		fmt.Println("reader saw version", v)
	}
}

// Command rwmutex_writer_pref exercises RWMutex handoff between one writer and readers, and TryLock/TryRLock while locks are held.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var mu sync.RWMutex
	mu.RLock()
	fmt.Println("TryLock while read-locked:", mu.TryLock())
	fmt.Println("TryRLock while read-locked:", mu.TryRLock())
	mu.RUnlock()
	mu.RUnlock()
	mu.Lock()
	fmt.Println("TryRLock while write-locked:", mu.TryRLock())
	done := make(chan string)
	go func() {
		mu.RLock()
		done <- "reader got in after writer unlock"
		mu.RUnlock()
	}()
	value := "written"
	mu.Unlock()
	fmt.Println(<-done, value)
	var m sync.Mutex
	fmt.Println("TryLock free:", m.TryLock(), "TryLock held:", m.TryLock())
	m.Unlock()
}

// Command once_blocking exercises callers of Once.Do waiting while the first caller's function blocks on a channel.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var once sync.Once
	release := make(chan struct{})
	started := make(chan struct{})
	value := 0
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		once.Do(func() {
			close(started)
			<-release
			value = 7
		})
	}()
	<-started
	seen := make(chan int, 3)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { value = -1 })
			seen <- value
		}()
	}
	close(release)
	wg.Wait()
	close(seen)
	for v := range seen {
		fmt.Println("saw", v)
	}
}

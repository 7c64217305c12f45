// Command once exercises sync.Once, OnceFunc, OnceValue and OnceValues called from many goroutines at once.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var once sync.Once
	calls := 0
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { calls++ })
		}()
	}
	wg.Wait()
	fmt.Println("Do ran", calls)

	n := 0
	f := sync.OnceFunc(func() { n++ })
	v := sync.OnceValue(func() int { n += 10; return 42 })
	vs := sync.OnceValues(func() (string, error) { n += 100; return "x", nil })
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
			_ = v()
			_, _ = vs()
		}()
	}
	wg.Wait()
	s, err := vs()
	fmt.Println("n", n, v(), s, err)

	var panicky sync.Once
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		panicky.Do(func() { panic("first call panics") })
	}()
	panicky.Do(func() { fmt.Println("never printed") })
	fmt.Println("Once counts a panicking call as done")
}

// Command waitgroup_negative exercises the recoverable panic of a WaitGroup counter going negative, and Wait returning at once on a zero counter.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	wg.Wait()
	fmt.Println("Wait on zero counter returns")
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		wg.Done()
	}()
	var wg2 sync.WaitGroup
	wg2.Add(2)
	done := make(chan bool)
	go func() {
		wg2.Wait()
		done <- true
	}()
	wg2.Add(-1)
	wg2.Done()
	fmt.Println("waiter released:", <-done)
}

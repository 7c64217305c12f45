// Counter has 100 goroutines each increment an unsynchronised counter 1,000
// times. Natively that is a data race that loses updates; under gopatch only
// one greenlet runs at a time and none yields inside counter++, so the total
// is exactly 100000.
package main

import "fmt"

var counter int

func main() {
	done := make(chan struct{})
	for range 100 {
		go func() {
			for range 1000 {
				counter++
			}
			done <- struct{}{}
		}()
	}
	for range 100 {
		<-done
	}
	fmt.Println(counter)
}

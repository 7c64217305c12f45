// Command panic_main_defers exercises an unrecovered panic in main: main's defers run and print, then the process exits 2.
package main

import "fmt"

func main() {
	done := make(chan bool)
	go func() { done <- true }()
	defer fmt.Println("main defer runs")
	defer func() {
		<-done
		fmt.Println("deferred receive completed")
	}()
	panic("main failed")
}

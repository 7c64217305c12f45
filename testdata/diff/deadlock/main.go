// Command deadlock exercises a program in which every goroutine blocks forever: it must exit with status 2 after its output.
package main

import "fmt"

func main() {
	a, b := make(chan int), make(chan int)
	go func() {
		<-a
		b <- 1
	}()
	fmt.Println("about to deadlock")
	<-b
	fmt.Println("never printed")
}

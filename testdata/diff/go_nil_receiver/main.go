// Command go_nil_receiver exercises a go statement whose method value derefs a nil pointer: the panic happens in the goroutine running the go statement, where it can be recovered.
package main

import "fmt"

type T struct{ n int }

func (t T) show(out chan<- int) { out <- t.n }

func main() {
	out := make(chan int, 1)
	var p *T
	func() {
		defer func() { fmt.Println("recovered at go statement:", recover() != nil) }()
		go p.show(out)
		fmt.Println("never printed")
	}()
	p = &T{5}
	go p.show(out)
	fmt.Println(<-out)
}

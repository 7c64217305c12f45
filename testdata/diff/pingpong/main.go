// Command pingpong exercises strict alternation of two goroutines handing a ball back and forth over two unbuffered channels.
package main

import "fmt"

type ball struct{ hits int }

func player(name string, in <-chan *ball, out chan<- *ball, done chan<- string) {
	for b := range in {
		b.hits++
		if b.hits == 10 {
			done <- fmt.Sprint(name, " ends the rally at ", b.hits)
			return
		}
		fmt.Println(name, b.hits)
		out <- b
	}
}

func main() {
	toPing, toPong := make(chan *ball), make(chan *ball)
	done := make(chan string)
	go player("pong", toPong, toPing, done)
	go player("ping", toPing, toPong, done)
	toPing <- new(ball)
	fmt.Println(<-done)
}

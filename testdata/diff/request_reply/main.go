// Command request_reply exercises a server goroutine answering requests that carry their own reply channel.
package main

import "fmt"

type request struct {
	n     int
	reply chan int
}

func server(reqs <-chan request) {
	state := 0
	for r := range reqs {
		state += r.n
		r.reply <- state
	}
}

func main() {
	reqs := make(chan request)
	go server(reqs)
	done := make(chan int)
	for c := range 3 {
		go func() {
			total := 0
			for i := range 4 {
				reply := make(chan int)
				reqs <- request{c*10 + i, reply}
				<-reply
				total++
			}
			done <- total
		}()
	}
	n := 0
	for range 3 {
		n += <-done
	}
	reply := make(chan int)
	reqs <- request{0, reply}
	fmt.Println("requests", n, "final state", <-reply)
	close(reqs)
}

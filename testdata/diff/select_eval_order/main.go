// Command select_eval_order exercises select evaluating every channel and send-value expression exactly once, in source order, before choosing.
package main

import "fmt"

func ch(name string, c chan int) chan int {
	fmt.Println("eval channel", name)
	return c
}

func val(name string, v int) int {
	fmt.Println("eval value", name)
	return v
}

func main() {
	ready := make(chan int, 1)
	var never chan int
	for i := range 2 {
		select {
		case ch("a", never) <- val("a", 1):
			fmt.Println("unexpected a")
		case v := <-ch("b", never):
			fmt.Println("unexpected b", v)
		case ch("c", ready) <- val("c", i):
			fmt.Println("sent c", i)
		case v := <-ch("d", ready):
			fmt.Println("received d", v)
		}
	}
}

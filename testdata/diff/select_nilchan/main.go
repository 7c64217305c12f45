// Command select_nilchan exercises disabling select cases by setting channels to nil once they are closed.
package main

import "fmt"

func main() {
	a := make(chan int)
	b := make(chan int)
	go func() {
		for i := range 3 {
			a <- i
		}
		close(a)
	}()
	go func() {
		for i := range 5 {
			b <- 10 + i
		}
		close(b)
	}()
	sumA, sumB, closed := 0, 0, 0
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				closed++
				continue
			}
			sumA += v
		case v, ok := <-b:
			if !ok {
				b = nil
				closed++
				continue
			}
			sumB += v
		}
	}
	var nilch chan int
	select {
	case nilch <- 1:
		fmt.Println("unexpected")
	case <-nilch:
		fmt.Println("unexpected")
	default:
		fmt.Println("nil channel never ready")
	}
	fmt.Println(sumA, sumB, "closed", closed)
}

// Command select_fairness exercises select choosing uniformly among ready cases: over 2,000 rounds each of three always-ready cases wins often.
package main

import "fmt"

func main() {
	a, b, c := make(chan int, 1), make(chan int, 1), make(chan int, 1)
	wins := [3]int{}
	for range 2000 {
		a <- 0
		b <- 1
		c <- 2
		select {
		case v := <-a:
			wins[v]++
			<-b
			<-c
		case v := <-b:
			wins[v]++
			<-a
			<-c
		case v := <-c:
			wins[v]++
			<-a
			<-b
		}
	}
	// Each count is Binomial(2000, 1/3): mean 667, sd 21; 500 is 8 sd away.
	for i, w := range wins {
		fmt.Println("case", i, "won often:", w > 500)
	}
}

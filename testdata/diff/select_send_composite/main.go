// Command select_send_composite exercises select send cases whose values are composite literals, as errgroup's TryGo sends token{} on its semaphore.
package main

import "fmt"

type token struct{}

type point struct{ x, y int }

func main() {
	sem := make(chan token, 1)
	for i := range 2 {
		select {
		case sem <- token{}:
			fmt.Println("acquired", i)
		default:
			fmt.Println("busy", i)
		}
	}
	pts := make(chan point, 1)
	select {
	case pts <- point{1, 2}:
	}
	fmt.Println(<-pts)
	lists := make(chan []int, 1)
	select {
	case lists <- []int{3, 4}:
		fmt.Println(<-lists)
	}
}

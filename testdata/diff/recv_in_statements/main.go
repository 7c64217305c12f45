// Command recv_in_statements exercises receives in if and switch initialisers, for clauses, compound expressions and assignments to map entries and fields.
package main

import "fmt"

type box struct{ v int }

func main() {
	ch := make(chan int, 10)
	for i := 1; i <= 9; i++ {
		ch <- i
	}
	if v, ok := <-ch; ok {
		fmt.Println("if init", v)
	}
	switch v := <-ch; {
	case v%2 == 0:
		fmt.Println("switch init even", v)
	default:
		fmt.Println("switch init odd", v)
	}
	sum := <-ch + <-ch*10
	fmt.Println("expression", sum)
	m := map[string]int{}
	var ok bool
	m["k"], ok = <-ch
	b := &box{}
	b.v = <-ch
	fmt.Println("map", m["k"], ok, "field", b.v)
	fns := make(chan func() string, 1)
	fns <- func() string { return "called through a received func" }
	fmt.Println((<-fns)())
	close(ch)
	for v, ok := <-ch; ok; v, ok = <-ch {
		fmt.Println("for clause", v)
	}
	structs := []struct{ c chan int }{{make(chan int, 1)}}
	structs[0].c <- 42
	fmt.Println("indexed field", <-structs[0].c)
}

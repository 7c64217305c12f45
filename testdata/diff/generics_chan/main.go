// Command generics_chan exercises generic pipeline helpers whose channel element types are type parameters.
package main

import (
	"fmt"
	"strconv"
)

func Source[T any](vs ...T) <-chan T {
	out := make(chan T, len(vs))
	go func() {
		defer close(out)
		for _, v := range vs {
			out <- v
		}
	}()
	return out
}

func Map[T, U any](in <-chan T, f func(T) U) <-chan U {
	out := make(chan U)
	go func() {
		defer close(out)
		for {
			v, ok := <-in
			if !ok {
				return
			}
			out <- f(v)
		}
	}()
	return out
}

func Collect[T any](in <-chan T) []T {
	var out []T
	for {
		select {
		case v, ok := <-in:
			if !ok {
				return out
			}
			out = append(out, v)
		}
	}
}

type Pair[K comparable, V any] struct {
	K K
	V V
}

func main() {
	strs := Collect(Map(Source(1, 2, 3), strconv.Itoa))
	fmt.Printf("%q\n", strs)
	pairs := Collect(Map(Source("a", "bb"), func(s string) Pair[string, int] { return Pair[string, int]{s, len(s)} }))
	fmt.Println(pairs)
}

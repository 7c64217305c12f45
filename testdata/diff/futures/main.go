// Command futures exercises one-shot result channels used as futures, awaited out of completion order, with a generic future type.
package main

import (
	"fmt"
	"time"
)

type Future[T any] struct{ ch chan T }

func Async[T any](f func() T) Future[T] {
	fut := Future[T]{make(chan T, 1)}
	go func() { fut.ch <- f() }()
	return fut
}

func (f Future[T]) Await() T { return <-f.ch }

func main() {
	var futs []Future[string]
	for i, d := range []int{3, 1, 2} {
		futs = append(futs, Async(func() string {
			time.Sleep(time.Duration(d) * time.Millisecond)
			return fmt.Sprintf("task %d slept %dms", i, d)
		}))
	}
	sum := Async(func() int { return 40 + 2 })
	for _, f := range futs {
		fmt.Println(f.Await())
	}
	fmt.Println("sum", sum.Await())
}

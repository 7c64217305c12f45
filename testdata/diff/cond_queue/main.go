// Command cond_queue exercises a bounded queue built on sync.Cond with separate not-empty and not-full conditions.
package main

import (
	"fmt"
	"sync"
)

type queue struct {
	mu       sync.Mutex
	notEmpty *sync.Cond
	notFull  *sync.Cond
	items    []int
	cap      int
}

func newQueue(n int) *queue {
	q := &queue{cap: n}
	q.notEmpty = sync.NewCond(&q.mu)
	q.notFull = sync.NewCond(&q.mu)
	return q
}

func (q *queue) put(v int) {
	q.mu.Lock()
	for len(q.items) == q.cap {
		q.notFull.Wait()
	}
	q.items = append(q.items, v)
	q.notEmpty.Signal()
	q.mu.Unlock()
}

func (q *queue) get() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.notEmpty.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.notFull.Signal()
	return v
}

func main() {
	q := newQueue(2)
	go func() {
		for i := 1; i <= 10; i++ {
			q.put(i)
		}
	}()
	sum := 0
	for range 10 {
		v := q.get()
		fmt.Println("got", v)
		sum += v
	}
	fmt.Println("sum", sum)
}

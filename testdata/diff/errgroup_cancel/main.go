// Command errgroup_cancel exercises errgroup-style cancellation: the first failing goroutine records its error once and cancels a context the others watch.
package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

type group struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
}

func withContext(ctx context.Context) (*group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &group{cancel: cancel}, ctx
}

func (g *group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	}()
}

func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

func main() {
	g, ctx := withContext(context.Background())
	var mu sync.Mutex
	cancelled := 0
	for i := range 5 {
		g.Go(func() error {
			if i == 2 {
				return errors.New("task 2 failed")
			}
			select {
			case <-ctx.Done():
				mu.Lock()
				cancelled++
				mu.Unlock()
				return ctx.Err()
			case <-time.After(10 * time.Second):
				return nil
			}
		})
	}
	err := g.Wait()
	fmt.Println("err:", err)
	fmt.Println("cancelled:", cancelled)
	fmt.Println("ctx:", ctx.Err())
}

// Command context_deadline exercises context.WithTimeout and WithDeadline expiring while a goroutine waits on slow work.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func slow(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	_, hasDeadline := ctx.Deadline()
	fmt.Println("has deadline:", hasDeadline)
	errc := make(chan error)
	go func() { errc <- slow(ctx, time.Hour) }()
	err := <-errc
	fmt.Println("slow:", err, errors.Is(err, context.DeadlineExceeded))

	ctx2, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(time.Hour))
	go func() { errc <- slow(ctx2, time.Millisecond) }()
	fmt.Println("fast:", <-errc)
	cancel2()
	fmt.Println("after cancel:", ctx2.Err())

	ctx3, cancel3 := context.WithTimeout(context.Background(), -time.Second)
	defer cancel3()
	fmt.Println("already expired:", ctx3.Err())
}

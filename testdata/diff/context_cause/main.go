// Command context_cause exercises WithCancelCause, WithTimeoutCause and context.AfterFunc.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	stopped := make(chan string, 1)
	stop := context.AfterFunc(ctx, func() { stopped <- "afterfunc ran" })
	done := make(chan struct{})
	go func() {
		<-ctx.Done()
		fmt.Println("worker saw:", ctx.Err(), context.Cause(ctx))
		close(done)
	}()
	cancel(errors.New("shutting down"))
	<-done
	fmt.Println(<-stopped, "stop after run:", stop())

	tctx, tcancel := context.WithTimeoutCause(context.Background(), 2*time.Millisecond, errors.New("too slow"))
	defer tcancel()
	<-tctx.Done()
	fmt.Println("timeout:", tctx.Err(), context.Cause(tctx))
}

// Package timeoutreply calls a backend that promises to answer within
// its latency, with a deadline of exactly that latency: when the reply and
// the deadline come at the same instant, either may win.
package timeoutreply

import (
	"errors"
	"time"
)

// Latency is how long the backend takes to answer, at most.
const Latency = 10 * time.Millisecond

// ErrTimeout is Call's error when the backend did not answer in time.
var ErrTimeout = errors.New("timeout")

func Call(backend func() int) (int, error) {
	reply := make(chan int, 1)
	go func() {
		time.Sleep(Latency)
		reply <- backend()
	}()
	select {
	case v := <-reply:
		return v, nil
	case <-time.After(Latency): // BUG: no margin over the promised latency
		return 0, ErrTimeout
	}
}

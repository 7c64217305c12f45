// Package timeoutreply is example.com/bugs/timeoutreply with its bug mended; its test is
// the same file. See that package's doc for the bug.
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
	case <-time.After(2 * Latency):
		return 0, ErrTimeout
	}
}

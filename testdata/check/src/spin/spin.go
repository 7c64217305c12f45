// Package spin waits for other goroutines by spinning on sync/atomic, and
// by ways that yield.
package spin

import (
	"runtime"
	"sync/atomic"
	"time"
)

var (
	done  atomic.Bool
	state int32
	slots [4]atomic.Int32
)

func WaitDone() {
	for !done.Load() { // want `loop spins on sync/atomic waiting for another goroutine and never yields, so on the hub that goroutine never runs; wait on a channel, sync.Cond or sync.WaitGroup, or call runtime.Gosched in the loop \(GP0304\)`
	}
}

func WaitState() {
	for atomic.LoadInt32(&state) == 0 { // want `loop spins on sync/atomic .*\(GP0304\)`
	}
}

func Lock() {
	for !atomic.CompareAndSwapInt32(&state, 0, 1) { // want `\(GP0304\)`
	}
}

func WaitBreak() {
	for { // want `\(GP0304\)`
		if done.Load() {
			break
		}
	}
}

func Yields() {
	for !done.Load() { // yields: not reported
		runtime.Gosched()
	}
	for !done.Load() { // sleeps on the hub clock: not reported
		time.Sleep(time.Millisecond)
	}
}

func Scan() int {
	for i := 0; i < len(slots); i++ { // bounded by its own condition: not reported
		if slots[i].Load() == 0 {
			return i
		}
	}
	return -1
}

func Receives(ch chan int) {
	for !done.Load() { // a channel receive yields: not reported
		<-ch
	}
}

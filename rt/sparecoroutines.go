// This file keeps the free coroutines of ended hubs for the next hubs, in a test binary that runs many seeds.

package rt

import (
	"sync"
	"time"
)

// Why: gopatch test -seeds runs a test thousands of times in one binary,
// each run on a hub of its own, and a hub's free coroutines ended with it:
// every run started its greenlets' goroutines anew (iter.Pull's newproc
// and a new stack), about 5% of a small test's run (bench/seeds.sh). The
// next run's hub takes them from here instead.
//
// Invariants:
//   - A spare coroutine is parked in its loop's yield, runs no greenlet,
//     and is in no hub's free list; the hub that takes it makes it its own
//     (adopt) before it runs anything.
//   - Spares exist only while a binary runs a list of seeds (manySeeds),
//     and not for long once nothing takes them: sparesIdle after the last
//     hub handed some on, they end, so that a leak check which counts
//     goroutines after the last test (goleak's, x/net's) finds none of
//     them. Elsewhere a hub ends its coroutines as it ends.
var spares struct {
	mu    sync.Mutex
	free  []*coroutine
	drain *time.Timer // ends the spares sparesIdle after the last put
}

const (
	maxSpareCoroutines = 64
	sparesIdle         = 50 * time.Millisecond
)

// shareCoroutines says whether hubs hand their free coroutines on.
var shareCoroutines = sync.OnceValue(manySeeds)

// putSpares keeps as many of free as there is room for and returns the
// rest, which the caller ends.
func putSpares(free []*coroutine) []*coroutine {
	spares.mu.Lock()
	defer spares.mu.Unlock()
	n := min(len(free), maxSpareCoroutines-len(spares.free))
	spares.free = append(spares.free, free[:n]...)
	if spares.drain == nil {
		spares.drain = time.AfterFunc(sparesIdle, drainSpares)
	} else {
		spares.drain.Reset(sparesIdle)
	}
	return free[n:]
}

// takeSpare returns a spare coroutine, or nil.
func takeSpare() *coroutine {
	spares.mu.Lock()
	defer spares.mu.Unlock()
	n := len(spares.free)
	if n == 0 {
		return nil
	}
	c := spares.free[n-1]
	spares.free[n-1] = nil
	spares.free = spares.free[:n-1]
	return c
}

// drainSpares ends the spares. Stopping a coroutine runs the end of its
// loop on the caller's goroutine, so it happens outside spares.mu.
func drainSpares() {
	spares.mu.Lock()
	free := spares.free
	spares.free = nil
	spares.mu.Unlock()
	for _, c := range free {
		c.stop()
	}
}

// adopt makes the spare c a coroutine of h.
func (c *coroutine) adopt(h *Hub) {
	c.forget()
	c.h = h
}

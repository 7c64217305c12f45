// This file implements greenlets with greenlet's semantics: Switch, Throw,
// parents, and the coroutine each one runs on.

package rt

import (
	"errors"
	"fmt"
	"iter"
	"strconv"
	"sync/atomic"
)

// Greenlet is a function with its own stack that runs only when switched to,
// as in Python's greenlet, and, when made by [Spawn], a task with a result
// that can be joined, linked and killed, as gevent's Greenlet.
//
// A greenlet belongs to the hub of the goroutine that made it and can only
// be switched to from that hub's greenlets.
type Greenlet struct {
	hub    *Hub
	run    func(args ...any) any // raw greenlets (NewGreenlet)
	fn     func() any            // spawned greenlets (Spawn)
	parent *Greenlet
	state  greenletState

	// The coroutine the greenlet runs on, attached at its first switch.
	co   *coroutine
	goid int64
	// onStack: the greenlet runs, or waits in the resume of one it
	// switched to directly (see Hub.switchFromCoroutine), so it can only be
	// reached by yielding to it.
	onStack bool

	id        uint64
	name      string
	spawnedAt uintptr // program counter of the Spawn call, for reports

	waiting *waiter // the wait it is parked in, if any
	// ownWaiter serves g's waits one after another (see queuedWaiter);
	// ownWaiterBusy while a wait that may still be reached holds it.
	ownWaiter     waiter
	ownWaiterBusy bool
	interrupt     *interruption
	locals        map[any]any

	outcome // the result of a spawned greenlet

	livePrev, liveNext *Greenlet
}

type greenletState uint8

const (
	stateFresh  greenletState = iota // made, never switched to
	stateActive                      // started and not finished
	stateDead
)

var greenletIDs atomic.Uint64

func nextGreenletID() uint64 { return greenletIDs.Add(1) }

// GreenletExit is the error a greenlet is unwound with by [Greenlet.Kill].
// As in gevent, a greenlet that dies of it counts as successful, and it
// becomes the greenlet's value; thrown into a raw greenlet with
// [Greenlet.Throw], it is returned to the parent rather than raised there.
var GreenletExit = errors.New("greenlet exit")

// NewGreenlet makes a greenlet that will call run with the arguments of the
// first Switch to it. A nil parent means the current greenlet.
func NewGreenlet(run func(args ...any) any, parent *Greenlet) *Greenlet {
	h := currentHub()
	if parent == nil {
		parent = h.current
	}
	if parent.hub != h {
		panic("rt: NewGreenlet: parent belongs to another hub")
	}
	g := h.newGreenlet(parent)
	g.run = run
	return g
}

// newGreenlet makes a fresh greenlet of h with the given parent.
func (h *Hub) newGreenlet(parent *Greenlet) *Greenlet {
	g := &Greenlet{hub: h, parent: parent, id: nextGreenletID()}
	h.live.add(g)
	h.liveCount.Add(1)
	return g
}

// Switch transfers control to g and returns the value the current greenlet
// is switched back with. The first switch to g calls its run function with
// args; a later one makes g's own pending Switch return: nil for no
// arguments, the argument itself for one, and []any for several. When g's
// run function returns, its result goes to g's parent. Switching to a dead
// greenlet switches to its nearest live ancestor instead, which returns at
// once if that is the caller.
func (g *Greenlet) Switch(args ...any) any {
	h := currentHub()
	if g.hub != h {
		panic(fmt.Sprintf("rt: cannot switch to %v: it belongs to another hub", g))
	}
	target := g.liveSelfOrAncestor()
	h.args, h.val = args, packArgs(args)
	if target == h.current {
		return h.receive()
	}
	return h.switchTo(h.current, target)
}

// Throw raises err in g at the point where it is suspended, switching to it.
// If g has never run it dies at once without running. Either way, an error
// g does not recover goes on to g's parent: GreenletExit as the parent's
// Switch result, any other error raised in the parent.
func (g *Greenlet) Throw(err error) any {
	h := currentHub()
	if g.hub != h {
		panic(fmt.Sprintf("rt: cannot throw into %v: it belongs to another hub", g))
	}
	if err == nil {
		err = GreenletExit
	}
	target := g
	if g.state == stateFresh && g.fn != nil {
		// A spawned greenlet that never ran dies as Kill makes it die, so
		// that its joiners wake; the error goes nowhere else.
		h.kill(g, err)
		return nil
	}
	if g.state == stateFresh {
		// It never runs: its death delivers err to the parent.
		g.die()
		target = g.liveSelfOrAncestor()
		if errors.Is(err, GreenletExit) {
			h.args, h.val = nil, err
		} else {
			h.throwing = err
		}
	} else if g.state == stateDead {
		// A dead greenlet cannot recover it: it goes on to the nearest live
		// ancestor as if g had just died of it.
		target = g.liveSelfOrAncestor()
		if errors.Is(err, GreenletExit) {
			h.args, h.val = nil, err
		} else {
			h.throwing = err
		}
	} else {
		h.throwing = err
	}
	if target == h.current {
		return h.receive()
	}
	return h.switchTo(h.current, target)
}

// Parent returns g's parent, or nil for a main greenlet.
func (g *Greenlet) Parent() *Greenlet { return g.parent }

// SetParent makes p g's parent. It refuses a parent of another hub and a
// parent that would make a cycle.
func (g *Greenlet) SetParent(p *Greenlet) error {
	if p == nil {
		return errors.New("rt: SetParent: parent cannot be nil")
	}
	if p.hub != g.hub {
		return errors.New("rt: SetParent: parent belongs to another hub")
	}
	for a := p; a != nil; a = a.parent {
		if a == g {
			return errors.New("rt: SetParent: cyclic parent chain")
		}
	}
	g.parent = p
	return nil
}

// Dead reports whether g has finished (or was killed before it started).
func (g *Greenlet) Dead() bool { return g.state == stateDead }

// Name returns the greenlet's name: "main", "hub" or "Greenlet-N".
func (g *Greenlet) Name() string {
	if g.name != "" {
		return g.name
	}
	return "Greenlet-" + strconv.FormatUint(g.id, 10)
}

// String implements fmt.Stringer.
func (g *Greenlet) String() string { return "<" + g.Name() + ">" }

// liveSelfOrAncestor returns g, or its nearest ancestor that is not dead.
func (g *Greenlet) liveSelfOrAncestor() *Greenlet {
	for g.state == stateDead && g.parent != nil {
		g = g.parent
	}
	return g
}

func packArgs(args []any) any {
	switch len(args) {
	case 0:
		return nil
	case 1:
		return args[0]
	}
	return args
}

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

// body is the whole life of g's coroutine: run, die, hand the result (or
// the panic) to the parent.
func (g *Greenlet) body() {
	h := g.hub
	var result, panicked any
	defer func() {
		// Also reached when run calls runtime.Goexit, which iter.Pull then
		// propagates to the root goroutine.
		if g.state != stateDead {
			g.die()
		}
	}()
	if g.fn != nil {
		h.args, h.val = nil, nil
		g.runSpawned()
	} else if p := h.throwing; p != nil {
		// Started by an error passed up from a child (or thrown into a fresh
		// child): as in greenlet, it dies without running and the error goes
		// on to its own parent.
		h.throwing, h.args, h.val = nil, nil, nil
		panicked = p
	} else {
		args := h.args
		if args == nil && h.val != nil {
			args = []any{h.val}
		}
		h.args, h.val = nil, nil
		result, panicked = callRun(g.run, args)
	}
	g.die()
	h.target = g.liveSelfOrAncestor()
	switch {
	case panicked == nil:
		h.val = result
	case isExit(panicked):
		h.val = exitError(panicked)
	default:
		h.throwing = panicked
	}
}

// callRun calls run and returns its result or what it panicked with.
func callRun(run func(args ...any) any, args []any) (result, panicked any) {
	normal := false
	defer func() {
		if !normal {
			panicked = recover()
		}
	}()
	result = run(args...)
	normal = true
	return result, nil
}

// die marks g dead and forgets its coroutine.
func (g *Greenlet) die() {
	g.state = stateDead
	g.onStack = false
	g.hub.live.remove(g)
	g.hub.liveCount.Add(-1)
}

// interruption is the panic value that unwinds a greenlet killed by
// [Greenlet.Kill] or interrupted by a [Timeout]. [Recover] re-panics it, so a
// recover() in rewritten code cannot swallow it.
type interruption struct {
	err error
}

func (i *interruption) Error() string { return i.err.Error() }
func (i *interruption) Unwrap() error { return i.err }

// isExit reports whether a panic value means "die of GreenletExit".
func isExit(p any) bool {
	err, ok := p.(error)
	return ok && errors.Is(err, GreenletExit)
}

// exitError returns the GreenletExit error inside p.
func exitError(p any) error {
	if i, ok := p.(*interruption); ok {
		return i.err
	}
	return p.(error)
}

// Recover is what rewritten code calls on the result of recover(): it
// re-panics rt's kill and timeout interruptions, so that a deferred recover
// cannot stop a Kill, and returns any other value unchanged.
func Recover(v any) any {
	if i, ok := v.(*interruption); ok {
		panic(i)
	}
	return v
}

// checkInterrupt raises a pending Kill or Timeout in the current greenlet g.
// Every blocking point calls it after g resumes.
func (g *Greenlet) checkInterrupt() {
	if i := g.interrupt; i != nil {
		g.interrupt = nil
		panic(i)
	}
}

// interruptWith makes err raise in g at its current or next blocking point.
// It must run on g's hub.
func (g *Greenlet) interruptWith(err error) {
	g.interrupt = &interruption{err: err}
	if w := g.waiting; w != nil {
		w.fire(g.hub, waitThrown, nil)
	}
}

// Local is greenlet-local storage: each greenlet sees its own value, the
// zero value until it sets one.
type Local[T any] struct {
	_ byte // distinct addresses for distinct Locals
}

// Get returns the calling greenlet's value.
func (l *Local[T]) Get() T {
	g := Current()
	v, _ := g.locals[l].(T)
	return v
}

// Set sets the calling greenlet's value.
func (l *Local[T]) Set(v T) {
	g := Current()
	if g.locals == nil {
		g.locals = make(map[any]any)
	}
	g.locals[l] = v
}

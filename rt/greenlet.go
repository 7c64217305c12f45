// This file implements greenlets with greenlet's semantics: Switch, Throw,
// parents, and how a greenlet's body runs and dies (its coroutine is in
// coroutine.go, its interruption in interrupt.go).

package rt

import (
	"errors"
	"fmt"
	"runtime/debug"
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
	goFn   func()     // greenlets of go statements (Go)
	fn     func() any // spawned greenlets (Spawn)
	parent *Greenlet

	// The coroutine the greenlet runs on, attached at its first switch.
	co   *coroutine
	goid int64

	id  uint64
	num uint32 // the greenlet's number on its hub: main is 1, then in creation order
	// The small fields share num's word: every open connection of a
	// server keeps a parked greenlet, so the struct is kept to 256 bytes.
	state greenletState
	// onStack: the greenlet runs, or waits in the resume of one it
	// switched to directly (see Hub.switchFromCoroutine), so it can only be
	// reached by yielding to it.
	onStack bool
	// ownWaiterBusy while a wait that may still be reached holds
	// ownWaiter.
	ownWaiterBusy bool
	spawnedAt     uintptr // program counter of the Spawn call or go statement, for reports

	waiting *waiter // the wait it is parked in, if any
	// ownWaiter serves g's waits one after another (see queuedWaiter).
	ownWaiter waiter
	interrupt *interruption

	// out is the greenlet's result, for joiners and links: made with a
	// spawned greenlet, on first use for a go statement's (see result).
	out  atomic.Pointer[outcome]
	rare *greenletRare // what few greenlets have, or nil

	livePrev, liveNext *Greenlet
}

// greenletRare holds what few greenlets have: raw greenlets' functions,
// greenlet-local storage.
type greenletRare struct {
	run    func(args ...any) any // raw greenlets (NewGreenlet)
	locals map[any]any
}

// rareFields returns g.rare, making it if g has none. Only g's hub calls
// it.
func (g *Greenlet) rareFields() *greenletRare {
	if g.rare == nil {
		g.rare = new(greenletRare)
	}
	return g.rare
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
	g.rareFields().run = run
	return g
}

// newGreenlet makes a fresh greenlet of h with the given parent.
func (h *Hub) newGreenlet(parent *Greenlet) *Greenlet {
	return h.addGreenlet(new(Greenlet), parent)
}

// newSpawnedGreenlet is newGreenlet for a Spawn: the greenlet's outcome,
// which every joiner and link of it uses, comes in the same allocation.
func (h *Hub) newSpawnedGreenlet(parent *Greenlet) *Greenlet {
	s := new(struct {
		g Greenlet
		o outcome
	})
	s.g.out.Store(&s.o)
	return h.addGreenlet(&s.g, parent)
}

// addGreenlet makes g, zero but for its outcome, a fresh greenlet of h
// with the given parent.
func (h *Hub) addGreenlet(g *Greenlet, parent *Greenlet) *Greenlet {
	h.greenlets++
	g.hub, g.parent, g.id, g.num = h, parent, nextGreenletID(), h.greenlets
	h.live.add(g)
	h.liveCount.Add(1)
	startMonitor() // a lazy hub with a greenlet besides its main one is watched
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
	if g.state == stateFresh && g.spawned() {
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
	if n := g.hubName(); n != "" {
		return n
	}
	return "Greenlet-" + strconv.FormatUint(g.id, 10)
}

// reportName is what reports call g: "main", the name a gevent-style
// caller gave it, or g and its number on its hub ("g3"), which a replayed
// schedule gives it again.
func (g *Greenlet) reportName() string {
	if n := g.hubName(); n != "" {
		return n
	}
	return "g" + strconv.FormatUint(uint64(g.num), 10)
}

// hubName is "main" for the main greenlet of g's hub, "hub" for the hub's
// own, and "" for any other.
func (g *Greenlet) hubName() string {
	switch g {
	case g.hub.root:
		return "main"
	case g.hub.hubg:
		return "hub"
	}
	return ""
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

// body is the whole life of g on its coroutine: run, die, hand the
// result (or the panic) to the parent. It has one small frame and one
// defer, unwind, for every kind of greenlet: see takeCoroutine for why
// the frames below a greenlet's own code are kept few.
func (g *Greenlet) body() {
	defer g.unwind()
	h := g.hub
	switch {
	case g.goFn != nil:
		h.args, h.val = nil, nil
		g.goFn()
		g.settle()
	case g.fn != nil:
		h.args, h.val = nil, nil
		g.out.Load().value = g.fn()
		g.settle()
	default:
		g.runRaw()
	}
}

// runRaw runs a raw greenlet's run function (NewGreenlet) and hands its
// result, or its panic, to the parent.
func (g *Greenlet) runRaw() {
	h := g.hub
	var result, panicked any
	if p := h.throwing; p != nil {
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
		result, panicked = callRun(g.rare.run, args)
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

// settle ends a spawned greenlet whose function has returned or whose
// panic unwind has recorded: its joiners and links are told, and control
// goes to its parent (the hub) with nothing to pass.
func (g *Greenlet) settle() {
	h := g.hub
	g.finishOutcome(h)
	g.die()
	h.target = g.liveSelfOrAncestor()
	h.val = nil
}

// unwind is body's deferred call. It does nothing for a greenlet that has
// died (its function returned). A spawned greenlet's panic it records, as
// gevent records a failed greenlet's exception, or, for a go statement's
// greenlet, crashes the program as a goroutine's panic does (a Kill or
// Timeout unwinds that one quietly). For runtime.Goexit it ends g, hands
// control to g's parent as a return would, and parks the coroutine for
// good: iter.Pull would otherwise carry the Goexit on into the goroutine
// that resumed g, ending the main greenlet too, where natively Goexit ends
// only the goroutine that calls it. That costs one parked goroutine per
// greenlet that calls Goexit.
func (g *Greenlet) unwind() {
	if g.state == stateDead {
		return
	}
	h := g.hub
	p := recover()
	if p == nil { // runtime.Goexit
		if g.spawned() {
			g.finishOutcome(h)
		}
		g.die()
		h.target = g.liveSelfOrAncestor()
		h.val, h.args, h.throwing = nil, nil, nil
		g.co.switchOut()
		return // not reached: nothing resumes the coroutine again
	}
	// Raw greenlets recover their own panics (callRun): p is a spawned
	// greenlet's.
	switch {
	case isExit(p):
		g.result().value = exitError(p)
	default:
		i, killed := p.(*interruption)
		switch {
		case killed:
			g.result().err = i.err
		case g.goFn != nil:
			crash(p) // the stack still shows where fn panicked
		default:
			g.out.Load().err = &PanicError{Value: p, Stack: debug.Stack()}
		}
		reportFailure(g)
	}
	g.settle()
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

// spawned reports whether g was made by Spawn or a go statement, and so has
// an outcome that joiners wait for.
func (g *Greenlet) spawned() bool { return g.fn != nil || g.goFn != nil }

// viaGo reports whether g was made by a go statement (Go), not by Spawn.
func (g *Greenlet) viaGo() bool { return g.goFn != nil }

// die marks g dead and forgets its coroutine.
func (g *Greenlet) die() {
	g.state = stateDead
	g.onStack = false
	g.hub.live.remove(g)
	g.hub.liveCount.Add(-1)
}

// This file implements gevent's Greenlet API on top of raw greenlets:
// Spawn, Join, Get, Kill and links.

package rt

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

// Spawn makes a greenlet that runs fn with the hub as its parent and
// schedules it: it starts, after every greenlet spawned before it, when the
// caller next blocks or yields. fn's result becomes the greenlet's value; a
// panic in fn is caught, reported like gevent's "failed with" line, and kept
// in Err: it never takes the hub down.
func Spawn(fn func() any) *Greenlet {
	h := currentHub()
	g := h.spawn(fn)
	h.runq.push(runItem{g: g})
	return g
}

// SpawnLater is Spawn with a start delayed by d on the hub clock.
func SpawnLater(d time.Duration, fn func() any) *Greenlet {
	h := currentHub()
	g := h.spawn(fn)
	h.addTimer(d, nil, func() {
		if g.state == stateFresh {
			h.runq.push(runItem{g: g})
		}
	})
	return g
}

func (h *Hub) spawn(fn func() any) *Greenlet {
	if fn == nil {
		panic("rt: Spawn of a nil function")
	}
	g := h.newSpawnedGreenlet(h.hubg)
	g.fn = fn
	g.recordSpawnSite()
	return g
}

// spawnGo is spawn for the greenlet of a go statement, which runs fn
// directly (see Greenlet.body): a panic in it crashes the program.
func (h *Hub) spawnGo(fn func()) *Greenlet {
	g := h.newGreenlet(h.hubg)
	g.goFn = fn
	g.recordSpawnSite()
	return g
}

// recordSpawnSite records where g was spawned, when RecordSpawnSites is
// on: the caller of spawn's caller.
func (g *Greenlet) recordSpawnSite() {
	if g.hub.recordSites || recordSpawnSites.Load() {
		var pc [1]uintptr
		if runtime.Callers(4, pc[:]) == 1 {
			g.spawnedAt = pc[0]
		}
	}
}

// recordSpawnSites says whether Spawn records its caller for reports.
var recordSpawnSites atomic.Bool

// RecordSpawnSites makes Spawn record where each greenlet was spawned, so
// that failure and deadlock reports can name it. It is off by default: the
// unwinding costs about 350 ns, more than a third of a spawn.
func RecordSpawnSites(on bool) { recordSpawnSites.Store(on) }

// PanicError is the error of a greenlet whose function panicked.
type PanicError struct {
	Value any    // what it panicked with
	Stack []byte // its stack when it panicked
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap returns the panic value if it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Join waits until g has finished or timeout has passed (timeout < 0: no
// limit) and reports whether g has finished.
func (g *Greenlet) Join(timeout time.Duration) bool {
	return g.result().done.wait("Join", timeout, nil) == waitFired
}

// JoinContext waits until g has finished or ctx is done.
func (g *Greenlet) JoinContext(ctx context.Context) error {
	if g.result().done.wait("Join", -1, ctx) == waitCancelled {
		return ctx.Err()
	}
	return nil
}

// Get waits for g to finish and returns its value, or its error (a
// [*PanicError] if it panicked).
func (g *Greenlet) Get() (any, error) {
	g.Join(-1)
	return g.result().value, g.result().err
}

// GetContext is Get that gives up when ctx is done.
func (g *Greenlet) GetContext(ctx context.Context) (any, error) {
	if err := g.JoinContext(ctx); err != nil {
		return nil, err
	}
	return g.result().value, g.result().err
}

// Kill raises GreenletExit in g at its next blocking point, so that its
// deferred functions run, and waits for it to die. A greenlet that has not
// started dies at once and never runs. Killing the calling greenlet unwinds
// it immediately.
func (g *Greenlet) Kill() { g.KillWith(GreenletExit, -1) }

// KillWith raises err in g as Kill does and waits up to timeout (< 0: no
// limit; 0: do not wait) for it to die. It reports whether g is dead.
func (g *Greenlet) KillWith(err error, timeout time.Duration) bool {
	h := currentHub()
	if g.state == stateDead && g.result().done.isReady() {
		return true
	}
	if g.hub != h {
		g.hub.post(runItem{fn: func() { g.hub.kill(g, err) }})
	} else if g == h.current {
		panic(&interruption{err: err})
	} else {
		h.kill(g, err)
	}
	if timeout == 0 {
		return g.Ready()
	}
	return g.Join(timeout)
}

// kill must run on g's hub.
func (h *Hub) kill(g *Greenlet, err error) {
	switch g.state {
	case stateDead:
	case stateFresh:
		if !g.spawned() {
			g.die()
			return
		}
		g.die()
		if errors.Is(err, GreenletExit) {
			g.result().value = err
		} else {
			g.result().err = err
		}
		g.result().done.setReady(h)
	default:
		g.interruptWith(err)
	}
}

// Link calls fn(g), in a new greenlet, when g finishes (at once if it has).
func (g *Greenlet) Link(fn func(*Greenlet)) {
	h := currentHub()
	g.result().done.rawlink(h, func() { Spawn(func() any { fn(g); return nil }) })
}

// LinkValue is Link for a greenlet that finishes successfully.
func (g *Greenlet) LinkValue(fn func(*Greenlet)) {
	g.Link(func(g *Greenlet) {
		if g.result().err == nil {
			fn(g)
		}
	})
}

// LinkError is Link for a greenlet that fails.
func (g *Greenlet) LinkError(fn func(*Greenlet)) {
	g.Link(func(g *Greenlet) {
		if g.result().err != nil {
			fn(g)
		}
	})
}

// JoinAll waits until every greenlet of gs has finished or timeout has
// passed (timeout < 0: no limit) and returns those that finished, in order.
func JoinAll(gs []*Greenlet, timeout time.Duration) []*Greenlet {
	var deadline time.Time
	if timeout >= 0 {
		deadline = Now().Add(timeout)
	}
	for _, g := range gs {
		left := time.Duration(-1)
		if timeout >= 0 {
			left = max(deadline.Sub(Now()), 0)
		}
		if !g.Join(left) {
			break
		}
	}
	done := make([]*Greenlet, 0, len(gs))
	for _, g := range gs {
		if g.Ready() {
			done = append(done, g)
		}
	}
	return done
}

// KillAll kills every greenlet of gs and waits for them all to die.
func KillAll(gs []*Greenlet) {
	for _, g := range gs {
		g.KillWith(GreenletExit, 0)
	}
	JoinAll(gs, -1)
}

// spawnSite returns "file:line" of the Spawn call or go statement that
// made g, or "".
func (g *Greenlet) spawnSite() string { return pcSite(g.spawnedAt) }

// pcSite returns "file:line" of the call at pc, or "" for 0.
func pcSite(pc uintptr) string {
	if pc == 0 {
		return ""
	}
	f, _ := runtime.CallersFrames([]uintptr{pc}).Next()
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}

// This file holds the interruption that Kill and Timeout unwind a greenlet with, and Recover, which keeps rewritten code's recover() from swallowing it.

package rt

import (
	"errors"
)

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

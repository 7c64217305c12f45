// This file holds a greenlet's outcome: its value or error, which joiners and links wait for.

package rt

// result returns g's outcome. A go statement's greenlet gets one only
// when something asks for it (a Join, a link, Ready): most never do, and
// a connection's greenlet is most of what a server holds for it. One that
// died first gets diedOutcome, ready with no value, set by finishOutcome: the
// one compare-and-swap that wins, from any goroutine, decides which.
func (g *Greenlet) result() *outcome {
	if o := g.out.Load(); o != nil {
		return o
	}
	o := new(outcome)
	if g.out.CompareAndSwap(nil, o) {
		return o
	}
	return g.out.Load()
}

// diedOutcome is the outcome of every go statement's greenlet that ended
// before anything asked for its outcome: ready, with no value and no
// error. Nothing changes a ready outcome, so it is shared.
var diedOutcome = func() *outcome {
	o := new(outcome)
	o.done.ready = true
	return o
}()

// finishOutcome makes g's outcome ready, as g dies having returned: a go
// statement's greenlet that nobody asked for one takes diedOutcome.
func (g *Greenlet) finishOutcome(h *Hub) {
	if g.goFn != nil && g.out.CompareAndSwap(nil, diedOutcome) {
		return
	}
	g.result().done.setReady(h)
}

// Ready reports whether g has finished (a spawned greenlet, or a go
// statement's; a raw greenlet's outcome is never ready).
func (g *Greenlet) Ready() bool { return g.result().Ready() }

// Successful reports whether g has finished without an error.
func (g *Greenlet) Successful() bool { return g.result().Successful() }

// Value returns g's value, or nil if it has not finished or failed.
func (g *Greenlet) Value() any { return g.result().Value() }

// Err returns g's error, or nil.
func (g *Greenlet) Err() error { return g.result().Err() }

func (g *Greenlet) waitable() *linkable { return &g.result().done }

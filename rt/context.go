// This file implements package context's cancelable and deadline contexts, with hub-owned Done channels and deadlines on the hub clock, for rewritten code.

package rt

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// A context made by [ContextWithCancel], [ContextWithDeadline] and their
// kin is a *cancelCtx: an ordinary context.Context, so it passes to code
// that was not rewritten, whose Done channel was made with [MakeChan] and is
// closed with [Close] on the hub that made it, and whose deadline is a timer
// on that hub's clock. Because Done is hub-owned, a greenlet waiting on it
// is durably blocked: with a virtual clock, a WithTimeout of an hour expires
// at once when nothing else can run. (Cancelling a native context from the
// hub timer instead would leave every wait on Done foreign: a helper
// goroutine per wait, and a virtual clock that stands still while any is
// pending, so the deadline could never come.)
//
// Parents: a cancelCtx parent links its child directly, as the std
// context's cancelCtx does. A native parent that can be cancelled is
// watched with context.AfterFunc, whose callback runs off the hub and posts
// the cancellation to it. A deadline context has a hub timer that ends it
// anyway, so the watch is not counted as an outside source of wake-ups; but
// a plain WithCancel of such a parent would be ended only from outside, so
// [ContextWithCancel] returns the native context.WithCancel then, whose
// waits the hub treats as foreign.
//
// Invariants:
//
//   - mu guards err, cause, children, afters and stopParent. err is set
//     once, by the first cancel, on whatever goroutine calls it; Err and
//     Cause read it at once.
//   - The hub part of a cancel (stopping the deadline timer, closing Done)
//     runs on h; cancel called elsewhere posts it to h's inbox, so Done may
//     close a moment after Err turns non-nil there. tm is touched only on h.
//   - Lock order: a parent's mu before a child's is never held together;
//     cancel collects children under mu and cancels them after releasing it.
type cancelCtx struct {
	parent      context.Context
	h           *Hub
	done        chan struct{} // under mu; hub-owned, made by the first Done (as std's is: most contexts are never waited on), closed by the hub part of cancel, or closedDone if cancel came first
	deadline    time.Time
	hasDeadline bool
	name        string // for String: ".WithCancel" or ".WithDeadline(...)"

	mu         sync.Mutex
	err, cause error
	children   map[*cancelCtx]struct{}
	afters     map[*ctxAfterFunc]struct{}
	carrier    context.Context // a done std context with c's cause; see stdCancelCtxKey
	owner      *cancelCtx      // the cancelCtx parent whose children hold c
	stopParent func() bool     // ends the watch on a native parent
	tm         *timer          // the deadline; only on h
}

// ctxAfterFunc is one function registered to run when a cancelCtx is done:
// in a greenlet of hub h (rewritten code's context.AfterFunc) or, with h
// nil, in a new goroutine (std's propagation through the AfterFunc method).
type ctxAfterFunc struct {
	f func()
	h *Hub
}

func (a *ctxAfterFunc) start() {
	if a.h == nil {
		go a.f()
		return
	}
	h, f := a.h, a.f
	runOnHub(h, func() {
		g := h.spawnGo(f)
		h.runq.push(runItem{g: g})
	})
}

// ctxKey is the key under which a cancelCtx answers Value with itself, as
// the std context's &cancelCtxKey.
var ctxKey int

// stdCancelCtxKey is the std context's &cancelCtxKey, captured by asking
// context.Cause about a context that records the key it is asked for.
// context.Cause looks a done context's cause up under it, and the std
// context's propagation looks for a cancelable parent under it. A live
// cancelCtx answers nil, so that neither mistakes a native ancestor for the
// nearest cancelable context; a done one answers with a done std context
// that carries its cause, so context.Cause (in code rewritten or not) and
// a std child made after it see the cause. The carrier's Done is not the
// cancelCtx's, so the std context never links a child to the carrier.
var stdCancelCtxKey = func() any {
	p := &keyProbe{Context: context.Background()}
	context.Cause(p)
	if p.key == nil {
		panic("rt: cannot find the key context.Cause looks up")
	}
	return p.key
}()

type keyProbe struct {
	context.Context
	key any
}

// Err is not nil: Cause asks for the key only about a context that is done.
func (p *keyProbe) Err() error { return context.Canceled }

func (p *keyProbe) Value(key any) any {
	if p.key == nil {
		p.key = key
	}
	return nil
}

// ContextWithCancel is context.WithCancel in rewritten code.
func ContextWithCancel(parent context.Context) (context.Context, context.CancelFunc) {
	if needsNativeCancel(parent) || currentHub().unattended() {
		return context.WithCancel(parent)
	}
	c := newCancelCtx(parent, ".WithCancel")
	c.propagate()
	return c, func() { c.cancel(true, context.Canceled, nil) }
}

// ContextWithCancelCause is context.WithCancelCause in rewritten code.
func ContextWithCancelCause(parent context.Context) (context.Context, context.CancelCauseFunc) {
	if needsNativeCancel(parent) || currentHub().unattended() {
		return context.WithCancelCause(parent)
	}
	c := newCancelCtx(parent, ".WithCancel")
	c.propagate()
	return c, func(cause error) { c.cancel(true, context.Canceled, cause) }
}

// ContextWithDeadline is context.WithDeadline in rewritten code: d is a time
// on the hub clock.
func ContextWithDeadline(parent context.Context, d time.Time) (context.Context, context.CancelFunc) {
	return ContextWithDeadlineCause(parent, d, nil)
}

// ContextWithDeadlineCause is context.WithDeadlineCause in rewritten code.
func ContextWithDeadlineCause(parent context.Context, d time.Time, cause error) (context.Context, context.CancelFunc) {
	if parent == nil {
		panic("cannot create context from nil parent")
	}
	if currentHub().unattended() {
		// No hub loop would fire the deadline (see [Go]).
		return context.WithDeadlineCause(parent, d, cause)
	}
	h := currentHub()
	// The rewritten standard library computes deadlines on the wall
	// clock, and a parent may be a std context: both go on the hub clock
	// (walltime.go).
	d = h.onHubClock(d)
	if cur, ok := parent.Deadline(); ok && h.onHubClock(cur).Before(d) {
		// The parent's deadline is earlier: the new one can never matter.
		return ContextWithCancel(parent)
	}
	c := newCancelCtx(parent, "")
	c.deadline, c.hasDeadline = d, true
	c.name = ".WithDeadline(" + d.String() + ")"
	c.propagate()
	dur := d.Sub(c.h.clock.Now())
	if dur <= 0 {
		c.cancel(true, context.DeadlineExceeded, cause)
		return c, func() { c.cancel(false, context.Canceled, nil) }
	}
	c.mu.Lock()
	if c.err == nil {
		// c was made on the calling greenlet's hub, so this runs on it.
		c.tm = c.h.addTimer(dur, nil, func() { c.cancel(true, context.DeadlineExceeded, cause) })
	}
	c.mu.Unlock()
	return c, func() { c.cancel(true, context.Canceled, nil) }
}

// ContextWithTimeout is context.WithTimeout in rewritten code: the deadline
// is d from now on the hub clock.
func ContextWithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return ContextWithDeadline(parent, Now().Add(d))
}

// ContextWithTimeoutCause is context.WithTimeoutCause in rewritten code.
func ContextWithTimeoutCause(parent context.Context, d time.Duration, cause error) (context.Context, context.CancelFunc) {
	return ContextWithDeadlineCause(parent, Now().Add(d), cause)
}

// ContextAfterFunc is context.AfterFunc in rewritten code: when ctx is done,
// f runs in its own greenlet on the calling greenlet's hub. stop reports
// whether it stopped f from being run.
func ContextAfterFunc(ctx context.Context, f func()) (stop func() bool) {
	h := currentHub()
	if h.unattended() {
		return context.AfterFunc(ctx, f) // f runs on a goroutine of its own
	}
	if c := ownCancelCtx(ctx); c != nil {
		return c.afterFunc(&ctxAfterFunc{f: f, h: h})
	}
	if ctx.Done() == nil {
		return func() bool { return false } // never done
	}
	// A native context is done from outside the hub: until f has been
	// started or stopped, the hub must not take its waits for a deadlock.
	out := h.expectOutsideForeign()
	a := &ctxAfterFunc{f: f, h: h}
	var once sync.Once
	release := func() { once.Do(out.abandon) } // stop and the callback may race
	nstop := context.AfterFunc(ctx, func() {
		release()
		a.start()
	})
	return func() bool {
		stopped := nstop()
		if stopped {
			release()
		}
		return stopped
	}
}

// needsNativeCancel reports whether a context without a deadline derived
// from parent could be cancelled only from outside the hub: parent can be
// done, and not through a cancelCtx of rt's.
func needsNativeCancel(parent context.Context) bool {
	if parent == nil {
		panic("cannot create context from nil parent")
	}
	return parent.Done() != nil && ownCancelCtx(parent) == nil
}

// ownCancelCtx returns the cancelCtx whose Done ctx's Done is, or nil.
func ownCancelCtx(ctx context.Context) *cancelCtx {
	done := ctx.Done()
	if done == nil {
		return nil
	}
	c, ok := ctx.Value(&ctxKey).(*cancelCtx)
	if !ok {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done != done {
		return nil
	}
	return c
}

func newCancelCtx(parent context.Context, name string) *cancelCtx {
	if parent == nil {
		panic("cannot create context from nil parent")
	}
	return &cancelCtx{parent: parent, h: currentHub(), name: name}
}

// propagate arranges for c to be cancelled when its parent is.
func (c *cancelCtx) propagate() {
	done := c.parent.Done()
	if done == nil {
		return // the parent is never cancelled
	}
	select {
	case <-done:
		c.cancel(false, c.parent.Err(), context.Cause(c.parent))
		return
	default:
	}
	if p := ownCancelCtx(c.parent); p != nil {
		p.mu.Lock()
		if p.err != nil {
			err, cause := p.err, p.cause
			p.mu.Unlock()
			c.cancel(false, err, cause)
			return
		}
		if p.children == nil {
			p.children = map[*cancelCtx]struct{}{}
		}
		p.children[c] = struct{}{}
		p.mu.Unlock()
		c.mu.Lock()
		c.owner = p
		c.mu.Unlock()
		return
	}
	parent := c.parent
	stop := context.AfterFunc(parent, func() { c.cancel(false, parent.Err(), context.Cause(parent)) })
	c.mu.Lock()
	c.stopParent = stop
	c.mu.Unlock()
}

// cancel ends c and its children with err and cause (err when nil) unless
// c has ended already. Any goroutine may call it.
func (c *cancelCtx) cancel(removeFromParent bool, err, cause error) {
	if cause == nil {
		cause = err
	}
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	c.err, c.cause = err, cause
	done := c.done
	if done == nil {
		c.done = closedDone
	}
	children, afters := c.children, c.afters
	c.children, c.afters = nil, nil
	owner, stopParent := c.owner, c.stopParent
	c.owner, c.stopParent = nil, nil
	c.mu.Unlock()

	runOnHub(c.h, func() {
		c.mu.Lock()
		c.h.stopTimer(c.tm)
		c.tm = nil
		c.mu.Unlock()
		if done != nil {
			Close(done)
		}
	})
	for child := range children {
		child.cancel(false, err, cause)
	}
	for a := range afters {
		a.start()
	}
	if removeFromParent && owner != nil {
		owner.mu.Lock()
		delete(owner.children, c)
		owner.mu.Unlock()
	}
	if stopParent != nil {
		stopParent()
	}
}

// afterFunc registers a to start when c is done (at once if it is) and
// returns its stop.
func (c *cancelCtx) afterFunc(a *ctxAfterFunc) func() bool {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		a.start()
		return func() bool { return false }
	}
	if c.afters == nil {
		c.afters = map[*ctxAfterFunc]struct{}{}
	}
	c.afters[a] = struct{}{}
	c.mu.Unlock()
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		_, ok := c.afters[a]
		delete(c.afters, a)
		return ok
	}
}

// AfterFunc lets the std context propagate cancellation from c without a
// goroutine of its own (context.AfterFunc and context.WithCancel of a
// cancelCtx, in code that was not rewritten): f runs in a new goroutine.
func (c *cancelCtx) AfterFunc(f func()) func() bool {
	return c.afterFunc(&ctxAfterFunc{f: f})
}

// Deadline implements context.Context.
func (c *cancelCtx) Deadline() (time.Time, bool) {
	if c.hasDeadline {
		return c.deadline, true
	}
	return c.parent.Deadline()
}

// Done implements context.Context.
func (c *cancelCtx) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = makeChanOn[struct{}](c.h, 0)
	}
	return c.done
}

// closedDone is the Done of a context cancelled before anything asked
// for it, as std's closedchan is. It is foreign, which costs nothing:
// a receive from a closed channel never waits.
var closedDone = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// Err implements context.Context.
func (c *cancelCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Value implements context.Context.
func (c *cancelCtx) Value(key any) any {
	switch key {
	case &ctxKey:
		return c
	case stdCancelCtxKey:
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.err == nil {
			return nil
		}
		if c.carrier == nil {
			var cancel context.CancelCauseFunc
			c.carrier, cancel = context.WithCancelCause(context.Background())
			cancel(c.cause)
		}
		return c.carrier.Value(key)
	}
	return c.parent.Value(key)
}

func (c *cancelCtx) String() string { return fmt.Sprint(c.parent) + c.name }

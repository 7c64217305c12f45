// This file implements gevent's Event and AsyncResult: waitables that become
// ready once and wake every waiter.

package rt

import (
	"context"
	"fmt"
	"time"
)

// Event is a flag that greenlets wait on (gevent.event.Event). Set raises it
// and wakes every waiter, oldest first; Clear lowers it again. Its zero value
// is a cleared event. An Event may be shared by greenlets of several hubs.
type Event struct {
	l linkable
}

// Set raises the flag and wakes every greenlet waiting in [Event.Wait],
// oldest first. A waiter woken by Set returns true even if the flag is
// cleared again before it runs (Python issue 13502, which gevent follows).
func (e *Event) Set() { e.l.setReady(currentHub()) }

// Clear lowers the flag; later waits block until the next Set.
func (e *Event) Clear() { e.l.clear() }

// IsSet reports whether the flag is raised.
func (e *Event) IsSet() bool { return e.l.isReady() }

// Wait blocks until the flag is raised or timeout has passed (timeout < 0:
// no limit; 0: do not block). It returns true if the flag was raised when
// Wait was called or Set woke it, and false if it timed out.
func (e *Event) Wait(timeout time.Duration) bool {
	return e.l.wait("Event.Wait", timeout, nil) == waitFired
}

// WaitContext is Wait with no time limit that returns ctx.Err() if ctx is
// done before the flag is raised.
func (e *Event) WaitContext(ctx context.Context) error {
	return ctxResult(ctx, e.l.wait("Event.Wait", -1, ctx))
}

// AsyncResult is a value that arrives later, once (gevent.event.AsyncResult):
// one greenlet sets a value or an error, any number wait for it. Its zero
// value is ready to use. An AsyncResult may be shared by greenlets of
// several hubs.
type AsyncResult struct {
	outcome
}

// Set makes v the result and wakes every waiter, oldest first. Setting an
// AsyncResult twice panics, as closing a closed channel does: a waiter may
// already have taken the first result.
func (r *AsyncResult) Set(v any) { r.settle(v, nil) }

// SetError makes err the result's error and wakes every waiter, oldest
// first. It panics if the result was set already.
func (r *AsyncResult) SetError(err error) { r.settle(nil, err) }

func (r *AsyncResult) settle(v any, err error) {
	if !r.done.settle(currentHub(), func() { r.value, r.err = v, err }) {
		panic(fmt.Sprintf("rt: AsyncResult set twice (already holds %v, %v)", r.Value(), r.Err()))
	}
}

// Wait blocks until the result is set or timeout has passed (timeout < 0:
// no limit) and reports whether it is set.
func (r *AsyncResult) Wait(timeout time.Duration) bool {
	return r.done.wait("AsyncResult.Wait", timeout, nil) == waitFired
}

// Get blocks until the result is set and returns its value and error.
func (r *AsyncResult) Get() (any, error) {
	r.done.wait("AsyncResult.Get", -1, nil)
	return r.value, r.err
}

// GetTimeout is Get that gives up after timeout (< 0: no limit; 0: do not
// block) with a [*TimeoutError], as gevent's get(timeout=...) raises
// Timeout; errors.Is(err, ErrTimeout) tells it from the result's own error.
func (r *AsyncResult) GetTimeout(timeout time.Duration) (any, error) {
	if r.done.wait("AsyncResult.Get", timeout, nil) != waitFired {
		return nil, &TimeoutError{Duration: timeout}
	}
	return r.value, r.err
}

// GetContext is Get that returns ctx.Err() if ctx is done first.
func (r *AsyncResult) GetContext(ctx context.Context) (any, error) {
	if err := ctxResult(ctx, r.done.wait("AsyncResult.Get", -1, ctx)); err != nil {
		return nil, err
	}
	return r.value, r.err
}

// ctxResult turns the end of a wait with no time limit into the error a
// Context form returns: nil if it fired, ctx.Err() if ctx was done.
func ctxResult(ctx context.Context, res waitResult) error {
	if res == waitCancelled {
		return ctx.Err()
	}
	return nil
}

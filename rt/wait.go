// This file implements gevent's wait and iwait: waiting on several
// waitables at once.

package rt

import (
	"context"
	"iter"
	"time"
)

// Waitable is something that becomes ready once and can be waited on with
// others by [Wait] and [IWait]: a [*Greenlet] (ready when it finishes), an
// [*Event] (when set) or an [*AsyncResult] (when set). Only rt's types
// implement it, because all of them share one waiter abstraction.
type Waitable interface {
	waitable() *linkable
}

func (o *outcome) waitable() *linkable { return &o.done }
func (e *Event) waitable() *linkable   { return &e.l }

// Wait blocks until count of objects are ready (count <= 0: all of them)
// or timeout has passed (< 0: no limit) and returns the ready ones, in the
// order they became ready (those ready at the call first, in the order
// given).
func Wait(objects []Waitable, timeout time.Duration, count int) []Waitable {
	ready, _ := wait(objects, timeout, nil, count)
	return ready
}

// WaitContext is Wait with no time limit that stops early, returning the
// ready objects and ctx.Err(), if ctx is done first.
func WaitContext(ctx context.Context, objects []Waitable, count int) ([]Waitable, error) {
	return wait(objects, -1, ctx, count)
}

func wait(objects []Waitable, timeout time.Duration, ctx context.Context, count int) ([]Waitable, error) {
	if count <= 0 || count > len(objects) {
		count = len(objects)
	}
	var ready []Waitable
	var err error
	for o := range iwait(objects, timeout, ctx, "Wait", &err) {
		ready = append(ready, o)
		if len(ready) == count {
			break
		}
	}
	return ready, err
}

// IWait yields each of objects as it becomes ready (those ready at the call
// first, in the order given), until all have been yielded or timeout has
// passed (< 0: no limit) since the call. Breaking out of the loop stops the
// wait.
func IWait(objects []Waitable, timeout time.Duration) iter.Seq[Waitable] {
	return iwait(objects, timeout, nil, "IWait", nil)
}

// iwait is gevent's _WaitIterator. Each object not yet ready gets a rawlink
// callback that, running in the hub, appends the object to ready and wakes
// the iterating greenlet if it is parked; that keeps completion order exact
// and costs one link per object, not one per object per round. If ctx ends
// the wait, *errp gets ctx.Err().
func iwait(objects []Waitable, timeout time.Duration, ctx context.Context, what string, errp *error) iter.Seq[Waitable] {
	return func(yield func(Waitable) bool) {
		h, g := current()
		var deadline time.Time
		if timeout >= 0 {
			deadline = h.clock.Now().Add(timeout)
		}
		// ready and parked are touched only on h: by this greenlet and by
		// link callbacks, which run in h's loop while the greenlet is away.
		var ready []Waitable
		var parked *waiter
		var links []*waiter
		for _, o := range objects {
			l := o.waitable()
			if l.isReady() {
				ready = append(ready, o)
				continue
			}
			links = append(links, l.rawlink(h, func() {
				ready = append(ready, o)
				if parked != nil {
					parked.fire(h, waitFired, nil)
				}
			}))
		}
		defer func() {
			for _, l := range links {
				l.tryClaim() // a late notification must not run the callback
				l.unlink()
			}
		}()
		for n := 0; n < len(objects); {
			if len(ready) == 0 {
				left := time.Duration(-1)
				if timeout >= 0 {
					if left = deadline.Sub(h.clock.Now()); left <= 0 {
						return
					}
				}
				parked = newWaiter(h, g, what)
				res := h.park(g, parked, left, ctx)
				parked = nil
				if res == waitCancelled && len(ready) == 0 {
					if errp != nil {
						*errp = ctx.Err()
					}
					return
				}
				continue
			}
			o := ready[0]
			ready = ready[1:]
			n++
			if !yield(o) {
				return
			}
		}
	}
}

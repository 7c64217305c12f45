// This file implements gevent's Timeout: a deadline on the hub clock that
// raises in the greenlet that started it.

package rt

import (
	"errors"
	"fmt"
	"time"
)

// ErrTimeout is what every [*TimeoutError] matches with errors.Is.
var ErrTimeout = errors.New("rt: timeout")

// TimeoutError is the error a [Timeout] raises when it fires, and the error
// timed waits such as [AsyncResult.GetTimeout] return.
type TimeoutError struct {
	Duration time.Duration // how long the timeout was
	source   *Timeout      // the Timeout that raised it; nil for a timed wait
}

func (e *TimeoutError) Error() string { return fmt.Sprintf("rt: timeout after %v", e.Duration) }

// Is makes every TimeoutError match [ErrTimeout].
func (e *TimeoutError) Is(target error) bool { return target == ErrTimeout }

// Timeout reports true, so that os.IsTimeout and net.Error users recognise it.
func (e *TimeoutError) Timeout() bool { return true }

// Timeout raises a [*TimeoutError] in a greenlet when its deadline passes
// (gevent.Timeout). Start arms it for the calling greenlet; if it fires
// before Cancel, that greenlet is unwound at its current or next blocking
// point, exactly as [Greenlet.Kill] unwinds it, so deferred functions run and
// [Recover] cannot swallow it. [WithTimeout] runs a function under one and
// turns its own firing into an error.
//
// The deadline is a timer on the hub clock, so a Timeout works with
// [WithVirtualClock]. A Timeout is used by the hub it was started on.
type Timeout struct {
	d   time.Duration
	err *TimeoutError

	// Touched only by the goroutines of hub h.
	h       *Hub
	g       *Greenlet
	t       *timer
	pending bool
}

// NewTimeout returns a stopped Timeout of d. A negative d never fires.
func NewTimeout(d time.Duration) *Timeout {
	t := &Timeout{d: d}
	t.err = &TimeoutError{Duration: d, source: t}
	return t
}

// Start arms t for the calling greenlet. It panics if t is pending already.
func (t *Timeout) Start() {
	if t.pending {
		panic("rt: Timeout.Start: the timeout is already pending")
	}
	if t.d < 0 {
		return
	}
	h, g := current()
	t.h, t.g, t.pending = h, g, true
	t.t = h.addTimer(t.d, nil, t.fire)
}

// fire runs in the hub when the deadline passes. An interruption already
// pending (a Kill) wins: replacing it would let WithTimeout swallow the Kill.
func (t *Timeout) fire() {
	t.pending = false
	if g := t.g; g.state != stateDead && g.interrupt == nil {
		g.interruptWith(t.err)
	}
}

// Cancel disarms t if it has not fired; it is safe to call more than once.
// Called by the greenlet t was started for, it also drops a firing that has
// not been raised yet (the greenlet was suspended in a raw Switch, which is
// no blocking point), so it cannot surface later, outside its scope.
func (t *Timeout) Cancel() {
	h := t.h
	if h == nil {
		return
	}
	if cur := currentHub(); cur != h {
		h.post(runItem{fn: t.cancel})
		return
	}
	t.cancel()
	if g := t.g; h.current == g && g.interrupt != nil && g.interrupt.err == t.err {
		g.interrupt = nil
	}
}

func (t *Timeout) cancel() {
	t.h.stopTimer(t.t)
	t.pending = false
}

// Pending reports whether t is started and has neither fired nor been
// cancelled.
func (t *Timeout) Pending() bool { return t.pending }

// Err returns the [*TimeoutError] t raises, to compare with errors.Is.
func (t *Timeout) Err() error { return t.err }

// WithTimeout runs fn under a [Timeout] of d. If that timeout fires, fn is
// unwound at its next blocking point and WithTimeout returns the timeout's
// [*TimeoutError] (errors.Is(err, ErrTimeout)); otherwise it returns nil.
// Any other panic, including a Kill or another Timeout firing, goes on
// unchanged, so nested WithTimeouts each catch only their own.
func WithTimeout(d time.Duration, fn func()) (err error) {
	t := NewTimeout(d)
	t.Start()
	defer t.Cancel()
	defer func() {
		if p := recover(); p != nil {
			if i, ok := p.(*interruption); ok && i.err == t.err {
				err = t.err
				return
			}
			panic(p)
		}
	}()
	fn()
	return nil
}

// This file answers "which hub and greenlet am I?" for the calling goroutine.

package rt

import (
	"sync"
	"sync/atomic"

	"github.com/petermattis/goid"
)

// Every goroutine that runs rt code is either the root goroutine of a hub
// (the one that first entered rt; it runs the main greenlet and drives the
// hub) or the coroutine goroutine of one greenlet. hubsByGoid maps both kinds
// of goroutine id to their hub.
//
// Goroutine ids are read with petermattis/goid (2.6 ns here) rather than by
// parsing runtime.Stack (about 2,400 ns): the lookup sits on every blocking
// call, so it must cost a few nanoseconds.
var hubsByGoid sync.Map // int64 -> *Hub

// lastHub caches the hub that answered the previous lookup. The fast path
// compares the caller's goroutine id with the id of the goroutine that hub is
// running right now: only the running greenlet of a hub can be the caller, so
// a match proves the caller belongs to that hub. With one hub, the common
// case, that skips the map (about 25 ns) on every call.
var lastHub atomic.Pointer[Hub]

// currentHub returns the hub of the calling goroutine, creating one (with the
// caller as its main greenlet) when the goroutine has never entered rt.
func currentHub() *Hub {
	id := goid.Get()
	if h := lastHub.Load(); h != nil && h.runningGoid.Load() == id {
		return h
	}
	return lookupHub(id)
}

func lookupHub(id int64) *Hub {
	if v, ok := hubsByGoid.Load(id); ok {
		h := v.(*Hub)
		lastHub.Store(h)
		return h
	}
	h := newHub(id)
	hubsByGoid.Store(id, h)
	lastHub.Store(h)
	return h
}

// current returns the calling greenlet and its hub.
func current() (*Hub, *Greenlet) {
	h := currentHub()
	return h, h.current
}

// Current returns the greenlet that is running the caller. Called from a
// goroutine that has never used rt, it makes that goroutine the main greenlet
// of a new hub, as greenlet.getcurrent does for a new thread.
func Current() *Greenlet {
	return currentHub().current
}

// registerGoroutine records that goroutine id runs greenlets of h.
func registerGoroutine(id int64, h *Hub) { hubsByGoid.Store(id, h) }

// unregisterGoroutine forgets goroutine id when its greenlet has died.
func unregisterGoroutine(id int64) { hubsByGoid.Delete(id) }

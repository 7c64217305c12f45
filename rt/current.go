// This file answers "which hub and greenlet am I?" for the calling goroutine.

package rt

import (
	"sync"
	"sync/atomic"
)

// Every goroutine that runs rt code is either the root goroutine of a hub
// (the one that first entered rt; it runs the main greenlet and drives the
// hub) or a coroutine goroutine that runs the hub's greenlets. hubsByGoid
// maps roots to their hubs from the start; a coroutine is found by
// searching the hubs, and entered only where they are many (hubOf). Most
// lookups never get that far: the caller is the goroutine the last hub is
// running (see lastHub). A coroutine's entry would cost an idle
// connection's greenlet about 100 bytes.
//
// Goroutine ids are read with currentGoid (goid.go): 2.6 ns here, where
// parsing runtime.Stack costs about 2,400 ns; the lookup sits on every
// blocking call, so it must cost a few nanoseconds.
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
	id := currentGoid()
	if h := lastHub.Load(); h != nil && h.running.is(id) {
		return h
	}
	return lookupHub(id)
}

func lookupHub(id int64) *Hub {
	if h := hubOf(id); h != nil {
		// lastHub is not moved to h: with two hubs running on two threads
		// that would make each one's calls miss, and write one shared word
		// from both. The other hub keeps the fast path; h pays this read.
		lastHub.CompareAndSwap(nil, h)
		return h
	}
	h := newHub(id)
	hubsByGoid.Store(id, h)
	lazyHubMade()
	lastHub.Store(h)
	return h
}

// hubOf returns the hub whose root or running coroutine goroutine id is,
// or nil. A coroutine is found by searching the hubs, which costs no
// allocation: a lookup can run while a test counts the process's
// allocations (ttlcache's does, while a hub carried on from the test
// before runs beside it), and a hub that lastHub does not name is one of
// a few, as a rule. Where there are many (a hub for each connection of a
// server that gopatch did not rewrite), a coroutine found past the first
// searchedHubsMax hubs is entered in hubsByGoid until it ends or changes
// hubs (coroutine.forget), so that its next lookups cost one map read.
// It is out of line: it sits below every fd wait that misses lastHub,
// deep in a greenlet's stack.
//
//go:noinline
func hubOf(id int64) *Hub {
	if v, ok := hubsByGoid.Load(id); ok {
		return v.(*Hub)
	}
	var found *Hub
	searched := 0
	allHubs.Range(func(k, _ any) bool {
		searched++
		if h := k.(*Hub); h.running.is(id) {
			found = h
			return false
		}
		return true
	})
	if found != nil && searched > searchedHubsMax {
		hubsByGoid.Store(id, found)
	}
	return found
}

// searchedHubsMax is how many hubs hubOf searches for a coroutine's
// before it remembers where it found it.
const searchedHubsMax = 8

// Hubs made lazily for plain goroutines (the connection goroutines of an
// unrewritten net/http server) are never told that their goroutine has
// exited: Go has no such hook. So when the hubs made since the last look
// exceed those that were left then (and at least lazyHubsPurgeMin), the
// hubs of goroutines that have exited are forgotten, from one dump of
// every goroutine's stack, on a goroutine of its own. Hubs stay within
// about twice the live ones, and the dumps cost O(1) amortised a hub.
var (
	lazyHubs         atomic.Int64 // made since the last purge
	lazyHubsLeft     atomic.Int64 // registered hubs the last purge left
	lazyHubsPurgeMin atomic.Int64 // 256; tests lower it
	lazyHubsPurging  atomic.Bool
)

func init() { lazyHubsPurgeMin.Store(256) }

func lazyHubMade() {
	n := lazyHubs.Add(1)
	if n < max(lazyHubsPurgeMin.Load(), lazyHubsLeft.Load()) || !lazyHubsPurging.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer lazyHubsPurging.Store(false)
		lazyHubs.Store(0)
		lazyHubsLeft.Store(int64(purgeDeadHubs(nil)))
	}()
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

// registerRoot records that goroutine id is the root of h.
func registerRoot(id int64, h *Hub) { hubsByGoid.Store(id, h) }

// unregisterRoot forgets the hub of root goroutine id.
func unregisterRoot(id int64) { hubsByGoid.Delete(id) }

// runningWord is what a hub runs now, for other goroutines to read: the
// goroutine id of its current greenlet in the high bits, for the lookup
// fast path, and a count of switches in the low ones, for the monitor,
// which only needs to see the word change. One word makes a switch one
// atomic store rather than two (an xchg each on amd64, some 6 ns of a 60 ns
// Switch). Ids are compared modulo 2^40: two goroutines 2^40 ids apart
// would have to be alive together to be confused.
type runningWord struct{ v atomic.Uint64 }

const (
	switchCountBits = 24
	switchCountMask = 1<<switchCountBits - 1
)

// set records that goroutine id runs now, and counts a switch. Only the
// goroutine running for the hub calls it.
func (r *runningWord) set(id int64) {
	r.v.Store(uint64(id)<<switchCountBits | (r.v.Load()+1)&switchCountMask)
}

// is reports whether goroutine id is the one running.
func (r *runningWord) is(id int64) bool {
	return r.v.Load()>>switchCountBits == uint64(id)<<switchCountBits>>switchCountBits
}

// goid returns the id of the goroutine running (modulo 2^40).
func (r *runningWord) goid() int64 { return int64(r.v.Load() >> switchCountBits) }

// load returns the whole word, which changes at every switch.
func (r *runningWord) load() uint64 { return r.v.Load() }

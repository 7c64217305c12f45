// This file holds the stash: values a helper goroutine took off a foreign
// channel for a wait that had already ended, kept for the channel's next rt
// receiver so that no value is lost.

package rt

import (
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The stash holds values that a helper received from a foreign channel on
// behalf of a wait that had already ended (a Kill, or another select case).
// Such a value was taken off the channel and must not be lost: an rt
// receive from that channel that is parked already gets it (its own helper
// may never see another value), else the next one gets it first. An entry
// holds the channel, so its address cannot be reused while values are
// stashed.
var (
	stashMu  sync.Mutex
	stashed  map[unsafe.Pointer]*stashEntry
	nstashed atomic.Int64 // len(stashed), read without the lock

	// stashWaiters holds the parked rt receives of each foreign channel,
	// oldest first. Guarded by stashMu.
	stashWaiters map[unsafe.Pointer][]*stashWaiter
)

type stashEntry struct {
	ch   any // keeps the channel alive
	vals []any
}

// A stashWaiter is an rt receive parked on a foreign channel through a
// helper goroutine, waiting for a value stashed for that channel.
type stashWaiter struct {
	w       *waiter     // the wait; whoever delivers must claim it first
	deliver func(v any) // records v for the receiver, before its wake
}

// stash queues v as received from c, behind values stashed before, or hands
// it to the oldest parked receive of c that it can claim.
func stash[T any](c chan T, v T) {
	p := chanPtr(c)
	stashMu.Lock()
	if sw := claimStashWaiter(p); sw != nil {
		stashMu.Unlock()
		sw.deliver(v)
		sw.w.wake(nil, waitFired)
		return
	}
	defer stashMu.Unlock()
	if stashed == nil {
		stashed = make(map[unsafe.Pointer]*stashEntry)
	}
	e := stashed[p]
	if e == nil {
		e = &stashEntry{ch: c}
		stashed[p] = e
		nstashed.Add(1)
	}
	e.vals = append(e.vals, v)
}

// claimStashWaiter removes parked receives of the channel at p until it
// claims one, which it returns. stashMu is held.
func claimStashWaiter(p unsafe.Pointer) *stashWaiter {
	for ws := stashWaiters[p]; len(ws) > 0; ws = stashWaiters[p] {
		sw := ws[0]
		if len(ws) == 1 {
			delete(stashWaiters, p)
		} else {
			stashWaiters[p] = ws[1:]
		}
		if sw.w.tryClaim() {
			return sw
		}
	}
	return nil
}

// takeStashed returns the oldest value stashed for the channel at p.
func takeStashed(p unsafe.Pointer) (any, bool) {
	if nstashed.Load() == 0 {
		return nil, false
	}
	stashMu.Lock()
	defer stashMu.Unlock()
	return takeStashedLocked(p)
}

// takeStashedLocked is takeStashed with stashMu held.
func takeStashedLocked(p unsafe.Pointer) (any, bool) {
	e := stashed[p]
	if e == nil {
		return nil, false
	}
	v := e.vals[0]
	e.vals[0] = nil
	e.vals = e.vals[1:]
	if len(e.vals) == 0 {
		delete(stashed, p)
		nstashed.Add(-1)
	}
	return v, true
}

// awaitStashed makes sw, a receive of greenlet hub h about to park on the
// foreign channel at p, the taker of the next value stashed for that
// channel, until forgetStashed. A value stashed already (after the
// receive's own look at the stash, before this call) goes to sw at once, if
// sw's wait can still be claimed, and wakes it.
func awaitStashed(h *Hub, p unsafe.Pointer, sw *stashWaiter) {
	stashMu.Lock()
	if stashed[p] != nil && sw.w.tryClaim() {
		v, _ := takeStashedLocked(p)
		stashMu.Unlock()
		sw.deliver(v)
		sw.w.wake(h, waitFired)
		return
	}
	if stashWaiters == nil {
		stashWaiters = make(map[unsafe.Pointer][]*stashWaiter)
	}
	stashWaiters[p] = append(stashWaiters[p], sw)
	stashMu.Unlock()
}

// forgetStashed removes sw from the receives waiting for values stashed for
// the channel at p, if it is still there.
func forgetStashed(p unsafe.Pointer, sw *stashWaiter) {
	stashMu.Lock()
	defer stashMu.Unlock()
	ws := stashWaiters[p]
	if i := slices.Index(ws, sw); i >= 0 {
		ws = slices.Delete(ws, i, i+1)
		if len(ws) == 0 {
			delete(stashWaiters, p)
		} else {
			stashWaiters[p] = ws
		}
	}
}

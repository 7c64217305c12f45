// This file implements sync.Cond for rewritten code: rt waiters in ticket order beside the native ones.

package rt

import (
	"sync"
	"unsafe"
)

// CondWait is c.Wait() in rewritten code: it joins c's rt waiters, unlocks
// c.L, parks until a Signal or Broadcast, and locks c.L again, through rt
// when c.L is a lock of package sync. c.L is locked again even when the
// wait is interrupted, so the caller's deferred Unlock stays valid.
func CondWait(c *sync.Cond) {
	h, g := current()
	yieldPointAt(h, g) // here: once queued, g must not switch until it parks
	st := stateOf(unsafe.Pointer(c), kindCond)
	w := queuedWaiter(h, g, "sync.Cond.Wait")
	st.mu.Lock()
	st.wq.enqueue(w, &st.mu)
	st.mu.Unlock()
	lockerUnlock(c.L)
	defer LockerLock(c.L)
	h.park(g, w, -1, nil)
}

// CondSignal is c.Signal() in rewritten code: it wakes the oldest rt
// waiter, or else a waiter of unrewritten code.
func CondSignal(c *sync.Cond) {
	h, g := current()
	yieldPointAt(h, g)
	st := stateOf(unsafe.Pointer(c), kindCond)
	st.mu.Lock()
	w := st.wq.dequeue(h)
	st.mu.Unlock()
	if w != nil {
		w.wakeGo(h, waitFired)
		return
	}
	c.Signal()
}

// CondBroadcast is c.Broadcast() in rewritten code: it wakes every rt
// waiter and every waiter of unrewritten code.
func CondBroadcast(c *sync.Cond) {
	h, g := current()
	yieldPointAt(h, g)
	st := stateOf(unsafe.Pointer(c), kindCond)
	st.mu.Lock()
	st.wq.wakeAllGo(h)
	st.mu.Unlock()
	c.Broadcast()
}

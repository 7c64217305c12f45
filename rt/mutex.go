// This file implements sync.Mutex, sync.RWMutex and sync.Locker for rewritten code: FIFO handoff on rt waiters over the native lock, and a poller for holds of unrewritten code (the invariants are in sync.go).

package rt

import (
	"reflect"
	"sync"
	"time"
	"unsafe"
)

// nativeLock is what *sync.Mutex and *sync.RWMutex have in common.
type nativeLock interface {
	TryLock() bool
	Unlock()
}

// MutexLock is m.Lock() in rewritten code.
func MutexLock(m *sync.Mutex) {
	yieldPoint()
	if m != nil && lockFast(unsafe.Pointer(m), kindMutex, m) {
		return
	}
	stateOf(unsafe.Pointer(m), kindMutex).lock(m, nil, "sync.Mutex.Lock")
}

// MutexUnlock is m.Unlock() in rewritten code. Unlocking an unlocked mutex
// is the same fatal error as in Go.
func MutexUnlock(m *sync.Mutex) {
	yieldPoint()
	mutexUnlock(m)
}

// mutexUnlock is MutexUnlock without its scheduling point, for a caller
// that must not switch (CondWait, queued on its Cond).
func mutexUnlock(m *sync.Mutex) {
	if m != nil && unlockFast(unsafe.Pointer(m), kindMutex, m) {
		return
	}
	stateOf(unsafe.Pointer(m), kindMutex).unlock(m, nil, currentHub())
}

// MutexTryLock is m.TryLock() in rewritten code.
func MutexTryLock(m *sync.Mutex) bool {
	yieldPoint()
	if m != nil && lockFast(unsafe.Pointer(m), kindMutex, m) {
		return true
	}
	return stateOf(unsafe.Pointer(m), kindMutex).tryLock(m)
}

// RWMutexLock is rw.Lock() in rewritten code.
func RWMutexLock(rw *sync.RWMutex) {
	yieldPoint()
	if rw != nil && lockFast(unsafe.Pointer(rw), kindRWMutex, rw) {
		return
	}
	stateOf(unsafe.Pointer(rw), kindRWMutex).lock(rw, rw, "sync.RWMutex.Lock")
}

// RWMutexUnlock is rw.Unlock() in rewritten code.
func RWMutexUnlock(rw *sync.RWMutex) {
	yieldPoint()
	rwMutexUnlock(rw)
}

// rwMutexUnlock is RWMutexUnlock without its scheduling point.
func rwMutexUnlock(rw *sync.RWMutex) {
	if rw != nil && unlockFast(unsafe.Pointer(rw), kindRWMutex, rw) {
		return
	}
	stateOf(unsafe.Pointer(rw), kindRWMutex).unlock(rw, rw, currentHub())
}

// RWMutexTryLock is rw.TryLock() in rewritten code.
func RWMutexTryLock(rw *sync.RWMutex) bool {
	yieldPoint()
	if rw != nil && lockFast(unsafe.Pointer(rw), kindRWMutex, rw) {
		return true
	}
	return stateOf(unsafe.Pointer(rw), kindRWMutex).tryLock(rw)
}

// RWMutexRLock is rw.RLock() in rewritten code.
func RWMutexRLock(rw *sync.RWMutex) {
	yieldPoint()
	stateOf(unsafe.Pointer(rw), kindRWMutex).rlock(rw, "sync.RWMutex.RLock")
}

// RWMutexRUnlock is rw.RUnlock() in rewritten code.
func RWMutexRUnlock(rw *sync.RWMutex) {
	yieldPoint()
	rwMutexRUnlock(rw)
}

// rwMutexRUnlock is RWMutexRUnlock without its scheduling point.
func rwMutexRUnlock(rw *sync.RWMutex) {
	stateOf(unsafe.Pointer(rw), kindRWMutex).runlock(rw, currentHub())
}

// RWMutexTryRLock is rw.TryRLock() in rewritten code. Like Go's, it fails
// while a writer waits, even one queued in rt.
func RWMutexTryRLock(rw *sync.RWMutex) bool {
	yieldPoint()
	st := stateOf(unsafe.Pointer(rw), kindRWMutex)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.wq.empty() && rw.TryRLock() {
		st.readers++
		return true
	}
	return false
}

// rlockerType is the dynamic type of RWMutex.RLocker's result.
var rlockerType = reflect.TypeOf(new(sync.RWMutex).RLocker())

// lockerTarget says which rt lock operation serves the sync.Locker l: its
// *sync.Mutex, its *sync.RWMutex, or the RWMutex behind an RLocker.
func lockerTarget(l sync.Locker) (m *sync.Mutex, rw *sync.RWMutex, read bool) {
	switch x := l.(type) {
	case *sync.Mutex:
		return x, nil, false
	case *sync.RWMutex:
		return nil, x, false
	}
	if l != nil && reflect.TypeOf(l) == rlockerType {
		return nil, (*sync.RWMutex)(reflect.ValueOf(l).UnsafePointer()), true
	}
	return nil, nil, false
}

// LockerLock is l.Lock() on a sync.Locker in rewritten code: a lock of
// package sync goes through rt; any other Locker's own Lock is called (a
// type of a rewritten package is cooperative by itself).
func LockerLock(l sync.Locker) {
	switch m, rw, read := lockerTarget(l); {
	case m != nil:
		MutexLock(m)
	case rw != nil && read:
		RWMutexRLock(rw)
	case rw != nil:
		RWMutexLock(rw)
	default:
		l.Lock()
	}
}

// LockerUnlock is l.Unlock() on a sync.Locker in rewritten code.
func LockerUnlock(l sync.Locker) {
	yieldPoint()
	lockerUnlock(l)
}

// lockerUnlock is LockerUnlock without its scheduling point.
func lockerUnlock(l sync.Locker) {
	switch m, rw, read := lockerTarget(l); {
	case m != nil:
		mutexUnlock(m)
	case rw != nil && read:
		rwMutexRUnlock(rw)
	case rw != nil:
		rwMutexUnlock(rw)
	default:
		l.Unlock()
	}
}

// lock takes the (write) lock nat; rw is nat as an RWMutex, or nil for a
// Mutex.
func (st *syncState) lock(nat nativeLock, rw *sync.RWMutex, what string) {
	h, g := current()
	st.mu.Lock()
	// TryLock even when st.writer says rt holds it: unrewritten code may
	// have unlocked it natively since. Queued readers go first, as after a
	// Go writer's Unlock.
	if st.wq.empty() && st.rq.empty() && st.readers == 0 && nat.TryLock() {
		st.writer = true
		st.hold = holdBy(h, g)
		st.mu.Unlock()
		return
	}
	w := queuedWaiter(h, g, what)
	st.wq.enqueue(w, &st.mu)
	st.settle(nat, rw, h)
	st.mu.Unlock()
	h.parkHandoff(g, w, -1, nil, func(*waiter) { st.unlock(nat, rw, h) })
}

// tryLock is TryLock: it takes the lock only if it is free now.
func (st *syncState) tryLock(nat nativeLock) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if nat.TryLock() {
		st.writer = true
		st.hold = holdByCaller()
		return true
	}
	return false
}

// unlock releases the (write) lock: to the readers queued behind it, then
// to the oldest queued writer, else natively.
func (st *syncState) unlock(nat nativeLock, rw *sync.RWMutex, from *Hub) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.writer {
		// Locked by unrewritten code, or not at all: Go's own Unlock
		// decides, and its fatal error is Go's.
		nat.Unlock()
		st.settle(nat, rw, from)
		return
	}
	if rw == nil || st.rq.empty() {
		if w := st.wq.dequeue(from); w != nil {
			st.hold = holdBy(w.hub, w.g)
			w.wakeGo(from, waitFired) // the lock stays locked: it is w's now
			return
		}
	}
	st.writer = false
	st.hold = lockHold{}
	nat.Unlock()
	if rw != nil {
		st.admitReaders(rw, from)
	}
	st.settle(nat, rw, from)
}

// rlock takes a read lock.
func (st *syncState) rlock(rw *sync.RWMutex, what string) {
	h, g := current()
	st.mu.Lock()
	if st.wq.empty() && st.rq.empty() && rw.TryRLock() {
		st.readers++
		st.mu.Unlock()
		return
	}
	w := queuedWaiter(h, g, what)
	st.rq.enqueue(w, &st.mu)
	st.settle(rw, rw, h)
	st.mu.Unlock()
	h.parkHandoff(g, w, -1, nil, func(*waiter) { st.runlock(rw, h) })
}

// runlock releases a read lock; the last reader's release hands the lock
// to the oldest queued writer.
func (st *syncState) runlock(rw *sync.RWMutex, from *Hub) {
	st.mu.Lock()
	defer st.mu.Unlock()
	rw.RUnlock()
	if st.readers > 0 {
		st.readers--
	}
	st.settle(rw, rw, from)
}

// admitReaders gives a read lock to every queued reader it can. st.mu is
// held.
func (st *syncState) admitReaders(rw *sync.RWMutex, from *Hub) {
	for !st.rq.empty() {
		if !rw.TryRLock() {
			return
		}
		w := st.rq.dequeue(from)
		if w == nil {
			rw.RUnlock()
			return
		}
		st.readers++
		w.wakeGo(from, waitFired)
	}
}

// settle grants the lock to the queue heads that can have it now, and
// starts the poller when a head waits on a hold of unrewritten code. st.mu
// is held; from is the caller's hub, or nil for the poller.
func (st *syncState) settle(nat nativeLock, rw *sync.RWMutex, from *Hub) {
	if !st.wq.empty() {
		if st.readers == 0 && nat.TryLock() {
			if w := st.wq.dequeue(from); w != nil {
				st.writer = true
				st.hold = holdBy(w.hub, w.g)
				w.wakeGo(from, waitFired)
			} else {
				nat.Unlock()
			}
		}
	}
	if rw != nil && st.wq.empty() {
		st.admitReaders(rw, from)
	}
	if st.needsPoller() {
		st.startPoller(nat, rw)
	}
}

// needsPoller reports whether a queue head waits for a lock that no rt
// hold explains: one unrewritten code holds.
func (st *syncState) needsPoller() bool {
	if !st.wq.empty() {
		return !st.writer && st.readers == 0
	}
	return !st.rq.empty() && !st.writer
}

// startPoller makes sure a poller runs and holds an outside wake-up of
// every hub with a queued waiter. st.mu is held.
func (st *syncState) startPoller(nat nativeLock, rw *sync.RWMutex) {
	for _, q := range []*waitq{&st.wq, &st.rq} {
		for w := q.first; w != nil; w = w.next {
			if w.claimed() || w.hub == nil || st.pollServes(w.hub) {
				continue
			}
			st.pollWakes = append(st.pollWakes, w.hub.expectOutsideFrom())
		}
	}
	if !st.polling {
		st.polling = true
		go st.poll(nat, rw)
	}
}

// pollServes reports whether the poller holds an outside wake-up of h.
// st.mu is held.
func (st *syncState) pollServes(h *Hub) bool {
	for _, o := range st.pollWakes {
		if o.h == h {
			return true
		}
	}
	return false
}

// Poll intervals of the poller that waits out a native hold.
const (
	pollFirst = 50 * time.Microsecond
	pollMax   = 5 * time.Millisecond
)

// poll retries the native lock until no queue head waits on unrewritten
// code any more, then gives up its outside wake-ups.
func (st *syncState) poll(nat nativeLock, rw *sync.RWMutex) {
	d := pollFirst
	for {
		time.Sleep(d)
		d = min(2*d, pollMax)
		st.mu.Lock()
		st.settle(nat, rw, nil)
		if !st.needsPoller() {
			wakes := st.pollWakes
			st.pollWakes, st.polling = nil, false
			st.mu.Unlock()
			for _, o := range wakes {
				o.abandon()
			}
			return
		}
		st.mu.Unlock()
	}
}

// This file implements package sync's blocking operations for rewritten code: Mutex, RWMutex, WaitGroup, Cond and Once waits park on rt waiters while the values keep their native types and states.

package rt

import (
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
	"weak"
)

// Invariants:
//
//   - Every sync value that rewritten code has blocked on, or released, has a
//     syncState in syncs, keyed by its address and its kind, whose weak
//     self still points at it (as for chans: an address reused after a GC
//     never inherits a dead value's state). st.mu guards every field of st.
//   - Locks. The native lock is the truth about whether a lock is free: rt
//     takes it with TryLock and TryRLock only, and never blocks natively on
//     it. st.writer and st.readers count the holds rt granted and has not
//     released. A Go lock is not tied to the goroutine that took it, so an rt
//     Unlock with a greenlet queued in wq hands the lock over without
//     unlocking it natively: FIFO, and no native goroutine can barge in
//     between. A writer's Unlock first admits every reader queued in rq, as
//     Go's RWMutex does; a queued writer keeps new readers out (rq waits
//     while wq is not empty), again as Go's.
//   - Durable and foreign lock waits. A waiter at the head of wq is durable
//     while rt holds the lock (st.writer or st.readers > 0): an rt release
//     will hand it the lock. One at the head of rq is durable while
//     st.writer. Otherwise unrewritten code holds the lock natively and no
//     rt call will ever release it; a poller goroutine then retries the
//     native TryLock with a backoff (1/20 ms up to 5 ms) until the head
//     waiters are granted or durable again. While it runs it counts as an
//     external wake-up source on every hub with a waiter in the queues, so
//     those hubs neither report a deadlock nor move a virtual clock.
//   - WaitGroup. st.count mirrors the Adds and Dones rewritten code made;
//     the native counter is the truth about zero. A Wait is durable when
//     the native counter equals st.count (every outstanding Add was made by
//     rt, so an rt Done will wake it); otherwise a helper goroutine waits
//     natively and counts as an external.
//   - Cond. wq holds rt waiters in ticket order; Signal wakes the oldest rt
//     waiter, or natively signals a waiter of unrewritten code when there
//     is none.
//   - Once. f runs inside the native o.Do, so the native Once's done flag
//     and its mutual exclusion with unrewritten callers stay Go's; rt
//     callers that arrive while f runs park in wq instead of blocking their
//     hub on the native Once's mutex.
//   - Lock order: syncs.mu and st.mu are never held together; inside st.mu,
//     a hub's inbox lock (waking a waiter of another hub) is a leaf.
//
// Limits, each a wait rt cannot see end:
//
//   - A lock that rewritten code took and unrewritten code unlocks natively
//     while rt waiters are queued: they were parked as durable (rt holds
//     it), so they stay parked; with nothing else to run their hub reports
//     a deadlock naming the lock rather than hanging. The next rt Lock or
//     TryLock of it finds the lock free and catches up.
//   - A Cond signalled natively by unrewritten code wakes only native
//     waiters, not rt ones.
//   - A sync.Locker whose dynamic type is not *sync.Mutex, *sync.RWMutex or
//     an RLocker (a user type that embeds a Mutex, say) is locked with its
//     own, native, Lock.
//   - syncs is one map under one mutex: every rt sync call takes it once.
//     A lock-free table like chans' would serve many hubs better.

// syncKind tells apart the sync types, so that two values at one address
// (a struct and its first field) never share a state.
type syncKind uint8

const (
	kindMutex syncKind = iota
	kindRWMutex
	kindWaitGroup
	kindCond
	kindOnce
)

type syncKey struct {
	addr uintptr
	kind syncKind
}

// syncState is rt's side of one sync value.
type syncState struct {
	mu   sync.Mutex
	self weak.Pointer[byte]
	key  syncKey

	// Mutex and RWMutex; wq also queues WaitGroup.Wait, Cond.Wait and
	// Once.Do waiters.
	writer    bool
	readers   int
	wq        waitq
	rq        waitq
	polling   bool
	pollWakes []*outsideWake // one for each hub with a waiter the poller serves

	count   int64 // WaitGroup: Adds minus Dones made through rt
	running bool  // Once: an rt caller is running f
}

// syncs is the side table of sync values, keyed by address (a uintptr, so
// it keeps no value alive) and kind.
var syncs struct {
	mu sync.Mutex
	m  map[syncKey]*syncState
}

// stateOf returns the state of the sync value at p, making it on first use.
func stateOf(p unsafe.Pointer, kind syncKind) *syncState {
	if p == nil {
		_ = *(*byte)(p) // the nil dereference the native method would make
	}
	k := syncKey{uintptr(p), kind}
	syncs.mu.Lock()
	st := syncs.m[k]
	if st != nil && unsafe.Pointer(st.self.Value()) == p {
		syncs.mu.Unlock()
		return st
	}
	st = &syncState{self: weak.Make((*byte)(p)), key: k}
	if syncs.m == nil {
		syncs.m = make(map[syncKey]*syncState)
	}
	syncs.m[k] = st
	syncs.mu.Unlock()
	runtime.AddCleanup((*byte)(p), forgetSync, st)
	return st
}

// forgetSync removes st from the table once its value is dead, unless a
// new value at the same address has replaced it already.
func forgetSync(st *syncState) {
	syncs.mu.Lock()
	if syncs.m[st.key] == st {
		delete(syncs.m, st.key)
	}
	syncs.mu.Unlock()
}

// nativeLock is what *sync.Mutex and *sync.RWMutex have in common.
type nativeLock interface {
	TryLock() bool
	Unlock()
}

// MutexLock is m.Lock() in rewritten code.
func MutexLock(m *sync.Mutex) {
	stateOf(unsafe.Pointer(m), kindMutex).lock(m, nil, "sync.Mutex.Lock")
}

// MutexUnlock is m.Unlock() in rewritten code. Unlocking an unlocked mutex
// is the same fatal error as in Go.
func MutexUnlock(m *sync.Mutex) {
	stateOf(unsafe.Pointer(m), kindMutex).unlock(m, nil, currentHub())
}

// MutexTryLock is m.TryLock() in rewritten code.
func MutexTryLock(m *sync.Mutex) bool {
	return stateOf(unsafe.Pointer(m), kindMutex).tryLock(m)
}

// RWMutexLock is rw.Lock() in rewritten code.
func RWMutexLock(rw *sync.RWMutex) {
	stateOf(unsafe.Pointer(rw), kindRWMutex).lock(rw, rw, "sync.RWMutex.Lock")
}

// RWMutexUnlock is rw.Unlock() in rewritten code.
func RWMutexUnlock(rw *sync.RWMutex) {
	stateOf(unsafe.Pointer(rw), kindRWMutex).unlock(rw, rw, currentHub())
}

// RWMutexTryLock is rw.TryLock() in rewritten code.
func RWMutexTryLock(rw *sync.RWMutex) bool {
	return stateOf(unsafe.Pointer(rw), kindRWMutex).tryLock(rw)
}

// RWMutexRLock is rw.RLock() in rewritten code.
func RWMutexRLock(rw *sync.RWMutex) {
	stateOf(unsafe.Pointer(rw), kindRWMutex).rlock(rw, "sync.RWMutex.RLock")
}

// RWMutexRUnlock is rw.RUnlock() in rewritten code.
func RWMutexRUnlock(rw *sync.RWMutex) {
	stateOf(unsafe.Pointer(rw), kindRWMutex).runlock(rw, currentHub())
}

// RWMutexTryRLock is rw.TryRLock() in rewritten code. Like Go's, it fails
// while a writer waits, even one queued in rt.
func RWMutexTryRLock(rw *sync.RWMutex) bool {
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
	switch m, rw, read := lockerTarget(l); {
	case m != nil:
		MutexUnlock(m)
	case rw != nil && read:
		RWMutexRUnlock(rw)
	case rw != nil:
		RWMutexUnlock(rw)
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
			w.wake(from, waitFired) // the lock stays locked: it is w's now
			return
		}
	}
	st.writer = false
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
		w.wake(from, waitFired)
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
				w.wake(from, waitFired)
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

// wgLayout says whether a WaitGroup's counter can be read as Go 1.25 and
// 1.26 keep it: the high 32 bits of its first word. Without it rt counts
// only the Adds it saw.
var wgLayout = func() bool {
	var wg sync.WaitGroup
	wg.Add(3)
	ok := nativeCount(&wg) == 3
	wg.Add(-3)
	return ok && nativeCount(&wg) == 0
}()

func nativeCount(wg *sync.WaitGroup) int64 {
	return int64(int32((*atomic.Uint64)(unsafe.Pointer(wg)).Load() >> 32))
}

// counter returns wg's counter. st.mu is held.
func (st *syncState) counter(wg *sync.WaitGroup) int64 {
	if wgLayout {
		return nativeCount(wg)
	}
	return st.count
}

// WaitGroupAdd is wg.Add(delta) in rewritten code: the native Add (with its
// panics), mirrored in rt; reaching zero wakes every rt Wait.
func WaitGroupAdd(wg *sync.WaitGroup, delta int) {
	wg.Add(delta)
	h := currentHub()
	st := stateOf(unsafe.Pointer(wg), kindWaitGroup)
	st.mu.Lock()
	st.count += int64(delta)
	if st.counter(wg) == 0 {
		st.wq.wakeAll(h)
	}
	st.mu.Unlock()
}

// WaitGroupDone is wg.Done() in rewritten code.
func WaitGroupDone(wg *sync.WaitGroup) { WaitGroupAdd(wg, -1) }

// WaitGroupWait is wg.Wait() in rewritten code.
func WaitGroupWait(wg *sync.WaitGroup) {
	h, g := current()
	st := stateOf(unsafe.Pointer(wg), kindWaitGroup)
	st.mu.Lock()
	n := st.counter(wg)
	if n == 0 {
		st.mu.Unlock()
		return
	}
	w := newWaiter(h, g, "sync.WaitGroup.Wait")
	st.wq.enqueue(w, &st.mu)
	foreign := n != st.count
	st.mu.Unlock()
	if foreign {
		// Unrewritten code made some of the Adds and may make the Dones,
		// which rt never sees: wait for zero natively as well.
		out := h.expectOutside()
		go func() {
			wg.Wait()
			out.post(func() { w.fire(h, waitFired, nil) })
		}()
	}
	h.park(g, w, -1, nil)
}

// WaitGroupGo is wg.Go(f) in rewritten code: f runs in a greenlet, and, as
// in Go, a panic in f crashes the program without calling Done. A Kill
// ends f as runtime.Goexit would, so Done is called.
func WaitGroupGo(wg *sync.WaitGroup, f func()) {
	WaitGroupAdd(wg, 1)
	Go(func() {
		defer func() {
			if x := recover(); x != nil {
				if _, ok := x.(*interruption); ok {
					WaitGroupDone(wg)
				}
				panic(x)
			}
			WaitGroupDone(wg)
		}()
		f()
	})
}

// CondWait is c.Wait() in rewritten code: it joins c's rt waiters, unlocks
// c.L, parks until a Signal or Broadcast, and locks c.L again, through rt
// when c.L is a lock of package sync. c.L is locked again even when the
// wait is interrupted, so the caller's deferred Unlock stays valid.
func CondWait(c *sync.Cond) {
	h, g := current()
	st := stateOf(unsafe.Pointer(c), kindCond)
	w := queuedWaiter(h, g, "sync.Cond.Wait")
	st.mu.Lock()
	st.wq.enqueue(w, &st.mu)
	st.mu.Unlock()
	LockerUnlock(c.L)
	defer LockerLock(c.L)
	h.park(g, w, -1, nil)
}

// CondSignal is c.Signal() in rewritten code: it wakes the oldest rt
// waiter, or else a waiter of unrewritten code.
func CondSignal(c *sync.Cond) {
	h := currentHub()
	st := stateOf(unsafe.Pointer(c), kindCond)
	st.mu.Lock()
	w := st.wq.dequeue(h)
	st.mu.Unlock()
	if w != nil {
		w.wake(h, waitFired)
		return
	}
	c.Signal()
}

// CondBroadcast is c.Broadcast() in rewritten code: it wakes every rt
// waiter and every waiter of unrewritten code.
func CondBroadcast(c *sync.Cond) {
	h := currentHub()
	st := stateOf(unsafe.Pointer(c), kindCond)
	st.mu.Lock()
	st.wq.wakeAll(h)
	st.mu.Unlock()
	c.Broadcast()
}

// OnceDo is o.Do(f) in rewritten code. f runs inside the native o.Do, so
// unrewritten code sees o done; an rt caller that comes while f runs parks
// until f returns or panics. An unrewritten caller running f at the same
// time makes an rt caller block natively in o.Do until it returns.
func OnceDo(o *sync.Once, f func()) {
	if onceLayout && (*atomic.Uint32)(unsafe.Pointer(o)).Load() != 0 {
		return
	}
	h, g := current()
	st := stateOf(unsafe.Pointer(o), kindOnce)
	st.mu.Lock()
	if st.running {
		w := queuedWaiter(h, g, "sync.Once.Do")
		st.wq.enqueue(w, &st.mu)
		st.mu.Unlock()
		h.park(g, w, -1, nil)
		return
	}
	st.running = true
	st.mu.Unlock()
	defer func() {
		st.mu.Lock()
		st.running = false
		st.wq.wakeAll(h)
		st.mu.Unlock()
	}()
	// Done or not is the native Once's to say (it may have been reset by
	// assignment, or done by unrewritten code), so rt keeps no done flag.
	o.Do(f)
}

// onceLayout says whether a Once's done flag is its first word, as in Go
// 1.21 to 1.26; it only enables the fast path of OnceDo.
var onceLayout = func() bool {
	var o sync.Once
	before := (*atomic.Uint32)(unsafe.Pointer(&o)).Load()
	o.Do(func() {})
	return before == 0 && (*atomic.Uint32)(unsafe.Pointer(&o)).Load() == 1
}()

// OnceFunc is sync.OnceFunc in rewritten code: Go's implementation, on an
// rt Once. As in Go, if f panics the returned function panics with the same
// value on every call.
func OnceFunc(f func()) func() {
	d := struct {
		f     func()
		once  sync.Once
		valid bool
		p     any
	}{f: f}
	return func() {
		OnceDo(&d.once, func() {
			defer func() {
				d.f = nil
				d.p = recover()
				if !d.valid {
					panic(d.p)
				}
			}()
			d.f()
			d.valid = true
		})
		if !d.valid {
			panic(d.p)
		}
	}
}

// OnceValue is sync.OnceValue in rewritten code.
func OnceValue[T any](f func() T) func() T {
	d := struct {
		f      func() T
		once   sync.Once
		valid  bool
		p      any
		result T
	}{f: f}
	return func() T {
		OnceDo(&d.once, func() {
			defer func() {
				d.f = nil
				d.p = recover()
				if !d.valid {
					panic(d.p)
				}
			}()
			d.result = d.f()
			d.valid = true
		})
		if !d.valid {
			panic(d.p)
		}
		return d.result
	}
}

// OnceValues is sync.OnceValues in rewritten code.
func OnceValues[T1, T2 any](f func() (T1, T2)) func() (T1, T2) {
	d := struct {
		f     func() (T1, T2)
		once  sync.Once
		valid bool
		p     any
		r1    T1
		r2    T2
	}{f: f}
	return func() (T1, T2) {
		OnceDo(&d.once, func() {
			defer func() {
				d.f = nil
				d.p = recover()
				if !d.valid {
					panic(d.p)
				}
			}()
			d.r1, d.r2 = d.f()
			d.valid = true
		})
		if !d.valid {
			panic(d.p)
		}
		return d.r1, d.r2
	}
}

// SyncMethod is a method value x.M of package sync in rewritten code, for a
// method without arguments: SyncMethod(f)(x), where f is the rt function
// for M, binds x where the method value is made, as Go evaluates the
// receiver. T comes from f alone, so x may be of any type assignable to T
// (a type parameter, an interface that embeds sync.Locker).
func SyncMethod[T any](f func(T)) func(T) func() {
	return func(x T) func() { return func() { f(x) } }
}

// SyncMethodArg is SyncMethod for a method with one argument (WaitGroup.Add,
// Once.Do, WaitGroup.Go).
func SyncMethodArg[T, A any](f func(T, A)) func(T) func(A) {
	return func(x T) func(A) { return func(a A) { f(x, a) } }
}

// SyncMethodResult is SyncMethod for a method with one result (TryLock).
func SyncMethodResult[T, R any](f func(T) R) func(T) func() R {
	return func(x T) func() R { return func() R { return f(x) } }
}

// This file holds rt's side of package sync's values for rewritten code: the side table of their states, keyed by address, the invariants every sync operation keeps (mutex.go, waitgroup.go, cond.go, once.go), and method values of sync types.

package rt

import (
	"math/bits"
	"runtime"
	"sync"
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
//   - syncs is one table under one mutex: every rt sync call takes it
//     once. A lock-free table like chans' would serve many hubs better.

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

// A syncKey is a value's address and its kind in one word: an integer key
// takes the maps' fast path, where a struct's padding made them hash it
// with a generated function (4% of an HTTP server's CPU).
type syncKey uint64

func keyOf(p unsafe.Pointer, kind syncKind) syncKey { return syncKey(uintptr(p))<<3 | syncKey(kind) }

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

	// For reports (see WithReports): who holds the write lock rt granted,
	// and where rewritten code first used the value.
	hold    lockHold
	firstAt callers // not for locks, which get their state at their first contended use
}

// syncs is the side table of sync values, keyed by address (a uintptr, so
// it keeps no value alive) and kind.
//
// Besides states, it records the write locks rt took on the fast path
// (lockFast), when no state existed and the lock was free, as heldFast: a
// mutex that is never contended never gets a state, whose weak pointer and
// cleanup are three allocations (a test that counts allocations around the
// first Lock of a fresh mutex, as jellydator/ttlcache's do, saw them).
// Invariant: a key maps to heldFast only while rt holds that lock and the
// value has no live state; stateOf moves the hold into the state it makes
// (st.writer). An address reused while its old mutex was held leaves a
// stale heldFast, which at worst takes a later native hold for rt's.
var syncs struct {
	mu sync.Mutex
	t  syncTable

	// fastHolds, when reports are on (reportHolds), says who took each
	// heldFast lock and when, for a state made later to take over.
	fastHolds map[syncKey]lockHold
}

// heldFast stands in a syncTable slot for a fast-path hold (see syncs).
var heldFast = new(syncState)

// syncTable maps syncKeys to states (or heldFast): open addressing with
// linear probing, under syncs.mu. Every rt Lock and Unlock of an
// uncontended mutex looks its key up, and an HTTP server makes some
// fifteen of each a request: with two Go maps (states, and fast holds)
// the lookups, inserts and deletes were 4,460 of the 43,200 instructions
// a request of bench/http/hello under gopatch (callgrind), a third of
// what it spent over native Go's.
//
// A key whose value goes (an unlock, a state's cleanup) keeps its slot
// with a nil value, which means what an absent key means: so the next
// Lock of the same mutex finds its slot again, and nothing is ever
// deleted from the middle of a probe run. Such slots are dropped when the
// table would grow.
type syncTable struct {
	slots []syncSlot // a power of two long; key 0 marks an empty slot
	shift uint       // 64 - log2(len(slots))
	n     int        // slots with a key

	// spare is the slots of the rebuild before last, cleared, which the
	// next rebuild to the same size takes: a table whose live keys stay
	// few fills with keys that went and rebuilds again and again, and
	// must not allocate each time. An allocation in a Lock shows in a
	// test that counts them (jellydator/ttlcache's Get expects one).
	spare []syncSlot
}

type syncSlot struct {
	key syncKey
	st  *syncState // nil: as if k were absent
}

// find returns the index of k's slot, or of the empty slot where k would
// go. The table has slots.
func (t *syncTable) find(k syncKey) int {
	mask := len(t.slots) - 1
	for i := int(uint64(k) * 0x9e3779b97f4a7c15 >> t.shift); ; i = (i + 1) & mask {
		if key := t.slots[i].key; key == k || key == 0 {
			return i
		}
	}
}

// get returns what k maps to, or nil.
func (t *syncTable) get(k syncKey) *syncState {
	if t.n == 0 {
		return nil
	}
	return t.slots[t.find(k)].st
}

// slot returns k's slot, giving k one if it has none.
func (t *syncTable) slot(k syncKey) *syncSlot {
	if len(t.slots) == 0 {
		t.rebuild()
	}
	i := t.find(k)
	if t.slots[i].key == 0 {
		if 2*(t.n+1) > len(t.slots) {
			t.rebuild()
			i = t.find(k)
		}
		t.slots[i].key = k
		t.n++
	}
	return &t.slots[i]
}

// put maps k to st (nil unmaps it).
func (t *syncTable) put(k syncKey, st *syncState) { t.slot(k).st = st }

// clear unmaps k if it maps to st.
func (t *syncTable) clear(k syncKey, st *syncState) {
	if t.n == 0 {
		return
	}
	if i := t.find(k); t.slots[i].st == st {
		t.slots[i].st = nil
	}
}

// rebuild makes the table anew for the keys that map to something, at
// most a quarter full. It never shrinks the table, and when it grows it
// makes the next spare too: so a table whose live keys come and go (the
// mutexes of the tests of a binary, until they are collected) allocates
// only when its live keys reach a new peak, not each time their count
// crosses a size up or down. ttlcache's Test_Cache_Get, which counts the
// process's allocations around a Get, saw such a rebuild's in a Lock.
func (t *syncTable) rebuild() {
	old := t.slots
	live := 0
	for _, s := range old {
		if s.st != nil {
			live++
		}
	}
	size := max(64, len(old))
	for size < 4*(live+1) {
		size *= 2
	}
	if len(t.spare) == size {
		t.slots = t.spare
	} else {
		t.slots = make([]syncSlot, size)
	}
	t.shift = uint(64 - bits.TrailingZeros(uint(size)))
	t.n = 0
	for _, s := range old {
		if s.st != nil {
			t.slots[t.find(s.key)] = s
			t.n++
		}
	}
	clear(old) // its states must not stay reachable from here
	t.spare = old
	if len(old) != size {
		t.spare = make([]syncSlot, size)
	}
}

// stateOf returns the state of the sync value at p, making it on first use.
func stateOf(p unsafe.Pointer, kind syncKind) *syncState {
	if p == nil {
		_ = *(*byte)(p) // the nil dereference the native method would make
	}
	k := keyOf(p, kind)
	syncs.mu.Lock()
	old := syncs.t.get(k)
	if old != nil && old != heldFast && weakIs(&old.self, p) {
		syncs.mu.Unlock()
		return old
	}
	st := &syncState{self: weak.Make((*byte)(p)), key: k}
	st.wq.obj, st.rq.obj = st, st
	if old == heldFast {
		st.writer = true // rt took it on the fast path
		st.hold = syncs.fastHolds[k]
		delete(syncs.fastHolds, k)
	}
	if reportHolds.Load() && kind != kindMutex && kind != kindRWMutex {
		st.firstAt = takeCallers()
	}
	syncs.t.put(k, st)
	syncs.mu.Unlock()
	runtime.AddCleanup((*byte)(p), forgetSync, st)
	return st
}

// lockFast takes the write lock nat of the value at p when the value has
// no state (so no rt waiter is queued on it) and the lock is free, records
// the hold as heldFast, and reports whether it did.
func lockFast(p unsafe.Pointer, kind syncKind, nat nativeLock) bool {
	k := keyOf(p, kind)
	syncs.mu.Lock()
	s := syncs.t.slot(k)
	if st := s.st; st != nil && st != heldFast && weakIs(&st.self, p) || !nat.TryLock() {
		syncs.mu.Unlock()
		return false
	}
	s.st = heldFast // over a dead value's state, whose cleanup then finds it gone
	if reportHolds.Load() {
		if syncs.fastHolds == nil {
			syncs.fastHolds = make(map[syncKey]lockHold)
		}
		syncs.fastHolds[k] = holdByCaller()
	}
	syncs.mu.Unlock()
	return true
}

// unlockFast releases a lock that lockFast took and that has gained no
// state since, and reports whether it did; otherwise the state's unlock
// decides. The native Unlock happens under syncs.mu, so that a contender
// making the state meanwhile sees either rt's hold or a free lock.
func unlockFast(p unsafe.Pointer, kind syncKind, nat nativeLock) bool {
	k := keyOf(p, kind)
	syncs.mu.Lock()
	if syncs.t.n == 0 {
		syncs.mu.Unlock()
		return false
	}
	s := &syncs.t.slots[syncs.t.find(k)]
	if s.st != heldFast {
		syncs.mu.Unlock()
		return false
	}
	s.st = nil
	delete(syncs.fastHolds, k)
	nat.Unlock()
	syncs.mu.Unlock()
	return true
}

// forgetSync removes st from the table once its value is dead, unless a
// new value at the same address has replaced it already.
func forgetSync(st *syncState) {
	syncs.mu.Lock()
	syncs.t.clear(st.key, st)
	syncs.mu.Unlock()
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

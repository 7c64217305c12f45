// This file holds the side table that tells hub-owned channels from foreign ones: a lock-free map from hchan addresses to chanStates, checked against each channel's weak pointer.

package rt

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
	"weak"
)

// chans is the side table of hub-owned channels, keyed by hchan address.
var chans chanTable

// chanEntry is what a channel's cleanup needs to remove its own entry, and
// only its own: the address may have been reused by then.
type chanEntry struct {
	key uintptr
	st  *chanState
}

func forgetChan(e chanEntry) { chans.remove(e.key, e.st) }

// chanTable maps hchan addresses (uintptrs, so that it keeps no channel
// alive) to chanStates: open addressing with linear probing, lock-free
// lookups, and writers serialized by mu that publish a new slot array when
// they grow it. It replaced a sync.Map whose Load (hashing an interface key)
// was 17% of BenchmarkChanPingPong.
type chanTable struct {
	mu    sync.Mutex
	slots atomic.Pointer[[]atomic.Pointer[chanState]]
	used  int // live entries and tombstones, under mu
	live  int
}

// tombstone marks a removed slot; lookups probe past it.
var tombstone = new(chanState)

func slotOf(key uintptr, mask uintptr) uintptr {
	return (key >> 4) * 0x9e3779b97f4a7c15 >> 20 & mask
}

func (t *chanTable) lookup(key uintptr) *chanState {
	sp := t.slots.Load()
	if sp == nil {
		return nil
	}
	slots := *sp
	mask := uintptr(len(slots) - 1)
	for i := slotOf(key, mask); ; i = (i + 1) & mask {
		st := slots[i].Load()
		if st == nil {
			return nil
		}
		if st.key == key && st != tombstone {
			return st
		}
	}
}

func (t *chanTable) insert(st *chanState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	sp := t.slots.Load()
	if sp == nil || 2*(t.used+1) > len(*sp) {
		t.grow()
		sp = t.slots.Load()
	}
	slots := *sp
	mask := uintptr(len(slots) - 1)
	for i := slotOf(st.key, mask); ; i = (i + 1) & mask {
		old := slots[i].Load()
		if old == nil || old == tombstone || old.key == st.key {
			// A live entry with this key belongs to a dead channel whose
			// cleanup has not run yet: replace it.
			if old == nil {
				t.used++
			}
			if old == nil || old == tombstone {
				t.live++
			}
			slots[i].Store(st)
			return
		}
	}
}

func (t *chanTable) remove(key uintptr, st *chanState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	slots := *t.slots.Load()
	mask := uintptr(len(slots) - 1)
	for i := slotOf(key, mask); ; i = (i + 1) & mask {
		old := slots[i].Load()
		if old == nil {
			return
		}
		if old == st {
			slots[i].Store(tombstone)
			t.live--
			return
		}
	}
}

// grow publishes a fresh slot array sized for the live entries, dropping
// tombstones. mu is held.
func (t *chanTable) grow() {
	size := 64
	for size < 4*(t.live+1) {
		size *= 2
	}
	slots := make([]atomic.Pointer[chanState], size)
	mask := uintptr(size - 1)
	if sp := t.slots.Load(); sp != nil {
		for j := range *sp {
			st := (*sp)[j].Load()
			if st == nil || st == tombstone {
				continue
			}
			i := slotOf(st.key, mask)
			for slots[i].Load() != nil {
				i = (i + 1) & mask
			}
			slots[i].Store(st)
		}
	}
	t.used = t.live
	t.slots.Store(&slots)
}

// lookupChan returns the state of the hub-owned channel at p, or nil if it
// is foreign.
func lookupChan(p unsafe.Pointer) *chanState {
	st := chans.lookup(uintptr(p))
	if st == nil {
		return nil
	}
	if !weakIs(&st.self, p) {
		return nil // a dead channel's entry; p is a new channel at its address
	}
	return st
}

// weakIs reports wp.Value() == p for a p the caller holds alive, without
// making a strong pointer: Value's handshake with the collector cost 15 ns a
// lookup, 13% of BenchmarkChanPingPong. It reads the weak handle, the word
// that holds the object's address until the sweeper zeroes it as it frees
// the object. Equal to p, the object at p is the one wp was made from: the
// memory of a dead object cannot be reused before its span is swept. The
// layout is the runtime's, so init checks it and falls back to Value.
func weakIs(wp *weak.Pointer[byte], p unsafe.Pointer) bool {
	if !weakRaw {
		return unsafe.Pointer(wp.Value()) == p
	}
	u := *(*unsafe.Pointer)(unsafe.Pointer(wp))
	return u != nil && (*atomic.Uintptr)(u).Load() == uintptr(p)
}

// weakRaw says whether weak.Pointer is one pointer to a handle word that
// holds the object's address, as in Go 1.24 to 1.26.
var weakRaw = func() bool {
	x := new([64]byte)
	wp := weak.Make(&x[0])
	if unsafe.Sizeof(wp) != unsafe.Sizeof(uintptr(0)) {
		return false
	}
	u := *(*unsafe.Pointer)(unsafe.Pointer(&wp))
	ok := u != nil && (*atomic.Uintptr)(u).Load() == uintptr(unsafe.Pointer(x))
	runtime.KeepAlive(x)
	return ok
}()

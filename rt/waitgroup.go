// This file implements sync.WaitGroup for rewritten code: rt mirrors the Adds it sees, and the native counter says when it is zero.

package rt

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

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
	h, g := current()
	yieldPointAt(h, g)
	wg.Add(delta)
	st := stateOf(unsafe.Pointer(wg), kindWaitGroup)
	st.mu.Lock()
	st.count += int64(delta)
	if st.counter(wg) == 0 {
		st.wq.wakeAllGo(h)
	}
	st.mu.Unlock()
}

// WaitGroupDone is wg.Done() in rewritten code.
func WaitGroupDone(wg *sync.WaitGroup) { WaitGroupAdd(wg, -1) }

// WaitGroupWait is wg.Wait() in rewritten code.
func WaitGroupWait(wg *sync.WaitGroup) {
	h, g := current()
	yieldPointAt(h, g)
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
		out := h.expectOutsideForeign()
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

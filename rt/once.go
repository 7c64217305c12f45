// This file implements sync.Once and OnceFunc, OnceValue, OnceValues for rewritten code: f runs in the native Do, rt callers that arrive meanwhile park.

package rt

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// OnceDo is o.Do(f) in rewritten code. f runs inside the native o.Do, so
// unrewritten code sees o done; an rt caller that comes while f runs parks
// until f returns or panics. An unrewritten caller running f at the same
// time makes an rt caller block natively in o.Do until it returns.
func OnceDo(o *sync.Once, f func()) {
	yieldPoint()
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
		st.wq.wakeAllGo(h)
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

// This file implements Offload: calls that cannot be made cooperative run on
// a bounded pool of native goroutines while the greenlet waits (gevent's
// threadpool).

package rt

import "sync"

// Offload runs fn on a native goroutine of a bounded pool and suspends the
// calling greenlet until it returns; the hub's other greenlets run
// meanwhile. A panic in fn is raised again in the caller. If the caller is
// killed while it waits, fn still runs to the end and its result is dropped.
//
// On a goroutine that no Run attends (a plain goroutine, or one of the
// pool's own workers running rewritten code, such as a rewritten os/exec
// called from an offloaded call) fn runs in place: no other greenlet waits
// for that goroutine's hub, and an offload nested in an offload would wait
// for a worker of a pool its callers may have filled.
func Offload(fn func()) {
	h, g := current()
	if h.unattended() {
		fn()
		return
	}
	w := newWaiter(h, g, "Offload")
	out := h.expectOutside()
	offloadPool.submit(func() {
		p := callOffloaded(fn)
		out.post(func() { w.fire(h, waitFired, p) })
	})
	h.park(g, w, -1, nil)
	if w.val != nil {
		panic(w.val)
	}
}

// OffloadValue is Offload for a function with a result.
func OffloadValue[T any](fn func() T) T {
	var v T
	Offload(func() { v = fn() })
	return v
}

func callOffloaded(fn func()) (panicked any) {
	defer func() { panicked = recover() }()
	fn()
	return nil
}

// SetOffloadLimit sets how many native goroutines may run offloaded calls
// at once (default 10, gevent's threadpool size); more calls queue FIFO.
func SetOffloadLimit(n int) {
	offloadPool.mu.Lock()
	offloadPool.max = max(n, 1)
	offloadPool.mu.Unlock()
}

var offloadPool = &workerPool{max: 10}

// workerPool starts workers on demand, up to max; idle workers exit.
type workerPool struct {
	mu      sync.Mutex
	backlog []func()
	workers int
	max     int
}

func (p *workerPool) submit(job func()) {
	p.mu.Lock()
	if p.workers < p.max {
		p.workers++
		p.mu.Unlock()
		go p.work(job)
		return
	}
	p.backlog = append(p.backlog, job)
	p.mu.Unlock()
}

func (p *workerPool) work(job func()) {
	for job != nil {
		job()
		p.mu.Lock()
		if len(p.backlog) > 0 {
			job = p.backlog[0]
			p.backlog[0] = nil
			p.backlog = p.backlog[1:]
		} else {
			job = nil
			p.workers--
		}
		p.mu.Unlock()
	}
}

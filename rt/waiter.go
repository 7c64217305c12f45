// This file holds the one waiter abstraction every waitable shares: the
// waiter, its FIFO queue, and linkable (gevent's _abstract_linkable).

package rt

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Invariants:
//
//   - A waiter is claimed exactly once, by compare-and-swap on *claim. Only
//     the claimer may set its result and value and wake its greenlet. Every
//     other party (a waker that dequeued it too late, a timer, a kill, a
//     context) drops it. Waiters of one multi-object wait share one claim,
//     like the runtime's selectDone.
//   - A waiter is linked in at most one waitq, guarded by the waitable's mutex
//     (w.mu). A waker unlinks the waiter it claims; a waiter claimed by anyone
//     else stays linked until its own greenlet resumes and unlinks it, and
//     wakers skip it meanwhile.
//   - A waiter belongs to one hub. Waking it from that hub pushes onto the run
//     queue; waking it from anywhere else posts to the hub's inbox.

// waitResult says why a wait ended.
type waitResult uint8

const (
	waitPending   waitResult = iota
	waitFired                // the waitable handed over
	waitTimedOut             // the deadline passed
	waitCancelled            // the context was done
	waitThrown               // the greenlet was killed or a Timeout fired
)

// waiter is one greenlet (or one callback) waiting on one waitable.
type waiter struct {
	g     *Greenlet // greenlet to wake, or nil for a callback waiter
	fn    func()    // callback run in the hub when g is nil; must not block
	hub   *Hub
	claim *atomic.Bool
	own   atomic.Bool

	// The small fields share words: every greenlet embeds a waiter (its
	// ownWaiter), so a byte here is a byte a parked greenlet.
	index  int32 // position among the waiters of a multi-object wait
	result waitResult
	ok     bool // second value for those that need one
	fired  bool // this one, of several, is the one that fired
	val    any  // what the waker handed over (a queue item, a value)

	mu         *sync.Mutex // lock of the waitable whose queue holds w
	q          *waitq      // the queue w is linked in; nil once unlinked
	home       *waitq      // the queue w was enqueued in; never cleared
	prev, next *waiter

	what   string // what is waited on, for deadlock reports
	timer  *timer
	wokeBy *Greenlet // the greenlet of its hub that ended the wait (its hub's own for a timer), for traces
}

// newWaiter returns a waiter for greenlet g of hub h waiting on what.
func newWaiter(h *Hub, g *Greenlet, what string) *waiter {
	w := &waiter{g: g, hub: h, what: what}
	w.claim = &w.own
	return w
}

// queuedWaiter is newWaiter for a wait that only its waitq, its timer and
// its context can end: g's own waiter, reset, when no earlier wait of g
// still holds it. park hands it back as soon as nothing can reach it, so a
// greenlet that waits again and again allocates nothing; the caller may
// still read its val and ok after park, until g's next wait. Waits whose
// waiter a helper goroutine or an offload worker also holds must use
// newWaiter: such a party may fire it after the wait has ended, which must
// not end the next one.
func queuedWaiter(h *Hub, g *Greenlet, what string) *waiter {
	if g.ownWaiterBusy {
		return newWaiter(h, g, what)
	}
	g.ownWaiterBusy = true
	w := &g.ownWaiter
	w.g, w.fn, w.hub, w.claim = g, nil, h, &w.own
	w.own.Store(false)
	w.result, w.val, w.ok, w.index, w.fired = waitPending, nil, false, 0, false
	w.mu, w.q, w.home, w.prev, w.next = nil, nil, nil, nil, nil
	w.what, w.timer, w.wokeBy = what, nil, nil
	return w
}

// release hands back a waiter queuedWaiter gave out that was never
// queued: g's next wait may use it.
func (w *waiter) release() {
	if g := w.g; w == &g.ownWaiter {
		g.ownWaiterBusy = false
	}
}

// tryClaim reports whether the caller won the right to end w's wait.
func (w *waiter) tryClaim() bool { return w.claim.CompareAndSwap(false, true) }

// claimed reports whether w's wait has been ended by somebody.
func (w *waiter) claimed() bool { return w.claim.Load() }

// wake schedules w's greenlet (or callback) on its hub. The caller must have
// claimed w, and must not touch w afterwards: once the greenlet runs, its
// next wait may reuse w (see queuedWaiter). from is the hub the caller runs
// on, or nil for a goroutine that is no greenlet (a helper, an offload
// worker).
func (w *waiter) wake(from *Hub, res waitResult) { w.wakeAs(from, res, false) }

// wakeGo is wake for a channel or sync operation of rewritten code, which
// wakes in Go's order (see Hub.readyNext).
func (w *waiter) wakeGo(from *Hub, res waitResult) { w.wakeAs(from, res, true) }

func (w *waiter) wakeAs(from *Hub, res waitResult, goOrder bool) {
	w.result = res
	if from == w.hub && from != nil {
		w.wokeBy = from.current
	}
	if w.g == nil {
		w.hub.ready(from, runItem{fn: w.fn})
		return
	}
	w.fired = true
	if goOrder {
		w.hub.readyNext(from, runItem{g: w.g, why: res})
		return
	}
	w.hub.ready(from, runItem{g: w.g, why: res})
}

// fire claims w and wakes it with res, unless it was already claimed.
func (w *waiter) fire(from *Hub, res waitResult, val any) bool {
	if !w.tryClaim() {
		return false
	}
	w.val = val
	w.wake(from, res)
	return true
}

// unlink removes w from the queue it is still in, if any.
func (w *waiter) unlink() {
	if w.mu == nil {
		return
	}
	w.mu.Lock()
	if w.q != nil {
		w.q.remove(w)
	}
	w.mu.Unlock()
}

// waitq is a FIFO of waiters, guarded by the mutex of the waitable that owns
// it. Its zero value is an empty queue.
type waitq struct {
	first, last *waiter
	owner       *Hub        // the first hub whose greenlet waited here
	shared      atomic.Bool // a greenlet of another hub has used it too
	obj         waitObject  // what the queue belongs to, for reports; may be nil
}

// enqueue appends w. mu is the lock that guards q and is held by the caller.
func (q *waitq) enqueue(w *waiter, mu *sync.Mutex) {
	q.noteHub(w.hub)
	w.mu, w.q, w.home = mu, q, q
	w.prev, w.next = q.last, nil
	if q.last == nil {
		q.first = w
	} else {
		q.last.next = w
	}
	q.last = w
}

// noteHub records which hubs use q; a queue used by two hubs can be woken
// from outside either, which the deadlock check must know.
func (q *waitq) noteHub(h *Hub) {
	if q.owner == nil {
		q.owner = h
	} else if q.owner != h && !q.shared.Load() {
		q.shared.Store(true)
	}
}

func (q *waitq) remove(w *waiter) {
	if w.prev == nil {
		q.first = w.next
	} else {
		w.prev.next = w.next
	}
	if w.next == nil {
		q.last = w.prev
	} else {
		w.next.prev = w.prev
	}
	w.prev, w.next, w.q = nil, nil, nil
}

// dequeue removes and returns the oldest waiter that the caller, running on
// hub from, manages to claim, or nil. Waiters already claimed by someone else
// are dropped.
func (q *waitq) dequeue(from *Hub) *waiter {
	if from != nil {
		q.noteHub(from)
	}
	for w := q.first; w != nil; w = q.first {
		q.remove(w)
		if w.tryClaim() {
			return w
		}
	}
	return nil
}

// wakeAll removes, claims and wakes every claimable waiter, oldest first,
// as fired. The caller holds the queue's lock: a wake only pushes onto a run
// queue or posts to an inbox, whose lock is a leaf, so waking in place
// needs no list of the woken (which cost an Event.Set of 10,000 waiters
// 300 KB).
func (q *waitq) wakeAll(from *Hub) {
	for w := q.dequeue(from); w != nil; w = q.dequeue(from) {
		w.wake(from, waitFired)
	}
}

// wakeAllGo is wakeAll for a sync operation of rewritten code: each woken
// goes to the front in turn (Hub.readyNext), so on a hub in Go's order the
// last runs first and the others follow oldest first, as when Go's runtime
// readies them one by one.
func (q *waitq) wakeAllGo(from *Hub) {
	for w := q.dequeue(from); w != nil; w = q.dequeue(from) {
		w.wakeGo(from, waitFired)
	}
}

// empty reports whether no claimable waiter is queued (claimed waiters that
// have not unlinked themselves yet do not count).
func (q *waitq) empty() bool {
	for w := q.first; w != nil; w = w.next {
		if !w.claimed() {
			return false
		}
	}
	return true
}

// park suspends the calling greenlet g of hub h until w is fired, timeout
// passes (timeout < 0: never), ctx is done (nil: never), or g is interrupted.
// The caller has already enqueued w where its wakers will find it, and holds
// no lock. When park returns w is unlinked and w.result says why it ended.
// An interruption (Kill, Timeout) panics out of park after cleaning up.
func (h *Hub) park(g *Greenlet, w *waiter, timeout time.Duration, ctx context.Context) waitResult {
	if timeout >= 0 {
		w.timer = h.addTimer(timeout, w, nil)
	}
	var stopCtx func() bool
	if ctx != nil && ctx.Done() != nil {
		stopCtx = h.watchContext(ctx, w)
	}
	g.waiting = w
	h.suspend(g)
	g.waiting = nil
	h.stopTimer(w.timer)
	ctxDone := stopCtx != nil && !stopCtx()
	w.unlink()
	if w == &g.ownWaiter && !ctxDone {
		// Unlinked, its timer stopped, no context callback pending: only g
		// can reach it now. (A callback that has run or may still run keeps
		// it for good, and g's later waits allocate.)
		g.ownWaiterBusy = false
	}
	g.checkInterrupt()
	return w.result
}

// parkHandoff is park for a wait whose waker hands the greenlet something
// it must not lose: a queue item, a semaphore permit, a lock. A Kill or
// Timeout can land after the handoff and before g runs again (the waiter is
// claimed, so the interruption cannot end the wait, but it still unwinds g
// when g resumes); giveBack then returns what w was handed, so the item goes
// to the next getter instead of vanishing with g.
func (h *Hub) parkHandoff(g *Greenlet, w *waiter, timeout time.Duration, ctx context.Context, giveBack func(*waiter)) waitResult {
	returned := false
	defer func() {
		if !returned && w.result == waitFired {
			giveBack(w)
		}
	}()
	res := h.park(g, w, timeout, ctx)
	returned = true
	return res
}

// watchContext arranges for w to be cancelled when ctx is done. The returned
// stop reports whether it prevented the callback, as context.AfterFunc's
// does; while the callback may still post to the inbox it holds an outside
// wake-up, which stop gives up when it prevents the callback. It runs on
// h's goroutine, and so does stop.
func (h *Hub) watchContext(ctx context.Context, w *waiter) func() bool {
	out := h.expectOutsideForeign()
	stop := context.AfterFunc(ctx, func() {
		out.post(func() { w.fire(h, waitCancelled, nil) })
	})
	return func() bool {
		stopped := stop()
		if stopped {
			out.spendHere()
		}
		return stopped
	}
}

// linkable is gevent's _abstract_linkable: the state every waitable that
// becomes ready once (Event, AsyncResult, Greenlet) shares. Waiters and
// callbacks are notified FIFO, on the hub they belong to.
type linkable struct {
	mu    sync.Mutex
	q     waitq
	ready bool
}

// wait blocks the current greenlet until l is ready; see [Hub.park] for
// timeout and ctx. It returns waitFired if l became ready.
func (l *linkable) wait(what string, timeout time.Duration, ctx context.Context) waitResult {
	l.mu.Lock()
	if l.ready {
		l.mu.Unlock()
		return waitFired
	}
	h, g := current()
	if timeout == 0 {
		l.mu.Unlock()
		return waitTimedOut
	}
	w := queuedWaiter(h, g, what)
	l.q.enqueue(w, &l.mu)
	l.mu.Unlock()
	return h.park(g, w, timeout, ctx)
}

// rawlink registers fn to run in h when l becomes ready (at once, through
// the run queue, if it already is). It returns the waiter, for unlinking.
func (l *linkable) rawlink(h *Hub, fn func()) *waiter {
	w := &waiter{hub: h, fn: fn, what: "link"}
	w.claim = &w.own
	l.mu.Lock()
	if l.ready {
		l.mu.Unlock()
		w.tryClaim()
		w.wake(h, waitFired)
		return w
	}
	l.q.enqueue(w, &l.mu)
	l.mu.Unlock()
	return w
}

// setReady marks l ready and wakes every waiter, oldest first. from is the
// hub the caller runs on. It reports false if l was ready already.
func (l *linkable) setReady(from *Hub) bool { return l.settle(from, nil) }

// settle is setReady that first runs set, if not nil, under l's lock, so
// that whatever set records (an AsyncResult's value) is visible to everyone
// who sees l ready. It reports false, without running set, if l was ready.
func (l *linkable) settle(from *Hub, set func()) bool {
	l.mu.Lock()
	if l.ready {
		l.mu.Unlock()
		return false
	}
	if set != nil {
		set()
	}
	l.ready = true
	l.q.wakeAll(from)
	l.mu.Unlock()
	return true
}

// clear makes l not ready again (Event.Clear).
func (l *linkable) clear() {
	l.mu.Lock()
	l.ready = false
	l.mu.Unlock()
}

// isReady reports whether l is ready.
func (l *linkable) isReady() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ready
}

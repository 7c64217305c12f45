// This file implements gevent's queues (Queue, LifoQueue, PriorityQueue,
// JoinableQueue's task counting, and the rendezvous Channel) on one core.

package rt

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Invariants:
//
//   - getters is non-empty only while the buffer is empty: a Put hands its
//     item straight to the oldest waiting getter, so a greenlet that calls
//     Get later can never overtake one that waits (no barging), and items
//     leave in the order the kind says.
//   - putters is non-empty only while the buffer is full (always, for a
//     Channel): a Get that frees a slot moves the oldest putter's item in
//     and wakes it.
//   - A waiting putter's item rides in its waiter's val; a getter handed an
//     item finds it in its own waiter's val.
//   - unfinished counts items accepted (buffered or handed to a getter) and
//     not yet marked done with TaskDone; joiners wait for it to reach zero.
//   - Everything is guarded by mu, which is never held while switching.

// ErrEmpty is returned by a non-blocking or timed Get that found no item.
var ErrEmpty = errors.New("rt: queue is empty")

// ErrFull is returned by a non-blocking or timed Put that found no room.
var ErrFull = errors.New("rt: queue is full")

// Queue is a FIFO (or LIFO, or priority) queue of T for greenlets, with
// gevent's Queue and JoinableQueue semantics: Get blocks while it is empty,
// Put blocks while it is full, blocked getters and putters are served in the
// order they came, and every item put counts as an unfinished task until
// [Queue.TaskDone] is called for it. A Queue may be shared by greenlets of
// several hubs.
type Queue[T any] struct {
	mu         sync.Mutex
	items      store[T]
	maxsize    int  // > 0: the bound; otherwise unbounded
	rendezvous bool // a Channel: no buffer, each Put meets a Get
	getters    waitq
	putters    waitq
	joiners    waitq
	unfinished int

	kind                       string // "Queue", "LifoQueue", ... for messages
	getWhat, putWhat, joinWhat string // for deadlock reports
}

// NewQueue returns a FIFO queue that holds at most maxsize items; maxsize
// <= 0 means no bound.
func NewQueue[T any](maxsize int) *Queue[T] {
	return newQueue[T]("Queue", &fifo[T]{}, maxsize)
}

// NewLifoQueue returns a queue whose Get returns the newest item first.
func NewLifoQueue[T any](maxsize int) *Queue[T] {
	return newQueue[T]("LifoQueue", &lifo[T]{}, maxsize)
}

// NewPriorityQueue returns a queue whose Get returns the least item by less
// first; items that compare equal come out in the order they were put.
func NewPriorityQueue[T any](maxsize int, less func(a, b T) bool) *Queue[T] {
	return newQueue[T]("PriorityQueue", &priority[T]{less: less}, maxsize)
}

func newQueue[T any](kind string, items store[T], maxsize int) *Queue[T] {
	q := &Queue[T]{items: items, maxsize: maxsize}
	q.setKind(kind)
	return q
}

func (q *Queue[T]) setKind(kind string) {
	q.kind, q.getWhat, q.putWhat, q.joinWhat = kind, kind+".Get", kind+".Put", kind+".Join"
}

// Put adds v, blocking while the queue is full.
func (q *Queue[T]) Put(v T) { q.put(v, -1, nil) }

// PutTimeout is Put that gives up after timeout (< 0: no limit) with
// [ErrFull].
func (q *Queue[T]) PutTimeout(v T, timeout time.Duration) error { return q.put(v, timeout, nil) }

// PutContext is Put that returns ctx.Err() if ctx is done first.
func (q *Queue[T]) PutContext(ctx context.Context, v T) error { return q.put(v, -1, ctx) }

// PutNowait adds v if there is room at once, and returns [ErrFull]
// otherwise. It never blocks, so hub callbacks may call it.
func (q *Queue[T]) PutNowait(v T) error { return q.put(v, 0, nil) }

// Get removes and returns the next item, blocking while the queue is empty.
func (q *Queue[T]) Get() T {
	v, _ := q.get(-1, nil)
	return v
}

// GetTimeout is Get that gives up after timeout (< 0: no limit) with
// [ErrEmpty].
func (q *Queue[T]) GetTimeout(timeout time.Duration) (T, error) { return q.get(timeout, nil) }

// GetContext is Get that returns ctx.Err() if ctx is done first.
func (q *Queue[T]) GetContext(ctx context.Context) (T, error) { return q.get(-1, ctx) }

// GetNowait removes and returns the next item if there is one, and returns
// [ErrEmpty] otherwise.
func (q *Queue[T]) GetNowait() (T, error) { return q.get(0, nil) }

// Peek returns the next item without removing it, or [ErrEmpty].
func (q *Queue[T]) Peek() (T, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.items.len() == 0 {
		var zero T
		return zero, ErrEmpty
	}
	return q.items.peek(), nil
}

// Len returns the number of buffered items.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.items.len()
}

// Empty reports whether no item is buffered.
func (q *Queue[T]) Empty() bool { return q.Len() == 0 }

// Full reports whether a Put would block.
func (q *Queue[T]) Full() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.full()
}

func (q *Queue[T]) full() bool {
	return q.rendezvous || q.maxsize > 0 && q.items.len() >= q.maxsize
}

// TaskDone marks one item taken with Get as processed (JoinableQueue's
// task_done). When every item put has been marked, Join returns. Calling it
// more times than items were put panics.
func (q *Queue[T]) TaskDone() {
	h := currentHub()
	q.mu.Lock()
	if q.unfinished <= 0 {
		q.mu.Unlock()
		panic("rt: " + q.kind + ".TaskDone called more times than items were put")
	}
	q.unfinished--
	if q.unfinished == 0 {
		q.joiners.wakeAll(h)
	}
	q.mu.Unlock()
}

// Join blocks until every item put has been marked with TaskDone.
func (q *Queue[T]) Join() { q.join(nil) }

// JoinContext is Join that returns ctx.Err() if ctx is done first.
func (q *Queue[T]) JoinContext(ctx context.Context) error { return q.join(ctx) }

func (q *Queue[T]) join(ctx context.Context) error {
	h, g := current()
	q.mu.Lock()
	if q.unfinished == 0 {
		q.mu.Unlock()
		return nil
	}
	w := queuedWaiter(h, g, q.joinWhat)
	q.joiners.enqueue(w, &q.mu)
	q.mu.Unlock()
	return ctxResult(ctx, h.park(g, w, -1, ctx))
}

// put is every Put: timeout < 0 waits without limit, 0 does not wait.
func (q *Queue[T]) put(v T, timeout time.Duration, ctx context.Context) error {
	h, g := current()
	q.mu.Lock()
	if w := q.getters.dequeue(h); w != nil {
		q.unfinished++
		q.mu.Unlock()
		w.val = v
		w.wake(h, waitFired)
		return nil
	}
	if !q.full() {
		q.items.push(v)
		q.unfinished++
		q.mu.Unlock()
		return nil
	}
	if timeout == 0 {
		q.mu.Unlock()
		return ErrFull
	}
	w := queuedWaiter(h, g, q.putWhat)
	w.val = v
	q.putters.enqueue(w, &q.mu)
	q.mu.Unlock()
	// A putter needs no giveBack: once a getter claimed it, the item is in.
	switch h.park(g, w, timeout, ctx) {
	case waitTimedOut:
		return ErrFull
	case waitCancelled:
		return ctx.Err()
	}
	return nil
}

// get is every Get: timeout < 0 waits without limit, 0 does not wait.
func (q *Queue[T]) get(timeout time.Duration, ctx context.Context) (T, error) {
	h, g := current()
	q.mu.Lock()
	if q.items.len() > 0 {
		v := q.items.pop()
		// pass 1 - the freed slot goes to the oldest blocked putter. (A
		// Channel buffers only items given back; its putters wait for a getter.)
		var w *waiter
		if !q.rendezvous {
			w = q.putters.dequeue(h)
		}
		if w != nil {
			q.items.push(itemOf[T](w))
			q.unfinished++
		}
		q.mu.Unlock()
		if w != nil {
			w.wake(h, waitFired)
		}
		return v, nil
	}
	// pass 2 - no buffer (a Channel): take straight from the oldest putter.
	if w := q.putters.dequeue(h); w != nil {
		q.unfinished++
		q.mu.Unlock()
		v := itemOf[T](w) // before the wake: then the putter may reuse w
		w.wake(h, waitFired)
		return v, nil
	}
	// pass 3 - wait for a putter to hand an item over.
	if timeout == 0 {
		q.mu.Unlock()
		var zero T
		return zero, ErrEmpty
	}
	w := queuedWaiter(h, g, q.getWhat)
	q.getters.enqueue(w, &q.mu)
	q.mu.Unlock()
	switch h.parkHandoff(g, w, timeout, ctx, q.giveBack) {
	case waitTimedOut:
		var zero T
		return zero, ErrEmpty
	case waitCancelled:
		var zero T
		return zero, ctx.Err()
	}
	return itemOf[T](w), nil
}

// giveBack returns the item handed to getter w, which was interrupted before
// it could take it: to the next waiting getter, or to the head of the
// buffer. The item was accepted already, so it may exceed the bound (or sit
// in a Channel) until someone gets it.
func (q *Queue[T]) giveBack(w *waiter) {
	h := currentHub()
	v := itemOf[T](w)
	q.mu.Lock()
	next := q.getters.dequeue(h)
	if next == nil {
		q.items.pushBack(v)
	}
	q.mu.Unlock()
	if next != nil {
		next.val = v
		next.wake(h, waitFired)
	}
}

// itemOf returns the item that rides in w. A nil interface item is stored as
// a nil any, hence the two-value assertion.
func itemOf[T any](w *waiter) T {
	v, _ := w.val.(T)
	return v
}

// Channel is a queue with no buffer (gevent.queue.Channel): Put blocks until
// a getter takes the item, as an unbuffered Go channel send does. Waiting
// putters and getters are served in the order they came.
type Channel[T any] struct {
	q Queue[T]
}

// NewChannel returns a rendezvous channel of T.
func NewChannel[T any]() *Channel[T] {
	c := &Channel[T]{q: Queue[T]{items: &fifo[T]{}, rendezvous: true}}
	c.q.setKind("Channel")
	return c
}

// Put blocks until a getter takes v.
func (c *Channel[T]) Put(v T) { c.q.Put(v) }

// PutTimeout is Put that gives up after timeout with [ErrFull].
func (c *Channel[T]) PutTimeout(v T, timeout time.Duration) error { return c.q.PutTimeout(v, timeout) }

// PutContext is Put that returns ctx.Err() if ctx is done first.
func (c *Channel[T]) PutContext(ctx context.Context, v T) error { return c.q.PutContext(ctx, v) }

// PutNowait hands v to a waiting getter, or returns [ErrFull] if none waits.
func (c *Channel[T]) PutNowait(v T) error { return c.q.PutNowait(v) }

// Get blocks until a putter hands over an item and returns it.
func (c *Channel[T]) Get() T { return c.q.Get() }

// GetTimeout is Get that gives up after timeout with [ErrEmpty].
func (c *Channel[T]) GetTimeout(timeout time.Duration) (T, error) { return c.q.GetTimeout(timeout) }

// GetContext is Get that returns ctx.Err() if ctx is done first.
func (c *Channel[T]) GetContext(ctx context.Context) (T, error) { return c.q.GetContext(ctx) }

// GetNowait takes an item from a waiting putter, or returns [ErrEmpty].
func (c *Channel[T]) GetNowait() (T, error) { return c.q.GetNowait() }

// store is the buffer of a queue: the one thing its kinds differ in.
type store[T any] interface {
	len() int
	push(v T)
	pop() T  // the next item out; len() > 0
	peek() T // the item pop would return; len() > 0
	// pushBack returns an item that was popped so that it is the next out
	// (for a FIFO, at the head rather than the tail).
	pushBack(v T)
}

// fifo is a ring buffer, oldest first.
type fifo[T any] struct {
	buf  []T
	head int
	n    int
}

func (f *fifo[T]) len() int { return f.n }

func (f *fifo[T]) grow() {
	buf := make([]T, max(2*len(f.buf), 8))
	for i := range f.n {
		buf[i] = f.buf[(f.head+i)%len(f.buf)]
	}
	f.buf, f.head = buf, 0
}

func (f *fifo[T]) push(v T) {
	if f.n == len(f.buf) {
		f.grow()
	}
	f.buf[(f.head+f.n)%len(f.buf)] = v
	f.n++
}

func (f *fifo[T]) pop() T {
	v := f.buf[f.head]
	var zero T
	f.buf[f.head] = zero
	f.head = (f.head + 1) % len(f.buf)
	f.n--
	return v
}

func (f *fifo[T]) peek() T { return f.buf[f.head] }

func (f *fifo[T]) pushBack(v T) {
	if f.n == len(f.buf) {
		f.grow()
	}
	f.head = (f.head - 1 + len(f.buf)) % len(f.buf)
	f.buf[f.head] = v
	f.n++
}

// lifo is a stack, newest first.
type lifo[T any] struct{ s []T }

func (l *lifo[T]) len() int     { return len(l.s) }
func (l *lifo[T]) push(v T)     { l.s = append(l.s, v) }
func (l *lifo[T]) peek() T      { return l.s[len(l.s)-1] }
func (l *lifo[T]) pushBack(v T) { l.push(v) }
func (l *lifo[T]) pop() T {
	v := l.s[len(l.s)-1]
	var zero T
	l.s[len(l.s)-1] = zero
	l.s = l.s[:len(l.s)-1]
	return v
}

// priority is a binary min-heap by less, ties broken by insertion order.
type priority[T any] struct {
	h    []prioItem[T]
	less func(a, b T) bool
	seq  uint64
}

type prioItem[T any] struct {
	v   T
	seq uint64 // 0 for an item given back, so it leads its equals
}

func (p *priority[T]) len() int { return len(p.h) }
func (p *priority[T]) peek() T  { return p.h[0].v }

func (p *priority[T]) before(i, j int) bool {
	a, b := p.h[i], p.h[j]
	if p.less(a.v, b.v) {
		return true
	}
	if p.less(b.v, a.v) {
		return false
	}
	return a.seq < b.seq
}

func (p *priority[T]) push(v T) {
	p.seq++
	p.insert(prioItem[T]{v: v, seq: p.seq})
}

func (p *priority[T]) pushBack(v T) { p.insert(prioItem[T]{v: v}) }

func (p *priority[T]) insert(it prioItem[T]) {
	p.h = append(p.h, it)
	for i := len(p.h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !p.before(i, parent) {
			break
		}
		p.h[i], p.h[parent] = p.h[parent], p.h[i]
		i = parent
	}
}

func (p *priority[T]) pop() T {
	v := p.h[0].v
	last := len(p.h) - 1
	p.h[0] = p.h[last]
	p.h[last] = prioItem[T]{}
	p.h = p.h[:last]
	for i := 0; ; {
		least := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(p.h) && p.before(c, least) {
				least = c
			}
		}
		if least == i {
			break
		}
		p.h[i], p.h[least] = p.h[least], p.h[i]
		i = least
	}
	return v
}

// This file holds the run queue and the policy that orders it.

package rt

import (
	"math/rand/v2"
	"sync/atomic"
)

// runItem is one entry of a hub's run queue: resume (or start) a greenlet
// with a value, or run a callback in the hub.
type runItem struct {
	g   *Greenlet  // greenlet to switch to; nil for a callback
	v   any        // what g's pending switch returns
	fn  func()     // callback run in the hub when g is nil; must not block
	why waitResult // for a woken waiter: why its wait ended (else waitPending)
}

// runQueue is a growable ring buffer of run items, oldest first.
type runQueue struct {
	buf  []runItem
	head int
	n    int
	// nonEmpty mirrors n > 0 for the blocking monitor, which reads it from
	// another goroutine; it is stored only when that changes.
	nonEmpty atomic.Bool
}

func (q *runQueue) len() int { return q.n }

// at returns the i-th oldest item, in [0, q.n).
func (q *runQueue) at(i int) *runItem { return &q.buf[(q.head+i)%len(q.buf)] }

func (q *runQueue) push(it runItem) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.n)%len(q.buf)] = it
	q.n++
	if q.n == 1 {
		q.nonEmpty.Store(true)
	}
}

// pushFront makes it the oldest item, the next one taken at index 0.
func (q *runQueue) pushFront(it runItem) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.head = (q.head - 1 + len(q.buf)) % len(q.buf)
	q.buf[q.head] = it
	q.n++
	if q.n == 1 {
		q.nonEmpty.Store(true)
	}
}

func (q *runQueue) grow() {
	size := 2 * len(q.buf)
	if size == 0 {
		size = 16
	}
	buf := make([]runItem, size)
	for i := 0; i < q.n; i++ {
		buf[i] = q.buf[(q.head+i)%len(q.buf)]
	}
	q.buf, q.head = buf, 0
}

// take removes and returns the i-th oldest item. Removing from the middle
// moves the head item into the hole, so picks other than the oldest do not
// preserve FIFO order among the rest; only a seeded policy asks for them.
func (q *runQueue) take(i int) runItem {
	hole := (q.head + i) % len(q.buf)
	it := q.buf[hole]
	if i != 0 {
		q.buf[hole] = q.buf[q.head]
	}
	q.buf[q.head] = runItem{}
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	if q.n == 0 {
		q.nonEmpty.Store(false)
		if len(q.buf) > maxIdleRunQueue {
			// A burst (10,000 connections accepted at once) grew the
			// buffer; a hub whose greenlets are all parked keeps none of
			// it, and the next burst grows a new one.
			q.buf, q.head = nil, 0
		}
	}
	return it
}

// maxIdleRunQueue is the most items' room an empty run queue keeps.
const maxIdleRunQueue = 1024

// Policy decides every choice a hub makes among things that are ready:
// which runnable item runs next, and the order in which a select polls its
// cases, and so which ready case it proceeds with. The default policy,
// [FIFO], takes the run queue's first item, and the queue keeps Go's
// order: Spawn's greenlets start in spawn order and gevent's waitables
// wake oldest first, as in gevent, while go statements and the channel and
// sync operations of rewritten code put the greenlet they start or wake
// first, as Go's runnext; a select picks uniformly at random, as Go's
// does. A seeded policy makes every choice a function of the seed, which
// is how schedules are explored and replayed; a policy that keeps per-greenlet state (PCT's priorities)
// sees which greenlet each item resumes and why.
type Policy interface {
	// Pick returns the index, in [0, q.Len()), of the next item to run
	// among the runnable ones, oldest first. q.Len() is at least 1.
	Pick(q Runnables) int
	// PickCase is one step of the shuffle that orders the cases of a
	// select of g for polling, as the runtime's selectgo orders them
	// (inside-out Fisher-Yates): the n-th case in source order takes
	// position j, in [0, n), of the order so far, and the one there moves
	// to the end. The first ready case in the final order proceeds. n is
	// at least 2.
	PickCase(g *Greenlet, n int) int
}

// Runnables is what a [Policy] sees of a hub's run queue. It is valid only
// during the Pick it is passed to.
type Runnables struct {
	q       *runQueue
	yielded *Greenlet
}

// Yielded returns the index of the greenlet that has just passed a
// scheduling point of -yield=sync and would go on if the schedule did not
// switch, or -1 when the pick follows no such point (a greenlet blocked,
// or yielded on purpose with Gosched).
func (r Runnables) Yielded() int {
	if r.yielded == nil {
		return -1
	}
	for i := r.q.n - 1; i >= 0; i-- {
		if r.q.at(i).g == r.yielded {
			return i
		}
	}
	return -1
}

// Default returns the pick that switches nothing: the greenlet that has
// just passed a scheduling point goes on, else the oldest runnable item
// (gevent's FIFO order).
func (r Runnables) Default() int { return max(r.Yielded(), 0) }

// number returns the number on its hub of the greenlet item i resumes, 0
// for a hub callback: how a decisions file names a pick.
func (r Runnables) number(i int) int {
	if g := r.q.at(i).g; g != nil {
		return int(g.num)
	}
	return 0
}

// find returns the index of the first item that resumes the greenlet
// numbered num (0: the first hub callback), or -1.
func (r Runnables) find(num int) int {
	for i := range r.q.n {
		if r.number(i) == num {
			return i
		}
	}
	return -1
}

// Len returns the number of runnable items.
func (r Runnables) Len() int { return r.q.n }

// At returns the i-th oldest runnable item.
func (r Runnables) At(i int) Runnable {
	it := r.q.at(i)
	ru := Runnable{Greenlet: it.g}
	switch {
	case it.g == nil:
		ru.Reason = WakeCallback
	case it.g.state == stateFresh:
		ru.Reason = WakeStart
	case it.why == waitFired:
		ru.Reason = WakeFired
	case it.why == waitTimedOut:
		ru.Reason = WakeTimedOut
	case it.why == waitCancelled:
		ru.Reason = WakeCancelled
	default:
		ru.Reason = WakeResume
	}
	return ru
}

// A Runnable is one item of a hub's run queue, as a [Policy] sees it.
type Runnable struct {
	Greenlet *Greenlet  // the greenlet it starts or resumes; nil for a hub callback
	Reason   WakeReason // why it is runnable
}

// WakeReason says why a run-queue item is runnable.
type WakeReason uint8

const (
	WakeResume    WakeReason = iota // a yield (Sleep(0), Gosched) or a Switch
	WakeStart                       // a greenlet that has not run yet
	WakeFired                       // a wait whose object handed over (a receive, a lock, an event)
	WakeTimedOut                    // a wait whose deadline passed (a Sleep)
	WakeCancelled                   // a wait whose context was done
	WakeCallback                    // a hub callback (timers, reports from outside)
)

// FIFO is the default policy: always the first runnable item, and a
// uniformly random ready select case. A hub with this policy keeps its run
// queue in Go's order: oldest first, but a go statement's greenlet and one
// woken by a channel or sync operation of rewritten code first, as Go's
// runnext (see [Go]).
type FIFO struct{}

// Pick implements [Policy].
func (FIFO) Pick(Runnables) int { return 0 }

// PickCase implements [Policy] with the runtime's fast source, as Go's
// select does.
func (FIFO) PickCase(_ *Greenlet, n int) int { return rand.IntN(n) }

// Seeded picks uniformly among the runnable items with a deterministic
// pseudo-random sequence, so one seed always gives one schedule.
type Seeded struct {
	state uint64
}

// NewSeeded returns a policy whose choices are a function of seed alone.
func NewSeeded(seed uint64) *Seeded { return &Seeded{state: seed} }

// Pick implements [Policy].
func (s *Seeded) Pick(q Runnables) int { return s.next(q.Len()) }

// PickCase implements [Policy] from the same sequence as Pick, so that a
// seed fixes every select's choice too.
func (s *Seeded) PickCase(_ *Greenlet, n int) int { return s.next(n) }

// next returns the next number in [0, n) of the sequence.
func (s *Seeded) next(n int) int { return int(s.next64() % uint64(n)) }

// next64 returns the next number of the sequence, with splitmix64, which
// is tiny, fast and has no bad seeds.
func (s *Seeded) next64() uint64 {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

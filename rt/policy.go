// This file holds the run queue and the policy that orders it.

package rt

import "sync/atomic"

// runItem is one entry of a hub's run queue: resume (or start) a greenlet
// with a value, or run a callback in the hub.
type runItem struct {
	g  *Greenlet // greenlet to switch to; nil for a callback
	v  any       // what g's pending switch returns
	fn func()    // callback run in the hub when g is nil; must not block
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
	}
	return it
}

// Policy decides which runnable item a hub runs next. The default policy is
// gevent's FIFO order: spawned greenlets start in spawn order and woken
// waiters run in the order they were woken. A seeded policy makes the order a
// function of the seed, which is how schedules are explored and replayed.
type Policy interface {
	// Pick returns the index, in [0, n), of the next item to run among the n
	// runnable ones, oldest first. n is at least 1.
	Pick(n int) int
}

// FIFO is the default policy: always the oldest runnable item.
type FIFO struct{}

// Pick implements [Policy].
func (FIFO) Pick(int) int { return 0 }

// Seeded picks uniformly among the runnable items with a deterministic
// pseudo-random sequence, so one seed always gives one schedule.
type Seeded struct {
	state uint64
}

// NewSeeded returns a policy whose choices are a function of seed alone.
func NewSeeded(seed uint64) *Seeded { return &Seeded{state: seed} }

// Pick implements [Policy] with splitmix64, which is tiny, fast and has no
// bad seeds.
func (s *Seeded) Pick(n int) int {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return int(z % uint64(n))
}

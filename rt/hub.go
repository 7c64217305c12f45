// This file holds the hub: the event loop that every greenlet of one
// goroutine switches to when it blocks.

package rt

import (
	"sync"
	"sync/atomic"
	"time"
)

// Hub is the event loop of one goroutine, as gevent's hub is the loop of one
// thread. It owns a FIFO run queue, a timer heap, a thread-safe inbox through
// which other goroutines wake it, and the live greenlets it schedules.
//
// A hub is made lazily for each goroutine that enters rt; that goroutine is
// its root and runs its main greenlet. Only one greenlet of a hub runs at a
// time, and the hub decides which: that is what makes a program on one hub
// reproducible.
//
// The hub's own greenlet does not have a coroutine. It runs inline on the root
// goroutine: switching to the hub is one coroutine switch back to the root
// goroutine, which runs the loop and resumes the next greenlet with one more.
//
// Invariants: every field below running is touched only by the goroutine
// currently running for the hub (the root, or the coroutine of the current
// greenlet), except inbox, which any goroutine may post to, and the atomics.
type Hub struct {
	root            *Greenlet // the main greenlet: the goroutine that entered rt
	hubg            *Greenlet // the hub's own greenlet, the parent of spawned ones
	current         *Greenlet
	running         runningWord // goroutine id of current, and a count of switches
	idling          atomic.Bool // blocked natively, waiting for the inbox or a timer
	liveCount       atomic.Int64
	mayProgress     atomic.Bool  // false while stuck waiting for other hubs
	blockedNatively atomic.Bool  // in a t.Run or t.Parallel (see blockNatively)
	scoped          atomic.Bool  // made by Run, or adopted by one, and not yet returned
	rootGoid        atomic.Int64 // the goroutine root runs on, for other hubs to read

	// carried says the goroutine that made the hub has returned from its
	// RunTest and another drives the hub for the greenlets that outlive
	// the test (see carry.go). Set before that goroutine starts.
	carried   bool
	carryDone atomic.Bool // set once a carried hub has no greenlet left

	testName atomic.Pointer[string] // the test RunTest runs on this hub, if any

	// The switch transfer: set by the switcher, taken by the target as soon
	// as it resumes.
	target   *Greenlet
	args     []any // a Switch's arguments: run(args...) when target starts
	val      any   // what target's pending Switch returns
	throwing any   // if not nil, target's pending Switch panics with it

	runq     runQueue
	policy   Policy // nil means FIFO
	clock    Clock
	timers   timerHeap
	timerSeq uint64
	inbox    inbox
	idler    idler       // the hub's one native wait: inbox, timer, fds
	fds      *poller     // the fds greenlets wait on (fdwait.go); made on the first such wait
	noFds    bool        // making fds failed: fd waits use helper goroutines
	idlers   []*Greenlet // waiting in Idle for the run queue to empty
	tick     uint

	// syncYields makes every synchronising operation a scheduling point
	// (yield.go); set by WithSyncYields before the hub runs.
	syncYields bool
	// yielded is the greenlet that a scheduling point of its own put
	// back on the run queue, until the next pick: the one that goes on
	// when the schedule does not switch (Runnables.Yielded).
	yielded *Greenlet
	// runnext is the greenlet pushNext last put at the front of the run
	// queue, while it may still be there (check that it is).
	runnext *Greenlet
	// plainOrder keeps the run queue oldest first, without runnext: the
	// policy is not a FIFO one (goOrder). Set with the policy.
	plainOrder bool
	// clockStep is how far each Now moves a virtual clock (clockstep.go).
	clockStep time.Duration

	// testClock is the test binary's clock, when the hub is on it (see
	// testclock.go, which owns the tc fields: they are guarded by its
	// lock).
	testClock      *testClock
	tcParked       bool          // waiting in the idler
	tcDeadline     time.Time     // when parked: the next timer's deadline, or zero
	tcHolds        bool          // when parked: an outside wake-up holds time still
	tcIO           bool          // when parked: an I/O wait is out
	tcParkedAt     time.Time     // when parked with tcIO: idle since when
	tcIOSwitch     uint64        // running's word at tcParkedAt
	tcGrace        time.Duration // when parked with tcIO: ioGrace, or ioBusyGrace
	tcIOEnded      uint64        // ioEnded when the last grace began
	tcCarried      bool          // the hub's test has returned (carry.go)
	tcRunningSince time.Time     // when not parked: since when

	freeCoroutines []*coroutine

	// externals counts wake-ups that will arrive through the inbox from
	// outside the hub (offloaded calls, context watchers, foreign waits).
	// While it is above zero the hub may block natively; at zero, with
	// nothing runnable, no timer and no shared waitq, it is deadlocked.
	externals int
	ioWaits   int // of externals, the I/O waits (see expectOutsideIO)
	// ioEnded counts the I/O waits that have ended: while it moves, data
	// is flowing, and a test clock gives the waits a longer grace.
	ioEnded uint64
	// of externals, the I/O waits with a deadline (expectOutsideIODeadline)
	ioDeadlineWaits int
	// of externals, the greenlets waiting in t.Run (expectOutsideSubtest)
	subtestWaits int

	live      greenletList // every greenlet of this hub that has not died
	greenlets uint32       // greenlets made so far, the main one included: numbers them

	// recordSites makes the hub note where its greenlets, channels and
	// sync values were made, and who holds its locks, for reports (a
	// test's hub: see WithReports).
	recordSites bool
}

// An Option configures a hub made by [Run].
type Option func(*Hub)

// WithPolicy makes the hub order its run queue with p instead of FIFO.
func WithPolicy(p Policy) Option {
	return func(h *Hub) { h.policy, h.plainOrder = p, !isFIFO(p) }
}

// WithClock makes the hub read time from c.
func WithClock(c Clock) Option { return func(h *Hub) { h.clock = c } }

// WithReports makes the hub note, for its deadlock and leak reports,
// where each greenlet was started (the go statement or Spawn), where each
// channel was made and each sync value first used, and which greenlet
// holds each lock since which step. Tests' hubs have it; it costs about
// 350 ns a spawn.
func WithReports() Option {
	return func(h *Hub) {
		h.recordSites = true
		reportHolds.Store(true)
	}
}

// WithVirtualClock gives the hub a virtual clock starting at [DefaultEpoch].
func WithVirtualClock() Option {
	return func(h *Hub) { h.clock = NewVirtualClock(DefaultEpoch) }
}

func newHub(rootGoid int64) *Hub {
	h := &Hub{clock: realClock{}, idler: newChanIdler()}
	h.mayProgress.Store(true)
	h.rootGoid.Store(rootGoid)
	h.greenlets = 1
	h.root = &Greenlet{hub: h, state: stateActive, goid: rootGoid, id: nextGreenletID(), num: 1}
	h.hubg = &Greenlet{hub: h, state: stateActive, goid: rootGoid, id: nextGreenletID()}
	h.root.parent = nil
	h.hubg.parent = h.root
	h.live.add(h.root)
	h.liveCount.Store(1)
	h.current = h.root
	h.running.set(rootGoid)
	allHubs.Store(h, struct{}{})
	startMonitor()
	return h
}

// allHubs holds every hub, for the blocking monitor.
var allHubs sync.Map // *Hub -> struct{}

// Run runs fn as the main greenlet of a new hub on the calling goroutine and
// returns when fn returns. Options choose the policy and clock. Greenlets
// that fn spawned and that are still alive when it returns are abandoned
// with the hub, as goroutines are when main returns; their coroutines stay
// parked. The hub's pool of finished coroutines is released.
//
// A hub that the goroutine got lazily before Run (a go statement in an init
// function) is adopted rather than nested, when no options are given: its
// greenlets run beside fn. A goroutine already in a
// hub runs the new hub nested: the outer hub's greenlets wait until fn
// returns, as they would for any blocking call.
func Run(fn func(), opts ...Option) { run(fn, false, opts) }

// run is [Run]; with carry, greenlets still alive when fn returns go on
// running on a goroutine of their own ([RunTest]'s way, see carry.go), and
// run returns how many did.
func run(fn func(), carry bool, opts []Option) (carried int) {
	id := currentGoid()
	var outer *Hub
	if outer = hubOf(id); outer != nil {
		if !outer.scoped.Load() && outer.current == outer.root && len(opts) == 0 && outer.liveCount.Load() > 1 {
			// A hub made lazily on this goroutine before Run, by a go
			// statement in an init function or a package-level variable's
			// initialiser: adopt it, so the greenlets it already has run
			// beside fn, as goroutines started in init run beside main. A
			// lazy hub with no greenlet of its own is not adopted: a fresh
			// hub keeps channels it made waited on as shared with others.
			outer.scoped.Store(true)
			startMonitor() // after scoped: the monitor watches scoped hubs
			defer outer.scoped.Store(false)
			fn()
			return 0
		}
		outer.running.set(0) // the fast path must not match the outer hub
	}
	h := newHub(id)
	h.scoped.Store(true)
	startMonitor() // after scoped, which an exiting monitor looks at last
	for _, o := range opts {
		o(h)
	}
	registerRoot(id, h)
	lastHub.Store(h)
	defer func() {
		if carry && h.liveCount.Load() > 1 {
			carried = int(h.liveCount.Load()) - 1
			h.handOff()
		} else {
			h.releaseCoroutines()
			h.closePoller()
			allHubs.Delete(h)
			h.leaveTestClock()
		}
		lastHub.CompareAndSwap(h, nil)
		if outer != nil {
			registerRoot(id, outer)
			outer.running.set(id)
		} else {
			unregisterRoot(id)
		}
	}()
	fn()
	return 0
}

// leaveTestClock takes h, which has ended, off the test binary's clock, if
// it is on it.
func (h *Hub) leaveTestClock() {
	if h.testClock != nil {
		h.testClock.leave(h)
	}
}

// Now returns the current time on the calling greenlet's hub clock.
func Now() time.Time {
	h := currentHub()
	if syncYields.Load() {
		yieldNow(h, h.current)
	}
	return h.readClock()
}

// setRunning records that g now runs for h.
func (h *Hub) setRunning(g *Greenlet) {
	h.current = g
	h.running.set(g.goid)
}

// switchTo transfers control from cur, the running greenlet, to target, and
// returns what cur is resumed with. The caller has set h.args, h.val and
// h.throwing for target.
func (h *Hub) switchTo(cur, target *Greenlet) any {
	h.target = target
	switch cur {
	case h.hubg:
		panic("rt: cannot block or switch inside a hub callback")
	case h.root:
		h.drive()
	default:
		h.switchFromCoroutine(cur)
	}
	return h.receive()
}

// switchFromCoroutine hands control from cur, a greenlet with a coroutine,
// to h.target and returns when cur runs again.
//
// The coroutines of a hub form a stack: the root goroutine resumed the
// bottom one, and each above it was resumed by the one below, whose next
// call waits for it to yield. Only the top runs. A target that is not on
// the stack is resumed from here, one coroutine switch, and cur waits in
// that resume until the stack pops back to it; a target below cur (the hub
// loop and the main greenlet are always at the bottom, on the root) is
// reached by yielding, one switch per level. So a Switch between two
// greenlets costs one coroutine switch where a trampoline on the root costs
// two, and every push is undone by one pop, so the amortised cost never
// exceeds the trampoline's. The hub's own waits go through the root as
// before, which keeps the stack one deep for ordinary scheduling.
func (h *Hub) switchFromCoroutine(cur *Greenlet) {
	for {
		t := h.target
		if t == cur {
			h.setRunning(cur)
			return
		}
		if t != h.hubg && t != h.root && !t.onStack {
			h.setRunning(t)
			t.resume()
			continue // the stack has popped back to cur: see where to
		}
		cur.onStack = false
		cur.co.switchOut()
		return // resumed: whoever resumed cur has called setRunning(cur)
	}
}

// receive takes the value cur was resumed with, or panics with what was
// thrown into it.
func (h *Hub) receive() any {
	if p := h.throwing; p != nil {
		h.throwing, h.val, h.args = nil, nil, nil
		panic(p)
	}
	v := h.val
	h.val, h.args = nil, nil
	return v
}

// suspend switches from g to the hub until something resumes g.
func (h *Hub) suspend(g *Greenlet) { h.switchTo(g, h.hubg) }

// drive is the trampoline. It runs on the root goroutine while the main
// greenlet is switched away, resuming one greenlet after another (each
// resume returns when the coroutine stack it started pops back to the root)
// and running the hub loop when the hub is the target, until something
// switches back to the main greenlet.
func (h *Hub) drive() {
	for {
		t := h.target
		if t == h.hubg {
			// The loop runs on this goroutine and is not a greenlet that
			// can hold the hub, so skip setRunning's atomic store: a
			// Sleep(0) crosses here on every yield. running keeps the
			// id of a greenlet that is suspended and so cannot call rt; a
			// hub callback that calls rt takes the slower map lookup.
			h.current = t
			h.target = h.loop()
			continue
		}
		h.setRunning(t)
		if t == h.root {
			return
		}
		t.resume()
	}
}

// loop is the event loop. It runs run-queue items until one resumes a
// greenlet, which it returns as the next target; between items it takes in
// the inbox and fires due timers. With nothing to run it blocks natively
// until a timer or the inbox can make progress, or reports a deadlock to the
// main greenlet.
func (h *Hub) loop() *Greenlet {
	for {
		if h.inbox.pending.Load() {
			h.drainInbox()
		}
		if n := h.runq.len(); n > 0 {
			// Check timers every 64 items even when the queue never drains, so
			// greenlets that keep yielding cannot starve them.
			h.tick++
			if h.tick%64 == 0 {
				if h.testClock != nil && h.ioWaits+h.ioDeadlineWaits > 0 {
					h.testClock.catchUp(h) // busy with I/O, time still flows
				}
				h.fireDueTimers()
				if h.fds != nil && h.fds.parked > 0 {
					h.fds.poll() // nor can they starve greenlets waiting on fds
				}
			}
			i := 0
			if h.policy != nil {
				i = h.policy.Pick(Runnables{&h.runq, h.yielded})
			}
			if h.runnext != nil && h.runq.at(0).g == h.runnext {
				if i == 0 && n > 1 && h.tick%64 == 0 {
					// Greenlets that keep waking each other through the
					// front would starve the rest (Go's runtime preempts
					// such a pair when its time slice ends).
					i = 1
				} else if i == 0 {
					h.runnext = nil
				}
			}
			h.yielded = nil
			it := h.runq.take(i)
			if it.g == nil {
				it.fn()
				continue
			}
			if it.g.state == stateDead {
				continue
			}
			h.val, h.args = it.v, nil
			return it.g
		}
		if h.fireDueTimers() {
			continue
		}
		if len(h.idlers) > 0 {
			for _, g := range h.idlers {
				h.runq.push(runItem{g: g})
			}
			h.idlers = h.idlers[:0]
			continue
		}
		if g := h.idle(); g != nil {
			return g
		}
	}
}

// ready makes it runnable on h. from is the hub of the caller (nil for a
// goroutine that is not a greenlet): from h itself it goes straight onto the
// run queue, from anywhere else through the inbox.
func (h *Hub) ready(from *Hub, it runItem) {
	if from == h {
		h.runq.push(it)
		return
	}
	h.post(it)
}

// readyNext is ready for a greenlet woken by a channel or sync operation of
// rewritten code, which on a hub in Go's order (goOrder) runs next: when
// the greenlet that woke it blocks or yields, before the run queue's older
// items. That is what Go's runtime does with a goroutine readied so (its
// P's runnext), and what unchanged programs and tests have come to expect
// of it: x/net's TestTransportFailureErrorForHTTP1Response failed in 4 of
// 20 plain gopatch test runs while the request's goroutine, woken by the
// dial's close(done), queued behind the connection's read loop (which a
// server on another hub had already answered), and in none of 20 with
// this. From another hub it is ready's inbox post.
func (h *Hub) readyNext(from *Hub, it runItem) {
	if from != h || !h.goOrder() {
		h.ready(from, it)
		return
	}
	h.pushNext(it)
}

// pushNext puts it at the front of the run queue, as Go's runnext: the item
// an earlier pushNext put there, if it is still first, moves to the back.
func (h *Hub) pushNext(it runItem) {
	if h.runnext != nil && h.runq.len() > 0 && h.runq.at(0).g == h.runnext {
		h.runq.push(h.runq.take(0))
	}
	h.runnext = it.g
	h.runq.pushFront(it)
}

// goOrder reports whether h runs greenlets in Go's order: its policy is a
// FIFO one (no policy, FIFO, or a test's FIFO on the virtual clock). A
// seeded or replayed schedule keeps the plain queue order its choices index
// into. It is asked at every go statement and wake, so WithPolicy decides
// it once.
func (h *Hub) goOrder() bool { return !h.plainOrder }

// isFIFO reports whether p picks the run queue's first item always.
func isFIFO(p Policy) bool {
	switch p := p.(type) {
	case nil, FIFO, *FIFO, *seededFIFO:
		return true
	case *testPolicy:
		return isFIFO(p.Policy)
	}
	return false
}

// post adds it to h's inbox from any goroutine and wakes h if it is idle.
func (h *Hub) post(it runItem) {
	h.inbox.mu.Lock()
	h.inbox.items = append(h.inbox.items, it)
	h.inbox.pending.Store(true)
	h.inbox.mu.Unlock()
	h.idler.wake()
}

// drainInbox moves every posted item onto the run queue, oldest first.
func (h *Hub) drainInbox() {
	h.inbox.mu.Lock()
	items := h.inbox.items
	h.inbox.items = h.inbox.spare[:0]
	h.inbox.pending.Store(false)
	h.inbox.mu.Unlock()
	for i, it := range items {
		h.runq.push(it)
		items[i] = runItem{}
	}
	h.inbox.spare = items[:0]
}

// inbox is the only part of a hub other goroutines may touch.
type inbox struct {
	mu      sync.Mutex
	items   []runItem
	spare   []runItem
	pending atomic.Bool
}

// hasSharedWaits reports whether a greenlet of h waits on a queue that
// another hub also uses, and so may be woken from outside h.
func (h *Hub) hasSharedWaits() bool {
	for g := h.live.first; g != nil; g = g.liveNext {
		if w := g.waiting; w != nil && w.home != nil && w.home.shared.Load() {
			return true
		}
	}
	return false
}

// greenletList is an intrusive list of a hub's live greenlets.
type greenletList struct {
	first, last *Greenlet
}

func (l *greenletList) add(g *Greenlet) {
	g.livePrev, g.liveNext = l.last, nil
	if l.last == nil {
		l.first = g
	} else {
		l.last.liveNext = g
	}
	l.last = g
}

func (l *greenletList) remove(g *Greenlet) {
	if g.livePrev == nil {
		l.first = g.liveNext
	} else {
		g.livePrev.liveNext = g.liveNext
	}
	if g.liveNext == nil {
		l.last = g.livePrev
	} else {
		g.liveNext.livePrev = g.livePrev
	}
	g.livePrev, g.liveNext = nil, nil
}

// This file implements select in rewritten code: one Select call over
// SelectCases, after runtime/select.go's selectgo.

package rt

import (
	"math/rand/v2"
	"reflect"
	"sync/atomic"
	"time"
	"unsafe"
)

// Invariants:
//
//   - Select polls the cases in a uniformly random order (a permutation drawn
//     from the hub's Seeded policy if it has one, so seeded runs replay) and
//     takes the first that is ready: each ready case is equally likely.
//   - It holds the locks of every hub-owned channel of the select, taken in
//     increasing chanState address, each once, from the poll until its sudogs are
//     enqueued, so no transfer can slip between "none ready" and "parked".
//   - The sudogs of one blocked select share one claim, like selectDone: the
//     first waker to claim it does its case's transfer and wakes the
//     greenlet; every other waker skips the select's other sudogs, which the
//     greenlet unlinks when it resumes (or unwinds from a Kill).
//   - Foreign cases wait in one helper goroutine (reflect.Select plus a cancel
//     case). A helper commits a native operation before it can try the claim,
//     so it may commit only what can be undone: a receive (the value is
//     stashed for the channel's next rt receiver if the claim is lost). A
//     foreign send case of a select that also has hub-owned cases is instead
//     polled: the helper wakes the select to poll again, with backoff.
//   - A nil channel's case is never ready and never waits; with no other
//     case, Select blocks forever as Go's does.

// SelectCase is one case of a select statement, made by [SendCase] or
// [RecvCase] for [Select].
type SelectCase struct {
	c    unsafe.Pointer // the channel's hchan; nil for a nil channel
	ops  caseOps        // the element type's operations: a zero-size elemOps[T]
	send bool
	elem unsafe.Pointer // *T: the value to send, or where to store the one received (nil: drop it)
	ok   *bool          // where to store a receive's ok, or nil
}

// SendCase is the case `case ch <- v:`; v is evaluated when the case is
// made, as Go evaluates it on entry to the select.
func SendCase[T any](ch chan<- T, v T) SelectCase {
	p := new(T)
	*p = v
	return SelectCase{c: chanPtr(ch), ops: elemOps[T]{}, send: true, elem: unsafe.Pointer(p)}
}

// SendCaseTo returns SendCase bound to ch: gopatchrt.SendCaseTo(ch)(v) is
// what the rewriter emits for `case ch <- v:` when v's type is assignable
// to ch's element type without being identical to it, which SendCase's
// type inference cannot reconcile (see [SendTo]).
func SendCaseTo[T any](ch chan<- T) func(T) SelectCase {
	return func(v T) SelectCase { return SendCase(ch, v) }
}

// RecvCase is the case `case x, ok := <-ch:`; the received value is stored
// in *v and ok in *ok if the case is chosen. Either may be nil.
func RecvCase[T any](ch <-chan T, v *T, ok *bool) SelectCase {
	return SelectCase{c: chanPtr(ch), ops: elemOps[T]{}, elem: unsafe.Pointer(v), ok: ok}
}

// Select runs a select statement over cases and returns the index of the
// case that proceeded, or -1 for the default case, which exists if
// hasDefault. It picks uniformly among the ready cases; with none ready it
// returns -1 if there is a default and otherwise parks the calling greenlet
// until one is. A select with no cases (or only nil channels) and no
// default blocks forever.
func Select(hasDefault bool, cases ...SelectCase) int {
	h, g := current()
	yieldPointAt(h, g)
	for round := 0; ; round++ {
		if i, done := selectgo(h, g, hasDefault, cases, round); done {
			return i
		}
	}
}

// selectgo is one attempt at a select. It reports done false when the
// select must start over: a parked sender lost its buffer slot to a native
// sender, or a polled foreign send case may have become ready.
func selectgo(h *Hub, g *Greenlet, hasDefault bool, cases []SelectCase, round int) (int, bool) {
	// pass 0 - the poll order, and the state of each channel.
	var orderBuf [8]uint16
	var stBuf [8]*chanState
	order := orderBuf[:0]
	sts := stBuf[:0]
	if len(cases) > len(stBuf) {
		order = make([]uint16, 0, len(cases))
		sts = make([]*chanState, 0, len(cases))
	}
	nforeign := 0
	for i := range cases {
		c := &cases[i]
		var st *chanState
		if c.c != nil {
			if st = lookupChan(c.c); st == nil {
				nforeign++
			}
			// Inside-out Fisher-Yates, as selectgo builds pollorder.
			order = append(order, uint16(i))
			j := selectRand(h, len(order))
			order[len(order)-1], order[j] = order[j], uint16(i)
		}
		sts = append(sts, st)
	}
	if len(order) == 0 {
		if hasDefault {
			return -1, true
		}
		what := "select (no cases)"
		if len(cases) > 0 {
			what = "select"
		}
		blockForever(h, g, what)
	}

	// pass 1 - lock every hub-owned channel, in lock order.
	var lockBuf [8]*chanState
	locks := lockBuf[:0]
	for _, st := range sts {
		if st != nil {
			locks = append(locks, st)
		}
	}
	sortLocks(locks)
	lockAll(locks)

	// pass 2 - take the first ready case in poll order.
	for _, i := range order {
		c := &cases[i]
		done, closed := c.ops.poll(c, sts[i], h)
		if closed {
			unlockAll(locks)
			c.ops.panicSendClosed(c)
		}
		if done {
			unlockAll(locks)
			return int(i), true
		}
	}
	if hasDefault {
		unlockAll(locks)
		return -1, true
	}
	return selectPark(h, g, cases, sts, locks, nforeign, round)
}

// selectPark enqueues a sudog on every hub-owned case and starts a helper
// for the foreign ones, drops the locks pass 1 took, and parks g until one
// case proceeds.
func selectPark(h *Hub, g *Greenlet, cases []SelectCase, sts []*chanState, locks []*chanState, nforeign int, round int) (int, bool) {
	// pass 3 - enqueue.
	claim := new(atomic.Bool)
	var wsBuf [8]*waiter
	ws := wsBuf[:0]
	if len(cases) > len(wsBuf) {
		ws = make([]*waiter, 0, len(cases))
	}
	var primary *waiter // the waiter park watches; a Kill fires it
	for i := range cases {
		c := &cases[i]
		var w *waiter
		if st := sts[i]; st != nil {
			w = c.ops.enqueue(c, st, h, g, claim, i)
			if primary == nil || w.home.shared.Load() {
				primary = w // a queue other hubs use, for the deadlock check
			}
		}
		ws = append(ws, w)
	}
	var fs *foreignSelect
	if nforeign > 0 {
		primary = &waiter{g: g, hub: h, what: "select", claim: claim}
		fs = startForeignSelect(h, cases, sts, primary, len(locks) > 0, round)
	}
	unlockAll(locks)
	defer func() {
		// Also on a Kill: no sudog may outlive the wait, nor the helper.
		for _, w := range ws {
			if w != nil {
				w.unlink()
			}
		}
		if fs != nil {
			fs.forgetStashed()
			close(fs.cancel)
		}
	}()
	h.park(g, primary, -1, nil)

	// pass 4 - find out which case proceeded.
	if fs != nil && fs.won {
		if fs.chosen < 0 {
			return 0, false // poll again
		}
		c := &cases[fs.chosen]
		c.ops.deliver(c, fs.recv, fs.recvOK)
		return fs.chosen, true
	}
	for i, w := range ws {
		if w == nil || !w.fired {
			continue
		}
		c := &cases[i]
		switch c.ops.finish(c, w) {
		case sgRetry:
			return 0, false
		case sgClosed:
			if c.send {
				c.ops.panicSendClosed(c)
			}
		}
		return i, true
	}
	panic("rt: select woken with no case chosen")
}

// selectRand returns where the n-th case of a select of the current
// greenlet goes in its poll order: the hub's policy decides (uniformly at
// random by default, as Go's select).
func selectRand(h *Hub, n int) int {
	if n == 1 {
		return 0
	}
	if h.policy != nil {
		return h.policy.PickCase(h.current, n)
	}
	return rand.IntN(n)
}

// sortLocks sorts the states of the hub-owned cases by address: the lock
// order. Selects are small, so insertion sort.
func sortLocks(locks []*chanState) {
	for i := 1; i < len(locks); i++ {
		for j := i; j > 0 && uintptr(unsafe.Pointer(locks[j])) < uintptr(unsafe.Pointer(locks[j-1])); j-- {
			locks[j], locks[j-1] = locks[j-1], locks[j]
		}
	}
}

// lockAll locks each state once; equal states are adjacent after sorting.
func lockAll(locks []*chanState) {
	for i, st := range locks {
		if i == 0 || st != locks[i-1] {
			st.lock.Lock()
		}
	}
}

func unlockAll(locks []*chanState) {
	for i := len(locks) - 1; i >= 0; i-- {
		if i == 0 || locks[i] != locks[i-1] {
			locks[i].lock.Unlock()
		}
	}
}

// caseOps are the operations of a select case that depend on the element
// type. elemOps[T] implements it with no state, so storing one in a
// SelectCase allocates nothing.
type caseOps interface {
	// poll does the case's operation if it can proceed now; st is the
	// channel's state, locked, or nil for a foreign channel.
	poll(c *SelectCase, st *chanState, h *Hub) (done, closed bool)
	// enqueue parks a sudog for the case in st's queue; st is locked.
	enqueue(c *SelectCase, st *chanState, h *Hub, g *Greenlet, claim *atomic.Bool, i int) *waiter
	// finish completes the case whose sudog w was woken.
	finish(c *SelectCase, w *waiter) sudogState
	panicSendClosed(c *SelectCase)
	// reflectCase describes a foreign case for the helper's reflect.Select.
	reflectCase(c *SelectCase) reflect.SelectCase
	// deliver stores what the helper received for a recv case.
	deliver(c *SelectCase, v reflect.Value, ok bool)
	// stash keeps a value the helper received from the channel c after the
	// select had ended.
	stash(c unsafe.Pointer, v reflect.Value)
}

type elemOps[T any] struct{}

func (elemOps[T]) poll(c *SelectCase, st *chanState, h *Hub) (done, closed bool) {
	ch := bidi[T](c.c)
	if c.send {
		v := *(*T)(c.elem)
		if st != nil {
			return sendLocked(st, ch, v, h)
		}
		return trySend(ch, v)
	}
	var v T
	var ok bool
	if st != nil {
		v, ok, done = recvLocked(st, ch, h)
	} else if x, stashed := takeStashed(c.c); stashed {
		v, ok, done = x.(T), true, true
	} else {
		select {
		case v, ok = <-ch:
			done = true
		default:
		}
	}
	if done {
		storeRecv(c, v, ok)
	}
	return done, false
}

func storeRecv[T any](c *SelectCase, v T, ok bool) {
	if c.elem != nil {
		*(*T)(c.elem) = v
	}
	if c.ok != nil {
		*c.ok = ok
	}
}

func (elemOps[T]) enqueue(c *SelectCase, st *chanState, h *Hub, g *Greenlet, claim *atomic.Bool, i int) *waiter {
	s := &sudog[T]{}
	s.g, s.hub, s.what, s.claim, s.index = g, h, "select", claim, int32(i)
	if c.send {
		s.elem = *(*T)(c.elem)
		st.sendq.enqueue(&s.waiter, &st.lock)
	} else {
		st.recvq.enqueue(&s.waiter, &st.lock)
	}
	return &s.waiter
}

func (elemOps[T]) finish(c *SelectCase, w *waiter) sudogState {
	s := sudogOf[T](w)
	if !c.send {
		storeRecv(c, s.elem, s.ok)
	}
	return s.state
}

func (elemOps[T]) panicSendClosed(c *SelectCase) { panicSendClosed(bidi[T](c.c)) }

func (elemOps[T]) reflectCase(c *SelectCase) reflect.SelectCase {
	ch := reflect.ValueOf(bidi[T](c.c))
	if c.send {
		return reflect.SelectCase{Dir: reflect.SelectSend, Chan: ch, Send: reflect.ValueOf(*(*T)(c.elem))}
	}
	return reflect.SelectCase{Dir: reflect.SelectRecv, Chan: ch}
}

func (elemOps[T]) deliver(c *SelectCase, v reflect.Value, ok bool) {
	if c.send {
		return
	}
	var x T
	if ok {
		x = v.Interface().(T)
	}
	storeRecv(c, x, ok)
}

func (elemOps[T]) stash(c unsafe.Pointer, v reflect.Value) {
	stash(bidi[T](c), v.Interface().(T))
}

// foreignSelect is the helper of a select's foreign cases. Its fields are
// written by the helper's report, which runs on the hub.
type foreignSelect struct {
	cancel chan struct{}
	won    bool          // the report claimed the select
	chosen int           // the case the helper completed, or -1: poll again
	recv   reflect.Value // what it received
	recvOK bool

	stashWaiters []*stashWaiter // one a foreign receive case
	stashChans   []unsafe.Pointer
}

// awaitStashed makes each foreign receive case of the select, whose helper
// is about to start, a taker of values stashed for its channel meanwhile
// (by the helper of an earlier wait), which the helper would never see.
func (fs *foreignSelect) awaitStashed(h *Hub, w *waiter, fcs []foreignCase, rcs []reflect.SelectCase) {
	for k, fc := range fcs {
		if fc.index < 0 || fc.send {
			continue
		}
		elem := rcs[k].Chan.Type().Elem()
		sw := &stashWaiter{w: w, deliver: func(v any) {
			x := reflect.New(elem).Elem()
			if v != nil {
				x.Set(reflect.ValueOf(v))
			}
			fs.won, fs.chosen, fs.recv, fs.recvOK = true, fc.index, x, true
		}}
		fs.stashWaiters = append(fs.stashWaiters, sw)
		fs.stashChans = append(fs.stashChans, fc.c)
		awaitStashed(h, fc.c, sw)
	}
}

// forgetStashed undoes awaitStashed once the select is over.
func (fs *foreignSelect) forgetStashed() {
	for i, sw := range fs.stashWaiters {
		forgetStashed(fs.stashChans[i], sw)
	}
}

// startForeignSelect starts the helper goroutine for the foreign cases.
// With pollSends, foreign send cases are left out of the helper's select
// (it cannot undo a send) and it wakes w to poll again after a backoff.
func startForeignSelect(h *Hub, cases []SelectCase, sts []*chanState, w *waiter, pollSends bool, round int) *foreignSelect {
	fs := &foreignSelect{cancel: make(chan struct{})}
	var rcs []reflect.SelectCase
	var fcs []foreignCase
	polling := false
	for i := range cases {
		c := &cases[i]
		if c.c == nil || sts[i] != nil {
			continue
		}
		if c.send && pollSends {
			polling = true
			continue
		}
		rcs = append(rcs, c.ops.reflectCase(c))
		fcs = append(fcs, foreignCase{index: i, c: c.c, ops: c.ops, send: c.send})
	}
	rcs = append(rcs, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(fs.cancel)})
	fcs = append(fcs, foreignCase{index: stopCase})
	if polling {
		// 50µs, doubling each round, at most 10ms.
		backoff := min(50*time.Microsecond<<min(round, 8), 10*time.Millisecond)
		rcs = append(rcs, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(time.After(backoff))})
		fcs = append(fcs, foreignCase{index: tickCase})
	}
	fs.awaitStashed(h, w, fcs, rcs)
	out := h.expectOutsideForeign()
	go func() {
		chosen, recv, recvOK, closed := reflectSelect(rcs)
		fc := fcs[chosen]
		out.post(func() {
			switch {
			case closed || fc.index == tickCase:
				// closed: a foreign send case's channel is closed; polling
				// again panics, as the select would.
				if w.tryClaim() {
					fs.won, fs.chosen = true, -1
					w.wakeGo(h, waitFired)
				}
			case fc.index == stopCase:
			case w.tryClaim():
				fs.won, fs.chosen, fs.recv, fs.recvOK = true, fc.index, recv, recvOK
				w.wakeGo(h, waitFired)
			case !fc.send && recvOK:
				fc.ops.stash(fc.c, recv)
			}
		})
	}()
	return fs
}

// foreignCase is what a helper's report needs of a select case: a copy, as
// the report may run after Select has returned.
type foreignCase struct {
	index int // the case's index, or stopCase or tickCase
	c     unsafe.Pointer
	ops   caseOps
	send  bool
}

const (
	stopCase = -1 // the helper's cancel case
	tickCase = -2 // the helper's poll timer
)

// reflectSelect is reflect.Select that reports a send on a closed channel
// instead of panicking.
func reflectSelect(rcs []reflect.SelectCase) (chosen int, recv reflect.Value, recvOK, closed bool) {
	defer func() {
		if recover() != nil {
			closed = true
		}
	}()
	chosen, recv, recvOK = reflect.Select(rcs)
	return chosen, recv, recvOK, false
}

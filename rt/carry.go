// This file carries a test's hub on after the test returns, so that the
// greenlets it started run until they return, as goroutines do.

package rt

// A Go goroutine runs until it returns, whoever started it and whether or
// not that one is still there. A test's greenlets are driven by the test's
// goroutine, which leaves when the test function returns: the pool a test
// started in package state, the janitor of a cache, a ticker would freeze
// there, and a later test that waits for them would hang.
//
// So when the main greenlet of a test's hub returns while other greenlets
// of the hub are alive, the hub moves to a goroutine of its own (coroutines
// may be resumed from any goroutine, one at a time): handOff starts it,
// and carryOn drives the hub there until its last greenlet has ended.
// Moving the whole hub, rather than its greenlets to a shared background
// hub, keeps every waiter, timer, run-queue item and channel queue
// pointing at the hub it was made for, and the policy and clock the test
// ran with deciding the order in which the greenlets it left go on.
//
// A carried hub never reports a deadlock: its test is over. Greenlets it
// holds that nothing can wake stay blocked, as goroutines do, in case a
// later test's hub wakes them through a channel they share; while they are
// so stuck the hub counts for nobody's progress, so the deadlock detector
// of a later test still reports a wait that only they could end.
//
// A program's main does not carry its hub on: returning from main ends the
// program.

// handOff starts the goroutine that carries h on. It runs on h's root
// goroutine, at the end of [RunTest], with the main greenlet running and
// every other greenlet suspended; after it that goroutine no longer runs h.
func (h *Hub) handOff() {
	h.carried = true
	if h.testClock != nil {
		h.testClock.carried(h)
	}
	h.running.set(0) // the caller's rt calls from here on are not h's
	go h.carryOn()
}

// carryOn becomes h's root goroutine and drives h until every greenlet but
// the main one has ended, then forgets h. The main greenlet's body has
// returned, so its role here is only to wait in the hub loop, as it does
// in any wait.
func (h *Hub) carryOn() {
	id := currentGoid()
	h.root.goid, h.hubg.goid = id, id
	h.rootGoid.Store(id)
	registerRoot(id, h)
	h.setRunning(h.root)
	h.suspend(h.root) // returns once idle finds nothing left to run
	h.releaseCoroutines()
	h.closePoller()
	allHubs.Delete(h)
	h.leaveTestClock()
	lastHub.CompareAndSwap(h, nil)
	unregisterRoot(id)
	h.carryDone.Store(true)
}

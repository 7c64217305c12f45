// Package rt is gopatch's cooperative runtime: greenlets on a hub, as in
// Python's greenlet and gevent, for Go.
//
// # The model
//
// A [Greenlet] is a function with its own stack that runs only when
// switched to. Each goroutine that enters rt gets a [Hub], made lazily, and
// becomes the hub's main greenlet; every greenlet it makes belongs to that
// hub, and only one of them runs at a time. A greenlet that would block (in
// [Sleep], [Greenlet.Join], [Event.Wait], a queue, an offloaded call)
// registers a waiter and switches to the hub; the hub runs its queue of
// runnable greenlets in Go's order (oldest first, but a go statement's
// greenlet and one woken by a channel or sync operation of rewritten code
// first, as Go's runnext; see [Go]), fires timers and takes in wake-ups from
// other goroutines, and switches back when the wait is over. Because the hub
// alone decides who runs next, a program on one hub is reproducible; with
// [WithVirtualClock] and a [Seeded] policy it is a function of the seed.
//
// Greenlets run on the runtime's coroutines: those behind [iter.Pull], or,
// in a program gopatch builds, the same coroutines without Pull's
// closures, which the patched iter hands rt. The hub is a
// trampoline on the main greenlet's goroutine: a wait is one coroutine
// switch to the trampoline and one to the next greenlet. A greenlet that
// switches to another directly resumes it itself, one coroutine switch, and
// waits in that resume until the switches come back down to it; any
// greenlet can still switch to any other.
//
// # Two kinds of caller
//
// Code rewritten by gopatch calls the operations that stand for Go's own
// blocking constructs: [Run] and [RunTest] for entry points, [Go] for go
// statements, [MakeChan], [Send], [Recv], [Close], [Range] and [Select] for
// channels, [MutexLock], [WaitGroupWait], [CondWait], [OnceDo] and their
// kin for package sync, [Sleep], [NewTimer], [NewTicker] and
// [ContextWithTimeout] and kin for time and context, [Recover] for
// recover(), and [Offload] for calls that cannot be cooperative. They keep
// Go's types and semantics: channels stay native channels, mutexes native
// mutexes, timers *time.Timer. People who want the gevent programming model
// call the rest: [NewGreenlet] and [Greenlet.Switch], [Spawn], [JoinAll],
// [Greenlet.Kill], [Timeout], [Event], [AsyncResult], [Queue], [Semaphore],
// [RLock], [Pool], [Group] and [Wait].
//
// Both kinds live in this one package on purpose. Rewritten code imports
// exactly one package, under one reserved name, and both kinds are thin
// layers over the same hub, waiters and greenlets, whose state stays
// unexported; an ABI package of its own (as gosim keeps gosimruntime apart
// from gosim) would need that state exported to it, or the gevent API
// moved out on top of an exported core. The operations for rewritten code
// are named after the Go construct they stand for, so go doc reads as two
// lists; the standard library's hooks (blockOffHub) are not exported at
// all, since the file that installs them joins this package. If the
// operations outgrow a list a person can skim, they move to a package of
// their own, and the rewriter's reserved import with them.
//
// # Goroutines that are no greenlet
//
// Code that was not rewritten (net/http's server, go test's main) may call
// rewritten code on a goroutine of its own. That goroutine gets a hub
// lazily, which runs only while the goroutine blocks in rt, so rt leaves
// nothing on it that must happen by itself: a go statement there starts a
// goroutine with a hub of its own, and timers and context deadlines made
// there are the standard library's. Only the main goroutine of a program
// keeps what its init functions start, for main's [Run] to adopt.
//
// # Schedules
//
// A hub's order comes from its [Policy] and its time from its [Clock]:
// [FIFO] and the real clock unless [Run] is given others. [RunTest] takes
// them from the environment that gopatch test -seeds sets ([SchedEnv],
// [ClockEnv] and the rest of package schedule's protocol): a [Seeded] or
// [PCT] policy whose seed mixes the run's seed with the test's name, and a
// [VirtualClock], so that one seed replays one schedule. With
// [WithSyncYields] (-yield=sync) every channel operation, lock, WaitGroup,
// Cond and Once operation and clock read is a scheduling point as well, so
// that greenlets that never block still give the policy a choice.
//
// # Blocking and deadlock
//
// A greenlet that runs too long without switching stalls its hub; a monitor
// reports it once with its stack ([SetMaxBlockingTime]). When the main
// greenlet waits and nothing can ever wake any greenlet of its hub, it
// panics with a [*DeadlockError] naming every greenlet and what it waits on,
// instead of hanging. Calls that cannot be made cooperative run on native
// goroutines with [Offload].
package rt

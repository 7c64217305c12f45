package rt_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

func TestMutexHandsOffFIFO(t *testing.T) {
	rt.Run(func() {
		var mu sync.Mutex
		rt.MutexLock(&mu)
		var order []int
		var gs []*rt.Greenlet
		for i := range 3 {
			gs = append(gs, rt.Spawn(func() any {
				rt.MutexLock(&mu)
				order = append(order, i)
				rt.Sleep(0)
				rt.MutexUnlock(&mu)
				return nil
			}))
		}
		rt.Sleep(0) // all three are parked in Lock now
		rt.MutexUnlock(&mu)
		// The lock went straight to the oldest waiter: it is still locked
		// natively, and the unlocker cannot take it back.
		if mu.TryLock() || rt.MutexTryLock(&mu) {
			t.Fatal("lock was free after Unlock with waiters queued")
		}
		rt.JoinAll(gs, -1)
		if fmt.Sprint(order) != "[0 1 2]" {
			t.Fatalf("order %v, want [0 1 2]", order)
		}
		if !mu.TryLock() {
			t.Fatal("lock not free natively after the last Unlock")
		}
		mu.Unlock()
	}, rt.WithVirtualClock())
}

func TestMutexExcludes(t *testing.T) {
	rt.Run(func() {
		var mu sync.Mutex
		inside, counter := 0, 0
		var gs []*rt.Greenlet
		for range 20 {
			gs = append(gs, rt.Spawn(func() any {
				for range 50 {
					rt.MutexLock(&mu)
					inside++
					if inside != 1 {
						t.Errorf("%d greenlets inside the lock", inside)
					}
					v := counter
					rt.Sleep(0) // let everybody else try
					counter = v + 1
					inside--
					rt.MutexUnlock(&mu)
				}
				return nil
			}))
		}
		rt.JoinAll(gs, -1)
		if counter != 1000 {
			t.Fatalf("counter = %d, want 1000", counter)
		}
	}, rt.WithVirtualClock())
}

func TestRWMutexWriterPreference(t *testing.T) {
	rt.Run(func() {
		var rw sync.RWMutex
		var events []string
		rt.RWMutexRLock(&rw)
		// A second reader gets in while no writer waits.
		if !rt.RWMutexTryRLock(&rw) {
			t.Fatal("TryRLock failed with only readers inside")
		}
		rt.RWMutexRUnlock(&rw)
		writer := rt.Spawn(func() any {
			rt.RWMutexLock(&rw)
			events = append(events, "writer in")
			rt.Sleep(time.Second)
			events = append(events, "writer out")
			rt.RWMutexUnlock(&rw)
			return nil
		})
		rt.Sleep(0) // the writer now waits for the main reader
		if rt.RWMutexTryRLock(&rw) {
			t.Fatal("TryRLock succeeded while a writer waits")
		}
		reader := rt.Spawn(func() any {
			rt.RWMutexRLock(&rw) // blocked: a writer is waiting
			events = append(events, "reader in")
			rt.RWMutexRUnlock(&rw)
			return nil
		})
		writer2 := rt.Spawn(func() any {
			rt.RWMutexLock(&rw)
			events = append(events, "writer2 in")
			rt.RWMutexUnlock(&rw)
			return nil
		})
		rt.Sleep(0)
		if len(events) != 0 {
			t.Fatalf("events before the reader left: %v", events)
		}
		rt.RWMutexRUnlock(&rw)
		rt.JoinAll([]*rt.Greenlet{writer, reader, writer2}, -1)
		// Go's order: the waiting writer first, then the reader that queued
		// behind it (a writer's Unlock admits waiting readers first), then
		// the second writer.
		want := "[writer in writer out reader in writer2 in]"
		if fmt.Sprint(events) != want {
			t.Fatalf("events %v, want %s", events, want)
		}
		if !rw.TryLock() {
			t.Fatal("RWMutex not free natively at the end")
		}
	}, rt.WithVirtualClock())
}

func TestWaitGroupWaitAndGo(t *testing.T) {
	rt.Run(func() {
		var wg sync.WaitGroup
		done := 0
		for i := range 5 {
			rt.WaitGroupGo(&wg, func() {
				rt.Sleep(time.Duration(i+1) * time.Second)
				done++
			})
		}
		rt.WaitGroupAdd(&wg, 1)
		rt.Spawn(func() any { rt.Sleep(10 * time.Second); rt.WaitGroupDone(&wg); return nil })
		start := rt.Now()
		rt.WaitGroupWait(&wg)
		if done != 5 || rt.Now().Sub(start) != 10*time.Second {
			t.Fatalf("Wait returned after %v with %d done", rt.Now().Sub(start), done)
		}
		wg.Wait() // the native counter is zero too: returns at once
		rt.WaitGroupWait(&wg)
	}, rt.WithVirtualClock())
}

func TestWaitGroupNegativeCounterPanics(t *testing.T) {
	rt.Run(func() {
		var wg sync.WaitGroup
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "negative WaitGroup counter") {
				t.Fatalf("recovered %v, want Go's negative counter panic", p)
			}
		}()
		rt.WaitGroupDone(&wg)
	})
}

func TestCondSignalAndBroadcast(t *testing.T) {
	rt.Run(func() {
		var mu sync.Mutex
		c := sync.NewCond(&mu)
		ready := 0
		var woke []int
		var gs []*rt.Greenlet
		for i := range 3 {
			gs = append(gs, rt.Spawn(func() any {
				rt.MutexLock(&mu)
				defer rt.MutexUnlock(&mu)
				for ready <= i {
					rt.CondWait(c)
				}
				woke = append(woke, i)
				return nil
			}))
		}
		rt.Sleep(0) // all three wait, and none holds mu
		if !rt.MutexTryLock(&mu) {
			t.Fatal("Cond.Wait did not unlock L")
		}
		ready = 1
		rt.MutexUnlock(&mu)
		rt.CondSignal(c) // wakes the oldest, greenlet 0
		rt.Sleep(0)
		if fmt.Sprint(woke) != "[0]" {
			t.Fatalf("after Signal: woke %v, want [0]", woke)
		}
		rt.MutexLock(&mu)
		ready = 3
		rt.CondBroadcast(c)
		rt.MutexUnlock(&mu)
		rt.JoinAll(gs, -1)
		// Broadcast readies 1 and then 2, each to run next: 2 runs first,
		// as in Go (testdata/diff/go_order).
		if fmt.Sprint(woke) != "[0 2 1]" {
			t.Fatalf("after Broadcast: woke %v, want [0 2 1]", woke)
		}
	}, rt.WithVirtualClock())
}

func TestOnceConcurrentCallersWait(t *testing.T) {
	rt.Run(func() {
		var o sync.Once
		calls := 0
		var order []string
		first := rt.Spawn(func() any {
			rt.OnceDo(&o, func() {
				calls++
				rt.Sleep(time.Second) // the second caller must wait for this
				order = append(order, "f done")
			})
			return nil
		})
		second := rt.Spawn(func() any {
			rt.OnceDo(&o, func() { calls++ })
			order = append(order, "second returned")
			return nil
		})
		rt.JoinAll([]*rt.Greenlet{first, second}, -1)
		if calls != 1 || fmt.Sprint(order) != "[f done second returned]" {
			t.Fatalf("calls %d, order %v", calls, order)
		}
		native := false
		o.Do(func() { native = true }) // unrewritten code sees o done
		if native {
			t.Fatal("native Once ran f again")
		}
		// A Once done natively is done for rt too.
		var o2 sync.Once
		o2.Do(func() {})
		rt.OnceDo(&o2, func() { t.Fatal("rt ran f of a natively done Once") })
	}, rt.WithVirtualClock())
}

func TestOnceFuncRepanics(t *testing.T) {
	rt.Run(func() {
		calls := 0
		f := rt.OnceFunc(func() { calls++; panic("boom") })
		v := rt.OnceValue(func() int { calls++; panic(errors.New("bad")) })
		vs := rt.OnceValues(func() (int, string) { calls++; return 7, "seven" })
		catch := func(fn func()) (p any) {
			defer func() { p = recover() }()
			fn()
			return nil
		}
		for range 2 {
			if p := catch(f); p != "boom" {
				t.Fatalf("OnceFunc panicked with %v, want boom", p)
			}
			if p := catch(func() { v() }); fmt.Sprint(p) != "bad" {
				t.Fatalf("OnceValue panicked with %v, want bad", p)
			}
			if a, b := vs(); a != 7 || b != "seven" {
				t.Fatalf("OnceValues = %v, %v", a, b)
			}
		}
		if calls != 3 {
			t.Fatalf("functions called %d times, want 3", calls)
		}
	})
}

func TestKillWhileParkedInLockUnlinks(t *testing.T) {
	rt.Run(func() {
		var mu sync.Mutex
		rt.MutexLock(&mu)
		victim := rt.Spawn(func() any {
			rt.MutexLock(&mu)
			t.Error("killed greenlet got the lock")
			return nil
		})
		rt.Sleep(0)
		victim.Kill()
		rt.MutexUnlock(&mu)
		if !mu.TryLock() {
			t.Fatal("the lock was handed to a killed greenlet")
		}
		mu.Unlock()
	}, rt.WithVirtualClock())
}

func TestDeadlockNamesMutexLock(t *testing.T) {
	rt.Run(func() {
		var mu sync.Mutex
		rt.MutexLock(&mu)
		defer func() {
			p := recover()
			var de *rt.DeadlockError
			if err, _ := p.(error); !errors.As(err, &de) {
				t.Fatalf("recovered %v, want a DeadlockError", p)
			}
			msg := de.Error()
			if !strings.Contains(msg, "main waiting on sync.Mutex.Lock at ") || !strings.Contains(msg, "sync_test.go:") {
				t.Fatalf("deadlock report does not name sync.Mutex.Lock and its line:\n%s", msg)
			}
		}()
		rt.MutexLock(&mu) // locks itself out: nothing can wake it
	}, rt.WithVirtualClock())
}

// A lock held natively by code that is not rewritten is waited out by the
// poller, and the wait is not mistaken for a deadlock.
func TestMutexHeldByUnrewrittenCode(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	release := make(chan struct{})
	go func() {
		<-release
		mu.Unlock()
	}()
	rt.Run(func() {
		got := false
		g := rt.Spawn(func() any {
			rt.MutexLock(&mu)
			got = true
			rt.MutexUnlock(&mu)
			return nil
		})
		rt.Sleep(0)
		if got {
			t.Fatal("Lock of a natively held mutex returned")
		}
		close(release)
		g.Join(-1)
		if !got {
			t.Fatal("Lock never returned")
		}
	}, rt.WithVirtualClock())
}

// A WaitGroup whose Adds and Dones unrewritten code makes is waited for
// natively by a helper.
func TestWaitGroupDoneByUnrewrittenCode(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	release := make(chan struct{})
	go func() {
		<-release
		wg.Done()
	}()
	rt.Run(func() {
		rt.Spawn(func() any { close(release); return nil })
		rt.WaitGroupWait(&wg)
	}, rt.WithVirtualClock())
}

func TestLockerDispatch(t *testing.T) {
	rt.Run(func() {
		var rw sync.RWMutex
		r := rw.RLocker()
		rt.LockerLock(r)
		rt.LockerLock(r) // two readers
		if rw.TryLock() {
			t.Fatal("RLocker's Lock did not take a read lock")
		}
		rt.LockerUnlock(r)
		rt.LockerUnlock(r)
		var mu sync.Mutex
		rt.LockerLock(&mu)
		if mu.TryLock() {
			t.Fatal("LockerLock did not lock the Mutex")
		}
		lock := rt.SyncMethod(rt.MutexUnlock)(&mu)
		lock()
		if !mu.TryLock() {
			t.Fatal("SyncMethod(MutexUnlock) did not unlock")
		}
	})
}

// Greenlets of two hubs (two goroutines in rt.Run) share one mutex: handoffs
// cross hubs through the inbox, and neither hub mistakes a wait for the
// other's Unlock for a deadlock.
func TestMutexSharedByTwoHubs(t *testing.T) {
	var mu sync.Mutex
	counter := 0
	var done sync.WaitGroup
	for range 2 {
		done.Add(1)
		go func() {
			defer done.Done()
			rt.Run(func() {
				var gs []*rt.Greenlet
				for range 5 {
					gs = append(gs, rt.Spawn(func() any {
						for range 200 {
							rt.MutexLock(&mu)
							v := counter
							rt.Sleep(0)
							counter = v + 1
							rt.MutexUnlock(&mu)
						}
						return nil
					}))
				}
				rt.JoinAll(gs, -1)
			})
		}()
	}
	done.Wait()
	if counter != 2000 {
		t.Fatalf("counter = %d, want 2000", counter)
	}
}

// A writer waiting for a reader of unrewritten code gets the lock when that
// reader leaves, through the poller; rt readers that come meanwhile queue
// behind the writer.
func TestRWMutexReaderOfUnrewrittenCode(t *testing.T) {
	var rw sync.RWMutex
	rw.RLock()
	release := make(chan struct{})
	go func() {
		<-release
		rw.RUnlock()
	}()
	rt.Run(func() {
		var events []string
		w := rt.Spawn(func() any {
			rt.RWMutexLock(&rw)
			events = append(events, "writer")
			rt.RWMutexUnlock(&rw)
			return nil
		})
		rt.Sleep(0)
		r := rt.Spawn(func() any {
			rt.RWMutexRLock(&rw)
			events = append(events, "reader")
			rt.RWMutexRUnlock(&rw)
			return nil
		})
		rt.Sleep(0)
		if len(events) != 0 {
			t.Fatalf("events %v while unrewritten code holds a read lock", events)
		}
		close(release)
		rt.JoinAll([]*rt.Greenlet{w, r}, -1)
		if fmt.Sprint(events) != "[writer reader]" {
			t.Fatalf("events %v, want [writer reader]", events)
		}
	}, rt.WithVirtualClock())
}

// A Cond whose L is an RWMutex's RLocker unlocks and relocks the read lock
// through rt.
func TestCondWithRLocker(t *testing.T) {
	rt.Run(func() {
		var rw sync.RWMutex
		c := sync.NewCond(rw.RLocker())
		ready := false
		g := rt.Spawn(func() any {
			rt.RWMutexRLock(&rw)
			for !ready {
				rt.CondWait(c)
			}
			rt.RWMutexRUnlock(&rw)
			return nil
		})
		rt.Sleep(0)
		rt.RWMutexLock(&rw) // possible only if Wait released the read lock
		ready = true
		rt.RWMutexUnlock(&rw)
		rt.CondSignal(c)
		g.Join(-1)
		if !rw.TryLock() {
			t.Fatal("read lock still held after the waiter left")
		}
	}, rt.WithVirtualClock())
}

// If f panics, Do panics in its caller, the Once is done, and callers that
// waited for f return without calling it, as in Go.
func TestOncePanicReleasesWaiters(t *testing.T) {
	rt.Run(func() {
		var o sync.Once
		first := rt.Spawn(func() any {
			defer func() { recover() }()
			rt.OnceDo(&o, func() { rt.Sleep(time.Second); panic("f failed") })
			return nil
		})
		second := rt.Spawn(func() any {
			ran := false
			rt.OnceDo(&o, func() { ran = true })
			return ran
		})
		rt.JoinAll([]*rt.Greenlet{first, second}, -1)
		if v, _ := second.Get(); v != false {
			t.Fatal("second caller ran f after the first one panicked")
		}
		ran := false
		o.Do(func() { ran = true })
		if ran {
			t.Fatal("native Once not done after f panicked")
		}
	}, rt.WithVirtualClock())
}

// A lock rt took and unrewritten code unlocked natively, while a greenlet
// waits in rt: the next rt Lock finds it free and serves the queue in order.
func TestMutexUnlockedNativelyCatchesUp(t *testing.T) {
	rt.Run(func() {
		var mu sync.Mutex
		rt.MutexLock(&mu)
		var order []string
		a := rt.Spawn(func() any {
			rt.MutexLock(&mu)
			order = append(order, "a")
			rt.MutexUnlock(&mu)
			return nil
		})
		rt.Sleep(0)
		mu.Unlock() // as unrewritten code would
		b := rt.Spawn(func() any {
			rt.MutexLock(&mu)
			order = append(order, "b")
			rt.MutexUnlock(&mu)
			return nil
		})
		rt.JoinAll([]*rt.Greenlet{a, b}, -1)
		if fmt.Sprint(order) != "[a b]" {
			t.Fatalf("order %v, want [a b]", order)
		}
	}, rt.WithVirtualClock())
}

// The first Lock of a fresh mutex that nobody contends makes no rt state
// (tests that count the allocations of a call, as jellydator/ttlcache's
// do, count none), and a contender that comes later still waits durably
// and gets the lock handed over.
func TestFreshMutexLockAllocatesNothing(t *testing.T) {
	mus := make([]sync.Mutex, 200)
	rws := make([]sync.RWMutex, 200)
	i := 0
	rt.Run(func() {
		n := testing.AllocsPerRun(100, func() {
			rt.MutexLock(&mus[i])
			rt.MutexUnlock(&mus[i])
			rt.RWMutexLock(&rws[i])
			rt.RWMutexUnlock(&rws[i])
			i++
		})
		if n != 0 {
			t.Errorf("locking a fresh mutex allocates %v times", n)
		}
		var mu sync.Mutex
		rt.MutexLock(&mu)
		got := false
		g := rt.Spawn(func() any { rt.MutexLock(&mu); got = true; rt.MutexUnlock(&mu); return nil })
		rt.Sleep(0)
		if got {
			t.Fatal("the contender took a held lock")
		}
		rt.MutexUnlock(&mu)
		g.Join(-1)
		if !got {
			t.Fatal("the contender never got the lock")
		}
	}, rt.WithVirtualClock())
}

package rt_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

func TestSemaphoreHandsPermitsToWaitersFIFO(t *testing.T) {
	rt.Run(func() {
		s := rt.NewSemaphore(1)
		s.Acquire()
		var order []int
		var gs []*rt.Greenlet
		for i := range 3 {
			gs = append(gs, rt.Spawn(func() any {
				s.Acquire()
				order = append(order, i)
				rt.Sleep(0)
				s.Release()
				return nil
			}))
		}
		rt.Sleep(0)
		s.Release()
		// The permit went straight to the oldest waiter: the releaser cannot
		// take it back (no barging).
		if s.TryAcquire() || s.Value() != 0 {
			t.Fatalf("permit was not handed off: TryAcquire succeeded or Value=%d", s.Value())
		}
		rt.JoinAll(gs, -1)
		if fmt.Sprint(order) != "[0 1 2]" || s.Value() != 1 {
			t.Fatalf("order %v, value %d", order, s.Value())
		}
	})
}

func TestSemaphoreTimeoutContextAndWait(t *testing.T) {
	rt.Run(func() {
		s := rt.NewSemaphore(0)
		if s.TryAcquire() || !s.Locked() {
			t.Fatal("TryAcquire on an empty semaphore succeeded")
		}
		start := rt.Now()
		if s.AcquireTimeout(time.Second) {
			t.Fatal("AcquireTimeout on an empty semaphore succeeded")
		}
		if s.Wait(time.Second) {
			t.Fatal("Wait on an empty semaphore succeeded")
		}
		if d := rt.Now().Sub(start); d != 2*time.Second {
			t.Fatalf("timed out after %v, want 2s", d)
		}
		ctx, cancel := context.WithCancel(context.Background())
		rt.Spawn(func() any { cancel(); return nil })
		if err := s.AcquireContext(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("AcquireContext = %v", err)
		}
		watcher := rt.Spawn(func() any { return s.Wait(-1) })
		rt.Spawn(func() any { rt.Sleep(time.Second); s.Release(); return nil })
		if v, _ := watcher.Get(); v != true || s.Value() != 1 {
			t.Fatalf("Wait = %v, value %d; Wait must not take the permit", v, s.Value())
		}
		if err := s.AcquireContext(context.Background()); err != nil || s.Value() != 0 {
			t.Fatalf("AcquireContext = %v, value %d", err, s.Value())
		}
	}, rt.WithVirtualClock())
}

func TestBoundedSemaphorePanicsOnExtraRelease(t *testing.T) {
	rt.Run(func() {
		s := rt.NewBoundedSemaphore(2)
		s.Acquire()
		s.Release()
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "released too many times (bound 2)") {
				t.Fatalf("recovered %v, want the bound panic", p)
			}
		}()
		s.Release()
	})
}

func TestSemaphoreKillWhileBlockedAndAfterHandoff(t *testing.T) {
	rt.Run(func() {
		s := rt.NewSemaphore(0)
		killWhileBlocked(t, func() { s.Acquire() })
		s.Release() // the killed acquirer was unlinked: the permit is counted
		if s.Value() != 1 {
			t.Fatalf("Value = %d, want 1", s.Value())
		}
		s.Acquire()
		first := rt.Spawn(func() any { s.Acquire(); return "first" })
		second := rt.Spawn(func() any { s.Acquire(); return "second" })
		rt.Sleep(0)
		s.Release() // handed to first, which is killed before it runs
		first.Kill()
		if v, _ := second.Get(); v != "second" {
			t.Fatalf("second got %v: the killed acquirer's permit was lost", v)
		}
	})
}

func TestSemaphoreDeadlockNamesAcquire(t *testing.T) {
	s := rt.NewSemaphore(0)
	wantDeadlockOn(t, "Semaphore.Acquire", func() { s.Acquire() })
}

func TestRLockIsReentrantAndOwned(t *testing.T) {
	rt.Run(func() {
		var l rt.RLock
		l.Lock()
		l.Lock()
		if !l.TryLock() {
			t.Fatal("owner's TryLock failed")
		}
		other := rt.Spawn(func() any {
			defer func() {
				p := recover()
				if p == nil || !strings.Contains(fmt.Sprint(p), "but <main> owns the lock") {
					t.Errorf("Unlock by a non-owner recovered %v", p)
				}
			}()
			if l.TryLock() {
				t.Error("TryLock of a held lock succeeded")
			}
			l.Unlock()
			return nil
		})
		other.Join(-1)
		l.Unlock()
		l.Unlock()
		if !l.Locked() {
			t.Fatal("lock released before the last Unlock")
		}
		l.Unlock()
		if l.Locked() {
			t.Fatal("lock still held after the last Unlock")
		}
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "of an unlocked lock") {
				t.Fatalf("Unlock of an unlocked lock recovered %v", p)
			}
		}()
		l.Unlock()
	})
}

func TestRLockWaitersFIFOAndCancellation(t *testing.T) {
	rt.Run(func() {
		var l rt.RLock
		l.Lock()
		var order []int
		var gs []*rt.Greenlet
		for i := range 3 {
			gs = append(gs, rt.Spawn(func() any {
				l.Lock()
				order = append(order, i)
				rt.Sleep(time.Second)
				l.Unlock()
				return nil
			}))
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		cancel()
		if err := l.LockContext(ctx); err != nil {
			t.Fatalf("owner's LockContext = %v", err) // reentrant: no wait
		}
		l.Unlock()
		rt.Sleep(0)
		l.Unlock()
		if l.LockTimeout(time.Second) {
			t.Fatal("LockTimeout succeeded while others hold and wait")
		}
		blocked, cancel2 := context.WithCancel(context.Background())
		rt.Spawn(func() any { cancel2(); return nil })
		if err := l.LockContext(blocked); !errors.Is(err, context.Canceled) {
			t.Fatalf("LockContext = %v", err)
		}
		rt.JoinAll(gs, -1)
		if fmt.Sprint(order) != "[0 1 2]" {
			t.Fatalf("lock order %v", order)
		}
	}, rt.WithVirtualClock())
}

func TestRLockKillAndDeadlock(t *testing.T) {
	rt.Run(func() {
		var l rt.RLock
		l.Lock()
		killWhileBlocked(t, func() { l.Lock() })
		first := rt.Spawn(func() any { l.Lock(); return "first" })
		second := rt.Spawn(func() any { l.Lock(); return "second" })
		rt.Sleep(0)
		l.Unlock() // handed to first, killed before it runs
		first.Kill()
		if v, _ := second.Get(); v != "second" {
			t.Fatalf("second got %v", v)
		}
	})
	var l rt.RLock
	wantDeadlockOn(t, "RLock.Lock", func() {
		rt.Spawn(func() any { l.Lock(); return nil }).Join(-1)
		l.Lock()
	})
}

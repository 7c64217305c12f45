package rt_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

func TestSpawnRunsInSpawnOrderWhenSpawnerYields(t *testing.T) {
	rt.Run(func() {
		var order []int
		var gs []*rt.Greenlet
		for i := range 5 {
			gs = append(gs, rt.Spawn(func() any { order = append(order, i); return i * i }))
		}
		if len(order) != 0 {
			t.Fatalf("greenlets ran before the spawner yielded: %v", order)
		}
		done := rt.JoinAll(gs, -1)
		if len(done) != 5 {
			t.Fatalf("JoinAll returned %d greenlets, want 5", len(done))
		}
		if fmt.Sprint(order) != "[0 1 2 3 4]" {
			t.Fatalf("start order %v, want [0 1 2 3 4]", order)
		}
		for i, g := range gs {
			v, err := g.Get()
			if err != nil || v != i*i {
				t.Fatalf("greenlet %d: Get() = %v, %v; want %d, nil", i, v, err, i*i)
			}
		}
	})
}

func TestSleepZeroInterleaves(t *testing.T) {
	rt.Run(func() {
		var out []string
		worker := func(name string) func() any {
			return func() any {
				for i := range 3 {
					out = append(out, fmt.Sprint(name, i))
					rt.Sleep(0)
				}
				return nil
			}
		}
		rt.JoinAll([]*rt.Greenlet{rt.Spawn(worker("a")), rt.Spawn(worker("b"))}, -1)
		if got := strings.Join(out, " "); got != "a0 b0 a1 b1 a2 b2" {
			t.Fatalf("got %q, want alternation", got)
		}
	})
}

func TestTimersWithEqualDeadlinesFireInCreationOrder(t *testing.T) {
	rt.Run(func() {
		var out []int
		var gs []*rt.Greenlet
		for i := range 10 {
			gs = append(gs, rt.Spawn(func() any { rt.Sleep(time.Hour); out = append(out, i); return nil }))
		}
		rt.JoinAll(gs, -1)
		if fmt.Sprint(out) != "[0 1 2 3 4 5 6 7 8 9]" {
			t.Fatalf("wake order %v", out)
		}
	}, rt.WithVirtualClock())
}

func TestVirtualClockJumps(t *testing.T) {
	rt.Run(func() {
		start := rt.Now()
		wall := time.Now()
		rt.Sleep(time.Hour)
		if got := rt.Now().Sub(start); got != time.Hour {
			t.Fatalf("virtual clock moved %v, want 1h", got)
		}
		if time.Since(wall) > time.Minute {
			t.Fatal("virtual sleep took wall time")
		}
	}, rt.WithVirtualClock())
}

func TestPanicInSpawnedGreenletIsCaptured(t *testing.T) {
	var buf bytes.Buffer
	rt.SetErrorWriter(&buf)
	defer rt.SetErrorWriter(nil)
	rt.Run(func() {
		g := rt.Spawn(func() any { panic("boom") })
		other := rt.Spawn(func() any { return "fine" })
		_, err := g.Get()
		var pe *rt.PanicError
		if !errors.As(err, &pe) || pe.Value != "boom" || len(pe.Stack) == 0 {
			t.Fatalf("Err() = %v, want a PanicError for boom with a stack", err)
		}
		if g.Successful() {
			t.Fatal("failed greenlet reports Successful")
		}
		if v, _ := other.Get(); v != "fine" {
			t.Fatalf("the hub did not survive: other greenlet got %v", v)
		}
	})
	if !strings.Contains(buf.String(), "failed with panic: boom") {
		t.Fatalf("report %q lacks the failed-with line", buf.String())
	}
}

func TestKillRunsDefersAndNeverStartsFreshGreenlets(t *testing.T) {
	rt.Run(func() {
		deferred := false
		g := rt.Spawn(func() any {
			defer func() { deferred = true }()
			rt.Sleep(time.Hour)
			t.Error("sleep returned after Kill")
			return nil
		})
		rt.Sleep(0)
		g.Kill()
		if !deferred || !g.Dead() || !g.Successful() || g.Value() != rt.GreenletExit {
			t.Fatalf("after Kill: deferred=%v dead=%v successful=%v value=%v", deferred, g.Dead(), g.Successful(), g.Value())
		}
		ran := false
		fresh := rt.Spawn(func() any { ran = true; return nil })
		fresh.Kill()
		rt.Sleep(0)
		if ran || !fresh.Dead() {
			t.Fatalf("killed fresh greenlet ran=%v dead=%v", ran, fresh.Dead())
		}
	})
}

func TestRecoverCannotSwallowKill(t *testing.T) {
	rt.Run(func() {
		g := rt.Spawn(func() any {
			defer func() { rt.Recover(recover()) }()
			rt.Sleep(time.Hour)
			return "not killed"
		})
		rt.Sleep(0)
		if !g.KillWith(rt.GreenletExit, time.Second) {
			t.Fatal("greenlet survived Kill")
		}
		if g.Value() != rt.GreenletExit {
			t.Fatalf("value %v, want GreenletExit", g.Value())
		}
	})
}

func TestLinksRunWhenGreenletFinishes(t *testing.T) {
	rt.Run(func() {
		var got []string
		ok := rt.Spawn(func() any { return 1 })
		bad := rt.Spawn(func() any { panic("x") })
		ok.LinkValue(func(*rt.Greenlet) { got = append(got, "value") })
		ok.LinkError(func(*rt.Greenlet) { got = append(got, "not expected") })
		bad.LinkError(func(*rt.Greenlet) { got = append(got, "error") })
		rt.SetErrorWriter(new(bytes.Buffer))
		defer rt.SetErrorWriter(nil)
		rt.JoinAll([]*rt.Greenlet{ok, bad}, -1)
		rt.Sleep(10 * time.Millisecond)
		if strings.Join(got, ",") != "value,error" {
			t.Fatalf("links ran %v", got)
		}
	})
}

func TestDeadlockNamesBlockedGreenlets(t *testing.T) {
	rt.RecordSpawnSites(true)
	defer rt.RecordSpawnSites(false)
	rt.Run(func() {
		var blocker *rt.Greenlet
		blocker = rt.Spawn(func() any {
			blocker.Join(-1) // waits for itself: nothing can wake it
			return nil
		})
		waiter := rt.Spawn(func() any { blocker.Join(-1); return nil })
		defer func() {
			p := recover()
			var de *rt.DeadlockError
			err, _ := p.(error)
			if !errors.As(err, &de) {
				t.Fatalf("recovered %v, want a DeadlockError", p)
			}
			msg := de.Error()
			for _, want := range []string{
				"all greenlets are blocked",
				"main waiting on Join at ",
				"g2 waiting on Join at ", // blocker, the hub's second greenlet
				"spawn_test.go:",
				"(spawned at ",
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("deadlock report lacks %q:\n%s", want, msg)
				}
			}
		}()
		waiter.Join(-1)
	})
}

func TestOffloadRunsNativelyWhileOthersRun(t *testing.T) {
	rt.Run(func() {
		release := make(chan struct{})
		ticks := 0
		ticker := rt.Spawn(func() any {
			for range 5 {
				ticks++
				rt.Sleep(time.Millisecond)
			}
			close(release)
			return nil
		})
		got := rt.OffloadValue(func() int { <-release; return 7 })
		if got != 7 || ticks != 5 {
			t.Fatalf("Offload returned %d with %d ticks; want 7 after 5 ticks", got, ticks)
		}
		ticker.Join(-1)
		defer func() {
			if p := recover(); p != "offloaded panic" {
				t.Fatalf("recovered %v, want the offloaded panic", p)
			}
		}()
		rt.Offload(func() { panic("offloaded panic") })
	})
}

// Plain goroutines that never heard of rt each get their own hub; they run
// side by side without touching each other's state (run with -race).
func TestPlainGoroutinesGetTheirOwnHubs(t *testing.T) {
	var wg sync.WaitGroup
	results := make([]string, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out []string
			a := rt.Spawn(func() any { out = append(out, "a"); rt.Sleep(time.Millisecond); out = append(out, "a2"); return nil })
			b := rt.Spawn(func() any { out = append(out, "b"); rt.Sleep(0); out = append(out, "b2"); return nil })
			rt.JoinAll([]*rt.Greenlet{a, b}, -1)
			results[i] = strings.Join(out, " ")
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r != "a b b2 a2" {
			t.Errorf("goroutine %d: %q", i, r)
		}
	}
}

func TestThrowIntoGreenlet(t *testing.T) {
	rt.Run(func() {
		errBoom := errors.New("boom")
		g := rt.NewGreenlet(func(...any) any {
			defer func() {
				if p := recover(); p != errBoom {
					t.Errorf("recovered %v", p)
				}
			}()
			rt.Current().Parent().Switch("waiting")
			return nil
		}, nil)
		if v := g.Switch(); v != "waiting" {
			t.Fatalf("Switch = %v", v)
		}
		g.Throw(errBoom)
		if !g.Dead() {
			t.Fatal("greenlet alive after Throw")
		}
		fresh := rt.NewGreenlet(func(...any) any { t.Error("fresh greenlet ran"); return nil }, nil)
		if v := fresh.Throw(rt.GreenletExit); v != rt.GreenletExit {
			t.Fatalf("Throw(GreenletExit) into fresh greenlet returned %v", v)
		}
		if err := g.SetParent(g); err == nil {
			t.Fatal("SetParent accepted a cycle")
		}
	})
}

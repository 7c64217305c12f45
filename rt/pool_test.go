package rt_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

func sleeper(d time.Duration, v any) func() any {
	return func() any { rt.Sleep(d); return v }
}

func TestGroupJoinKillDiscard(t *testing.T) {
	rt.Run(func() {
		g := rt.NewGroup()
		a := g.Spawn(sleeper(time.Second, "a"))
		b := g.Spawn(sleeper(2*time.Second, "b"))
		if g.Len() != 2 || fmt.Sprint(g.Greenlets()) != fmt.Sprint([]*rt.Greenlet{a, b}) {
			t.Fatalf("Len %d, Greenlets %v", g.Len(), g.Greenlets())
		}
		if g.Join(time.Second / 2) {
			t.Fatal("Join returned true with greenlets running")
		}
		start := rt.Now()
		if !g.Join(-1) || g.Len() != 0 || rt.Now().Sub(start) != 1500*time.Millisecond {
			t.Fatalf("Join: len %d after %v", g.Len(), rt.Now().Sub(start))
		}
		c := g.Spawn(sleeper(time.Hour, "c"))
		d := rt.Spawn(sleeper(time.Hour, "d"))
		g.Add(d)
		g.Add(d) // once only
		if g.Len() != 2 || !g.Has(d) {
			t.Fatalf("Len %d after Add", g.Len())
		}
		g.Discard(d)
		if g.Has(d) || g.Len() != 1 {
			t.Fatal("Discard left the greenlet in")
		}
		g.Kill()
		if !c.Dead() || d.Dead() || g.Len() != 0 {
			t.Fatalf("after Kill: c dead %v, d dead %v, len %d", c.Dead(), d.Dead(), g.Len())
		}
		d.Kill()
		ctx, cancel := context.WithCancel(context.Background())
		g.Spawn(sleeper(time.Hour, nil))
		rt.Spawn(func() any { cancel(); return nil })
		if err := g.JoinContext(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("JoinContext = %v", err)
		}
		g.Kill()
	}, rt.WithVirtualClock())
}

func TestPoolSpawnBlocksWhileFull(t *testing.T) {
	rt.Run(func() {
		p := rt.NewPool(2)
		start := rt.Now()
		var spawnedAt []time.Duration
		for i := range 5 {
			p.Spawn(sleeper(time.Duration(i+1)*time.Second, i))
			spawnedAt = append(spawnedAt, rt.Now().Sub(start))
		}
		// Slots free at 1s (greenlet 0), 2s (1), then 1+3=4s (2).
		if fmt.Sprint(spawnedAt) != "[0s 0s 1s 2s 4s]" {
			t.Fatalf("spawned at %v", spawnedAt)
		}
		if p.Free() != 0 || !p.Full() || p.Size() != 2 {
			t.Fatalf("Free %d Full %v Size %d", p.Free(), p.Full(), p.Size())
		}
		if p.WaitAvailable(0) {
			t.Fatal("WaitAvailable(0) on a full pool returned true")
		}
		if !p.WaitAvailable(-1) || p.Free() != 1 {
			t.Fatalf("WaitAvailable: free %d", p.Free())
		}
		p.Join(-1)
		if p.Free() != 2 || p.Len() != 0 {
			t.Fatalf("after Join: free %d len %d", p.Free(), p.Len())
		}
	}, rt.WithVirtualClock())
}

func TestPoolContextFormsAndKillWhileBlocked(t *testing.T) {
	rt.Run(func() {
		p := rt.NewPool(1)
		p.Spawn(sleeper(time.Hour, nil))
		ctx, cancel := context.WithCancel(context.Background())
		rt.Spawn(func() any { cancel(); return nil })
		if _, err := p.SpawnContext(ctx, sleeper(0, nil)); !errors.Is(err, context.Canceled) {
			t.Fatalf("SpawnContext = %v", err)
		}
		if err := p.WaitAvailableContext(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("WaitAvailableContext = %v", err)
		}
		if _, err := p.ApplyContext(ctx, sleeper(0, nil)); !errors.Is(err, context.Canceled) {
			t.Fatalf("ApplyContext = %v", err)
		}
		killWhileBlocked(t, func() { p.Spawn(sleeper(0, nil)) })
		p.Kill()
		if p.Free() != 1 {
			t.Fatalf("Free = %d after Kill, want the slot back", p.Free())
		}
	}, rt.WithVirtualClock())
}

func TestPoolApply(t *testing.T) {
	var buf bytes.Buffer
	rt.SetErrorWriter(&buf)
	defer rt.SetErrorWriter(nil)
	rt.Run(func() {
		p := rt.NewPool(1)
		if v := p.Apply(func() any { return 6 * 7 }); v != 42 {
			t.Fatalf("Apply = %v", v)
		}
		// Apply from inside a full pool runs directly instead of deadlocking.
		nested := p.Apply(func() any { return p.Apply(func() any { return "inner" }) })
		if nested != "inner" {
			t.Fatalf("nested Apply = %v", nested)
		}
		if v, err := p.ApplyContext(context.Background(), func() any { panic("ctx boom") }); v != nil || err == nil {
			t.Fatalf("ApplyContext of a panicking fn = %v, %v", v, err)
		}
		defer func() {
			var pe *rt.PanicError
			if err, _ := recover().(error); !errors.As(err, &pe) || pe.Value != "boom" {
				t.Fatalf("Apply re-panicked with %v, want a PanicError for boom", err)
			}
		}()
		p.Apply(func() any { panic("boom") })
	})
}

func TestPoolDeadlockNamesSpawn(t *testing.T) {
	wantDeadlockOn(t, "Pool.Spawn", func() {
		p := rt.NewPool(1)
		var e rt.Event
		p.Spawn(func() any { e.Wait(-1); return nil })
		p.Spawn(func() any { return nil })
	})
}

func TestMapKeepsInputOrder(t *testing.T) {
	rt.Run(func() {
		p := rt.NewPool(2)
		items := []int{3, 1, 2, 5, 4}
		got := rt.Map(p, items, func(n int) int {
			rt.Sleep(time.Duration(n) * time.Second)
			return n * 10
		})
		if fmt.Sprint(got) != "[30 10 20 50 40]" {
			t.Fatalf("Map = %v", got)
		}
		if g := rt.Map(rt.NewGroup(), []string{"a", "b"}, func(s string) string { return s + s }); fmt.Sprint(g) != "[aa bb]" {
			t.Fatalf("Map on a Group = %v", g)
		}
	}, rt.WithVirtualClock())
}

func TestIMapStreamsInOrder(t *testing.T) {
	rt.Run(func() {
		start := rt.Now()
		var got []string
		for r := range rt.IMap(rt.NewGroup(), []int{2, 1, 3}, func(n int) int {
			rt.Sleep(time.Duration(n) * time.Second)
			return n
		}) {
			got = append(got, fmt.Sprintf("%d@%v", r, rt.Now().Sub(start)))
		}
		// 1 is ready at 1s but waits for 2, which comes first.
		if fmt.Sprint(got) != "[2@2s 1@2s 3@3s]" {
			t.Fatalf("IMap yielded %v", got)
		}
	}, rt.WithVirtualClock())
}

func TestIMapUnorderedYieldsInCompletionOrder(t *testing.T) {
	rt.Run(func() {
		p := rt.NewPool(3)
		var got []int
		for r := range rt.IMapUnordered(p, []int{3, 1, 4, 2}, func(n int) int {
			rt.Sleep(time.Duration(n) * time.Second)
			return n
		}) {
			got = append(got, r)
		}
		// 3, 1, 4 start at once; 2 takes 1's slot at 1s and ends at 3s,
		// after 3 (queued first at 3s).
		if fmt.Sprint(got) != "[1 3 2 4]" {
			t.Fatalf("IMapUnordered yielded %v", got)
		}
	}, rt.WithVirtualClock())
}

func TestIMapBreakKillsTheRest(t *testing.T) {
	rt.Run(func() {
		g := rt.NewGroup()
		for r := range rt.IMapUnordered(g, []int{1, 2, 3}, func(n int) int {
			rt.Sleep(time.Duration(n) * time.Hour)
			return n
		}) {
			if r != 1 {
				t.Fatalf("first result %d", r)
			}
			break
		}
		for _, x := range g.Greenlets() { // dead, their links may not have run yet
			if !x.Dead() {
				t.Fatalf("%v still running after break", x)
			}
		}
	}, rt.WithVirtualClock())
}

func TestMapRepanicsFailure(t *testing.T) {
	var buf bytes.Buffer
	rt.SetErrorWriter(&buf)
	defer rt.SetErrorWriter(nil)
	rt.Run(func() {
		g := rt.NewGroup()
		defer func() {
			var pe *rt.PanicError
			if err, _ := recover().(error); !errors.As(err, &pe) || pe.Value != "bad 2" {
				t.Fatalf("Map re-panicked with %v", err)
			}
			for _, x := range g.Greenlets() {
				if !x.Dead() {
					t.Fatalf("%v left running", x)
				}
			}
		}()
		rt.Map(g, []int{1, 2, 3}, func(n int) int {
			rt.Sleep(time.Duration(n) * time.Second)
			if n == 2 {
				panic("bad 2")
			}
			return n
		})
	}, rt.WithVirtualClock())
}

package rt_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

func TestSelectDefault(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[int](0)
		var nilch chan int
		if i := rt.Select(true, rt.RecvCase(ch, nil, nil), rt.SendCase(ch, 1), rt.RecvCase(nilch, nil, nil)); i != -1 {
			t.Fatalf("Select chose %d with nothing ready, want default", i)
		}
		if i := rt.Select(true); i != -1 {
			t.Fatalf("empty select with default chose %d", i)
		}
		buf := rt.MakeChan[int](1)
		if i := rt.Select(true, rt.SendCase(buf, 5)); i != 0 {
			t.Fatalf("send with room chose %d", i)
		}
		var v int
		var ok bool
		if i := rt.Select(true, rt.RecvCase(buf, &v, &ok)); i != 0 || v != 5 || !ok {
			t.Fatalf("recv: case %d, %d %v", i, v, ok)
		}
	})
}

func TestSelectSendAndRecvCases(t *testing.T) {
	rt.Run(func() {
		in := rt.MakeChan[string](0)
		out := rt.MakeChan[string](0)
		var log []string
		rt.Go(func() { rt.Send(in, "x") })
		rt.Go(func() { log = append(log, "got "+rt.Recv(out)) })
		// Both partners are parked (after the Sleep), so both cases are ready;
		// run two selects and see each case once.
		rt.Sleep(0)
		seen := map[int]bool{}
		for range 2 {
			var v string
			i := rt.Select(false, rt.RecvCase(in, &v, nil), rt.SendCase(out, "y"))
			seen[i] = true
			if i == 0 && v != "x" {
				t.Fatalf("received %q", v)
			}
		}
		rt.Sleep(0)
		if !seen[0] || !seen[1] || strings.Join(log, ",") != "got y" {
			t.Fatalf("seen %v, log %v", seen, log)
		}
	})
}

func TestSelectParksUntilReady(t *testing.T) {
	rt.Run(func() {
		a := rt.MakeChan[int](0)
		b := rt.MakeChan[int](0)
		rt.Go(func() {
			rt.Sleep(time.Second)
			rt.Send(b, 7)
		})
		var v int
		if i := rt.Select(false, rt.RecvCase(a, nil, nil), rt.RecvCase(b, &v, nil)); i != 1 || v != 7 {
			t.Fatalf("case %d, v %d", i, v)
		}
		// The sudog left on a is gone: a plain send/receive pair still works.
		rt.Go(func() { rt.Send(a, 1) })
		if v := rt.Recv(a); v != 1 {
			t.Fatalf("a: %d", v)
		}
		// A parked select send case.
		rt.Go(func() {
			rt.Sleep(time.Second)
			if v := rt.Recv(a); v != 9 {
				t.Errorf("received %d from the select's send", v)
			}
		})
		if i := rt.Select(false, rt.SendCase(a, 9), rt.RecvCase(b, nil, nil)); i != 0 {
			t.Fatalf("case %d", i)
		}
	}, rt.WithVirtualClock())
}

func TestSelectClosedChannel(t *testing.T) {
	rt.Run(func() {
		a := rt.MakeChan[int](0)
		rt.Go(func() { rt.Close(a) })
		v, ok := 1, true
		if i := rt.Select(false, rt.RecvCase(a, &v, &ok)); i != 0 || v != 0 || ok {
			t.Fatalf("case %d, %d %v", i, v, ok)
		}
		// A parked select send case panics when the channel is closed.
		b := rt.MakeChan[int](0)
		rt.Go(func() { rt.Close(b) })
		msg := recoverString(func() { rt.Select(false, rt.SendCase(b, 1)) })
		if msg != "send on closed channel" {
			t.Fatalf("parked send case: panic %q", msg)
		}
		if msg := recoverString(func() { rt.Select(true, rt.SendCase(b, 1)) }); msg != "send on closed channel" {
			t.Fatalf("ready send case: panic %q", msg)
		}
	})
}

// TestSelectFairness: with two cases always ready, each of n selects picks
// one uniformly, so the count of case 0 is Binomial(n, 1/2): mean n/2,
// sigma sqrt(n)/2 = 50 for n = 10,000. A fair select stays within 10 sigma
// (a false failure has probability below 1e-20).
func TestSelectFairness(t *testing.T) {
	const n = 10000
	sigma := math.Sqrt(n) / 2
	check := func(t *testing.T, opts ...rt.Option) {
		rt.Run(func() {
			a := rt.MakeChan[int](1)
			b := rt.MakeChan[int](1)
			rt.Close(a) // a closed channel is always ready to receive
			rt.Close(b)
			var counts [2]int
			for range n {
				counts[rt.Select(false, rt.RecvCase(a, nil, nil), rt.RecvCase(b, nil, nil))]++
			}
			if d := math.Abs(float64(counts[0]) - n/2); d > 10*sigma {
				t.Fatalf("case 0 chosen %d times of %d: %.1f sigma from n/2", counts[0], n, d/sigma)
			}
		}, opts...)
	}
	t.Run("policy=fifo", func(t *testing.T) { check(t) })
	t.Run("policy=seeded", func(t *testing.T) { check(t, rt.WithPolicy(rt.NewSeeded(1))) })
}

func TestSelectSeededReplays(t *testing.T) {
	run := func(seed uint64) string {
		var out []int
		rt.Run(func() {
			a := rt.MakeChan[int](0)
			b := rt.MakeChan[int](0)
			rt.Close(a)
			rt.Close(b)
			for range 64 {
				out = append(out, rt.Select(false, rt.RecvCase(a, nil, nil), rt.RecvCase(b, nil, nil)))
			}
		}, rt.WithPolicy(rt.NewSeeded(seed)))
		return fmt.Sprint(out)
	}
	if a, b := run(7), run(7); a != b {
		t.Fatalf("seed 7 gave two different choice sequences:\n%s\n%s", a, b)
	}
	if run(7) == run(8) {
		t.Fatal("seeds 7 and 8 gave the same 64 choices")
	}
}

func TestSelectNilChannelNeverChosen(t *testing.T) {
	rt.Run(func() {
		var nilch chan int
		ready := rt.MakeChan[int](0)
		rt.Close(ready)
		for range 100 {
			if i := rt.Select(false, rt.RecvCase(nilch, nil, nil), rt.SendCase(nilch, 1), rt.RecvCase(ready, nil, nil)); i != 2 {
				t.Fatalf("chose case %d on a nil channel", i)
			}
		}
		// Only nil channels, no default: blocks forever (until killed).
		g := rt.Spawn(func() any { rt.Select(false, rt.RecvCase(nilch, nil, nil)); return "returned" })
		e := rt.Spawn(func() any { rt.Select(false); return "returned" })
		rt.Sleep(time.Hour)
		if g.Ready() || e.Ready() {
			t.Fatal("a select with only nil channels (or none) returned")
		}
		g.Kill()
		e.Kill()
	}, rt.WithVirtualClock())
}

func TestSelectKillParkedUnlinks(t *testing.T) {
	rt.Run(func() {
		a := rt.MakeChan[int](0)
		b := rt.MakeChan[int](0)
		g := rt.Spawn(func() any {
			rt.Select(false, rt.RecvCase(a, nil, nil), rt.SendCase(b, 1))
			return "returned"
		})
		rt.Sleep(0)
		g.Kill()
		if !g.Dead() || g.Value() == "returned" {
			t.Fatal("killed select returned")
		}
		// Neither of its sudogs may take part in a transfer now.
		rt.Go(func() { rt.Send(a, 5) })
		rt.Go(func() { rt.Send(b, 6) })
		if v := rt.Recv(a); v != 5 {
			t.Fatalf("a: %d", v)
		}
		if v := rt.Recv(b); v != 6 {
			t.Fatalf("b: %d", v)
		}
	})
}

func TestSelectForeignTimeAfter(t *testing.T) {
	rt.Run(func() {
		hub := rt.MakeChan[int](0)
		ticks := 0
		// A channel made and sent on by unrewritten code, as time.After's
		// is: a foreign wait. Its send waits for the other greenlet to
		// run, so the select cannot find it ready at once on a machine
		// slow enough to fire a timer before the select polls.
		ran := make(chan struct{})
		foreign := make(chan time.Time)
		go func() {
			<-ran
			foreign <- <-time.After(time.Millisecond)
		}()
		rt.Go(func() {
			for range 3 {
				if ticks++; ticks == 1 {
					close(ran)
				}
				rt.Sleep(0)
			}
		})
		if i := rt.Select(false, rt.RecvCase(hub, nil, nil), rt.RecvCase(foreign, nil, nil)); i != 1 {
			t.Fatalf("case %d", i)
		}
		if ticks == 0 {
			t.Fatal("no other greenlet ran while the select waited")
		}
		// The hub-owned case still works after the foreign one won.
		rt.Go(func() { rt.Send(hub, 1) })
		if v := rt.Recv(hub); v != 1 {
			t.Fatalf("hub: %d", v)
		}
	})
}

func TestSelectHubCaseBeatsPendingForeign(t *testing.T) {
	rt.Run(func() {
		hub := rt.MakeChan[int](0)
		foreign := make(chan int) // a plain goroutine sends on it later
		rt.Go(func() { rt.Send(hub, 3) })
		var v int
		if i := rt.Select(false, rt.RecvCase(hub, &v, nil), rt.RecvCase(foreign, nil, nil)); i != 0 || v != 3 {
			t.Fatalf("case %d, v %d", i, v)
		}
		// The foreign value sent now is not lost to the select's helper: the
		// next receive gets it, however the race went.
		go func() { foreign <- 42 }()
		if v := rt.Recv(foreign); v != 42 {
			t.Fatalf("foreign: %d", v)
		}
	})
}

func TestSelectForeignNativeSenders(t *testing.T) {
	// Many values from plain goroutines through selects that also have a
	// hub-owned case: each value arrives exactly once.
	rt.Run(func() {
		hub := rt.MakeChan[int](0)
		foreign := make(chan int)
		const n = 200
		go func() {
			for i := range n {
				foreign <- i
			}
		}()
		rt.Go(func() {
			for i := range n {
				rt.Send(hub, n+i)
			}
		})
		seen := make([]bool, 2*n)
		for range 2 * n {
			var v int
			rt.Select(false, rt.RecvCase(hub, &v, nil), rt.RecvCase(foreign, &v, nil))
			if seen[v] {
				t.Fatalf("value %d received twice", v)
			}
			seen[v] = true
		}
	})
}

func TestSelectForeignSendCase(t *testing.T) {
	rt.Run(func() {
		foreign := make(chan int)
		hub := rt.MakeChan[int](0)
		got := make(chan int, 1)
		go func() {
			time.Sleep(time.Millisecond)
			got <- <-foreign
		}()
		// Mixed: the foreign send case is polled.
		if i := rt.Select(false, rt.SendCase(foreign, 8), rt.RecvCase(hub, nil, nil)); i != 0 {
			t.Fatalf("case %d", i)
		}
		if v := <-got; v != 8 {
			t.Fatalf("native receiver got %d", v)
		}
		// Pure foreign: the helper sends.
		go func() { got <- <-foreign }()
		if i := rt.Select(false, rt.SendCase(foreign, 9)); i != 0 {
			t.Fatalf("case %d", i)
		}
		if v := <-got; v != 9 {
			t.Fatalf("native receiver got %d", v)
		}
	})
}

func TestSelectForeignContextDone(t *testing.T) {
	rt.Run(func() {
		ctx, cancel := context.WithCancel(context.Background())
		hub := rt.MakeChan[int](0)
		go func() {
			time.Sleep(time.Millisecond)
			cancel()
		}()
		if i := rt.Select(false, rt.RecvCase(hub, nil, nil), rt.RecvCase(ctx.Done(), nil, nil)); i != 1 {
			t.Fatalf("case %d", i)
		}
	})
}

func TestSelectCrossHub(t *testing.T) {
	a := rt.MakeChan[int](0)
	b := rt.MakeChan[int](0)
	const n = 500
	var wg sync.WaitGroup
	for _, ch := range []chan int{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rt.Run(func() {
				for i := range n {
					rt.Send(ch, i)
				}
			})
		}()
	}
	var sum [2]int
	rt.Run(func() {
		for range 2 * n {
			var v int
			i := rt.Select(false, rt.RecvCase(a, &v, nil), rt.RecvCase(b, &v, nil))
			sum[i] += v
		}
	})
	wg.Wait()
	if want := n * (n - 1) / 2; sum[0] != want || sum[1] != want {
		t.Fatalf("sums %v, want %d each", sum, want)
	}
}

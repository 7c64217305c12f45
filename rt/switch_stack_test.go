package rt_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gopatch/gopatch/rt"
)

// Tests of the coroutine stack that direct switches build (a greenlet that
// switches to another resumes it itself, and waits in that resume) and that
// hub waits and deaths unwind. Greenlet semantics must not see it.

// A ring of raw greenlets that switch to each other directly and, in the
// middle, wait on the hub from the top of the stack: every hop lands where
// greenlet semantics say, the hub's other greenlets run during the wait,
// and the last greenlet's result reaches its parent from the top.
func TestRingOfDirectSwitchesWithAHubWait(t *testing.T) {
	rt.Run(func() {
		main := rt.Current()
		const n, rounds = 5, 3
		var ring [n]*rt.Greenlet
		var ev rt.Event
		var trace []string
		for i := range ring {
			ring[i] = rt.NewGreenlet(func(...any) any {
				for r := range rounds {
					trace = append(trace, fmt.Sprintf("%d.%d", i, r))
					if i == 2 && r == 1 {
						ev.Wait(-1)
						trace = append(trace, "woken")
					}
					if i == n-1 && r == rounds-1 {
						return "done"
					}
					ring[(i+1)%n].Switch()
				}
				return nil
			}, main)
		}
		rt.Spawn(func() any {
			trace = append(trace, "set")
			ev.Set()
			return nil
		})
		if v := ring[0].Switch(); v != "done" {
			t.Fatalf("main got %v, want done", v)
		}
		want := "0.0 1.0 2.0 3.0 4.0 0.1 1.1 2.1 set woken 3.1 4.1 0.2 1.2 2.2 3.2 4.2"
		if got := strings.Join(trace, " "); got != want {
			t.Fatalf("trace\n got %s\nwant %s", got, want)
		}
		for i, g := range ring[:n-1] {
			if v := g.Throw(nil); !errors.Is(v.(error), rt.GreenletExit) || !g.Dead() {
				t.Fatalf("killing ring[%d]: got %v, dead %v", i, v, g.Dead())
			}
		}
	})
}

// A greenlet at the top of a stack of direct switches throws into one below
// it, which does not recover: the error goes on to that greenlet's parent,
// the main greenlet, at the bottom of the stack.
func TestThrowIntoAGreenletDownTheStack(t *testing.T) {
	rt.Run(func() {
		main := rt.Current()
		var a, b, c *rt.Greenlet
		a = rt.NewGreenlet(func(...any) any { return b.Switch() }, main)
		b = rt.NewGreenlet(func(...any) any { return c.Switch() }, main)
		c = rt.NewGreenlet(func(...any) any {
			b.Throw(errSome) // b waits in its resume of c, above a
			return "c resumed"
		}, main)
		if p := catch(func() { a.Switch() }); p != errSome {
			t.Fatalf("main got %v, want %v", p, errSome)
		}
		if !b.Dead() || a.Dead() || c.Dead() {
			t.Fatalf("dead: a %v b %v c %v; want only b", a.Dead(), b.Dead(), c.Dead())
		}
		// c's Throw returns what c is next switched with.
		if v := c.Switch("again"); v != "c resumed" {
			t.Fatalf("c returned %v", v)
		}
		a.Throw(nil)
	})
}

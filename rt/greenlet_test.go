package rt_test

// Conformance tests for raw greenlets, ported from the cases of
// python-greenlet's own suite (test_greenlet.py, test_throw.py,
// test_generator.py) that make sense in Go. Cases about reference counting,
// deallocation, keyword arguments and subclassing have no Go counterpart.

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

var (
	errSome = errors.New("some error")
	errKey  = errors.New("key error")
	errIdx  = errors.New("index error")
)

// catch calls f and returns what it panicked with, or nil.
func catch(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// onFreshGoroutine runs f on a new goroutine that has never used rt, waits
// for it, and returns what f panicked with, or nil.
func onFreshGoroutine(f func()) any {
	res := make(chan any, 1)
	go func() { res <- catch(f) }()
	return <-res
}

// switchToParent switches from the current greenlet to its parent.
func switchToParent(args ...any) any { return rt.Current().Parent().Switch(args...) }

// greenlet's test_simple, on a goroutine with no set-up: the goroutine
// becomes the main greenlet and the two interleave.
func TestSimpleSwitchInterleavesWithMain(t *testing.T) {
	var lst []int
	var g *rt.Greenlet
	if p := onFreshGoroutine(func() {
		g = rt.NewGreenlet(func(...any) any {
			lst = append(lst, 1)
			switchToParent()
			lst = append(lst, 3)
			return nil
		}, nil)
		lst = append(lst, 0)
		g.Switch()
		lst = append(lst, 2)
		g.Switch()
		lst = append(lst, 4)
	}); p != nil {
		t.Fatalf("panicked: %v", p)
	}
	if fmt.Sprint(lst) != "[0 1 2 3 4]" {
		t.Fatalf("order %v, want [0 1 2 3 4]", lst)
	}
	if !g.Dead() {
		t.Fatal("greenlet not dead after its run returned")
	}
}

// greenlet's test_two_children: two children of main, resumed in turn.
func TestTwoChildrenOfMainResumeIndependently(t *testing.T) {
	rt.Run(func() {
		var lst []int
		f := func(...any) any {
			lst = append(lst, 1)
			switchToParent()
			lst = append(lst, 1, 1)
			return nil
		}
		g := rt.NewGreenlet(f, nil)
		h := rt.NewGreenlet(f, nil)
		g.Switch()
		if len(lst) != 1 {
			t.Fatalf("after g starts: len %d, want 1", len(lst))
		}
		h.Switch()
		if len(lst) != 2 {
			t.Fatalf("after h starts: len %d, want 2", len(lst))
		}
		h.Switch()
		if len(lst) != 4 || !h.Dead() || g.Dead() {
			t.Fatalf("after h finishes: len %d, h dead %v, g dead %v; want 4, true, false", len(lst), h.Dead(), g.Dead())
		}
		g.Switch()
		if len(lst) != 6 || !g.Dead() {
			t.Fatalf("after g finishes: len %d, g dead %v; want 6, true", len(lst), g.Dead())
		}
	})
}

// greenlet's test_two_recursive_children: a greenlet made inside another has
// it as parent, so the grandchild's switch to its parent resumes the child.
func TestGrandchildSwitchesToItsCreator(t *testing.T) {
	rt.Run(func() {
		var lst []string
		var child, grandchild *rt.Greenlet
		child = rt.NewGreenlet(func(...any) any {
			lst = append(lst, "a")
			grandchild = rt.NewGreenlet(func(...any) any {
				lst = append(lst, "b")
				switchToParent()
				lst = append(lst, "never")
				return nil
			}, nil)
			if grandchild.Parent() != child {
				t.Errorf("grandchild's parent is %v, want %v", grandchild.Parent(), child)
			}
			grandchild.Switch()
			lst = append(lst, "c")
			return nil
		}, nil)
		child.Switch()
		if strings.Join(lst, "") != "abc" {
			t.Fatalf("order %v, want [a b c]", lst)
		}
		if !child.Dead() || grandchild.Dead() {
			t.Fatalf("child dead %v, grandchild dead %v; want true, false", child.Dead(), grandchild.Dead())
		}
	})
}

// greenlet's test_threads: several goroutines, each with its own main
// greenlet and children, switch at the same time without interfering.
func TestGoroutinesEachRunTheirOwnGreenlets(t *testing.T) {
	const n, rounds = 8, 200
	var wg sync.WaitGroup
	mains := make([]*rt.Greenlet, n)
	sums := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mains[i] = rt.Current()
			var ping, pong *rt.Greenlet
			ping = rt.NewGreenlet(func(args ...any) any {
				v := args[0].(int)
				for range rounds {
					v = pong.Switch(v + 1).(int)
				}
				return v
			}, nil)
			pong = rt.NewGreenlet(func(args ...any) any {
				v := args[0].(int)
				for {
					v = ping.Switch(v * 1).(int)
				}
			}, nil)
			sums[i] = ping.Switch(i * 1000).(int)
			if rt.Current() != mains[i] {
				t.Errorf("goroutine %d: Current changed to %v", i, rt.Current())
			}
			// pong is suspended forever; end it so the hub has nothing live.
			if v := pong.Throw(rt.GreenletExit); v != rt.GreenletExit {
				t.Errorf("goroutine %d: killing pong returned %v", i, v)
			}
		}()
	}
	wg.Wait()
	seen := make(map[*rt.Greenlet]bool)
	for i := range n {
		if want := i*1000 + rounds; sums[i] != want {
			t.Errorf("goroutine %d: result %d, want %d", i, sums[i], want)
		}
		if mains[i] == nil || seen[mains[i]] {
			t.Errorf("goroutine %d: main greenlet %v is nil or shared", i, mains[i])
		}
		seen[mains[i]] = true
	}
}

// greenlet's test_exception: an uncaught panic goes to the parent's pending
// Switch, and from there, uncaught again, to the grandparent.
func TestUncaughtPanicPropagatesToParent(t *testing.T) {
	rt.Run(func() {
		var seen []any
		fmain := func(...any) any {
			func() {
				defer func() {
					if p := recover(); p != nil {
						seen = append(seen, p)
						panic(p)
					}
				}()
				switchToParent()
			}()
			panic(errSome)
		}
		g1 := rt.NewGreenlet(fmain, nil)
		g2 := rt.NewGreenlet(fmain, nil)
		g1.Switch()
		g2.Switch()
		if err := g2.SetParent(g1); err != nil {
			t.Fatal(err)
		}
		if len(seen) != 0 {
			t.Fatalf("seen %v before the switch", seen)
		}
		if p := catch(func() { g2.Switch() }); p != errSome {
			t.Fatalf("main recovered %v, want %v", p, errSome)
		}
		if len(seen) != 1 || seen[0] != errSome {
			t.Fatalf("g1 saw %v, want [%v]", seen, errSome)
		}
		if !g1.Dead() || !g2.Dead() {
			t.Fatalf("g1 dead %v, g2 dead %v; want both dead", g1.Dead(), g2.Dead())
		}
	})
}

// A panic value that is not an error reaches the parent unchanged, and the
// main greenlet can go on switching afterwards.
func TestPanicValueReachesParentUnchanged(t *testing.T) {
	rt.Run(func() {
		g := rt.NewGreenlet(func(...any) any { panic("plain string") }, nil)
		if p := catch(func() { g.Switch() }); p != "plain string" {
			t.Fatalf("recovered %#v, want the string", p)
		}
		if !g.Dead() {
			t.Fatal("greenlet alive after panicking")
		}
		h := rt.NewGreenlet(func(args ...any) any { return args[0] }, nil)
		if v := h.Switch("after"); v != "after" {
			t.Fatalf("next switch returned %v", v)
		}
	})
}

// greenlet's test_send_exception: Throw raises at the greenlet's switch
// point; uncaught there it goes on to the parent.
func TestThrowRaisesAtSwitchPointThenInParent(t *testing.T) {
	rt.Run(func() {
		var seen []any
		g := rt.NewGreenlet(func(...any) any {
			defer func() {
				if p := recover(); p != nil {
					seen = append(seen, p)
					panic(p)
				}
			}()
			switchToParent()
			t.Error("Throw resumed the greenlet normally")
			return nil
		}, nil)
		g.Switch()
		if p := catch(func() { g.Throw(errKey) }); p != errKey {
			t.Fatalf("main recovered %v, want %v", p, errKey)
		}
		if len(seen) != 1 || seen[0] != errKey {
			t.Fatalf("greenlet saw %v, want [%v]", seen, errKey)
		}
		if !g.Dead() {
			t.Fatal("greenlet alive after an uncaught Throw")
		}
	})
}

// test_throw.py's test_class/test_val: a greenlet that recovers a thrown
// error goes on running, and what it switches next is Throw's result.
func TestThrownErrorCanBeRecoveredAndGreenletGoesOn(t *testing.T) {
	rt.Run(func() {
		g := rt.NewGreenlet(func(...any) any {
			func() {
				defer func() {
					if p := recover(); p != errKey {
						t.Errorf("recovered %v, want %v", p, errKey)
					}
				}()
				switchToParent("ok")
				switchToParent("fail")
			}()
			switchToParent("recovered")
			return "done"
		}, nil)
		if v := g.Switch(); v != "ok" {
			t.Fatalf("first switch %v, want ok", v)
		}
		if v := g.Throw(errKey); v != "recovered" {
			t.Fatalf("Throw returned %v, want recovered", v)
		}
		if g.Dead() {
			t.Fatal("greenlet dead after recovering")
		}
		if v := g.Switch(); v != "done" || !g.Dead() {
			t.Fatalf("last switch %v, dead %v; want done, true", v, g.Dead())
		}
	})
}

// test_throw.py's test_kill: GreenletExit thrown and not recovered ends the
// greenlet (its defers run) and becomes the parent's Switch result; thrown
// again into the dead greenlet it comes straight back.
func TestThrowGreenletExitBecomesParentsResult(t *testing.T) {
	rt.Run(func() {
		deferred := false
		g := rt.NewGreenlet(func(...any) any {
			defer func() { deferred = true }()
			switchToParent("ok")
			switchToParent("fail")
			return nil
		}, nil)
		if v := g.Switch(); v != "ok" {
			t.Fatalf("first switch %v", v)
		}
		if v := g.Throw(nil); v != rt.GreenletExit {
			t.Fatalf("Throw(nil) returned %v, want GreenletExit", v)
		}
		if !g.Dead() || !deferred {
			t.Fatalf("dead %v, defers ran %v; want true, true", g.Dead(), deferred)
		}
		if v := g.Throw(nil); v != rt.GreenletExit {
			t.Fatalf("Throw(nil) into dead greenlet returned %v, want GreenletExit", v)
		}

		// A wrapped GreenletExit, and a GreenletExit the greenlet panics
		// with itself, are results too.
		wrapped := fmt.Errorf("stop: %w", rt.GreenletExit)
		h := rt.NewGreenlet(func(...any) any { switchToParent(); return nil }, nil)
		h.Switch()
		if v := h.Throw(wrapped); v != wrapped {
			t.Fatalf("Throw(wrapped exit) returned %v, want %v", v, wrapped)
		}
		k := rt.NewGreenlet(func(...any) any { panic(rt.GreenletExit) }, nil)
		if v := k.Switch(); v != rt.GreenletExit || !k.Dead() {
			t.Fatalf("panic(GreenletExit): Switch returned %v, dead %v", v, k.Dead())
		}
	})
}

// test_throw_exception_not_lost: a greenlet thrown into before it started
// dies without running; the error is raised in its parent (here the caller),
// or, for GreenletExit, returned.
func TestThrowIntoFreshGreenletKillsItWithoutRunning(t *testing.T) {
	rt.Run(func() {
		ran := false
		g := rt.NewGreenlet(func(...any) any { ran = true; return nil }, nil)
		if p := catch(func() { g.Throw(errSome) }); p != errSome {
			t.Fatalf("caller recovered %v, want %v", p, errSome)
		}
		if ran || !g.Dead() {
			t.Fatalf("ran %v, dead %v; want false, true", ran, g.Dead())
		}
		if v := g.Switch("x"); v != "x" || ran {
			t.Fatalf("switch to the killed greenlet returned %v (ran %v), want x", v, ran)
		}

		h := rt.NewGreenlet(func(...any) any { ran = true; return nil }, nil)
		if v := h.Throw(rt.GreenletExit); v != rt.GreenletExit || ran || !h.Dead() {
			t.Fatalf("Throw(GreenletExit) returned %v, ran %v, dead %v", v, ran, h.Dead())
		}
	})
}

// test_throw_goes_to_original_parent, its three cases.
func TestThrowGoesToOriginalParent(t *testing.T) {
	rt.Run(func() {
		main := rt.Current()
		f1 := func(...any) any {
			caught := false
			func() {
				defer func() {
					if p := recover(); p == errIdx {
						caught = true
					} else if p != nil {
						panic(p)
					}
				}()
				main.Switch("f1 ready to catch")
			}()
			if caught {
				return "caught"
			}
			return "normal exit"
		}
		f2 := func(...any) any {
			main.Switch("from f2")
			return nil
		}

		// Neither started: both die unstarted, the error reaches main.
		g1 := rt.NewGreenlet(f1, nil)
		g2 := rt.NewGreenlet(f2, g1)
		if p := catch(func() { g2.Throw(errIdx) }); p != errIdx {
			t.Fatalf("case 1: main recovered %v, want %v", p, errIdx)
		}
		if !g1.Dead() || !g2.Dead() {
			t.Fatalf("case 1: g1 dead %v, g2 dead %v; want both dead", g1.Dead(), g2.Dead())
		}

		// Only the parent started: it catches the error from its dead child.
		g1 = rt.NewGreenlet(f1, nil)
		g2 = rt.NewGreenlet(f2, g1)
		if v := g1.Switch(); v != "f1 ready to catch" {
			t.Fatalf("case 2: g1.Switch() = %v", v)
		}
		if v := g2.Throw(errIdx); v != "caught" {
			t.Fatalf("case 2: Throw returned %v, want caught", v)
		}
		if !g1.Dead() || !g2.Dead() {
			t.Fatalf("case 2: g1 dead %v, g2 dead %v; want both dead", g1.Dead(), g2.Dead())
		}

		// Both started, both suspended in main: the error raised in g2 goes
		// to its parent g1, not to main that it last switched to.
		g1 = rt.NewGreenlet(f1, nil)
		g2 = rt.NewGreenlet(f2, g1)
		if v := g1.Switch(); v != "f1 ready to catch" {
			t.Fatalf("case 3: g1.Switch() = %v", v)
		}
		if v := g2.Switch(); v != "from f2" {
			t.Fatalf("case 3: g2.Switch() = %v", v)
		}
		if v := g2.Throw(errIdx); v != "caught" {
			t.Fatalf("case 3: Throw returned %v, want caught", v)
		}
		if !g1.Dead() || !g2.Dead() {
			t.Fatalf("case 3: g1 dead %v, g2 dead %v; want both dead", g1.Dead(), g2.Dead())
		}
	})
}

// An error thrown into a dead greenlet cannot be recovered by it, so, as in
// greenlet, it is raised in its nearest live ancestor: here the caller.
func TestThrowToDeadGreenletRaisesInCaller(t *testing.T) {
	rt.Run(func() {
		g := rt.NewGreenlet(func(...any) any { return nil }, nil)
		g.Switch()
		if !g.Dead() {
			t.Fatal("greenlet not dead")
		}
		if p := catch(func() { g.Throw(errSome) }); p != errSome {
			t.Fatalf("caller recovered %v, want %v", p, errSome)
		}
		if v := g.Throw(rt.GreenletExit); v != rt.GreenletExit {
			t.Fatalf("Throw(GreenletExit) into dead greenlet returned %v", v)
		}
	})
}

// Started from a fresh greenlet whose parent has not started either, an
// uncaught panic kills the parent too without running it, as greenlet
// does, instead of running it with the panic pending.
func TestPanicIntoFreshParentKillsItWithoutRunning(t *testing.T) {
	rt.Run(func() {
		ran := false
		parent := rt.NewGreenlet(func(...any) any { ran = true; switchToParent("parent ran"); return nil }, nil)
		child := rt.NewGreenlet(func(...any) any { panic(errSome) }, parent)
		if p := catch(func() { child.Switch() }); p != errSome {
			t.Fatalf("main recovered %v, want %v", p, errSome)
		}
		if ran || !parent.Dead() || !child.Dead() {
			t.Fatalf("parent ran %v, parent dead %v, child dead %v; want false, true, true", ran, parent.Dead(), child.Dead())
		}
		if v := rt.Current().Switch("still fine"); v != "still fine" {
			t.Fatalf("main's self-switch returned %v", v)
		}
	})
}

// greenlet's test_frame, for the states Go can see: a greenlet is alive
// until its run returns, and dead after.
func TestDeadReflectsLifecycle(t *testing.T) {
	rt.Run(func() {
		if rt.Current().Dead() {
			t.Fatal("main greenlet reports dead")
		}
		var g *rt.Greenlet
		g = rt.NewGreenlet(func(...any) any {
			if g.Dead() || rt.Current() != g {
				t.Errorf("inside run: dead %v, current %v", g.Dead(), rt.Current())
			}
			switchToParent("suspended")
			return "meaning of life"
		}, nil)
		if g.Dead() {
			t.Fatal("fresh greenlet reports dead")
		}
		if v := g.Switch(); v != "suspended" || g.Dead() {
			t.Fatalf("after start: %v, dead %v; want suspended, false", v, g.Dead())
		}
		if v := g.Switch(); v != "meaning of life" || !g.Dead() {
			t.Fatalf("after return: %v, dead %v; want meaning of life, true", v, g.Dead())
		}
	})
}

// Switching to a dead greenlet whose parent is the caller comes straight
// back with the arguments, packed as a pending Switch would get them.
func TestSwitchToDeadGreenletReturnsToCaller(t *testing.T) {
	rt.Run(func() {
		g := rt.NewGreenlet(func(...any) any { return "first" }, nil)
		if v := g.Switch(); v != "first" {
			t.Fatalf("first switch %v", v)
		}
		if v := g.Switch(); v != nil {
			t.Fatalf("Switch() to dead = %v, want nil", v)
		}
		if v := g.Switch(7); v != 7 {
			t.Fatalf("Switch(7) to dead = %v, want 7", v)
		}
		if v := g.Switch(1, "two"); !reflect.DeepEqual(v, []any{1, "two"}) {
			t.Fatalf("Switch(1, two) to dead = %#v, want []any{1, two}", v)
		}
		if !g.Dead() {
			t.Fatal("dead greenlet came back to life")
		}
	})
}

// Switching to a dead greenlet goes to its nearest live ancestor, even
// when that is not the caller.
func TestSwitchToDeadGreenletGoesToNearestLiveAncestor(t *testing.T) {
	rt.Run(func() {
		var b *rt.Greenlet
		a := rt.NewGreenlet(func(...any) any {
			b = rt.NewGreenlet(func(...any) any { return "b done" }, nil)
			return b.Switch()
		}, nil)
		if v := a.Switch(); v != "b done" || !a.Dead() || !b.Dead() {
			t.Fatalf("a returned %v; a dead %v, b dead %v", v, a.Dead(), b.Dead())
		}
		c := rt.NewGreenlet(func(...any) any {
			got := b.Switch("via dead b") // b and a are dead: goes to main
			return got
		}, nil)
		if v := c.Switch(); v != "via dead b" {
			t.Fatalf("main got %v, want via dead b", v)
		}
		if c.Dead() {
			t.Fatal("c died: the switch to dead b should have suspended it")
		}
		if v := c.Switch("back to c"); v != "back to c" || !c.Dead() {
			t.Fatalf("c returned %v, dead %v", v, c.Dead())
		}
	})
}

// greenlet's test_parent_equals_None: a nil parent is the current greenlet,
// whichever greenlet that is.
func TestNilParentMeansCurrentGreenlet(t *testing.T) {
	rt.Run(func() {
		main := rt.Current()
		if main.Parent() != nil || main.Name() != "main" {
			t.Fatalf("main greenlet: parent %v, name %q", main.Parent(), main.Name())
		}
		g := rt.NewGreenlet(func(...any) any {
			inner := rt.NewGreenlet(func(...any) any { return nil }, nil)
			return inner
		}, nil)
		if g.Parent() != main {
			t.Fatalf("parent %v, want main", g.Parent())
		}
		inner := g.Switch().(*rt.Greenlet)
		if inner.Parent() != g {
			t.Fatalf("greenlet made inside g has parent %v, want g", inner.Parent())
		}
		inner.Switch() // run it to the end: back to the dead g's ancestor, main
		if !inner.Dead() {
			t.Fatal("inner not dead")
		}
	})
}

// SetParent refuses nil, the greenlet itself, and any cycle, and leaves the
// parent unchanged when it refuses.
func TestSetParentRejectsNilSelfAndCycles(t *testing.T) {
	rt.Run(func() {
		main := rt.Current()
		a := rt.NewGreenlet(func(...any) any { return nil }, nil)
		b := rt.NewGreenlet(func(...any) any { return nil }, a)
		c := rt.NewGreenlet(func(...any) any { return nil }, b)
		for _, tc := range []struct {
			name string
			g, p *rt.Greenlet
		}{
			{"nil", a, nil},
			{"self", a, a},
			{"child", a, b},
			{"grandchild", a, c},
			{"main under a", main, a},
		} {
			before := tc.g.Parent()
			if err := tc.g.SetParent(tc.p); err == nil {
				t.Errorf("%s: SetParent accepted it", tc.name)
			}
			if tc.g.Parent() != before {
				t.Errorf("%s: parent changed to %v after a refused SetParent", tc.name, tc.g.Parent())
			}
		}
		if err := c.SetParent(a); err != nil || c.Parent() != a {
			t.Fatalf("legal SetParent: err %v, parent %v", err, c.Parent())
		}
		for _, g := range []*rt.Greenlet{a, b, c} {
			g.Switch()
		}
	})
}

// A greenlet's result goes to its parent at the time it returns, not to the
// parent it had when it started.
func TestRunResultGoesToReparentedParent(t *testing.T) {
	rt.Run(func() {
		var g *rt.Greenlet
		p := rt.NewGreenlet(func(...any) any {
			got := g.Switch("go on") // resumes g, which returns here
			return "p got " + got.(string)
		}, nil)
		g = rt.NewGreenlet(func(...any) any {
			switchToParent("g suspended")
			return "g result"
		}, nil)
		if v := g.Switch(); v != "g suspended" {
			t.Fatalf("g.Switch() = %v", v)
		}
		if err := g.SetParent(p); err != nil {
			t.Fatal(err)
		}
		if v := p.Switch(); v != "p got g result" {
			t.Fatalf("main got %v, want p got g result", v)
		}
		if !g.Dead() || !p.Dead() {
			t.Fatalf("g dead %v, p dead %v", g.Dead(), p.Dead())
		}
	})
}

// A run that returns into a parent that has not started starts it, with the
// result as its argument (greenlet does the same).
func TestRunResultStartsFreshParent(t *testing.T) {
	rt.Run(func() {
		p := rt.NewGreenlet(func(args ...any) any {
			if len(args) != 1 {
				return fmt.Sprintf("p started with %v", args)
			}
			return args[0].(int) * 2
		}, nil)
		c := rt.NewGreenlet(func(...any) any { return 7 }, p)
		if v := c.Switch(); v != 14 {
			t.Fatalf("main got %v, want 14", v)
		}
	})
}

// Switching to the current greenlet returns the arguments at once, from the
// main greenlet and from a child.
func TestSwitchToSelfReturnsArguments(t *testing.T) {
	rt.Run(func() {
		main := rt.Current()
		if v := main.Switch("me"); v != "me" {
			t.Fatalf("main.Switch(me) = %v", v)
		}
		var g *rt.Greenlet
		g = rt.NewGreenlet(func(...any) any {
			a := g.Switch()
			b := g.Switch(1)
			c := g.Switch(1, 2)
			return []any{a, b, c}
		}, nil)
		want := []any{nil, 1, []any{1, 2}}
		if v := g.Switch(); !reflect.DeepEqual(v, want) {
			t.Fatalf("self switches gave %#v, want %#v", v, want)
		}
	})
}

// Greenlets nested a hundred deep, each made inside the previous one, return
// their results up through the chain of parents.
func TestDeeplyNestedGreenletsReturnThroughParents(t *testing.T) {
	rt.Run(func() {
		var nest func(args ...any) any
		nest = func(args ...any) any {
			n := args[0].(int)
			if n == 0 {
				return 0
			}
			child := rt.NewGreenlet(nest, nil)
			return n + child.Switch(n-1).(int)
		}
		g := rt.NewGreenlet(nest, nil)
		if v := g.Switch(100); v != 5050 {
			t.Fatalf("sum %v, want 5050", v)
		}
	})
}

// A grandchild switches straight to main, skipping its parent; resumed by
// main, it returns into its parent, which is still waiting on its own
// Switch, and that parent's result goes to main.
func TestSwitchBackToMainFromGrandchild(t *testing.T) {
	rt.Run(func() {
		main := rt.Current()
		var b *rt.Greenlet
		a := rt.NewGreenlet(func(...any) any {
			b = rt.NewGreenlet(func(...any) any {
				got := main.Switch("from b")
				return "b done after " + got.(string)
			}, nil)
			return "a got " + b.Switch().(string)
		}, nil)
		if v := a.Switch(); v != "from b" {
			t.Fatalf("main got %v, want from b", v)
		}
		if a.Dead() || b.Dead() {
			t.Fatal("a or b died early")
		}
		if v := b.Switch("back"); v != "a got b done after back" {
			t.Fatalf("main got %v", v)
		}
		if !a.Dead() || !b.Dead() {
			t.Fatalf("a dead %v, b dead %v", a.Dead(), b.Dead())
		}
	})
}

// Values travel through many switches: run's arguments on the first switch,
// and, on later ones, nil, the value, or []any as the pending Switch's result.
func TestValuesPassThroughManySwitches(t *testing.T) {
	rt.Run(func() {
		var got [][]any
		g := rt.NewGreenlet(func(args ...any) any {
			got = append(got, args)
			for {
				v := switchToParent()
				got = append(got, []any{v})
				if v == "stop" {
					return len(got)
				}
			}
		}, nil)
		g.Switch(1, 2, 3)
		g.Switch()
		g.Switch(nil)
		g.Switch("x")
		g.Switch("a", "b")
		if v := g.Switch("stop"); v != 6 {
			t.Fatalf("result %v, want 6", v)
		}
		want := [][]any{{1, 2, 3}, {nil}, {nil}, {"x"}, {[]any{"a", "b"}}, {"stop"}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %#v,\nwant %#v", got, want)
		}

		for _, tc := range []struct {
			args []any
			want []any
		}{{nil, []any{}}, {[]any{nil}, []any{nil}}, {[]any{1, 2}, []any{1, 2}}} {
			h := rt.NewGreenlet(func(args ...any) any { return append([]any{}, args...) }, nil)
			if v := h.Switch(tc.args...); !reflect.DeepEqual(v, tc.want) {
				t.Errorf("run called with %#v, want %#v", v, tc.want)
			}
		}

		// A counter handed back and forth between two children.
		var ping, pong *rt.Greenlet
		ping = rt.NewGreenlet(func(args ...any) any {
			n := args[0].(int)
			for n < 1000 {
				n = pong.Switch(n + 1).(int)
			}
			return n
		}, nil)
		pong = rt.NewGreenlet(func(args ...any) any {
			n := args[0].(int)
			for {
				n = ping.Switch(n + 1).(int)
			}
		}, nil)
		if v := ping.Switch(0); v != 1000 {
			t.Fatalf("ping-pong ended at %v, want 1000", v)
		}
		pong.Throw(rt.GreenletExit)
	})
}

// genlet is test_generator.py's generator made of a greenlet: each Next
// makes the caller the parent and switches in; the body's yield switches to
// the parent.
type genlet struct{ g *rt.Greenlet }

func newGenlet(body func(yield func(any))) *genlet {
	ge := &genlet{}
	ge.g = rt.NewGreenlet(func(...any) any {
		body(func(v any) { ge.g.Parent().Switch(v) })
		return nil
	}, nil)
	return ge
}

func (ge *genlet) Next() (any, bool) {
	if ge.g.Dead() {
		return nil, false
	}
	if err := ge.g.SetParent(rt.Current()); err != nil {
		panic(err)
	}
	v := ge.g.Switch()
	if ge.g.Dead() {
		return nil, false
	}
	return v, true
}

// test_generator: a generator made of a reparented greenlet, run to the end
// three times.
func TestGeneratorBuiltOnGreenlets(t *testing.T) {
	rt.Run(func() {
		var seen []any
		for range 3 {
			gen := newGenlet(func(yield func(any)) {
				for i := range 5 {
					seen = append(seen, i)
					yield(i)
				}
			})
			for v, ok := gen.Next(); ok; v, ok = gen.Next() {
				seen = append(seen, v)
			}
		}
		want := "[0 0 1 1 2 2 3 3 4 4 0 0 1 1 2 2 3 3 4 4 0 0 1 1 2 2 3 3 4 4]"
		if fmt.Sprint(seen) != want {
			t.Fatalf("seen %v,\nwant %v", seen, want)
		}
	})
}

// test_generator_nested: generators that iterate generators inside them,
// recursively, each switching to whichever greenlet asked it for a value.
func TestNestedGeneratorsPermute(t *testing.T) {
	rt.Run(func() {
		var perms func(s string) *genlet
		perms = func(s string) *genlet {
			return newGenlet(func(yield func(any)) {
				if len(s) <= 1 {
					yield(s)
					return
				}
				for i := range len(s) {
					rest := perms(s[:i] + s[i+1:])
					for v, ok := rest.Next(); ok; v, ok = rest.Next() {
						yield(s[i:i+1] + v.(string))
					}
				}
			})
		}
		var got []string
		gen := perms("abcd")
		for v, ok := gen.Next(); ok; v, ok = gen.Next() {
			got = append(got, v.(string))
		}
		if len(got) != 24 || got[0] != "abcd" || got[1] != "abdc" || got[23] != "dcba" {
			t.Fatalf("got %d permutations %v", len(got), got)
		}
		seen := map[string]bool{}
		for _, p := range got {
			seen[p] = true
		}
		if len(seen) != 24 {
			t.Fatalf("%d distinct permutations, want 24", len(seen))
		}
	})
}

// greenlet's test_switch_to_another_thread and test_threaded_reparent:
// a greenlet of one goroutine cannot be switched to, thrown into, or made a
// parent from another, and a refused attempt corrupts neither side.
func TestSwitchAcrossGoroutinesPanicsAndCorruptsNothing(t *testing.T) {
	rt.Run(func() {
		g := rt.NewGreenlet(func(args ...any) any {
			v := switchToParent("suspended")
			return fmt.Sprint(args[0], " ", v)
		}, nil)
		if v := g.Switch("started"); v != "suspended" {
			t.Fatalf("g.Switch = %v", v)
		}
		var msgs []string
		var otherMain *rt.Greenlet
		var otherDone bool
		if p := onFreshGoroutine(func() {
			otherMain = rt.Current()
			for _, f := range []func(){
				func() { g.Switch("from elsewhere") },
				func() { g.Throw(errSome) },
				func() { rt.NewGreenlet(func(...any) any { return nil }, g) },
			} {
				p := catch(f)
				msgs = append(msgs, fmt.Sprint(p))
			}
			// From a child greenlet of the other goroutine too.
			own := rt.NewGreenlet(func(...any) any {
				p := catch(func() { g.Switch() })
				msgs = append(msgs, fmt.Sprint(p))
				if err := rt.Current().SetParent(g); err == nil {
					msgs = append(msgs, "SetParent accepted a foreign parent")
				}
				return "own done"
			}, nil)
			if v := own.Switch(); v != "own done" || rt.Current() != otherMain {
				msgs = append(msgs, fmt.Sprintf("own greenlet returned %v, current %v", v, rt.Current()))
			}
			otherDone = true
		}); p != nil {
			t.Fatalf("other goroutine panicked: %v", p)
		}
		if !otherDone {
			t.Fatal("other goroutine did not finish")
		}
		if len(msgs) != 4 {
			t.Fatalf("messages %q", msgs)
		}
		for _, m := range msgs {
			if !strings.Contains(m, "another hub") {
				t.Errorf("cross-goroutine use gave %q, want a panic naming another hub", m)
			}
		}
		if otherMain == rt.Current() {
			t.Fatal("the other goroutine shares this goroutine's main greenlet")
		}
		if g.Dead() || rt.Current().Parent() != nil {
			t.Fatalf("this side changed: g dead %v", g.Dead())
		}
		if v := g.Switch("resumed"); v != "started resumed" || !g.Dead() {
			t.Fatalf("g resumed with %v, dead %v", v, g.Dead())
		}
	})
}

// rt.Current on a goroutine that has never used rt makes it a main
// greenlet: no parent, named main, stable, and distinct per goroutine.
func TestCurrentOnFreshGoroutineIsItsMainGreenlet(t *testing.T) {
	var first, second *rt.Greenlet
	for i, dst := range []**rt.Greenlet{&first, &second} {
		if p := onFreshGoroutine(func() {
			m := rt.Current()
			if m.Parent() != nil || m.Name() != "main" || m.Dead() {
				t.Errorf("goroutine %d: parent %v, name %q, dead %v", i, m.Parent(), m.Name(), m.Dead())
			}
			if rt.Current() != m {
				t.Errorf("goroutine %d: Current is not stable", i)
			}
			var inner *rt.Greenlet
			g := rt.NewGreenlet(func(...any) any {
				inner = rt.Current()
				return inner.Parent()
			}, nil)
			if parent := g.Switch(); parent != m || inner != g {
				t.Errorf("goroutine %d: inside a child Current %v parent %v", i, inner, parent)
			}
			if rt.Current() != m {
				t.Errorf("goroutine %d: Current after the child is %v", i, rt.Current())
			}
			*dst = m
		}); p != nil {
			t.Fatalf("goroutine %d panicked: %v", i, p)
		}
	}
	if first == nil || first == second {
		t.Fatalf("two goroutines got main greenlets %p and %p", first, second)
	}
}

// Local values are per greenlet for raw greenlets too, and per goroutine
// for main greenlets.
func TestLocalValuesArePerRawGreenletAndGoroutine(t *testing.T) {
	var l rt.Local[int]
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base := (i + 1) * 100
			if v := l.Get(); v != 0 {
				t.Errorf("goroutine %d: main starts with %d", i, v)
			}
			l.Set(base)
			var a, b *rt.Greenlet
			a = rt.NewGreenlet(func(...any) any {
				if v := l.Get(); v != 0 {
					t.Errorf("goroutine %d: a starts with %d", i, v)
				}
				l.Set(base + 1)
				b.Switch()
				return l.Get()
			}, nil)
			b = rt.NewGreenlet(func(...any) any {
				l.Set(base + 2)
				a.Switch()
				return nil
			}, nil)
			if v := a.Switch(); v != base+1 {
				t.Errorf("goroutine %d: a's value %v, want %d", i, v, base+1)
			}
			if v := l.Get(); v != base {
				t.Errorf("goroutine %d: main's value %d, want %d", i, v, base)
			}
			b.Switch()
			if !a.Dead() || !b.Dead() {
				t.Errorf("goroutine %d: a dead %v, b dead %v", i, a.Dead(), b.Dead())
			}
		}()
	}
	wg.Wait()
}

// runtime.Goexit in a greenlet ends that greenlet only, as it ends only the
// calling goroutine natively: its deferred calls run, recover() in them
// sees nil, nothing after the call runs, and the hub and its other
// greenlets go on.
func TestGoexitEndsOnlyTheCallingGreenlet(t *testing.T) {
	rt.Run(func() {
		var trace []string
		g := rt.Spawn(func() any {
			defer func() { trace = append(trace, fmt.Sprint("deferred, recover: ", recover())) }()
			func() {
				defer func() { trace = append(trace, "inner defer") }()
				runtime.Goexit()
			}()
			trace = append(trace, "never")
			return "never"
		})
		other := rt.Spawn(func() any { rt.Sleep(time.Millisecond); return "other" })
		if !g.Join(time.Second) {
			t.Fatal("Join on a greenlet that called Goexit did not return")
		}
		if v, _ := other.Get(); v != "other" {
			t.Fatalf("other greenlet got %v", v)
		}
		if got := strings.Join(trace, "|"); got != "inner defer|deferred, recover: <nil>" {
			t.Fatalf("trace %q", got)
		}
		if !g.Dead() || g.Value() != nil || g.Err() != nil {
			t.Fatalf("after Goexit: dead=%v value=%v err=%v", g.Dead(), g.Value(), g.Err())
		}
		raw := rt.NewGreenlet(func(...any) any { runtime.Goexit(); return "never" }, nil)
		if v := raw.Switch(); v != nil || !raw.Dead() {
			t.Fatalf("raw greenlet after Goexit: Switch = %v, dead = %v", v, raw.Dead())
		}
		// A go statement's greenlet, whose panics crash the program, ends
		// quietly too.
		var exited rt.Event
		rt.Go(func() {
			defer exited.Set()
			runtime.Goexit()
		})
		if !exited.Wait(time.Second) {
			t.Fatal("the go statement's greenlet that called Goexit did not run its defers")
		}
		rt.Sleep(time.Millisecond) // and the hub goes on
	})
}

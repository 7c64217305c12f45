package rt_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/gopatch/gopatch/rt"
)

// The Offloaded forms return the call's results with their own types, and
// the hub's other greenlets run while the call blocks: here the call waits
// for a greenlet to release it, which would hang if it blocked the hub.
func TestOffloadedRunsOtherGreenletsMeanwhile(t *testing.T) {
	var n int
	var err error
	var order []string
	rt.Run(func() {
		release := make(chan struct{}) // native: the offloaded call waits on it
		rt.Go(func() {
			order = append(order, "greenlet ran")
			close(release)
		})
		wait := func(s string) (int, error) {
			<-release
			order = append(order, "call returned")
			return strconv.Atoi(s)
		}
		n, err = rt.Offloaded1to2(wait)("42")
	}, rt.WithVirtualClock())
	if n != 42 || err != nil {
		t.Fatalf("got %d, %v; want 42, nil", n, err)
	}
	if len(order) != 2 || order[0] != "greenlet ran" || order[1] != "call returned" {
		t.Fatalf("order %q", order)
	}
}

// Every arity passes its arguments in order and returns its results.
func TestOffloadedArities(t *testing.T) {
	errX := errors.New("x")
	rt.Run(func() {
		if got := rt.Offloaded0to1(func() int { return 1 })(); got != 1 {
			t.Errorf("0to1: %d", got)
		}
		if a, b := rt.Offloaded0to2(func() (int, error) { return 2, errX })(); a != 2 || b != errX {
			t.Errorf("0to2: %d %v", a, b)
		}
		if got := rt.Offloaded1to1(func(a string) string { return a + "!" })("hi"); got != "hi!" {
			t.Errorf("1to1: %q", got)
		}
		if got := rt.Offloaded2to1(func(a, b int) int { return a - b })(5, 3); got != 2 {
			t.Errorf("2to1: %d", got)
		}
		if a, b := rt.Offloaded2to2(func(a, b int) (int, int) { return b, a })(1, 2); a != 2 || b != 1 {
			t.Errorf("2to2: %d %d", a, b)
		}
		if got := rt.Offloaded3to1(func(a, b, c int) int { return a*100 + b*10 + c })(1, 2, 3); got != 123 {
			t.Errorf("3to1: %d", got)
		}
		if a, b := rt.Offloaded3to2(func(a, b, c int) (int, int) { return a + b, c })(1, 2, 3); a != 3 || b != 3 {
			t.Errorf("3to2: %d %d", a, b)
		}
	}, rt.WithVirtualClock())
}

// A panic in the offloaded call is raised again in the caller.
func TestOffloadedPanics(t *testing.T) {
	defer func() {
		if p := recover(); p != "boom" {
			t.Fatalf("recovered %v, want boom", p)
		}
	}()
	rt.Run(func() {
		rt.Offloaded0to1(func() int { panic("boom") })()
	}, rt.WithVirtualClock())
	t.Fatal("no panic")
}

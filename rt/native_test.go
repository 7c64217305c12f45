package rt_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// A greenlet's native wait runs off the hub: the hub's other greenlets go
// on meanwhile.
func TestBlockOffHubLetsOthersRun(t *testing.T) {
	rt.Run(func() {
		release := make(chan struct{})
		ran := false
		rt.Go(func() {
			ran = true
			close(release) // natively: the waiter below blocks on it
		})
		offHub := rt.BlockOffHub("test wait", func() { <-release })
		if !offHub || !ran {
			t.Fatalf("BlockOffHub = %v, other greenlet ran = %v", offHub, ran)
		}
	})
}

// A goroutine that is no greenlet, and a hub's only greenlet with nothing
// else to run, block natively themselves.
func TestBlockOffHubDeclines(t *testing.T) {
	called := false
	if rt.BlockOffHub("test wait", func() { called = true }) || called {
		t.Error("a plain goroutine's wait was taken off a hub")
	}
	rt.Run(func() {
		if rt.BlockOffHub("test wait", func() { called = true }) || called {
			t.Error("the only greenlet's wait was taken off its hub")
		}
	})
}

// A Kill lands once the native wait has returned, never halfway: what the
// wait hands over is not lost.
func TestBlockOffHubKillWaitsForTheCall(t *testing.T) {
	rt.Run(func() {
		release := make(chan struct{})
		finished := false
		g := rt.Spawn(func() any {
			rt.BlockOffHub("test wait", func() {
				<-release
				finished = true
			})
			return "not reached"
		})
		rt.Sleep(0)
		go func() { time.Sleep(20 * time.Millisecond); close(release) }()
		g.Kill()
		if !finished {
			t.Error("the kill ended the greenlet before its native call returned")
		}
		if !errors.Is(g.Err(), rt.GreenletExit) && g.Value() != rt.GreenletExit {
			t.Errorf("greenlet ended with %v / %v, want GreenletExit", g.Value(), g.Err())
		}
	})
}

// A panic in the native call is raised in the greenlet.
func TestBlockOffHubRepanics(t *testing.T) {
	rt.Run(func() {
		rt.Go(func() {})
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want boom", p)
			}
		}()
		rt.BlockOffHub("test wait", func() { panic("boom") })
	})
}

package rt

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// expectSettled fails t unless every outside wake-up h took has been spent
// once its helpers have had time to report (h.externals back at zero). It
// runs on a greenlet of h, the only place h.externals may be read.
func expectSettled(t *testing.T, h *Hub, path string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for h.externals != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d outside wake-ups still outstanding", path, h.externals)
		}
		Sleep(time.Millisecond)
	}
	if h.externals < 0 {
		t.Fatalf("%s: outside wake-ups spent more often than taken (%d)", path, h.externals)
	}
}

// Each way a wait leaves the hub takes one outside wake-up and spends it
// exactly once, whether the wait's result arrives or the wait is given up.
func TestOutsideWakesAreSpentOnce(t *testing.T) {
	paths := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"Offload", func(t *testing.T) { Offload(func() { time.Sleep(time.Millisecond) }) }},
		{"foreign receive delivered", func(t *testing.T) {
			ch := make(chan int)
			go func() { time.Sleep(time.Millisecond); ch <- 1 }()
			if v := Recv(ch); v != 1 {
				t.Fatalf("got %d", v)
			}
		}},
		{"foreign receive killed", func(t *testing.T) {
			ch := make(chan int)
			g := Spawn(func() any { return Recv(ch) })
			Sleep(time.Millisecond)
			g.Kill()
		}},
		{"foreign send delivered", func(t *testing.T) {
			ch := make(chan int)
			go func() { time.Sleep(time.Millisecond); <-ch }()
			Send(ch, 1)
		}},
		{"foreign select delivered", func(t *testing.T) {
			a, b := make(chan int), make(chan int)
			go func() { time.Sleep(time.Millisecond); b <- 2 }()
			var v int
			var ok bool
			if i := Select(false, RecvCase(a, &v, &ok), RecvCase(b, &v, &ok)); i != 1 || v != 2 {
				t.Fatalf("case %d value %d", i, v)
			}
		}},
		{"native context cancels a wait", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			go func() { time.Sleep(time.Millisecond); cancel() }()
			if err := new(Event).WaitContext(ctx); err == nil {
				t.Fatal("wait ended without an error")
			}
		}},
		{"native context outlived by a wait", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			e := new(Event)
			Spawn(func() any { e.Set(); return nil })
			if err := e.WaitContext(ctx); err != nil {
				t.Fatal(err)
			}
		}},
		{"ContextAfterFunc fired", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			ran := new(Event)
			ContextAfterFunc(ctx, ran.Set)
			go cancel()
			ran.Wait(-1)
		}},
		{"ContextAfterFunc stopped", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stop := ContextAfterFunc(ctx, func() {})
			if !stop() {
				t.Fatal("stop did not stop")
			}
			stop()
		}},
		{"native WaitGroup", func(t *testing.T) {
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { time.Sleep(time.Millisecond); wg.Done() }()
			WaitGroupWait(&wg)
		}},
		{"mutex held natively", func(t *testing.T) {
			var mu sync.Mutex
			mu.Lock()
			go func() { time.Sleep(time.Millisecond); mu.Unlock() }()
			MutexLock(&mu)
			MutexUnlock(&mu)
		}},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			Run(func() {
				h := currentHub()
				p.run(t)
				expectSettled(t, h, p.name)
			})
		})
	}
}

// A go statement on a goroutine that no Run attends holds an outside
// wake-up until the goroutine it starts has a hub of its own.
func TestOutsideWakeOfAnUnattendedGo(t *testing.T) {
	done := make(chan struct{})
	go func() {
		h := currentHub() // a lazy hub: this goroutine runs no Run
		started := make(chan struct{})
		Go(func() { close(started) })
		<-started
		expectSettled(t, h, "unattended Go")
		close(done)
	}()
	<-done
}

func TestOutsideWakeSpentTwicePanics(t *testing.T) {
	Run(func() {
		o := currentHub().expectOutside()
		o.spendHere()
		defer func() {
			p, _ := recover().(string)
			if !strings.Contains(p, "spent twice") {
				t.Fatalf("second spend: recovered %q", p)
			}
		}()
		o.abandon()
	})
}

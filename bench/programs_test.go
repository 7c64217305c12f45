// This file holds the programs the benchmarks time, each written once for
// rt and once for its native baseline, so that tests can check them too.

package bench

import (
	"iter"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/gopatch/gopatch/rt"
)

// A loop reports whether to do one more operation: b.Loop in a benchmark,
// a countdown made by times in a test. The first call of b.Loop resets the
// benchmark timer, so whatever a program does before it is setup, not
// measured.
type loop = func() bool

// times returns a loop of n operations.
func times(n int) loop {
	return func() bool {
		n--
		return n >= 0
	}
}

// Switch: one op is one transfer of control.

// iterPullSwitch makes one iter.Pull round trip per op (the caller resumes
// the coroutine, which yields straight back: two coroutine switches) and
// returns the number of round trips.
func iterPullSwitch(more loop) (trips int) {
	next, stop := iter.Pull(func(yield func(int) bool) {
		for i := 0; yield(i); i++ {
		}
	})
	defer stop()
	for more() {
		if v, _ := next(); v != trips {
			panic("iter.Pull yielded out of order")
		}
		trips++
	}
	return trips
}

// greenletSwitch runs two greenlets that pass control back and forth with
// Switch, one Switch per op, and returns the number of Switches. The two
// greenlets take turns calling more: only one of them runs at a time, and a
// Switch orders everything before it before everything after. One Switch
// is one coroutine switch: a resumes b itself, and b's Switch back yields
// to a, half an iter.Pull round trip each.
func greenletSwitch(more loop) (switches int) {
	rt.Run(func() {
		var a, b *rt.Greenlet
		done := false
		pingPong := func(other **rt.Greenlet) func(...any) any {
			return func(...any) any {
				for !done && more() {
					switches++
					(*other).Switch()
				}
				done = true
				return nil // to the parent, the main greenlet
			}
		}
		a = rt.NewGreenlet(pingPong(&b), nil)
		b = rt.NewGreenlet(pingPong(&a), nil)
		a.Switch()
		// One greenlet saw the end and returned here; the other is still in
		// its Switch (or never started): let it see done and return too.
		for _, g := range []*rt.Greenlet{a, b} {
			if !g.Dead() {
				g.Switch()
			}
		}
	})
	return switches
}

// Yield: one op is one round in which each of two parties yields once.

// goschedYield runs the caller and a partner goroutine that both yield
// with runtime.Gosched; with GOMAXPROCS=1 each yield runs the other. It
// returns the caller's yields and the partner's.
func goschedYield(more loop) (mine, theirs int) {
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			theirs++
			runtime.Gosched()
		}
	}()
	for more() {
		mine++
		runtime.Gosched()
	}
	stop.Store(true)
	wg.Wait()
	return mine, theirs
}

// greenletYield runs two spawned greenlets that both yield with Sleep(0),
// while the main greenlet waits to join them, and returns the yields of
// each.
func greenletYield(more loop) (mine, theirs int) {
	rt.Run(func() {
		stop := false
		a := rt.Spawn(func() any {
			for more() {
				mine++
				rt.Sleep(0)
			}
			stop = true
			return nil
		})
		b := rt.Spawn(func() any {
			for !stop {
				theirs++
				rt.Sleep(0)
			}
			return nil
		})
		rt.JoinAll([]*rt.Greenlet{a, b}, -1)
	})
	return mine, theirs
}

// SpawnJoin: one op starts one goroutine or greenlet and waits for it to
// finish; each program returns how many ran.

// goroutineSpawnJoin uses go and a sync.WaitGroup.
func goroutineSpawnJoin(more loop) (ran int) {
	var wg sync.WaitGroup
	for more() {
		wg.Add(1)
		go func() {
			ran++
			wg.Done()
		}()
		wg.Wait()
	}
	return ran
}

// greenletSpawnJoin uses rt.Spawn and Greenlet.Join.
func greenletSpawnJoin(more loop) (ran int) {
	rt.Run(func() {
		for more() {
			g := rt.Spawn(func() any {
				ran++
				return nil
			})
			g.Join(-1)
		}
	})
	return ran
}

// ChanPingPong: one op is a round trip, two rendezvous hand-offs: the caller
// hands the partner a number, the partner hands back its successor. Each
// program returns the last number it got back, which equals the number of
// round trips.

// goroutineChanPingPong does it with unbuffered Go channels.
func goroutineChanPingPong(more loop) (last int) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	for more() {
		ping <- last
		last = <-pong
	}
	close(ping)
	<-pong
	return last
}

// channelPingPong does it with rt.Channel, gevent's rendezvous queue.
func channelPingPong(more loop) (last int) {
	rt.Run(func() {
		ping, pong := rt.NewChannel[int](), rt.NewChannel[int]()
		partner := rt.Spawn(func() any {
			for v := ping.Get(); v >= 0; v = ping.Get() {
				pong.Put(v + 1)
			}
			return nil
		})
		for more() {
			ping.Put(last)
			last = pong.Get()
		}
		ping.Put(-1)
		partner.Join(-1)
	})
	return last
}

// chanPingPong does it with the operations rewritten code calls on a Go
// channel made by rt.MakeChan: rt.Send, rt.Recv2 and rt.Close.
func chanPingPong(more loop) (last int) {
	rt.Run(func() {
		ping, pong := rt.MakeChan[int](0), rt.MakeChan[int](0)
		partner := rt.Spawn(func() any {
			for v, ok := rt.Recv2(ping); ok; v, ok = rt.Recv2(ping) {
				rt.Send(pong, v+1)
			}
			rt.Close(pong)
			return nil
		})
		for more() {
			rt.Send(ping, last)
			last = rt.Recv(pong)
		}
		rt.Close(ping)
		rt.Recv(pong)
		partner.Join(-1)
	})
	return last
}

// Event wake-up: one op wakes every one of a fixed crowd of waiters and
// waits until each has counted itself and is waiting again. The waiters are
// started before the first op; every op uses a new round, linked from the
// one before, so a waiter that has been woken finds the next thing to wait
// on without a race.

type chanRound struct {
	c    chan struct{}
	next *chanRound
}

// chanCloseWake wakes the goroutines by closing a channel they receive
// from, and returns the wake-ups the waiters counted.
func chanCloseWake(waiters int, more loop) (wakes int64) {
	var counted atomic.Int64
	var woken, exited sync.WaitGroup
	r := &chanRound{c: make(chan struct{})}
	stop := false // written before the last close, read after it
	exited.Add(waiters)
	for range waiters {
		go func(r *chanRound) {
			defer exited.Done()
			n := int64(0)
			for ; ; r = r.next {
				<-r.c
				if stop {
					counted.Add(n)
					return
				}
				n++
				woken.Done()
			}
		}(r)
	}
	for more() {
		r.next = &chanRound{c: make(chan struct{})}
		woken.Add(waiters)
		close(r.c)
		woken.Wait()
		r = r.next
	}
	stop = true
	close(r.c)
	exited.Wait()
	return counted.Load()
}

type eventRound struct {
	ev, done rt.Event
	left     int // waiters that have not counted themselves yet
	next     *eventRound
}

// eventWake wakes the greenlets with rt.Event.Set, and returns the wake-ups
// the waiters counted.
func eventWake(waiters int, more loop) (wakes int64) {
	rt.Run(func() {
		first := &eventRound{}
		stop := false
		gs := make([]*rt.Greenlet, waiters)
		for i := range gs {
			gs[i] = rt.Spawn(func() any {
				n := int64(0)
				for r := first; ; r = r.next {
					r.ev.Wait(-1)
					if stop {
						wakes += n
						return nil
					}
					n++
					if r.left--; r.left == 0 {
						r.done.Set()
					}
				}
			})
		}
		rt.Sleep(0) // every waiter runs until it waits on the first round
		r := first
		for more() {
			r.next = &eventRound{}
			r.left = waiters
			r.ev.Set()
			r.done.Wait(-1)
			r = r.next
		}
		stop = true
		r.ev.Set()
		rt.JoinAll(gs, -1)
	})
	return wakes
}

// inUse returns the bytes of heap spans and stacks in use after a full
// collection.
func inUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse + ms.StackInuse
}

// parkedGoroutines returns the memory per goroutine of n goroutines blocked
// receiving from a channel, and releases them.
func parkedGoroutines(n int) (bytesPer float64) {
	c := make(chan struct{})
	var started, exited sync.WaitGroup
	started.Add(n)
	exited.Add(n)
	before := inUse()
	for range n {
		go func() {
			defer exited.Done()
			started.Done()
			<-c
		}()
	}
	started.Wait()
	runtime.Gosched()
	after := inUse()
	close(c)
	exited.Wait()
	return float64(int64(after)-int64(before)) / float64(n)
}

// parkedGreenlets returns the memory per greenlet of n spawned greenlets
// parked in rt.Event.Wait, and releases them.
func parkedGreenlets(n int) (bytesPer float64) {
	rt.Run(func() {
		var ev rt.Event
		gs := make([]*rt.Greenlet, n)
		wait := func() any { return ev.Wait(-1) }
		before := inUse()
		for i := range gs {
			gs[i] = rt.Spawn(wait)
		}
		rt.Sleep(0) // every greenlet runs until it parks
		after := inUse()
		ev.Set()
		rt.JoinAll(gs, -1)
		bytesPer = float64(int64(after)-int64(before)) / float64(n)
	})
	return bytesPer
}

package rt_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

func TestQueueFIFOAndNowaitErrors(t *testing.T) {
	rt.Run(func() {
		q := rt.NewQueue[int](2)
		if _, err := q.GetNowait(); err != rt.ErrEmpty {
			t.Fatalf("GetNowait on empty = %v, want ErrEmpty", err)
		}
		if _, err := q.Peek(); err != rt.ErrEmpty {
			t.Fatalf("Peek on empty = %v, want ErrEmpty", err)
		}
		q.Put(1)
		if err := q.PutNowait(2); err != nil {
			t.Fatal(err)
		}
		if err := q.PutNowait(3); err != rt.ErrFull {
			t.Fatalf("PutNowait on full = %v, want ErrFull", err)
		}
		if !q.Full() || q.Empty() || q.Len() != 2 {
			t.Fatalf("Full=%v Empty=%v Len=%d", q.Full(), q.Empty(), q.Len())
		}
		if v, _ := q.Peek(); v != 1 {
			t.Fatalf("Peek = %d, want 1", v)
		}
		a, b := q.Get(), q.Get()
		if a != 1 || b != 2 || !q.Empty() {
			t.Fatalf("got %d %d, want 1 2", a, b)
		}
	})
}

func TestQueueGettersServedFIFO(t *testing.T) {
	rt.Run(func() {
		q := rt.NewQueue[string](0)
		var got []string
		var gs []*rt.Greenlet
		for i := range 3 {
			gs = append(gs, rt.Spawn(func() any { got = append(got, fmt.Sprint(i, q.Get())); return nil }))
		}
		rt.Sleep(0)
		// Greenlets that call Get after the waiters cannot overtake them.
		q.Put("a")
		late := rt.Spawn(func() any { got = append(got, "late"+q.Get()); return nil })
		q.Put("b")
		q.Put("c")
		q.Put("d")
		rt.JoinAll(append(gs, late), -1)
		slices.Sort(got) // run order differs from hand-over order; who got what matters
		if strings.Join(got, " ") != "0a 1b 2c lated" {
			t.Fatalf("got %v", got)
		}
	})
}

func TestQueuePutBlocksWhileFullAndPuttersServedFIFO(t *testing.T) {
	rt.Run(func() {
		q := rt.NewQueue[int](1)
		q.Put(0)
		var putDone []int
		var gs []*rt.Greenlet
		for i := 1; i <= 3; i++ {
			gs = append(gs, rt.Spawn(func() any { q.Put(i); putDone = append(putDone, i); return nil }))
		}
		rt.Sleep(0)
		if len(putDone) != 0 || q.Len() != 1 {
			t.Fatalf("puts finished on a full queue: %v", putDone)
		}
		var got []int
		for range 4 {
			got = append(got, q.Get())
			rt.Sleep(0)
		}
		rt.JoinAll(gs, -1)
		if fmt.Sprint(got) != "[0 1 2 3]" || fmt.Sprint(putDone) != "[1 2 3]" {
			t.Fatalf("got %v, puts finished %v", got, putDone)
		}
	})
}

func TestQueueTimeoutsOnVirtualClock(t *testing.T) {
	rt.Run(func() {
		q := rt.NewQueue[int](1)
		start := rt.Now()
		if _, err := q.GetTimeout(time.Second); err != rt.ErrEmpty {
			t.Fatalf("GetTimeout = %v, want ErrEmpty", err)
		}
		q.Put(1)
		if err := q.PutTimeout(2, time.Second); err != rt.ErrFull {
			t.Fatalf("PutTimeout = %v, want ErrFull", err)
		}
		if got := rt.Now().Sub(start); got != 2*time.Second {
			t.Fatalf("timed out after %v, want 2s", got)
		}
		// A timed-out putter left the queue: the next Get sees only 1.
		if v := q.Get(); v != 1 || !q.Empty() {
			t.Fatalf("Get = %d, Len = %d", v, q.Len())
		}
	}, rt.WithVirtualClock())
}

func TestQueueContextCancellation(t *testing.T) {
	rt.Run(func() {
		q := rt.NewQueue[int](1)
		ctx, cancel := context.WithCancel(context.Background())
		rt.Spawn(func() any { cancel(); return nil })
		if _, err := q.GetContext(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("GetContext = %v", err)
		}
		q.Put(1)
		if err := q.PutContext(ctx, 2); !errors.Is(err, context.Canceled) {
			t.Fatalf("PutContext = %v", err)
		}
		if err := q.JoinContext(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("JoinContext = %v", err)
		}
		if v, err := q.GetContext(context.Background()); v != 1 || err != nil {
			t.Fatalf("GetContext = %v, %v", v, err)
		}
	})
}

func TestQueueTaskDoneAndJoin(t *testing.T) {
	rt.Run(func() {
		q := rt.NewQueue[int](0)
		var processed []int
		worker := rt.Spawn(func() any {
			for {
				v := q.Get()
				rt.Sleep(time.Duration(v) * time.Second)
				processed = append(processed, v)
				q.TaskDone()
			}
		})
		for i := 1; i <= 3; i++ {
			q.Put(i)
		}
		q.Join()
		if fmt.Sprint(processed) != "[1 2 3]" {
			t.Fatalf("Join returned after %v were processed", processed)
		}
		q.Join() // nothing unfinished: returns at once
		worker.Kill()
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "TaskDone called more times") {
				t.Fatalf("extra TaskDone recovered %v", p)
			}
		}()
		q.TaskDone()
	}, rt.WithVirtualClock())
}

func TestLifoAndPriorityOrder(t *testing.T) {
	rt.Run(func() {
		l := rt.NewLifoQueue[int](0)
		for i := range 4 {
			l.Put(i)
		}
		var got []int
		for !l.Empty() {
			got = append(got, l.Get())
		}
		if fmt.Sprint(got) != "[3 2 1 0]" {
			t.Fatalf("lifo order %v", got)
		}
		type job struct {
			prio int
			name string
		}
		p := rt.NewPriorityQueue[job](0, func(a, b job) bool { return a.prio < b.prio })
		for _, j := range []job{{3, "c"}, {1, "a1"}, {2, "b"}, {1, "a2"}, {0, "z"}, {1, "a3"}} {
			p.Put(j)
		}
		var names []string
		for !p.Empty() {
			names = append(names, p.Get().name)
		}
		if strings.Join(names, " ") != "z a1 a2 a3 b c" {
			t.Fatalf("priority order %v (equal priorities must stay FIFO)", names)
		}
	})
}

func TestChannelIsARendezvous(t *testing.T) {
	rt.Run(func() {
		c := rt.NewChannel[string]()
		if err := c.PutNowait("x"); err != rt.ErrFull {
			t.Fatalf("PutNowait with no getter = %v, want ErrFull", err)
		}
		if _, err := c.GetNowait(); err != rt.ErrEmpty {
			t.Fatalf("GetNowait with no putter = %v, want ErrEmpty", err)
		}
		var log []string
		p := rt.Spawn(func() any {
			for _, s := range []string{"a", "b"} {
				c.Put(s)
				log = append(log, "put "+s)
			}
			return nil
		})
		rt.Sleep(time.Hour)
		if len(log) != 0 {
			t.Fatalf("Put returned with no getter: %v", log)
		}
		log = append(log, "get "+c.Get())
		rt.Sleep(0)
		log = append(log, "get "+c.Get())
		p.Join(-1)
		if strings.Join(log, ", ") != "get a, put a, get b, put b" {
			t.Fatalf("log %v", log)
		}
		g := rt.Spawn(func() any { return c.Get() })
		rt.Sleep(0)
		if err := c.PutNowait("y"); err != nil {
			t.Fatalf("PutNowait to a waiting getter = %v", err)
		}
		if v, _ := g.Get(); v != "y" {
			t.Fatalf("getter got %v", v)
		}
		if _, err := c.GetTimeout(time.Second); err != rt.ErrEmpty {
			t.Fatalf("GetTimeout = %v", err)
		}
		if err := c.PutTimeout("z", time.Second); err != rt.ErrFull {
			t.Fatalf("PutTimeout = %v", err)
		}
	}, rt.WithVirtualClock())
}

func TestQueueKillWhileBlocked(t *testing.T) {
	rt.Run(func() {
		q := rt.NewQueue[int](1)
		killWhileBlocked(t, func() { q.Get() })
		q.Put(1) // the killed getter was unlinked: 1 stays buffered
		if q.Len() != 1 {
			t.Fatalf("Len = %d after the killed getter, want 1", q.Len())
		}
		killWhileBlocked(t, func() { q.Put(2) })
		if v := q.Get(); v != 1 || !q.Empty() {
			t.Fatalf("Get = %d, Len = %d: the killed putter's item got in", v, q.Len())
		}
		c := rt.NewChannel[int]()
		killWhileBlocked(t, func() { c.Put(1) })
		killWhileBlocked(t, func() { c.Get() })
	})
}

// A getter handed an item and killed before it runs gives the item to the
// next getter instead of losing it.
func TestQueueKillAfterHandoffKeepsItem(t *testing.T) {
	rt.Run(func() {
		q := rt.NewQueue[int](0)
		first := rt.Spawn(func() any { return q.Get() })
		second := rt.Spawn(func() any { return q.Get() })
		rt.Sleep(0)
		q.Put(7) // handed to first, which has not run yet
		first.Kill()
		if v, _ := second.Get(); v != 7 {
			t.Fatalf("second getter got %v, want the item the killed one was handed", v)
		}
		lone := rt.Spawn(func() any { return q.Get() })
		rt.Sleep(0)
		q.Put(8)
		lone.Kill()
		if v, err := q.GetNowait(); v != 8 || err != nil {
			t.Fatalf("GetNowait = %v, %v; want the item back in the queue", v, err)
		}
	})
}

func TestQueueDeadlockNamesOperation(t *testing.T) {
	q := rt.NewQueue[int](1)
	wantDeadlockOn(t, "Queue.Get", func() { q.Get() })
	full := rt.NewQueue[int](1)
	wantDeadlockOn(t, "Queue.Put", func() { full.Put(1); full.Put(2) })
	c := rt.NewChannel[int]()
	wantDeadlockOn(t, "Channel.Put", func() { c.Put(1) })
	j := rt.NewQueue[int](0)
	wantDeadlockOn(t, "Queue.Join", func() { j.Put(1); j.Join() })
}

// A producer on another hub feeds a consumer through a bounded queue; both
// sides block in turn (run with -race). Each hub exists before the other
// waits, so neither one's deadlock check gives up on the other.
func TestQueueAcrossHubs(t *testing.T) {
	q := rt.NewQueue[int](2)
	const n = 200
	done := make(chan struct{})
	rt.Run(func() {
		entered := make(chan struct{})
		go func() {
			defer close(done)
			rt.Run(func() {
				close(entered)
				for i := range n {
					q.Put(i)
				}
			})
		}()
		<-entered
		for i := range n {
			if v := q.Get(); v != i {
				t.Errorf("Get = %d, want %d", v, i)
				return
			}
		}
	})
	<-done
}

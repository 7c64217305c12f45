package rt_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// Greenlets wait for an event; one Set wakes them all, oldest first.
func ExampleEvent() {
	rt.Run(func() {
		var ready rt.Event
		var gs []*rt.Greenlet
		for _, name := range []string{"a", "b", "c"} {
			gs = append(gs, rt.Spawn(func() any {
				ready.Wait(-1)
				fmt.Println(name, "woke at", rt.Now().Sub(rt.DefaultEpoch))
				return nil
			}))
		}
		rt.Sleep(time.Second)
		ready.Set()
		rt.JoinAll(gs, -1)
	}, rt.WithVirtualClock())
	// Output:
	// a woke at 1s
	// b woke at 1s
	// c woke at 1s
}

// An AsyncResult carries one value (or error) from a producer to any
// number of consumers.
func ExampleAsyncResult() {
	rt.Run(func() {
		var result rt.AsyncResult
		rt.Spawn(func() any {
			rt.Sleep(3 * time.Second)
			result.Set("hello")
			return nil
		})
		if _, err := result.GetTimeout(time.Second); errors.Is(err, rt.ErrTimeout) {
			fmt.Println("not yet:", err)
		}
		v, err := result.Get()
		fmt.Println(v, err, rt.Now().Sub(rt.DefaultEpoch))
	}, rt.WithVirtualClock())
	// Output:
	// not yet: rt: timeout after 1s
	// hello <nil> 3s
}

// Workers take tasks from a queue; Join waits until every task is done.
func ExampleQueue() {
	rt.Run(func() {
		tasks := rt.NewQueue[int](0)
		for _, name := range []string{"steve", "john"} {
			rt.Spawn(func() any {
				for {
					n := tasks.Get()
					fmt.Printf("%s got task %d\n", name, n)
					rt.Sleep(time.Second)
					tasks.TaskDone()
				}
			})
		}
		for n := 1; n <= 4; n++ {
			tasks.Put(n)
		}
		tasks.Join()
		fmt.Println("all done at", rt.Now().Sub(rt.DefaultEpoch))
	}, rt.WithVirtualClock())
	// Output:
	// steve got task 1
	// john got task 2
	// steve got task 3
	// john got task 4
	// all done at 2s
}

// A pool runs at most two greenlets at once: the third Spawn waits for a
// free slot.
func ExamplePool() {
	rt.Run(func() {
		pool := rt.NewPool(2)
		for i := 1; i <= 3; i++ {
			pool.Spawn(func() any {
				fmt.Println("start", i, "at", rt.Now().Sub(rt.DefaultEpoch))
				rt.Sleep(time.Duration(i) * time.Second)
				return nil
			})
		}
		pool.Join(-1)
		fmt.Println("free slots:", pool.Free())
	}, rt.WithVirtualClock())
	// Output:
	// start 1 at 0s
	// start 2 at 0s
	// start 3 at 1s
	// free slots: 2
}

// WithTimeout unwinds the function at its first blocking point after the
// deadline and reports the timeout as an error.
func ExampleTimeout() {
	rt.Run(func() {
		err := rt.WithTimeout(2*time.Second, func() {
			for i := 1; ; i++ {
				rt.Sleep(time.Second)
				fmt.Println("tick", i)
			}
		})
		fmt.Println(err, errors.Is(err, rt.ErrTimeout))

		t := rt.NewTimeout(time.Second)
		t.Start()
		t.Cancel()
		rt.Sleep(time.Hour)
		fmt.Println("a cancelled timeout never fires")
	}, rt.WithVirtualClock())
	// Output:
	// tick 1
	// rt: timeout after 2s true
	// a cancelled timeout never fires
}

// A group joins (or kills) greenlets together; each leaves it when done.
func ExampleGroup() {
	rt.Run(func() {
		group := rt.NewGroup()
		for _, d := range []time.Duration{2 * time.Second, time.Second} {
			group.Spawn(func() any {
				rt.Sleep(d)
				fmt.Println("slept", d)
				return nil
			})
		}
		fmt.Println("running:", group.Len())
		group.Join(-1)
		fmt.Println("running:", group.Len())
	}, rt.WithVirtualClock())
	// Output:
	// running: 2
	// slept 1s
	// slept 2s
	// running: 0
}

// IMapUnordered yields results as the work finishes, not in input order.
func ExampleIMapUnordered() {
	rt.Run(func() {
		pool := rt.NewPool(3)
		for r := range rt.IMapUnordered(pool, []int{3, 1, 2}, func(n int) string {
			rt.Sleep(time.Duration(n) * time.Second)
			return fmt.Sprintf("%d at %v", n, rt.Now().Sub(rt.DefaultEpoch))
		}) {
			fmt.Println(r)
		}
	}, rt.WithVirtualClock())
	// Output:
	// 1 at 1s
	// 2 at 2s
	// 3 at 3s
}

// This file ports the examples of Stephen Diehl's gevent tutorial (sections
// Greenlets, Synchronous & Asynchronous Execution, Determinism, Spawning
// Greenlets, Greenlet State, Program Shutdown and Timeouts) to rt, with
// their exact output; tutorial_test.go checks what an Output block cannot.

package rt_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// Ports the tutorial's first example, foo and bar: rt.Sleep(0), like
// gevent.sleep(0), yields to every other runnable greenlet, so the two
// greenlets take turns and each switch is explicit in the code.
func Example_sleepZero() {
	rt.Run(func() {
		foo := func() any {
			fmt.Println("Running in foo")
			rt.Sleep(0)
			fmt.Println("Explicit context switch to foo again")
			return nil
		}
		bar := func() any {
			fmt.Println("Explicit context to bar")
			rt.Sleep(0)
			fmt.Println("Implicit context switch back to bar")
			return nil
		}
		rt.JoinAll([]*rt.Greenlet{rt.Spawn(foo), rt.Spawn(bar)}, -1)
	})
	// Output:
	// Running in foo
	// Explicit context to bar
	// Explicit context switch to foo again
	// Implicit context switch back to bar
}

// Ports gevent's introductory example, which spawns socket.gethostbyname for
// several names and joins them all with a 2-second timeout. A lookup cannot
// be made cooperative, so each greenlet runs net.LookupHost through
// rt.OffloadValue on a native goroutine while the hub runs the others. Only
// local names are looked up, and the output says whether each job finished
// and resolved to loopback addresses, so it is the same on every machine.
//
// The hub uses the real clock here: the lookups take real time, and a
// virtual clock does not move while an offloaded call is pending, so the
// timeout would never be reached if a lookup hung.
func Example_joinAllLookups() {
	type lookup struct {
		addrs []string
		err   error
	}
	rt.Run(func() {
		names := []string{"localhost", "127.0.0.1", "::1"}
		var jobs []*rt.Greenlet
		for _, name := range names {
			jobs = append(jobs, rt.Spawn(func() any {
				return rt.OffloadValue(func() lookup {
					addrs, err := net.LookupHost(name)
					return lookup{addrs, err}
				})
			}))
		}
		rt.JoinAll(jobs, 2*time.Second)
		for i, job := range jobs {
			r, _ := job.Value().(lookup)
			loopback := r.err == nil && len(r.addrs) > 0
			for _, a := range r.addrs {
				loopback = loopback && net.ParseIP(a).IsLoopback()
			}
			fmt.Printf("%s: finished=%t loopback=%t\n", names[i], job.Ready(), loopback)
		}
	})
	// Output:
	// localhost: finished=true loopback=true
	// 127.0.0.1: finished=true loopback=true
	// ::1: finished=true loopback=true
}

// Ports the tutorial's polling example. Two greenlets each wait 2 seconds
// for something that never comes (gevent's select.select([], [], [], 2): a
// wait with a timeout and nothing to watch) while a third does a 1-second
// task. The waits overlap, so the whole run ends at 2 seconds, not 5. The
// virtual clock jumps whenever every greenlet is blocked, so the times are
// exact and the example takes microseconds.
func Example_polling() {
	rt.Run(func() {
		start := rt.Now()
		tic := func() string {
			return fmt.Sprintf("at %1.1f seconds", rt.Now().Sub(start).Seconds())
		}
		poll := func() any {
			fmt.Println("Started Polling:", tic())
			rt.Sleep(2 * time.Second) // select.select([], [], [], 2)
			fmt.Println("Ended Polling:", tic())
			return nil
		}
		stuff := func() any {
			fmt.Println("Hey lets do some stuff while the greenlets poll,", tic())
			rt.Sleep(1 * time.Second)
			return nil
		}
		rt.JoinAll([]*rt.Greenlet{rt.Spawn(poll), rt.Spawn(poll), rt.Spawn(stuff)}, -1)
		fmt.Println("Done", tic())
	}, rt.WithVirtualClock())
	// Output:
	// Started Polling: at 0.0 seconds
	// Started Polling: at 0.0 seconds
	// Hey lets do some stuff while the greenlets poll, at 0.0 seconds
	// Ended Polling: at 2.0 seconds
	// Ended Polling: at 2.0 seconds
	// Done at 2.0 seconds
}

// Ports the tutorial's synchronous and asynchronous tasks. task(pid) sleeps
// a random 0, 1 or 2 ms and prints that it is done. Run one after another,
// the tasks take the sum of their delays and finish in pid order; spawned
// and joined, they take only the longest delay and finish in order of their
// delays (ties in spawn order). The delays come from a fixed seed and the
// clock is virtual, so the order and the durations are exact.
func Example_synchronousAsynchronous() {
	rng := rand.New(rand.NewPCG(1, 2))
	var delay [10]time.Duration
	for i := range delay {
		delay[i] = time.Duration(rng.IntN(3)) * time.Millisecond
	}
	fmt.Println("delays:", delay)
	task := func(pid int) {
		rt.Sleep(delay[pid])
		fmt.Printf("Task %d done\n", pid)
	}
	rt.Run(func() {
		fmt.Println("Synchronous:")
		start := rt.Now()
		for i := 1; i < 10; i++ {
			task(i)
		}
		fmt.Println("took", rt.Now().Sub(start))

		fmt.Println("Asynchronous:")
		start = rt.Now()
		var threads []*rt.Greenlet
		for i := range 10 {
			threads = append(threads, rt.Spawn(func() any { task(i); return nil }))
		}
		rt.JoinAll(threads, -1)
		fmt.Println("took", rt.Now().Sub(start))
	}, rt.WithVirtualClock())
	// Output:
	// delays: [2ms 1ms 2ms 2ms 0s 0s 1ms 1ms 0s 0s]
	// Synchronous:
	// Task 1 done
	// Task 2 done
	// Task 3 done
	// Task 4 done
	// Task 5 done
	// Task 6 done
	// Task 7 done
	// Task 8 done
	// Task 9 done
	// took 7ms
	// Asynchronous:
	// Task 4 done
	// Task 5 done
	// Task 8 done
	// Task 9 done
	// Task 1 done
	// Task 6 done
	// Task 7 done
	// Task 0 done
	// Task 2 done
	// Task 3 done
	// took 2ms
}

// Ports the tutorial's fetch example, which asks a JSON time service for
// the time from several greenlets, first one after another and then all at
// once. The service here is a loopback HTTP server that reports the hub's
// virtual clock; each request is a real HTTP call, offloaded to a native
// goroutine with rt.OffloadValue, and each response then spends a simulated
// transit time on the virtual clock: pid*7%10 tenths of a second, distinct
// for every pid.
//
// One after another, every request sees the time the previous ones took.
// All at once, the requests run together at 0.0 and the greenlets finish in
// order of their transit times. The virtual clock does not move while an
// offloaded call is pending, and no two transit times are equal, so the
// order in which the overlapping real requests complete cannot show and
// the output is exact.
func Example_fetch() {
	clock := rt.NewVirtualClock(rt.DefaultEpoch)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{
			"datetime": clock.Now().Format("15:04:05.0"),
		})
	}))
	defer srv.Close()

	fetch := func(pid int) string {
		resp := rt.OffloadValue(func() (resp struct{ Datetime string }) {
			r, err := srv.Client().Get(srv.URL)
			if err != nil {
				resp.Datetime = err.Error()
				return resp
			}
			defer r.Body.Close()
			if err := json.NewDecoder(r.Body).Decode(&resp); err != nil {
				resp.Datetime = err.Error()
			}
			return resp
		})
		rt.Sleep(time.Duration(pid*7%10) * 100 * time.Millisecond)
		fmt.Printf("Process %d: %s\n", pid, resp.Datetime)
		return resp.Datetime
	}
	synchronous := func() {
		for i := 1; i < 10; i++ {
			fetch(i)
		}
	}
	asynchronous := func() {
		var threads []*rt.Greenlet
		for i := 1; i < 10; i++ {
			threads = append(threads, rt.Spawn(func() any { return fetch(i) }))
		}
		rt.JoinAll(threads, -1)
	}
	rt.Run(func() {
		start := rt.Now()
		fmt.Println("Synchronous:")
		synchronous()
		fmt.Println("took", rt.Now().Sub(start))

		start = rt.Now()
		fmt.Println("Asynchronous:")
		asynchronous()
		fmt.Println("took", rt.Now().Sub(start))
	}, rt.WithClock(clock))
	// Output:
	// Synchronous:
	// Process 1: 00:00:00.0
	// Process 2: 00:00:00.7
	// Process 3: 00:00:01.1
	// Process 4: 00:00:01.2
	// Process 5: 00:00:02.0
	// Process 6: 00:00:02.5
	// Process 7: 00:00:02.7
	// Process 8: 00:00:03.6
	// Process 9: 00:00:04.2
	// took 4.5s
	// Asynchronous:
	// Process 3: 00:00:04.5
	// Process 6: 00:00:04.5
	// Process 9: 00:00:04.5
	// Process 2: 00:00:04.5
	// Process 5: 00:00:04.5
	// Process 8: 00:00:04.5
	// Process 1: 00:00:04.5
	// Process 4: 00:00:04.5
	// Process 7: 00:00:04.5
	// took 900ms
}

// Ports the tutorial's determinism example. A pool-like fan-out runs
// echo(i), which sleeps a millisecond and returns i, for i in 0..9, and
// collects the results in the order the greenlets finish (gevent's
// Pool.imap_unordered). Because one hub decides who runs next, four runs
// give the same order. (The tutorial contrasts this with a
// multiprocessing pool, whose order varies; native goroutines would vary
// the same way, so that half has no exact output to show.)
func Example_determinism() {
	echo := func(i int) int {
		rt.Sleep(time.Millisecond)
		return i
	}
	imapUnordered := func(fn func(int) int, n int) []int {
		results := make([]int, 0, n)
		var gs []*rt.Greenlet
		for i := range n {
			gs = append(gs, rt.Spawn(func() any {
				results = append(results, fn(i))
				return nil
			}))
		}
		rt.JoinAll(gs, -1)
		return results
	}
	rt.Run(func() {
		run1 := imapUnordered(echo, 10)
		run2 := imapUnordered(echo, 10)
		run3 := imapUnordered(echo, 10)
		run4 := imapUnordered(echo, 10)
		fmt.Println(run1)
		fmt.Println(slices.Equal(run1, run2) && slices.Equal(run2, run3) && slices.Equal(run3, run4))
	}, rt.WithVirtualClock())
	// Output:
	// [0 1 2 3 4 5 6 7 8 9]
	// true
}

// Ports the tutorial's first spawning example: greenlets made from a
// function and its arguments (gevent.spawn(foo, "Hello", 1)). In Go the
// arguments travel in a closure. A spawned function's result is the
// greenlet's value, as the tutorial's lambda x: x+1 shows.
func Example_spawnWithArguments() {
	foo := func(message string, n int) func() any {
		return func() any {
			rt.Sleep(time.Duration(n) * time.Second)
			fmt.Println(message)
			return nil
		}
	}
	rt.Run(func() {
		thread1 := rt.Spawn(foo("Hello", 1))
		thread2 := rt.Spawn(foo("I live!", 2))
		x := 2
		thread3 := rt.Spawn(func() any { return x + 1 })
		threads := []*rt.Greenlet{thread1, thread2, thread3}
		rt.JoinAll(threads, -1)
		fmt.Println(thread3.Value())
	}, rt.WithVirtualClock())
	// Output:
	// Hello
	// I live!
	// 3
}

// myGreenlet is the tutorial's MyGreenlet: a Greenlet subclass that keeps
// its arguments in fields and overrides _run.
type myGreenlet struct {
	message string
	n       time.Duration
}

func (g *myGreenlet) run() any {
	fmt.Println(g.message)
	rt.Sleep(g.n)
	return nil
}

// Ports the tutorial's Greenlet subclass, MyGreenlet("Hi there!", 3). Go
// has no subclassing; a type whose method is the greenlet's function gives
// the same shape, and Spawn starts it as g.start() does.
func Example_greenletType() {
	rt.Run(func() {
		g := &myGreenlet{message: "Hi there!", n: 3 * time.Second}
		start := rt.Now()
		gl := rt.Spawn(g.run)
		gl.Join(-1)
		fmt.Println("joined after", rt.Now().Sub(start))
	}, rt.WithVirtualClock())
	// Output:
	// Hi there!
	// joined after 3s
}

// Ports the tutorial's greenlet state example: a winner that returns a value
// and a loser that panics. The panic stays inside the loser (JoinAll does
// not raise it) and is kept as its error; Ready, Successful, Value and Err
// describe each outcome, and Get hands the error back to whoever asks. The
// "failed with" report that rt writes for the loser is discarded here.
func Example_greenletState() {
	errFail := errors.New("You fail at failing.")
	rt.SetErrorWriter(io.Discard)
	defer rt.SetErrorWriter(nil)
	rt.Run(func() {
		winner := rt.Spawn(func() any { return "You win!" })
		loser := rt.Spawn(func() any { panic(errFail) })

		fmt.Println(winner.Ready(), loser.Ready()) // spawned, not yet run

		rt.JoinAll([]*rt.Greenlet{winner, loser}, -1)

		fmt.Println(winner.Value())
		fmt.Println(loser.Value())
		fmt.Println(winner.Ready(), loser.Ready())
		fmt.Println(winner.Successful(), loser.Successful())
		fmt.Println(loser.Err())

		_, err := loser.Get()
		fmt.Println(errors.Is(err, errFail))
	})
	// Output:
	// false false
	// You win!
	// <nil>
	// true true
	// true false
	// panic: You fail at failing.
	// true
}

// Ports the tutorial's program shutdown example, which makes SIGQUIT kill a
// greenlet that would otherwise sleep for 1000 seconds
// (gevent.signal(signal.SIGQUIT, gevent.kill)). Waiting for a signal cannot
// be made cooperative here, so a watcher greenlet receives it through
// rt.Offload and then kills the sleeper, which dies of GreenletExit and
// counts as successful. The example sends itself the signal; the virtual
// clock does not move while the watcher's offloaded wait is pending, so the
// kill happens at 0s.
func Example_programShutdown() {
	quit := make(chan os.Signal, 1)
	signal.Notify(quit, syscall.SIGQUIT)
	defer signal.Stop(quit)
	rt.Run(func() {
		start := rt.Now()
		runForever := func() any {
			rt.Sleep(1000 * time.Second)
			return nil
		}
		thread := rt.Spawn(runForever)
		rt.Spawn(func() any {
			rt.Offload(func() { <-quit })
			thread.Kill()
			return nil
		})
		rt.Spawn(func() any {
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				p.Signal(syscall.SIGQUIT)
			}
			return nil
		})
		thread.Join(-1)
		fmt.Println(thread.Value(), thread.Successful())
		fmt.Println("after", rt.Now().Sub(start))
	}, rt.WithVirtualClock())
	// Output:
	// greenlet exit true
	// after 0s
}

// Ports the tutorial's first timeout example: a 10-second Timeout started in
// the main greenlet fires while it joins a greenlet that sleeps 10 seconds.
// The Timeout raises in the greenlet that started it, at its blocking point
// (the Join), as gevent raises Timeout there; a deferred recover that
// matches the Timeout's error is Go's "except Timeout". The timeout's timer
// was made before the sleeper's, so at the shared deadline it fires first.
func Example_timeoutStart() {
	rt.Run(func() {
		wait := func() any {
			rt.Sleep(10 * time.Second)
			return nil
		}
		timeout := rt.NewTimeout(10 * time.Second)
		timeout.Start()
		defer timeout.Cancel()
		func() {
			defer func() {
				if p := recover(); p != nil {
					if err, ok := p.(error); ok && errors.Is(err, timeout.Err()) {
						fmt.Println("Could not complete")
						return
					}
					panic(p)
				}
			}()
			rt.Spawn(wait).Join(-1)
		}()
	}, rt.WithVirtualClock())
	// Output:
	// Could not complete
}

// errTooLong is the tutorial's TooLong exception.
var errTooLong = errors.New("too long")

// Ports the tutorial's "with Timeout(time_to_wait, TooLong)" example.
// rt.WithTimeout runs a function under a Timeout and returns the Timeout's
// error if it fired; gevent's choice of exception becomes wrapping that
// error in the caller's own. The 10-second sleep is cut short at 5 seconds.
func Example_withTimeoutTooLong() {
	rt.Run(func() {
		start := rt.Now()
		err := rt.WithTimeout(5*time.Second, func() {
			rt.Sleep(10 * time.Second)
		})
		if err != nil {
			err = fmt.Errorf("%w: %w", errTooLong, err)
		}
		fmt.Println(err)
		fmt.Println(errors.Is(err, errTooLong), errors.Is(err, rt.ErrTimeout))
		fmt.Println("after", rt.Now().Sub(start))
	}, rt.WithVirtualClock())
	// Output:
	// too long: rt: timeout after 5s
	// true true
	// after 5s
}

// Ports the tutorial's three ways to time out waiting for a greenlet that
// sleeps 2 seconds, each giving up after 1 second: a join with a timeout
// (thread1.join(timeout=...)), a started Timeout around Get
// (Timeout.start_new(1) with thread2.get), and a function run under a
// timeout (gevent.with_timeout(1, wait)).
func Example_timeoutWays() {
	rt.Run(func() {
		start := rt.Now()
		wait := func() {
			rt.Sleep(2 * time.Second)
		}
		spawnWait := func() *rt.Greenlet {
			return rt.Spawn(func() any { wait(); return nil })
		}

		thread1 := spawnWait()
		if !thread1.Join(1 * time.Second) {
			fmt.Println("Thread 1 timed out")
		}

		func() {
			timer := rt.NewTimeout(1 * time.Second)
			timer.Start()
			defer timer.Cancel()
			defer func() {
				if p := recover(); p != nil {
					if err, ok := p.(error); ok && errors.Is(err, timer.Err()) {
						fmt.Println("Thread 2 timed out")
						return
					}
					panic(p)
				}
			}()
			thread2 := spawnWait()
			thread2.Get()
		}()

		if err := rt.WithTimeout(1*time.Second, wait); errors.Is(err, rt.ErrTimeout) {
			fmt.Println("Thread 3 timed out")
		}
		fmt.Println("after", rt.Now().Sub(start))
	}, rt.WithVirtualClock())
	// Output:
	// Thread 1 timed out
	// Thread 2 timed out
	// Thread 3 timed out
	// after 3s
}

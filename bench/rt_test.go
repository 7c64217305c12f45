// This file holds the benchmarks: each pairs an rt program with its native
// Go baseline as impl=... sub-benchmarks, for benchstat -col /impl.

package bench

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/gopatch/gopatch/rt"
)

// parkedEnv, when set to an impl, makes the test binary a child process that
// prints the bytes per parked goroutine or greenlet and exits; see
// BenchmarkParkedMemory.
const parkedEnv = "GOPATCH_BENCH_PARKED"

// parkedCount is how many goroutines or greenlets BenchmarkParkedMemory parks.
const parkedCount = 100_000

// wakeCount is how many greenlets or goroutines BenchmarkEventWake10000 wakes.
const wakeCount = 10_000

func TestMain(m *testing.M) {
	// Some setups (spawning 100,000 greenlets, a collection while they are
	// parked) keep the hub from switching for longer than the blocking
	// monitor allows; its report would be right, and only noise here.
	rt.SetMaxBlockingTime(0)
	if impl := os.Getenv(parkedEnv); impl != "" {
		fmt.Println(parked(impl, parkedCount))
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// oneProc runs the rest of b with GOMAXPROCS=1 and restores it afterwards.
// Both sides of a scheduling benchmark run on one thread: a hub runs its
// greenlets on one thread, and so do goroutines at GOMAXPROCS=1.
func oneProc(b *testing.B) {
	old := runtime.GOMAXPROCS(1)
	b.Cleanup(func() { runtime.GOMAXPROCS(old) })
}

// BenchmarkSwitch: ns per transfer of control. impl=iterpull is one
// iter.Pull round trip (next and the yield back: two coroutine switches);
// impl=greenlet is one Switch between two greenlets, which is one coroutine
// switch: the greenlet that switches resumes the other itself (see
// Hub.switchFromCoroutine). Target: greenlet <= 1x iterpull, that is within
// two raw coroutine switches.
func BenchmarkSwitch(b *testing.B) {
	b.Run("impl=iterpull", func(b *testing.B) { iterPullSwitch(b.Loop) })
	b.Run("impl=greenlet", func(b *testing.B) { greenletSwitch(b.Loop) })
}

// BenchmarkYield: one op is two yields, one by each of two parties;
// ns/yield is the cost of one. impl=gosched: runtime.Gosched with two
// goroutines at GOMAXPROCS=1. impl=greenlet: rt.Sleep(0) with two spawned
// greenlets. Target: greenlet <= 150 ns/yield.
func BenchmarkYield(b *testing.B) {
	run := func(prog func(loop) (int, int)) func(*testing.B) {
		return func(b *testing.B) {
			oneProc(b)
			prog(b.Loop)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/yield")
		}
	}
	b.Run("impl=gosched", run(goschedYield))
	b.Run("impl=greenlet", run(greenletYield))
}

// BenchmarkSpawnJoin: ns to start one goroutine (go + sync.WaitGroup) or
// greenlet (rt.Spawn + Join) and wait for it to finish, at GOMAXPROCS=1.
// Target: greenlet <= 2x goroutine.
func BenchmarkSpawnJoin(b *testing.B) {
	b.Run("impl=goroutine", func(b *testing.B) {
		oneProc(b)
		goroutineSpawnJoin(b.Loop)
	})
	b.Run("impl=greenlet", func(b *testing.B) {
		oneProc(b)
		greenletSpawnJoin(b.Loop)
	})
}

// BenchmarkChanPingPong: ns per round trip (two rendezvous hand-offs)
// between the caller and a partner, at GOMAXPROCS=1. impl=goroutine: an
// unbuffered chan. impl=channel: rt.Channel, gevent's rendezvous queue, with
// Put and Get. impl=chan: a Go channel made by rt.MakeChan, with rt.Send and
// rt.Recv, as rewritten code uses it.
func BenchmarkChanPingPong(b *testing.B) {
	b.Run("impl=goroutine", func(b *testing.B) {
		oneProc(b)
		goroutineChanPingPong(b.Loop)
	})
	b.Run("impl=channel", func(b *testing.B) {
		oneProc(b)
		channelPingPong(b.Loop)
	})
	b.Run("impl=chan", func(b *testing.B) {
		oneProc(b)
		chanPingPong(b.Loop)
	})
}

// BenchmarkEventWake10000: ns to wake 10,000 waiters and see every one of
// them run, at GOMAXPROCS=1. impl=goroutine: closing a channel that 10,000
// goroutines receive from. impl=greenlet: rt.Event.Set waking 10,000
// greenlets in Event.Wait.
func BenchmarkEventWake10000(b *testing.B) {
	b.Run("impl=goroutine", func(b *testing.B) {
		oneProc(b)
		chanCloseWake(wakeCount, b.Loop)
	})
	b.Run("impl=greenlet", func(b *testing.B) {
		oneProc(b)
		eventWake(wakeCount, b.Loop)
	})
}

// BenchmarkParkedMemory: bytes per parked goroutine (blocked receiving from
// a channel) or greenlet (blocked in rt), from the growth of HeapInuse +
// StackInuse after a collection while 100,000 of them are parked.
//
// Each measurement runs in a fresh child process: the runtime never frees
// the g of a goroutine that has exited but reuses it, so in a process that
// has already run 100,000 goroutines the next 100,000 (or the coroutines of
// 100,000 greenlets) would look some 400 bytes smaller each. ns/op, the
// child's run time, is not reported. Target: greenlet <= 1.5x goroutine.
func BenchmarkParkedMemory(b *testing.B) {
	for _, impl := range []string{"goroutine", "greenlet"} {
		b.Run("impl="+impl, func(b *testing.B) {
			var sum float64
			n := 0
			for b.Loop() {
				sum += parkedInChild(b, impl)
				n++
			}
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(sum/float64(n), "B/parked")
		})
	}
}

// parkedInChild runs parked(impl, parkedCount) in a child process.
func parkedInChild(b *testing.B, impl string) float64 {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), parkedEnv+"="+impl)
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("parked %s child: %v\n%s", impl, err, out)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		b.Fatalf("parked %s child printed %q: %v", impl, out, err)
	}
	return v
}

// parked returns the bytes per parked goroutine or greenlet of n.
func parked(impl string, n int) float64 {
	switch impl {
	case "goroutine":
		return parkedGoroutines(n)
	case "greenlet":
		return parkedGreenlets(n)
	}
	panic("unknown impl " + impl)
}

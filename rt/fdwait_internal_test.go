//go:build linux

package rt

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"
	"weak"
)

// fdReader reads fd as internal/poll does: retry until the read does not
// say EAGAIN, waiting in waitFd between tries. It returns what was read,
// waitFd's last verdict, and whether every wait went through the poller.
func fdReader(fd int, state *unsafe.Pointer, reset func(unsafe.Pointer, int) int) (string, int, bool) {
	var buf [64]byte
	for {
		n, err := syscall.Read(fd, buf[:])
		if !errors.Is(err, syscall.EAGAIN) {
			return string(buf[:max(n, 0)]), 0, true
		}
		res, ok := waitFd(fd, 'r', false, state, nil, reset, 0)
		if !ok {
			return "", res, false
		}
		if res != 0 {
			return "", res, true
		}
	}
}

func noReset(unsafe.Pointer, int) int { return 0 }

func nonblockingPipe(t *testing.T) (r, w int) {
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(p[0]); syscall.Close(p[1]) })
	return p[0], p[1]
}

// A greenlet reading an empty pipe parks in its hub's poller, the hub runs
// its other greenlets meanwhile, and the write that fills the pipe wakes
// the reader, with no goroutine started for the wait.
func TestWaitFdParksOnThePoller(t *testing.T) {
	r, w := nonblockingPipe(t)
	var state unsafe.Pointer
	var order []string
	var got string
	var polled bool
	Run(func() {
		reader := Spawn(func() any {
			order = append(order, "reader waits")
			got, _, polled = fdReader(r, &state, noReset)
			order = append(order, "reader woke")
			return nil
		})
		Sleep(0) // the reader parks
		order = append(order, "writer runs")
		Sleep(5 * time.Millisecond)
		syscall.Write(w, []byte("hello"))
		reader.Join(-1)
		if h := currentHub(); h.externals != 0 || h.fds.parked != 0 {
			t.Errorf("after the wait: externals %d, parked %d, want 0", h.externals, h.fds.parked)
		}
	})
	if !polled || got != "hello" {
		t.Fatalf("reader got %q (through the poller: %v), want hello through it", got, polled)
	}
	if want := "reader waits,writer runs,reader woke"; strings.Join(order, ",") != want {
		t.Errorf("order %q, want %q", strings.Join(order, ","), want)
	}
	if st := (*fdState)(state); st == nil || st.waiterCount() != 0 {
		t.Errorf("fd state after the wait: %+v, want no waiters", st)
	}
}

// A writer blocked on a full pipe wakes when a reader drains it.
func TestWaitFdForWriting(t *testing.T) {
	r, w := nonblockingPipe(t)
	var state unsafe.Pointer
	chunk := make([]byte, 4096)
	for {
		if _, err := syscall.Write(w, chunk); err != nil {
			break
		}
	}
	var res int
	var ok bool
	Run(func() {
		writer := Spawn(func() any { res, ok = waitFd(w, 'w', false, &state, nil, noReset, 0); return nil })
		Sleep(time.Millisecond)
		var buf [65536]byte
		for {
			if n, _ := syscall.Read(r, buf[:]); n <= 0 {
				break
			}
		}
		writer.Join(-1)
	})
	if !ok || res != 0 {
		t.Fatalf("waitFd for writing = %d, %v; want 0 through the poller", res, ok)
	}
}

// reset's verdict (the fd closing, its deadline passed) is returned
// without parking; fdChanged from another goroutine wakes a parked
// greenlet, which then returns the verdict reset gives next.
func TestWaitFdVerdicts(t *testing.T) {
	r, _ := nonblockingPipe(t)
	var state unsafe.Pointer
	closing := func(unsafe.Pointer, int) int { return 1 }
	var first, second int
	var verdict atomic.Int32
	Run(func() {
		g := Spawn(func() any {
			first, _ = waitFd(r, 'r', false, &state, nil, closing, 0)
			_, second, _ = fdReader(r, &state, func(unsafe.Pointer, int) int { return int(verdict.Load()) })
			return nil
		})
		Sleep(time.Millisecond) // g is parked in its second wait
		go func() {
			verdict.Store(2)
			fdChanged(&state)
		}()
		g.Join(-1)
	})
	if first != 1 || second != 2 {
		t.Errorf("verdicts %d, %d; want 1 (at once), 2 (after fdChanged)", first, second)
	}
}

// A greenlet killed while it waits on an fd dies there, and leaves
// nothing behind: no waiter on the fd, no outside wake-up on the hub.
func TestWaitFdKilled(t *testing.T) {
	r, _ := nonblockingPipe(t)
	var state unsafe.Pointer
	Run(func() {
		g := Spawn(func() any {
			fdReader(r, &state, noReset)
			t.Error("the killed reader returned from its wait")
			return nil
		})
		Sleep(time.Millisecond)
		g.Kill()
		h := currentHub()
		if h.externals != 0 || h.fds.parked != 0 {
			t.Errorf("after the kill: externals %d, parked %d, want 0", h.externals, h.fds.parked)
		}
	})
	if st := (*fdState)(state); st.waiterCount() != 0 {
		t.Errorf("%d waiters left on the fd", st.waiterCount())
	}
}

// Greenlets that never block do not starve one whose fd is ready: the
// loop polls between them.
func TestWaitFdNotStarvedByBusyGreenlets(t *testing.T) {
	r, w := nonblockingPipe(t)
	var state unsafe.Pointer
	Run(func() {
		stop, spins := false, 0
		for range 2 {
			Spawn(func() any {
				for !stop && spins < 1_000_000 {
					spins++
					Sleep(0)
				}
				return nil
			})
		}
		reader := Spawn(func() any { fdReader(r, &state, noReset); return nil })
		Sleep(0)
		syscall.Write(w, []byte("x"))
		reader.Join(-1)
		stop = true
		if spins >= 1_000_000 {
			t.Errorf("the reader of a ready fd waited through %d yields of busy greenlets", spins)
		}
	})
}

// A wait with a deadline ends when it comes, on a hub timer, and the
// caller looks again (the runtime then reports the deadline); on a virtual
// clock, which the runtime's deadlines do not follow, the wait is left to
// the runtime.
func TestWaitFdDeadline(t *testing.T) {
	r, _ := nonblockingPipe(t)
	var state unsafe.Pointer
	var res int
	var ok bool
	var took time.Duration
	Run(func() {
		g := Spawn(func() any {
			start := time.Now()
			res, ok = waitFd(r, 'r', false, &state, nil, noReset, int64(5*time.Millisecond))
			took = time.Since(start)
			return nil
		})
		g.Join(-1)
		if h := currentHub(); len(h.timers) != 0 || h.externals != 0 {
			t.Errorf("after the deadline: %d timers, %d outside wake-ups; want 0", len(h.timers), h.externals)
		}
	})
	if !ok || res != 0 || took < 5*time.Millisecond {
		t.Errorf("waitFd with a 5ms deadline = %d, %v after %v; want 0, true after 5ms or more", res, ok, took)
	}
	Run(func() {
		g := Spawn(func() any {
			_, ok = waitFd(r, 'r', false, &state, nil, noReset, int64(time.Millisecond))
			return nil
		})
		g.Join(-1)
	}, WithVirtualClock())
	if ok {
		t.Error("on a virtual clock, a wait with a deadline went through the poller")
	}
}

// A greenlet that waited on an fd and ended is not kept alive by the fd:
// the fd's waiter list holds no stale waiter (its own waiter is in it).
func TestWaitFdDoesNotKeepAnEndedGreenlet(t *testing.T) {
	r, w := nonblockingPipe(t)
	var state unsafe.Pointer
	var ref weak.Pointer[Greenlet]
	Run(func() {
		g := Spawn(func() any { fdReader(r, &state, noReset); return nil })
		Sleep(time.Millisecond)
		syscall.Write(w, []byte("x"))
		g.Join(-1)
		ref = weak.Make(g)
	})
	for range 5 {
		runtime.GC()
	}
	if ref.Value() != nil {
		t.Error("the ended greenlet is still reachable while its fd is open")
	}
	runtime.KeepAlive(&state)
}

// A greenlet of a go statement parked on an fd keeps the 2 KB stack a
// goroutine starts with, below as much code of its own as a net.Conn Read
// puts above waitFd (the caller's frame, net's conn and netFD Read,
// internal/poll's FD.Read, pollDesc.wait and its hook: 536 bytes in
// bench/net/conns): a goroutine-per-connection server on a hub then costs
// no more stack a connection than it does natively. It runs in a process
// of its own with the runtime's adaptive first stack size off, so that
// only growth can make a stack bigger than 2 KB.
func TestParkedFdWaitKeepsATwoKBStack(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation widens every frame")
	}
	if os.Getenv("RT_STACK_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestParkedFdWaitKeepsATwoKBStack$", "-test.v")
		cmd.Env = append(os.Environ(), "RT_STACK_CHILD=1", "GODEBUG=adaptivestackstart=0")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "stack a parked greenlet") {
			t.Fatalf("child: %v\n%s", err, out)
		}
		t.Logf("%s", out)
		return
	}
	const n = 400
	var fds [n][2]int
	var states [n]unsafe.Pointer
	for i := range fds {
		fds[i][0], fds[i][1] = nonblockingPipe(t)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	Run(func() {
		var wg sync.WaitGroup
		for i := range fds {
			// As a listener's Accept does for a connection: the fd is
			// opened on a greenlet, so the hub owns it.
			if !ownFd(fds[i][0], &states[i]) {
				t.Fatal("ownFd refused a pipe")
			}
			WaitGroupAdd(&wg, 1)
			Go(func() {
				defer WaitGroupDone(&wg)
				readBelowConnFrames(fds[i][0], &states[i])
			})
		}
		Sleep(time.Millisecond) // every reader parks
		if h := currentHub(); h.fds == nil || h.fds.parked != n {
			t.Fatalf("parked readers: want %d", n)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		for i := range fds {
			syscall.Write(fds[i][1], []byte("x"))
		}
		WaitGroupWait(&wg)
	})
	per := (int64(after.StackInuse) - int64(before.StackInuse)) / n
	t.Logf("stack a parked greenlet: %d bytes", per)
	if per > 3072 {
		t.Errorf("a greenlet parked on an fd takes %d bytes of stack; want 2 KB (4 KB means it grew)", per)
	}
}

// readBelowConnFrames reads an fd the hub owns, as internal/poll does,
// from under a frame as large as those a net.Conn Read stacks above
// waitFd.
//
//go:noinline
func readBelowConnFrames(fd int, state *unsafe.Pointer) byte {
	var pad [52]uintptr // with this frame and its caller, 536 bytes
	pad[fd%len(pad)] = uintptr(fd)
	var buf [1]byte
	for {
		if n, _ := syscall.Read(fd, buf[:]); n > 0 {
			return byte(pad[(fd+1)%len(pad)]) + buf[0]
		}
		if res, ok := waitFd(fd, 'r', true, state, nil, noReset, 0); !ok || res != 0 {
			return 0
		}
	}
}

// eventsPending sees an event ready in a poller's set without taking it:
// the hub's own poll still collects it, and then nothing is pending.
func TestPollerEventsPendingLeavesThemForTheHub(t *testing.T) {
	h := newHub(currentGoid())
	p, err := newPoller(h)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	r, w := nonblockingPipe(t)
	st := &fdState{}
	if !p.arm(r, st) {
		t.Fatal("arm failed")
	}
	if p.eventsPending() {
		t.Fatal("pending before anything was written")
	}
	syscall.Write(w, []byte("x"))
	for range 2 { // asking again leaves it pending
		if !p.eventsPending() {
			t.Fatal("a readable pipe's event is not pending")
		}
	}
	if !p.poll() {
		t.Fatal("the hub's poll found nothing: eventsPending took the event")
	}
	if p.eventsPending() {
		t.Fatal("still pending after the hub collected it")
	}
}

package rt_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// recoverString runs fn and returns what it panicked with, as a string, or
// "" if it did not panic.
func recoverString(fn func()) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = fmt.Sprint(p)
		}
	}()
	fn()
	return ""
}

func TestChanUnbufferedRendezvous(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[int](0)
		var log []string
		rt.Go(func() {
			for i := range 3 {
				log = append(log, fmt.Sprint("send ", i))
				rt.Send(ch, i)
				log = append(log, fmt.Sprint("sent ", i))
			}
		})
		rt.Sleep(0) // the sender runs and parks in its first Send
		if got := strings.Join(log, ","); got != "send 0" {
			t.Fatalf("before any receive: %q, want the sender parked in its first send", got)
		}
		for i := range 3 {
			if v := rt.Recv(ch); v != i {
				t.Fatalf("received %d, want %d", v, i)
			}
			log = append(log, fmt.Sprint("recv ", i))
		}
		rt.Sleep(0)
		// A send completes when a receiver takes its value: "sent i" never
		// precedes "recv i-1"'s receive, and with the FIFO hub the whole
		// interleaving is fixed. Send 1 finds main parked in its receive and
		// hands over at once; main runs only when the sender parks in send 2.
		want := "send 0,recv 0,sent 0,send 1,sent 1,send 2,recv 1,recv 2,sent 2"
		if got := strings.Join(log, ","); got != want {
			t.Fatalf("order\n got %s\nwant %s", got, want)
		}
	})
}

func TestChanUnbufferedReceiverFirst(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[string](0)
		got := make(chan string, 1) // native: only for the test to look at
		rt.Go(func() { got <- rt.Recv(ch) })
		rt.Sleep(0) // the receiver parks
		rt.Send(ch, "hello")
		rt.Sleep(0)
		if v := <-got; v != "hello" {
			t.Fatalf("got %q", v)
		}
	})
}

func TestChanBufferedCapacityAndFIFO(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[int](3)
		var sent []int
		rt.Go(func() {
			for i := range 6 {
				rt.Send(ch, i)
				sent = append(sent, i)
			}
		})
		rt.Sleep(0)
		if len(sent) != 3 || len(ch) != 3 || cap(ch) != 3 {
			t.Fatalf("sent %v, len %d, cap %d; want 3 sends to fit the buffer", sent, len(ch), cap(ch))
		}
		// A receive frees a slot, and the parked sender's value moves into it
		// before the sender even runs.
		for i := range 6 {
			if v := rt.Recv(ch); v != i {
				t.Fatalf("received %d, want %d", v, i)
			}
			if i == 0 && len(ch) != 3 {
				t.Fatalf("after the first receive len %d, want 3 (the parked sender's value moved in)", len(ch))
			}
		}
		if len(ch) != 0 {
			t.Fatalf("len %d at the end", len(ch))
		}
	})
}

func TestChanBufferedManySendersFIFO(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[int](2)
		for s := range 4 {
			rt.Go(func() { rt.Send(ch, s) })
		}
		// The senders run 3, 0, 1, 2 (the newest first, as Go's runnext):
		// 3 and 0 fill the buffer, 1 and 2 park in that order.
		rt.Sleep(0)
		var got []int
		for range 4 {
			got = append(got, rt.Recv(ch))
		}
		if fmt.Sprint(got) != "[3 0 1 2]" {
			t.Fatalf("got %v", got)
		}
	})
}

func TestChanCloseWakesAllReceivers(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[int](0)
		var woken []string
		for i := range 3 {
			rt.Go(func() {
				v, ok := rt.Recv2(ch)
				woken = append(woken, fmt.Sprint(i, v, ok))
			})
		}
		rt.Sleep(0) // they park in the order they run: 2, 0, 1
		rt.Close(ch)
		rt.Sleep(0)
		// As Go's closechan readies them, at GOMAXPROCS=1: the first
		// parked first, then the others last first (testdata/diff/go_order).
		if got := strings.Join(woken, ","); got != "2 0 false,1 0 false,0 0 false" {
			t.Fatalf("woken %q", got)
		}
	})
}

func TestChanSendOnClosedPanics(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[int](1)
		rt.Close(ch)
		msg := recoverString(func() { rt.Send(ch, 1) })
		if msg != "send on closed channel" {
			t.Fatalf("panic %q", msg)
		}
		var rerr runtime.Error
		func() {
			defer func() { rerr, _ = recover().(runtime.Error) }()
			rt.Send(ch, 1)
		}()
		if rerr == nil {
			t.Fatal("send on closed channel did not panic with a runtime.Error")
		}
		if msg := recoverString(func() { rt.Close(ch) }); msg != "close of closed channel" {
			t.Fatalf("second close: panic %q", msg)
		}
		var nilch chan int
		if msg := recoverString(func() { rt.Close(nilch) }); msg != "close of nil channel" {
			t.Fatalf("close of nil: panic %q", msg)
		}
	})
}

func TestChanClosepanicsParkedSenders(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[int](0)
		var msgs []string
		for i := range 2 {
			rt.Go(func() {
				msgs = append(msgs, fmt.Sprint(i, ": ", recoverString(func() { rt.Send(ch, i) })))
			})
		}
		rt.Sleep(0) // they park in the order they run: 1, 0
		rt.Close(ch)
		rt.Sleep(0)
		if got := strings.Join(msgs, ","); got != "1: send on closed channel,0: send on closed channel" {
			t.Fatalf("got %q", got)
		}
	})
}

func TestChanRecvOnClosedDrainsBufferFirst(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[string](2)
		rt.Send(ch, "a")
		rt.Send(ch, "b")
		rt.Close(ch)
		var got []string
		for range 4 {
			v, ok := rt.Recv2(ch)
			got = append(got, fmt.Sprintf("%q %v", v, ok))
		}
		if s := strings.Join(got, ","); s != `"a" true,"b" true,"" false,"" false` {
			t.Fatalf("got %s", s)
		}
	})
}

func TestChanRangeStopsAtClose(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[int](0)
		rt.Go(func() {
			for i := range 5 {
				rt.Send(ch, i)
			}
			rt.Close(ch)
		})
		var got []int
		for v := range rt.Range(ch) {
			got = append(got, v)
		}
		if fmt.Sprint(got) != "[0 1 2 3 4]" {
			t.Fatalf("got %v", got)
		}
	})
}

func TestChanNilBlocksForever(t *testing.T) {
	rt.Run(func() {
		var nilch chan int
		var done []string
		recv := rt.Spawn(func() any { rt.Recv(nilch); done = append(done, "recv"); return nil })
		send := rt.Spawn(func() any { rt.Send(nilch, 1); done = append(done, "send"); return nil })
		rt.Sleep(time.Hour)
		if len(done) != 0 || recv.Ready() || send.Ready() {
			t.Fatalf("an operation on a nil channel returned: %v", done)
		}
		recv.Kill()
		send.Kill()
	}, rt.WithVirtualClock())
}

func TestChanKillParkedUnlinks(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[int](0)
		r := rt.Spawn(func() any { return rt.Recv(ch) })
		s := rt.Spawn(func() any { rt.Send(ch, 1); return nil }) // matched with r
		rt.Sleep(0)
		// Park a receiver and a sender on another channel, then kill both.
		other := rt.MakeChan[int](0)
		kr := rt.Spawn(func() any { return rt.Recv(other) })
		rt.Sleep(0)
		kr.Kill()
		if !kr.Dead() {
			t.Fatal("killed receiver is alive")
		}
		// A send now must not be handed to the dead receiver: it parks, and a
		// fresh receiver gets it.
		got := rt.Spawn(func() any { return rt.Recv(other) })
		rt.Send(other, 42)
		if v, err := got.Get(); v != 42 || err != nil {
			t.Fatalf("receiver after the kill got %v, %v", v, err)
		}
		ks := rt.Spawn(func() any { rt.Send(other, 7); return nil })
		rt.Sleep(0)
		ks.Kill()
		rt.Go(func() { rt.Send(other, 8) })
		if v := rt.Recv(other); v != 8 {
			t.Fatalf("received %d after killing a parked sender, want 8", v)
		}
		if v, _ := r.Get(); v != 1 || !s.Successful() {
			t.Fatalf("r got %v", v)
		}
	})
}

func TestChanDeadlockIsReported(t *testing.T) {
	rt.Run(func() {
		a := rt.MakeChan[int](0)
		b := rt.MakeChan[int](0)
		c := rt.MakeChan[int](0)
		rt.Go(func() { rt.Send(b, 1) })
		// A select cannot match its own cases.
		rt.Go(func() { rt.Select(false, rt.RecvCase(c, nil, nil), rt.SendCase(c, 2)) })
		defer func() {
			var de *rt.DeadlockError
			err, _ := recover().(error)
			if !errors.As(err, &de) {
				t.Fatalf("recovered %v, want a DeadlockError", err)
			}
			msg := de.Error()
			for _, want := range []string{
				"main waiting on chan receive",
				"waiting on chan send",
				"waiting on select",
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("deadlock report lacks %q:\n%s", want, msg)
				}
			}
		}()
		rt.Recv(a)
	})
}

func TestChanForeignRecvFromNativeSender(t *testing.T) {
	rt.Run(func() {
		ch := make(chan int) // foreign: made natively
		go func() {
			for i := range 3 {
				ch <- i
			}
			close(ch)
		}()
		var got []int
		ticks := 0
		rt.Go(func() {
			for range 3 {
				ticks++
				rt.Sleep(0)
			}
		})
		for v := range rt.Range(ch) {
			got = append(got, v)
		}
		if fmt.Sprint(got) != "[0 1 2]" {
			t.Fatalf("got %v", got)
		}
	})
}

func TestChanForeignSendToNativeReceiver(t *testing.T) {
	rt.Run(func() {
		ch := make(chan int)
		sum := make(chan int)
		go func() {
			s := 0
			for v := range ch {
				s += v
			}
			sum <- s
		}()
		for i := range 5 {
			rt.Send(ch, i)
		}
		rt.Close(ch)
		if s := rt.Recv(sum); s != 10 {
			t.Fatalf("sum %d", s)
		}
	})
}

func TestChanCrossHub(t *testing.T) {
	ch := rt.MakeChan[int](0)
	back := rt.MakeChan[int](1)
	const n = 1000
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		rt.Run(func() {
			for i := range n {
				rt.Send(ch, i)
				if v := rt.Recv(back); v != i {
					t.Errorf("echo %d, want %d", v, i)
					return
				}
			}
			rt.Close(ch)
		})
	}()
	go func() {
		defer wg.Done()
		rt.Run(func() {
			for v := range rt.Range(ch) {
				rt.Send(back, v)
			}
		})
	}()
	wg.Wait()
}

func TestChanCrossHubBuffered(t *testing.T) {
	ch := rt.MakeChan[int](4)
	const n, senders = 500, 3
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() { // plain goroutines: each gets a lazy hub
			defer wg.Done()
			for i := range n {
				rt.Send(ch, s*n+i)
			}
		}()
	}
	seen := make([]bool, senders*n)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range senders * n {
			seen[rt.Recv(ch)] = true
		}
	}()
	wg.Wait()
	<-done
	for i, ok := range seen {
		if !ok {
			t.Fatalf("value %d lost", i)
		}
	}
}

// TestGoStartsInGoOrder: the newest go statement's greenlet starts first,
// then the others oldest first, as Go's runnext makes it at GOMAXPROCS=1.
func TestGoStartsInGoOrder(t *testing.T) {
	rt.Run(func() {
		var order []int
		for i := range 5 {
			rt.Go(func() { order = append(order, i) })
		}
		if len(order) != 0 {
			t.Fatalf("started before the spawner yielded: %v", order)
		}
		rt.Sleep(0)
		if fmt.Sprint(order) != "[4 0 1 2 3]" {
			t.Fatalf("start order %v", order)
		}
	})
}

func TestGoPanicCrashesProgram(t *testing.T) {
	if os.Getenv("RT_TEST_GO_CRASH") == "1" {
		rt.Run(func() {
			rt.Go(func() { panic("boom") })
			rt.Sleep(time.Millisecond)
		})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestGoPanicCrashesProgram$")
	cmd.Env = append(os.Environ(), "RT_TEST_GO_CRASH=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("exit: %v, want status 2\n%s", err, stderr.String())
	}
	out := stderr.String()
	if !strings.HasPrefix(out, "panic: boom\n\ngoroutine ") || !strings.Contains(out, "chan_test.go:") {
		t.Fatalf("stderr lacks the panic and its stack:\n%s", out)
	}
}

func TestGoKillIsQuiet(t *testing.T) {
	var buf bytes.Buffer
	rt.SetErrorWriter(&buf)
	defer rt.SetErrorWriter(nil)
	rt.Run(func() {
		ch := rt.MakeChan[int](0)
		var g *rt.Greenlet
		rt.Go(func() { g = rt.Current(); rt.Recv(ch) })
		rt.Sleep(0)
		g.Kill()
		if !g.Dead() {
			t.Fatal("not dead")
		}
	})
	if buf.Len() != 0 {
		t.Fatalf("a killed rt.Go greenlet reported: %s", buf.String())
	}
}

func TestChanHandoffDoesNotAllocate(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[int](1)
		allocs := testing.AllocsPerRun(1000, func() {
			rt.Send(ch, 1)
			rt.Recv(ch)
		})
		if allocs != 0 {
			t.Fatalf("buffered send+recv allocates %v times", allocs)
		}
	})
}

// BenchmarkChanPingPong measures one round trip over two unbuffered
// channels between two goroutines or two greenlets. Compare at -cpu=1.
func BenchmarkChanPingPong(b *testing.B) {
	b.Run("impl=goroutine", func(b *testing.B) {
		ping, pong := make(chan int), make(chan int)
		go func() {
			for v := range ping {
				pong <- v
			}
		}()
		for b.Loop() {
			ping <- 1
			<-pong
		}
		close(ping)
	})
	b.Run("impl=greenlet", func(b *testing.B) {
		rt.Run(func() {
			ping, pong := rt.MakeChan[int](0), rt.MakeChan[int](0)
			rt.Go(func() {
				for v := range rt.Range(ping) {
					rt.Send(pong, v)
				}
			})
			for b.Loop() {
				rt.Send(ping, 1)
				rt.Recv(pong)
			}
			rt.Close(ping)
		})
	})
}

// A hub-owned channel handed to code that is not rewritten, which sends on
// it natively from its own goroutine (as signal.Notify does), is escaped:
// the greenlet waiting on it is woken by the native send instead of being
// reported as deadlocked.
func TestEscapedChannelIsWokenByANativeSend(t *testing.T) {
	rt.Run(func() {
		ch := rt.MakeChan[int](1)
		notify := func(c chan<- int) { // stands for signal.Notify
			go func() { time.Sleep(5 * time.Millisecond); c <- 7 }()
		}
		notify(rt.Escape(ch))
		if v := rt.Recv(ch); v != 7 {
			t.Fatalf("received %d, want 7", v)
		}
	})
}

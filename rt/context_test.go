package rt_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

func TestContextTimeoutExpiresInVirtualTime(t *testing.T) {
	vrun(func(epoch time.Time) {
		ctx, cancel := rt.ContextWithTimeout(context.Background(), time.Hour)
		defer cancel()
		if d, ok := ctx.Deadline(); !ok || !d.Equal(epoch.Add(time.Hour)) {
			t.Fatalf("Deadline() = %v, %v, want epoch+1h", d, ok)
		}
		if ctx.Err() != nil {
			t.Fatal("Err before the deadline")
		}
		rt.Recv(ctx.Done()) // everything is blocked: the clock jumps
		if d := rt.Since(epoch); d != time.Hour {
			t.Fatalf("Done after %v, want 1h", d)
		}
		if ctx.Err() != context.DeadlineExceeded {
			t.Fatalf("Err = %v", ctx.Err())
		}
		if c := context.Cause(ctx); c != context.DeadlineExceeded {
			t.Fatalf("Cause = %v", c)
		}
	})
}

func TestContextCancelBeforeDeadline(t *testing.T) {
	vrun(func(epoch time.Time) {
		ctx, cancel := rt.ContextWithDeadline(context.Background(), epoch.Add(time.Hour))
		rt.Go(func() {
			rt.Sleep(time.Minute)
			cancel()
		})
		rt.Recv(ctx.Done())
		if d := rt.Since(epoch); d != time.Minute {
			t.Fatalf("Done after %v, want 1m", d)
		}
		if ctx.Err() != context.Canceled {
			t.Fatalf("Err = %v", ctx.Err())
		}
		cancel() // idempotent
		// The deadline timer was stopped: nothing is left to advance to, and
		// sleeping past the deadline changes nothing.
		rt.Sleep(2 * time.Hour)
		if ctx.Err() != context.Canceled {
			t.Fatalf("Err after the old deadline = %v", ctx.Err())
		}
	})
}

func TestContextDeadlineInThePast(t *testing.T) {
	vrun(func(epoch time.Time) {
		ctx, cancel := rt.ContextWithDeadline(context.Background(), epoch.Add(-time.Second))
		defer cancel()
		if ctx.Err() != context.DeadlineExceeded {
			t.Fatalf("Err = %v", ctx.Err())
		}
		rt.Recv(ctx.Done())
	})
}

func TestContextParentPropagation(t *testing.T) {
	vrun(func(epoch time.Time) {
		parent, cancelParent := rt.ContextWithCancel(context.Background())
		type key struct{}
		mid := context.WithValue(parent, key{}, "v") // a native context between them
		child, cancelChild := rt.ContextWithTimeout(mid, time.Hour)
		defer cancelChild()
		grandchild, cancelGrandchild := rt.ContextWithCancel(child)
		defer cancelGrandchild()
		if grandchild.Value(key{}) != "v" {
			t.Fatal("Value is not inherited")
		}
		if d, ok := grandchild.Deadline(); !ok || !d.Equal(epoch.Add(time.Hour)) {
			t.Fatalf("grandchild Deadline() = %v, %v, want the parent's", d, ok)
		}
		rt.Go(func() {
			rt.Sleep(time.Second)
			cancelParent()
		})
		rt.Recv(grandchild.Done())
		if d := rt.Since(epoch); d != time.Second {
			t.Fatalf("grandchild done after %v, want 1s", d)
		}
		if child.Err() != context.Canceled || grandchild.Err() != context.Canceled {
			t.Fatalf("Err = %v, %v", child.Err(), grandchild.Err())
		}
		// A child of a done context is done at once.
		late, cancelLate := rt.ContextWithCancel(child)
		defer cancelLate()
		if late.Err() != context.Canceled {
			t.Fatalf("late child Err = %v", late.Err())
		}
	})
}

func TestContextChildCancelLeavesParent(t *testing.T) {
	vrun(func(epoch time.Time) {
		parent, cancelParent := rt.ContextWithTimeout(context.Background(), time.Hour)
		defer cancelParent()
		child, cancelChild := rt.ContextWithCancel(parent)
		cancelChild()
		rt.Recv(child.Done())
		if parent.Err() != nil {
			t.Fatal("cancelling a child cancelled its parent")
		}
	})
}

func TestContextEarlierParentDeadlineWins(t *testing.T) {
	vrun(func(epoch time.Time) {
		parent, cancel := rt.ContextWithTimeout(context.Background(), time.Minute)
		defer cancel()
		child, cancelChild := rt.ContextWithTimeout(parent, time.Hour)
		defer cancelChild()
		if d, _ := child.Deadline(); !d.Equal(epoch.Add(time.Minute)) {
			t.Fatalf("Deadline() = %v, want the parent's", d)
		}
		rt.Recv(child.Done())
		if child.Err() != context.DeadlineExceeded || rt.Since(epoch) != time.Minute {
			t.Fatalf("Err = %v after %v", child.Err(), rt.Since(epoch))
		}
	})
}

// TestContextNativeParent runs on the real clock: on a virtual clock the
// hub does not wait for a cancellation from outside it before jumping to the
// deadline, as an outside event has no place in virtual time.
func TestContextNativeParent(t *testing.T) {
	rt.Run(func() {
		native, cancelNative := context.WithCancel(context.Background())
		child, cancelChild := rt.ContextWithTimeout(native, time.Hour)
		defer cancelChild()
		go cancelNative() // cancelled from outside the hub
		rt.Recv(child.Done())
		if child.Err() != context.Canceled {
			t.Fatalf("Err = %v", child.Err())
		}
		// Without a deadline, only the outside can end such a context, so
		// ContextWithCancel returns a native one.
		native2, cancelNative2 := context.WithCancel(context.Background())
		defer cancelNative2()
		c2, cancel2 := rt.ContextWithCancel(native2)
		defer cancel2()
		if typ := fmt.Sprintf("%T", c2); typ != "*context.cancelCtx" {
			t.Fatalf("ContextWithCancel of a native cancelable parent is a %s", typ)
		}
		if typ := fmt.Sprintf("%T", child); typ == "*context.cancelCtx" || typ == "*context.timerCtx" {
			t.Fatalf("ContextWithTimeout made a native %s", typ)
		}
	})
}

func TestContextCancelCause(t *testing.T) {
	vrun(func(epoch time.Time) {
		errBoom := errors.New("boom")
		ctx, cancel := rt.ContextWithCancelCause(context.Background())
		child, cancelChild := rt.ContextWithCancel(ctx)
		defer cancelChild()
		cancel(errBoom)
		rt.Recv(child.Done())
		if ctx.Err() != context.Canceled || context.Cause(ctx) != errBoom || context.Cause(child) != errBoom {
			t.Fatalf("Err %v, Cause %v, child Cause %v", ctx.Err(), context.Cause(ctx), context.Cause(child))
		}
		errSlow := errors.New("slow")
		tctx, tcancel := rt.ContextWithTimeoutCause(context.Background(), time.Second, errSlow)
		defer tcancel()
		rt.Recv(tctx.Done())
		if tctx.Err() != context.DeadlineExceeded || context.Cause(tctx) != errSlow {
			t.Fatalf("Err %v, Cause %v", tctx.Err(), context.Cause(tctx))
		}
		// A std context made from a done rt context takes its cause.
		nctx, ncancel := context.WithCancelCause(tctx)
		ncancel(errBoom)
		if got := context.Cause(nctx); got != errSlow {
			t.Fatalf("native child Cause = %v, want the parent's", got)
		}
		// So does one made before, in code that was not rewritten.
		ectx, ecancel := rt.ContextWithTimeoutCause(context.Background(), time.Second, errSlow)
		defer ecancel()
		nctx2, ncancel2 := context.WithCancel(ectx)
		defer ncancel2()
		rt.Recv(ectx.Done())
		<-nctx2.Done()
		if got := context.Cause(nctx2); got != errSlow {
			t.Fatalf("native child Cause = %v, want the parent's", got)
		}
	})
}

func TestContextAfterFunc(t *testing.T) {
	vrun(func(epoch time.Time) {
		ctx, cancel := rt.ContextWithTimeout(context.Background(), time.Minute)
		defer cancel()
		done := rt.MakeChan[time.Duration](1)
		main := rt.Current()
		rt.ContextAfterFunc(ctx, func() {
			if rt.Current() == main {
				t.Error("f runs in the main greenlet")
			}
			rt.Sleep(time.Second)
			rt.Send(done, rt.Since(epoch))
		})
		stopped := rt.ContextAfterFunc(ctx, func() { t.Error("stopped f ran") })
		if !stopped() {
			t.Fatal("stop before done = false")
		}
		if at := rt.Recv(done); at != time.Minute+time.Second {
			t.Fatalf("f finished at %v", at)
		}
		// std context.AfterFunc and WithCancel of an rt context work too.
		nat := make(chan struct{})
		context.AfterFunc(ctx, func() { close(nat) })
		<-nat
		n, ncancel := context.WithCancel(ctx)
		defer ncancel()
		<-n.Done()
	})
}

func TestContextAfterFuncNativeContext(t *testing.T) {
	vrun(func(epoch time.Time) {
		native, cancel := context.WithCancel(context.Background())
		ran := rt.MakeChan[struct{}](0)
		rt.ContextAfterFunc(native, func() { rt.Close(ran) })
		go cancel()
		// The hub waits for the outside instead of reporting a deadlock.
		rt.Recv(ran)
	})
}

func TestContextDoneInSelect(t *testing.T) {
	vrun(func(epoch time.Time) {
		ctx, cancel := rt.ContextWithTimeout(context.Background(), 2500*time.Millisecond)
		defer cancel()
		tk := rt.NewTicker(time.Second)
		defer rt.StopTicker(tk)
		var log []string
		for {
			var now time.Time
			i := rt.Select(false, rt.RecvCase(ctx.Done(), nil, nil), rt.RecvCase(tk.C, &now, nil))
			if i == 0 {
				log = append(log, "done@"+rt.Since(epoch).String()+" "+ctx.Err().Error())
				break
			}
			log = append(log, "tick@"+now.Sub(epoch).String())
		}
		want := "tick@1s tick@2s done@2.5s context deadline exceeded"
		if got := strings.Join(log, " "); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}

// A std cancelCtx made by code that was not rewritten, below an rt context,
// keeps its own cause, and std Cause on an rt context reports its error.
func TestContextCauseThroughNativeChild(t *testing.T) {
	vrun(func(epoch time.Time) {
		errBoom := errors.New("boom")
		ctx, cancel := rt.ContextWithCancel(context.Background())
		defer cancel()
		nctx, ncancel := context.WithCancelCause(ctx)
		ncancel(errBoom)
		if got := context.Cause(nctx); got != errBoom {
			t.Fatalf("Cause of the native child = %v, want boom", got)
		}
		if got := context.Cause(ctx); got != nil {
			t.Fatalf("Cause of the live rt parent = %v", got)
		}
		cancel()
		if got := context.Cause(ctx); got != context.Canceled {
			t.Fatalf("Cause of the rt context = %v", got)
		}
		// The std context does not link a child to the cause carrier: a
		// child made now is done at once, with the same cause.
		late, lcancel := context.WithCancel(ctx)
		defer lcancel()
		<-late.Done()
	})
}

// A context's deadline is on the hub clock, so with a virtual clock an
// hour-long timeout expires at once when nothing else can run.
func ExampleContextWithTimeout() {
	rt.Run(func() {
		start := rt.Now()
		ctx, cancel := rt.ContextWithTimeout(context.Background(), time.Hour)
		defer cancel()
		rt.Recv(ctx.Done())
		fmt.Println(ctx.Err(), "after", rt.Since(start))
	}, rt.WithVirtualClock())
	// Output:
	// context deadline exceeded after 1h0m0s
}

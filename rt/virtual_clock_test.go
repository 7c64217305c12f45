package rt_test

import (
	"testing"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// A hub on a virtual clock whose main greenlet waits on a queue another
// hub uses, while its other greenlet sleeps on virtual time, moves its
// clock on once the other hub is idle too: otherwise each would wait for
// the other for ever (conc's parallel stream tests did, sharing pooled
// channels). The hour passes in no real time.
func TestVirtualTimeMovesWhenOtherHubsAreIdle(t *testing.T) {
	chs, dones := make(chan chan int), make(chan chan int)
	result := make(chan int, 1)
	go rt.Run(func() {
		ch := rt.MakeChan[int](0) // owned by this hub
		chs <- ch
		done := <-dones         // owned by the other hub
		result <- rt.Recv(done) // idle here while the other hub works
	})
	ch := <-chs
	go rt.Run(func() {
		done := rt.MakeChan[int](0)
		dones <- done
		rt.Go(func() {
			rt.Sleep(time.Hour)
			rt.Send(ch, 1)
		})
		v := rt.Recv(ch) // a wait on the first hub's queue
		rt.Send(done, v+1)
	}, rt.WithVirtualClock())
	select {
	case v := <-result:
		if v != 2 {
			t.Fatalf("got %d, want 2", v)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the virtual hour never passed: the hub waited for an idle hub")
	}
}

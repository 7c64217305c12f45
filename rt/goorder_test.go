package rt_test

import (
	"fmt"
	"testing"

	"github.com/gopatch/gopatch/rt"
)

// A pair of greenlets that wake each other through the front of the run
// queue (Go's runnext) still lets the rest of the queue run.
func TestGoOrderPingPongStarvesNobody(t *testing.T) {
	rt.Run(func() {
		ping, pong := rt.MakeChan[int](0), rt.MakeChan[int](0)
		ranAt := -1
		round := 0
		rt.Go(func() { ranAt = round }) // queued behind the pair, once they run
		rt.Go(func() {
			for v := range rt.Range(ping) {
				rt.Send(pong, v)
			}
		})
		for round = range 1000 {
			rt.Send(ping, round)
			rt.Recv(pong)
		}
		rt.Close(ping)
		if ranAt < 0 || ranAt > 100 {
			t.Fatalf("the third greenlet ran at round %d of 1000, want within the first 100", ranAt)
		}
	})
}

// oldestFirst picks as FIFO does but is another policy: a hub with it keeps
// the plain queue order, as seeded and replayed schedules need.
type oldestFirst struct{}

func (oldestFirst) Pick(rt.Runnables) int          { return 0 }
func (oldestFirst) PickCase(*rt.Greenlet, int) int { return 0 }

func TestGoOrderOnlyUnderFIFO(t *testing.T) {
	for _, c := range []struct {
		name string
		opts []rt.Option
		want string
	}{
		{"FIFO", nil, "[4 0 1 2 3]"},
		{"another policy", []rt.Option{rt.WithPolicy(oldestFirst{})}, "[0 1 2 3 4]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rt.Run(func() {
				var order []int
				for i := range 5 {
					rt.Go(func() { order = append(order, i) })
				}
				rt.Sleep(0)
				if got := fmt.Sprint(order); got != c.want {
					t.Fatalf("start order %s, want %s", got, c.want)
				}
			}, c.opts...)
		})
	}
}

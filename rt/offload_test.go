package rt_test

import (
	"sync/atomic"
	"testing"

	"github.com/gopatch/gopatch/rt"
)

// An offloaded call that offloads again (rewritten os/exec called from an
// offloaded exec call) runs the inner call in place: twenty at once, more
// than the pool has workers, do not wait on each other for a worker.
func TestOffloadNestedDoesNotExhaustThePool(t *testing.T) {
	var done atomic.Int32
	rt.Run(func() {
		var gs []*rt.Greenlet
		for range 20 {
			gs = append(gs, rt.Spawn(func() any {
				rt.Offload(func() {
					rt.Offload(func() { done.Add(1) })
				})
				return nil
			}))
		}
		rt.JoinAll(gs, -1)
	})
	if n := done.Load(); n != 20 {
		t.Fatalf("%d of 20 nested offloads ran", n)
	}
}

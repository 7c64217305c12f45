package rt

import (
	"sync"
	"testing"
)

// BenchmarkSyncPointsOff: the rt operations that are scheduling points
// under -yield=sync, on a hub that did not ask for them, so that the cost
// of the check (one load, one branch) shows against a baseline without it.
// op=lock is an uncontended Lock and Unlock; op=now a clock read;
// op=chan a send and a receive on a buffered channel.
func BenchmarkSyncPointsOff(b *testing.B) {
	b.Run("op=lock", func(b *testing.B) {
		Run(func() {
			var mu sync.Mutex
			for b.Loop() {
				MutexLock(&mu)
				MutexUnlock(&mu)
			}
		})
	})
	b.Run("op=now", func(b *testing.B) {
		Run(func() {
			for b.Loop() {
				Now()
			}
		}, WithVirtualClock())
	})
	b.Run("op=chan", func(b *testing.B) {
		Run(func() {
			c := MakeChan[int](1)
			for b.Loop() {
				Send(c, 1)
				Recv(c)
			}
		})
	})
}

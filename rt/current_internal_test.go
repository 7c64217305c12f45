package rt

import "testing"

// Finding the hub of a coroutine that lastHub does not name allocates
// nothing, with a few hubs: a test that counts the process's allocations
// around a call must not see rt's (ttlcache's Test_Cache_Get does, while
// the hub carried on from the test before it runs beside it).
func TestHubOfCoroutineAllocatesNothing(t *testing.T) {
	Run(func() {
		var allocs float64
		g := Spawn(func() any {
			id := currentGoid()
			allocs = testing.AllocsPerRun(100, func() {
				// Each lookup is the coroutine's first.
				lastHub.Store(nil)
				hubsByGoid.Delete(id)
				if hubOf(id) == nil {
					t.Error("hubOf did not find the coroutine's hub")
				}
			})
			return nil
		})
		g.Join(-1)
		if allocs != 0 {
			t.Errorf("hubOf allocated %v times a lookup, want 0", allocs)
		}
	})
}

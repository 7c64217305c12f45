package rt

import (
	"sync"
	"testing"
	"time"
)

// Hubs made lazily for plain goroutines that have exited are forgotten
// once enough new ones have been made: a server whose connection
// goroutines call rewritten code does not keep a hub for every connection
// it ever had.
func TestHubsOfExitedGoroutinesArePurged(t *testing.T) {
	saved := lazyHubsPurgeMin.Swap(16)
	defer lazyHubsPurgeMin.Store(saved)
	// batch runs n goroutines that enter rt and exit, and returns their
	// hubs.
	batch := func(n int) []*Hub {
		hubs := make([]*Hub, n)
		var wg sync.WaitGroup
		for i := range hubs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := MakeChan[int](1) // enters rt: a hub for this goroutine
				Send(c, 1)
				Recv(c)
				hubs[i] = currentHub()
			}()
		}
		wg.Wait()
		return hubs
	}
	first := batch(100)
	registered := func() (n int) {
		for _, h := range first {
			if _, ok := allHubs.Load(h); ok {
				n++
			}
		}
		return n
	}
	// Later goroutines' hubs set off purges, which find the first batch's
	// goroutines gone.
	for made := 0; registered() > 0; made += 50 {
		if made > 20000 {
			t.Fatalf("%d of the first 100 hubs still registered after %d more goroutines", registered(), made)
		}
		batch(50)
		for lazyHubsPurging.Load() {
			time.Sleep(100 * time.Microsecond)
		}
	}
}

// Package seeds is the small test whose schedules bench/seeds.sh counts:
// gopatch test -seeds runs TestSchedule once a seed, and the same body runs
// natively in a testing/synctest bubble (TestSynctest), the comparison
// issue 10 names.
package seeds

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// body is a handful of goroutines and channel operations: three workers
// fed by a channel, results gathered under a mutex, a timer.
func body(t *testing.T) {
	jobs := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sum := 0
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				mu.Lock()
				sum += j
				mu.Unlock()
			}
		}()
	}
	for i := range 6 {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	time.Sleep(time.Millisecond)
	if sum != 15 {
		t.Fatalf("sum = %d; want 15", sum)
	}
}

// TestSchedule is the body as gopatch test -seeds runs it, a schedule a
// seed.
func TestSchedule(t *testing.T) { body(t) }

// TestSynctest is the body in a synctest bubble, which has a virtual clock
// and runs its goroutines until each blocks, as a hub does.
func TestSynctest(t *testing.T) { synctest.Test(t, body) }

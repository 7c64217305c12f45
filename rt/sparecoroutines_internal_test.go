package rt

import (
	"slices"
	"testing"
	"time"
)

// goidsOfGreenlets runs a hub whose three greenlets report the goroutines
// they run on.
func goidsOfGreenlets() []int64 {
	var ids []int64
	Run(func() {
		var gs []*Greenlet
		for range 3 {
			gs = append(gs, Spawn(func() any { return currentGoid() }))
		}
		JoinAll(gs, -1)
		for _, g := range gs {
			ids = append(ids, g.Value().(int64))
		}
	})
	return ids
}

func TestSpareCoroutinesRunTheNextHubsGreenlets(t *testing.T) {
	old := shareCoroutines
	shareCoroutines = func() bool { return true }
	defer func() { shareCoroutines = old }()
	drainSpares()

	first := goidsOfGreenlets()
	second := goidsOfGreenlets()
	slices.Sort(first)
	slices.Sort(second)
	if !slices.Equal(first, second) {
		t.Errorf("the second hub's greenlets ran on goroutines %v, want the first hub's %v", second, first)
	}

	// Once no hub takes them, the spares end by themselves.
	deadline := time.Now().Add(10 * time.Second)
	for {
		spares.mu.Lock()
		n := len(spares.free)
		spares.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d spare coroutines still wait 10s after the last hub ended", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, id := range first {
		if _, ok := hubsByGoid.Load(id); ok {
			t.Errorf("goroutine %d of an ended spare is still in hubsByGoid", id)
		}
	}
}

func TestHubsEndTheirCoroutinesOutsideABatchOfSeeds(t *testing.T) {
	drainSpares()
	first := goidsOfGreenlets()
	second := goidsOfGreenlets()
	for _, id := range second {
		if slices.Contains(first, id) {
			t.Errorf("goroutine %d ran greenlets of two hubs outside a batch of seeds", id)
		}
	}
	spares.mu.Lock()
	defer spares.mu.Unlock()
	if len(spares.free) != 0 {
		t.Errorf("%d spare coroutines kept outside a batch of seeds", len(spares.free))
	}
}

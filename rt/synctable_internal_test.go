package rt

import (
	"math/rand/v2"
	"testing"
)

// The sync side table answers as a map does through random puts and
// clears of keys from a small set, as the same keys come and go and the
// table rebuilds itself without those that map to nothing.
func TestSyncTableMatchesAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tab syncTable
	want := map[syncKey]*syncState{}
	states := []*syncState{heldFast, new(syncState), new(syncState)}
	for op := range 200_000 {
		// Keys as keyOf makes them (address<<3 | kind).
		k := syncKey(1+r.IntN(300))<<3 | syncKey(r.IntN(5))
		switch r.IntN(3) {
		case 0, 1:
			st := states[r.IntN(len(states))]
			tab.put(k, st)
			want[k] = st
		default:
			st := states[r.IntN(len(states))]
			if r.IntN(2) == 0 {
				tab.put(k, nil)
				delete(want, k)
			} else {
				tab.clear(k, st)
				if want[k] == st {
					delete(want, k)
				}
			}
		}
		if op%997 == 0 || op > 199_000 {
			if live := countLive(&tab); live != len(want) {
				t.Fatalf("op %d: %d entries, want %d", op, live, len(want))
			}
			if 2*tab.n > len(tab.slots) {
				t.Fatalf("op %d: %d of %d slots used", op, tab.n, len(tab.slots))
			}
			for k2, st := range want {
				if got := tab.get(k2); got != st {
					t.Fatalf("op %d: get(%#x) = %p, want %p", op, k2, got, st)
				}
			}
		}
		if got := tab.get(k); got != want[k] {
			t.Fatalf("op %d: get(%#x) = %p, want %p", op, k, got, want[k])
		}
	}
}

func countLive(t *syncTable) int {
	n := 0
	for _, s := range t.slots {
		if s.st != nil {
			n++
		}
	}
	return n
}

// A table whose live keys stay few rebuilds without allocating once it
// has reached its size: keys that come and go (a fresh mutex a call, as
// ttlcache's Get takes) must not cost an allocation a rebuild.
func TestSyncTableRebuildsInPlace(t *testing.T) {
	var tab syncTable
	st := new(syncState)
	next := syncKey(1)
	churn := func() {
		k := next << 3
		next++
		tab.put(k, st)
		tab.put(k, nil)
	}
	for range 1000 { // past a few rebuilds
		churn()
	}
	hundred := func() {
		for range 100 {
			churn()
		}
	}
	if allocs := testing.AllocsPerRun(100, hundred); allocs != 0 {
		t.Errorf("100 puts and unputs of new keys allocate %v times, want 0", allocs)
	}
}

// A table whose live keys rise and fall, as the mutexes of a binary's
// tests do until they are collected, allocates only on the way to a new
// peak: neither a fall nor a rise back to an old peak makes new slots.
func TestSyncTableKeepsItsPeakSize(t *testing.T) {
	var tab syncTable
	st := new(syncState)
	next := syncKey(1)
	var live []syncKey
	rise := func(n int) {
		for range n {
			k := next << 3
			next++
			tab.put(k, st)
			live = append(live, k)
		}
	}
	fall := func() {
		for _, k := range live {
			tab.put(k, nil)
		}
		live = live[:0]
		for range 1000 { // keys that come and go, past a few rebuilds
			k := next << 3
			next++
			tab.put(k, st)
			tab.put(k, nil)
		}
	}
	rise(500) // the peak
	fall()
	live = make([]syncKey, 0, 500)
	cycle := func() {
		rise(500)
		fall()
	}
	if allocs := testing.AllocsPerRun(5, cycle); allocs != 0 {
		t.Errorf("rising to the old peak and falling again allocates %v times, want 0", allocs)
	}
}

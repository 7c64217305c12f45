// This file holds the hub's timer heap.

package rt

import (
	"container/heap"
	"time"
)

// timer is a deadline on a hub's clock. When it is due the hub fires it: it
// wakes w (a sleeping or timing-out wait) or runs fn in the hub.
//
// Invariants: a timer is touched only by its hub's goroutines; index is its
// position in the heap, or -1 once it has fired or been stopped.
type timer struct {
	when  time.Time
	seq   uint64 // creation order; breaks ties so equal deadlines fire FIFO
	w     *waiter
	fn    func()
	index int
}

// timerHeap orders timers by deadline, then by creation.
type timerHeap []*timer

func (t timerHeap) Len() int { return len(t) }
func (t timerHeap) Less(i, j int) bool {
	if !t[i].when.Equal(t[j].when) {
		return t[i].when.Before(t[j].when)
	}
	return t[i].seq < t[j].seq
}
func (t timerHeap) Swap(i, j int) {
	t[i], t[j] = t[j], t[i]
	t[i].index = i
	t[j].index = j
}
func (t *timerHeap) Push(x any) {
	tm := x.(*timer)
	tm.index = len(*t)
	*t = append(*t, tm)
}
func (t *timerHeap) Pop() any {
	old := *t
	tm := old[len(old)-1]
	old[len(old)-1] = nil
	*t = old[:len(old)-1]
	tm.index = -1
	return tm
}

// addTimer schedules a timer d from now on h's clock.
// It must only be called from a greenlet of h or from h itself.
func (h *Hub) addTimer(d time.Duration, w *waiter, fn func()) *timer {
	h.timerSeq++
	t := &timer{when: h.clock.Now().Add(d), seq: h.timerSeq, w: w, fn: fn}
	heap.Push(&h.timers, t)
	return t
}

// stopTimer removes t if it has not fired; it reports whether it removed it.
func (h *Hub) stopTimer(t *timer) bool {
	if t == nil || t.index < 0 {
		return false
	}
	heap.Remove(&h.timers, t.index)
	return true
}

// fireDueTimers runs every timer whose deadline has passed, earliest first,
// and reports whether it fired any.
func (h *Hub) fireDueTimers() bool {
	if len(h.timers) == 0 {
		return false
	}
	now := h.clock.Now()
	fired := false
	for len(h.timers) > 0 && !h.timers[0].when.After(now) {
		t := heap.Pop(&h.timers).(*timer)
		fired = true
		if t.w != nil {
			t.w.fire(h, waitTimedOut, nil)
		} else {
			t.fn()
		}
	}
	return fired
}

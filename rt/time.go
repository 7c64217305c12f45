// This file implements package time's timers, tickers and clock reads on the hub clock, for rewritten code.

package rt

import (
	"math"
	"runtime"
	"sync"
	"time"
	"weak"
)

// A timer or ticker made through rt keeps its native type, *time.Timer or
// *time.Ticker, so it passes freely to code that was not rewritten. Its C is
// a hub-owned, unbuffered channel (made with [MakeChan]), and its deadline
// is a timer on the clock of the hub that made it. Because C is hub-owned,
// a greenlet waiting on it is durably blocked, and a virtual clock can jump
// to the deadline.
//
// Native Stop and Reset know nothing of the hub timer, so rewritten code
// calls [StopTimer], [ResetTimer], [StopTicker] and [ResetTicker] instead;
// those find rt's state in a side table keyed by the native value, and fall
// through to the native method for a timer rt did not make. The native
// value behind an rt timer is a stopped native timer, so that unrewritten
// code calling its Stop gets false instead of the "uninitialized Timer"
// panic (it does not stop the hub timer).
//
// Go 1.23 made timer channels synchronous: len and cap of C are 0, a value
// that is due waits until somebody receives it, and after Stop or Reset
// returns no value prepared before the call is received. rt does the same
// with a pending value (see offerLocked) that Stop and Reset withdraw; as
// in Go, a withdrawn value makes them report that the timer was active. The
// pending value is parked on the hub, so only rt receives see it: native
// code that starts receiving from C after the timer fired waits for the next
// value (TODO: hand it to native receivers too, which needs the hub to
// notice one blocked in unrewritten code).
//
// Invariants:
//
//   - mu guards gen, armed, period, tm and pend. gen counts armings and
//     disarmings (NewTimer, Stop, Reset); every hub timer and every posted
//     operation carries the gen it was made for and does nothing unless gen
//     is still current, so an operation that lost a race is a no-op.
//   - The hub timer tm is added and removed only on the hub h that made the
//     timer, with mu held: an operation called elsewhere (another hub, a
//     plain goroutine) posts its hub part to h's inbox.
//   - The offer on C happens on h with mu held, and Stop and Reset withdraw
//     a pending value with mu held; lock order is mu, then C's chanState lock.
//   - At most one value is pending: a ticker drops the ticks a slow receiver
//     has not taken, as Go's does.
type rtTimer struct {
	h *Hub
	c chan time.Time // C; nil for an AfterFunc timer
	f func()         // AfterFunc's function, run in its own greenlet

	mu     sync.Mutex
	gen    uint64
	armed  bool
	period time.Duration // a ticker's interval; 0 for a one-shot timer
	tm     *timer
	pend   *sudog[time.Time] // the value offered on C and not yet received, if any
}

// The side tables. Weak keys keep no timer alive; a cleanup on the native
// value removes its entry. The hub timer is not stopped then: <-After(d) and
// AfterFunc drop the native value and still expect the timer to fire. (So a
// ticker dropped without Stop ticks on; Go 1.23 collects it. TODO: stop a
// ticker once its C is unreachable too, which needs a weak C in fire.)
var (
	rtTimersMu sync.Mutex
	rtTimers   = map[weak.Pointer[time.Timer]]*rtTimer{}
	rtTickers  = map[weak.Pointer[time.Ticker]]*rtTimer{}
)

func forgetTimer(k weak.Pointer[time.Timer]) {
	rtTimersMu.Lock()
	delete(rtTimers, k)
	rtTimersMu.Unlock()
}

func forgetTicker(k weak.Pointer[time.Ticker]) {
	rtTimersMu.Lock()
	delete(rtTickers, k)
	rtTimersMu.Unlock()
}

func lookupTimer(tt *time.Timer) *rtTimer {
	rtTimersMu.Lock()
	defer rtTimersMu.Unlock()
	return rtTimers[weak.Make(tt)]
}

func lookupTicker(tk *time.Ticker) *rtTimer {
	rtTimersMu.Lock()
	defer rtTimersMu.Unlock()
	return rtTickers[weak.Make(tk)]
}

// newRTTimer makes the native *time.Timer for t and registers it.
func newRTTimer(t *rtTimer) *time.Timer {
	// A native timer that never fires: its methods work, and do nothing.
	tt := time.NewTimer(math.MaxInt64)
	tt.Stop()
	tt.C = t.c
	k := weak.Make(tt)
	rtTimersMu.Lock()
	rtTimers[k] = t
	rtTimersMu.Unlock()
	runtime.AddCleanup(tt, forgetTimer, k)
	return tt
}

// NewTimer is time.NewTimer in rewritten code: after d on the hub clock, the
// current time is sent on the returned timer's C.
//
// On a goroutine whose hub is unattended (see [Go]), NewTimer, AfterFunc
// and NewTicker make native timers: no hub loop would fire them.
func NewTimer(d time.Duration) *time.Timer {
	h := currentHub()
	if h.unattended() {
		return time.NewTimer(d)
	}
	t := &rtTimer{h: h, c: MakeChan[time.Time](0)}
	tt := newRTTimer(t)
	t.reset(d, 0)
	return tt
}

// After is time.After in rewritten code.
func After(d time.Duration) <-chan time.Time { return NewTimer(d).C }

// AfterFunc is time.AfterFunc in rewritten code: after d on the hub clock, f
// runs in its own greenlet. The returned timer's C is nil, as Go's is.
func AfterFunc(d time.Duration, f func()) *time.Timer {
	h := currentHub()
	if h.unattended() {
		return time.AfterFunc(d, f)
	}
	t := &rtTimer{h: h, f: f}
	tt := newRTTimer(t)
	t.reset(d, 0)
	return tt
}

// NewTicker is time.NewTicker in rewritten code: the returned ticker's C
// receives the time every d on the hub clock, dropping ticks a slow receiver
// has not made room for. It panics if d <= 0, as Go's does.
func NewTicker(d time.Duration) *time.Ticker {
	if d <= 0 {
		panic("non-positive interval for NewTicker")
	}
	h := currentHub()
	if h.unattended() {
		return time.NewTicker(d)
	}
	t := &rtTimer{h: h, c: MakeChan[time.Time](0)}
	// A Ticker's zero value has a no-op Stop, so no native ticker is needed.
	tk := &time.Ticker{C: t.c}
	k := weak.Make(tk)
	rtTimersMu.Lock()
	rtTickers[k] = t
	rtTimersMu.Unlock()
	runtime.AddCleanup(tk, forgetTicker, k)
	t.reset(d, d)
	return tk
}

// Tick is time.Tick in rewritten code; it returns nil if d <= 0, as Go's does.
func Tick(d time.Duration) <-chan time.Time {
	if d <= 0 {
		return nil
	}
	return NewTicker(d).C
}

// Since is time.Since on the hub clock.
func Since(t time.Time) time.Duration { return Now().Sub(t) }

// Until is time.Until on the hub clock.
func Until(t time.Time) time.Duration { return t.Sub(Now()) }

// StopTimer is t.Stop() in rewritten code, for a *time.Timer receiver: it
// reports whether the call stopped the timer before it fired (or before its
// value was received). A timer rt did not make is stopped natively.
func StopTimer(t *time.Timer) bool {
	if r := lookupTimer(t); r != nil {
		return r.stop()
	}
	return t.Stop()
}

// ResetTimer is t.Reset(d) in rewritten code: it re-arms the timer to fire
// after d, drops any value not yet received, and reports whether the timer
// was active. A timer rt did not make is reset natively.
func ResetTimer(t *time.Timer, d time.Duration) bool {
	if r := lookupTimer(t); r != nil {
		return r.reset(d, 0)
	}
	return t.Reset(d)
}

// StopTicker is t.Stop() in rewritten code, for a *time.Ticker receiver.
func StopTicker(t *time.Ticker) {
	if r := lookupTicker(t); r != nil {
		r.stop()
		return
	}
	t.Stop()
}

// ResetTicker is t.Reset(d) in rewritten code: the next tick comes d from
// now, then every d. It panics if d <= 0, as Go's does.
func ResetTicker(t *time.Ticker, d time.Duration) {
	r := lookupTicker(t)
	if r == nil {
		t.Reset(d)
		return
	}
	if d <= 0 {
		panic("non-positive interval for Ticker.Reset")
	}
	r.reset(d, d)
}

// StopTimerFunc is the method value t.Stop in rewritten code: t is
// evaluated now, as Go evaluates a method value's receiver.
func StopTimerFunc(t *time.Timer) func() bool { return func() bool { return StopTimer(t) } }

// ResetTimerFunc is the method value t.Reset in rewritten code.
func ResetTimerFunc(t *time.Timer) func(time.Duration) bool {
	return func(d time.Duration) bool { return ResetTimer(t, d) }
}

// StopTickerFunc is the method value t.Stop of a *time.Ticker in rewritten code.
func StopTickerFunc(t *time.Ticker) func() { return func() { StopTicker(t) } }

// ResetTickerFunc is the method value t.Reset of a *time.Ticker in rewritten code.
func ResetTickerFunc(t *time.Ticker) func(time.Duration) {
	return func(d time.Duration) { ResetTicker(t, d) }
}

// rearmLocked is what stop and reset share: it sets armed, starts a new
// generation (hub work queued for an older one is dropped), and withdraws a
// value that is due but not received. It reports whether t was active and
// returns the new generation. t.mu is held.
func (t *rtTimer) rearmLocked(armed bool) (pending bool, gen uint64) {
	pending = t.armed
	t.armed = armed
	t.gen++
	if t.drainLocked() {
		pending = true
	}
	return pending, t.gen
}

// stop disarms t and withdraws a pending value; it reports whether t was
// active.
func (t *rtTimer) stop() bool {
	t.mu.Lock()
	pending, gen := t.rearmLocked(false)
	t.mu.Unlock()
	t.onHub(func() {
		t.mu.Lock()
		if t.gen == gen {
			t.h.stopTimer(t.tm)
			t.tm = nil
		}
		t.mu.Unlock()
	})
	return pending
}

// reset re-arms t to fire d from now on the hub clock, then every period if
// period > 0. It withdraws a pending value and reports whether t was active.
func (t *rtTimer) reset(d, period time.Duration) bool {
	when := t.h.clock.Now().Add(d)
	t.mu.Lock()
	pending, gen := t.rearmLocked(true)
	t.period = period
	t.mu.Unlock()
	t.onHub(func() {
		t.mu.Lock()
		if t.gen == gen {
			t.scheduleLocked(gen, when)
		}
		t.mu.Unlock()
	})
	return pending
}

// scheduleLocked replaces t's hub timer with one due at when. It runs on
// t.h with t.mu held.
func (t *rtTimer) scheduleLocked(gen uint64, when time.Time) {
	t.h.stopTimer(t.tm)
	t.tm = t.h.addTimer(when.Sub(t.h.clock.Now()), nil, func() { t.fire(gen) })
}

// fire runs in t.h when t's hub timer is due: it sends the time on C (or
// starts f), and schedules a ticker's next tick.
func (t *rtTimer) fire(gen uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != gen || !t.armed || t.tm == nil {
		return // stopped or reset after this timer was armed
	}
	when := t.tm.when
	if t.period > 0 {
		// The next tick is the first multiple of period after now, as the
		// runtime computes it: ticks that were missed are skipped.
		now := t.h.clock.Now()
		t.scheduleLocked(gen, when.Add(t.period*(1+now.Sub(when)/t.period)))
	} else {
		t.armed = false
		t.tm = nil
	}
	if t.f != nil {
		f := t.f
		g := t.h.spawnGo(f)
		t.h.runq.push(runItem{g: g})
		return
	}
	// Go sends the time the timer was due, not the (later) time it ran.
	t.offerLocked(when)
}

// offerLocked offers v on C, as the runtime's sendTime does for a Go 1.23
// timer channel: to an rt receiver parked on C, or a native one blocked on
// it, or else as a pending value that the next receive takes, which rt keeps
// as a callback sender parked in C's sendq. While a value is pending, a
// ticker's next tick is dropped. t.mu is held.
func (t *rtTimer) offerLocked(v time.Time) {
	st := lookupChan(chanPtr(t.c))
	if st == nil {
		panic("rt: a timer's channel is not hub-owned")
	}
	st.lock.Lock()
	defer st.lock.Unlock()
	if t.pend != nil && !t.pend.claimed() {
		return // the previous value is still pending
	}
	t.pend = nil
	if done, _ := sendLocked(st, t.c, v, t.h); done {
		return
	}
	s := &sudog[time.Time]{elem: v}
	s.hub, s.what, s.fn = t.h, "timer send", func() {}
	s.claim = &s.own
	st.sendq.enqueue(&s.waiter, &st.lock)
	t.pend = s
}

// drainLocked withdraws the pending value, if nobody has received it, and
// reports whether there was one. t.mu is held.
func (t *rtTimer) drainLocked() bool {
	s := t.pend
	if s == nil {
		return false
	}
	t.pend = nil
	st := lookupChan(chanPtr(t.c))
	st.lock.Lock()
	defer st.lock.Unlock()
	if !s.tryClaim() {
		return false // a receiver took it
	}
	if s.q != nil {
		s.q.remove(&s.waiter)
	}
	return true
}

// onHub runs fn on t's hub: now, if the caller is running on it, and
// otherwise through its inbox.
func (t *rtTimer) onHub(fn func()) { runOnHub(t.h, fn) }

// runOnHub runs fn on h: now, if the caller is h's running greenlet or h
// itself, and otherwise through h's inbox, without giving the caller a hub.
// fn must not block.
func runOnHub(h *Hub, fn func()) {
	if h.running.is(currentGoid()) {
		fn()
		return
	}
	h.post(runItem{fn: fn})
}

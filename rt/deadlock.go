// This file builds the report a hub raises when nothing can ever wake it.

package rt

import (
	"bytes"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DeadlockError is what the main greenlet of a hub panics with when it
// waits and nothing can ever wake any greenlet of the hub: nothing runnable,
// no timer, no offloaded call or other outside source pending.
type DeadlockError struct {
	Blocked []BlockedGreenlet
	Cycles  []string // greenlets that wait for each other's locks: "g2 waits for a lock held by g3, which waits for a lock held by g2"
}

// BlockedGreenlet describes one greenlet of a deadlocked hub.
type BlockedGreenlet struct {
	Name      string // "main", or "g" and its number on the hub ("g3"), or the name a Spawn caller gave it
	SpawnedAt string // file:line of the go statement or Spawn call, if known
	ViaGo     bool   // made by a go statement
	WaitingOn string // what it waits on ("Event.Wait", "Sleep", "not started")
	At        string // file:line of the blocking call, outside rt, if known
	Object    string // where what it waits on comes from and who holds it, if known

	g, holder *Greenlet // for finding cycles
}

func (e *DeadlockError) Error() string {
	var b strings.Builder
	b.WriteString("rt: all greenlets are blocked (deadlock):")
	writeGreenlets(&b, e.Blocked)
	for _, c := range e.Cycles {
		b.WriteString("\n\tlock-order cycle: ")
		b.WriteString(c)
	}
	return b.String()
}

// writeGreenlets writes a line for each of bs, and a second, indented,
// for what it waits on.
func writeGreenlets(b *strings.Builder, bs []BlockedGreenlet) {
	for _, g := range bs {
		b.WriteString("\n\t")
		b.WriteString(g.String())
		if g.Object != "" {
			b.WriteString("\n\t\t")
			b.WriteString(g.Object)
		}
	}
}

// String describes g on one line: "g3 waiting on chan receive at x.go:12
// (go statement at x.go:9)".
func (g BlockedGreenlet) String() string {
	s := g.Name + " waiting on " + g.WaitingOn
	if g.At != "" {
		s += " at " + g.At
	}
	if g.SpawnedAt != "" {
		if g.ViaGo {
			s += " (go statement at " + g.SpawnedAt + ")"
		} else {
			s += " (spawned at " + g.SpawnedAt + ")"
		}
	}
	return s
}

// deadlock describes every live greenlet of h.
func (h *Hub) deadlock() *DeadlockError {
	bs := h.describeGreenlets()
	return &DeadlockError{Blocked: bs, Cycles: lockCycles(bs)}
}

// describeGreenlets describes every live greenlet of h but those of skip.
func (h *Hub) describeGreenlets(skip ...*Greenlet) []BlockedGreenlet {
	frames := userFrames()
	var bs []BlockedGreenlet
	for g := h.live.first; g != nil; g = g.liveNext {
		if slices.Contains(skip, g) {
			continue
		}
		b := BlockedGreenlet{Name: g.reportName(), SpawnedAt: g.spawnSite(), ViaGo: g.viaGo(), At: frames[g.goid], g: g}
		switch {
		case g.waiting != nil:
			b.WaitingOn = g.waiting.what
			if q := g.waiting.home; q != nil && q.obj != nil {
				b.Object, b.holder = q.obj.describe()
			}
		case g.state == stateFresh:
			b.WaitingOn = "nothing (not started)"
		default:
			b.WaitingOn = "a switch back"
		}
		bs = append(bs, b)
	}
	return bs
}

// userFrames maps each goroutine id to the file:line of its innermost frame
// outside package rt, from one dump of every goroutine's stack. It is slow,
// and called only to report a deadlock or a blocked hub.
func userFrames() map[int64]string {
	frames := make(map[int64]string)
	for id, stack := range goroutineStacks() {
		if at := firstUserFrame(stack); at != "" {
			frames[id] = at
		}
	}
	return frames
}

// goroutineStacks returns every goroutine's stack text by goroutine id.
func goroutineStacks() map[int64]string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	stacks := make(map[int64]string)
	for _, block := range bytes.Split(buf, []byte("\n\n")) {
		head, _, _ := bytes.Cut(block, []byte("\n"))
		fields := strings.Fields(string(head)) // "goroutine 7 [running]:"
		if len(fields) < 2 || fields[0] != "goroutine" {
			continue
		}
		if id, err := strconv.ParseInt(fields[1], 10, 64); err == nil {
			stacks[id] = string(block)
		}
	}
	return stacks
}

// firstUserFrame returns "file:line" of the innermost frame in stack whose
// function is not in rt, iter, the runtime or internal/poll (whose waits
// gopatch's hooks route to rt: the net or os call above says more).
func firstUserFrame(stack string) string {
	lines := strings.Split(stack, "\n")
	for i := 1; i+1 < len(lines); i += 2 {
		fn := lines[i]
		if strings.HasPrefix(fn, "github.com/gopatch/gopatch/rt.") ||
			strings.HasPrefix(fn, "iter.") || strings.HasPrefix(fn, "runtime.") ||
			strings.HasPrefix(fn, "internal/poll.") || strings.HasPrefix(fn, "created by ") {
			continue
		}
		loc := strings.TrimSpace(lines[i+1])
		if j := strings.LastIndex(loc, " +0x"); j >= 0 {
			loc = loc[:j]
		}
		return loc
	}
	return ""
}

// othersPollInterval is how long a hub that is stuck on its own waits before
// looking again while another hub is still running.
const othersPollInterval = 20 * time.Millisecond

var purgeMu sync.Mutex

// othersRunning reports whether a hub other than h, made by a Run that has
// not returned, is doing anything: not idle, and not blocked natively in a
// test's t.Run or t.Parallel. Lazily made hubs are left out: their
// goroutines may have exited without a word.
func othersRunning(h *Hub) bool {
	running := false
	allHubs.Range(func(k, _ any) bool {
		o := k.(*Hub)
		running = o != h && o.scoped.Load() && o.mayProgress.Load() && !o.idling.Load()
		return !running
	})
	return running
}

// othersMayProgress reports whether a hub other than h is running, has
// timers or outside wake-ups pending, or has been posted a wake-up it has
// not taken in yet, and so may still wake h. The hub of a Run (or a
// carried one) is alive until it is deleted; a lazily made hub is checked
// against the goroutines alive, from one dump of their stacks, and those
// whose goroutine has exited are forgotten on the way.
func othersMayProgress(h *Hub) bool {
	var lazy []*Hub
	found := false
	allHubs.Range(func(k, _ any) bool {
		o := k.(*Hub)
		if o == h {
			return true
		}
		// The inbox is read before the flag: a hub that was posted to
		// sets mayProgress again before it drains its inbox, so one of the
		// two shows it. A hub blocked in t.Run cannot take a post in.
		posted := o.inbox.pending.Load() && !o.blockedNatively.Load()
		if !posted && !o.mayProgress.Load() {
			return true
		}
		if o.scoped.Load() {
			found = true
			return false
		}
		lazy = append(lazy, o)
		return true
	})
	if found {
		return true
	}
	return len(lazy) > 0 && purgeDeadHubs(lazy) > 0
}

// purgeDeadHubs forgets those of hubs (nil: every hub) whose root goroutine
// has exited, and returns how many of them are left.
func purgeDeadHubs(hubs []*Hub) (left int) {
	if hubs == nil {
		allHubs.Range(func(k, _ any) bool {
			hubs = append(hubs, k.(*Hub))
			return true
		})
	}
	purgeMu.Lock()
	defer purgeMu.Unlock()
	alive := goroutineStacks()
	for _, o := range hubs {
		if _, ok := alive[o.rootGoid.Load()]; ok {
			left++
			continue
		}
		allHubs.Delete(o)
		hubsByGoid.CompareAndDelete(o.rootGoid.Load(), o)
		lastHub.CompareAndSwap(o, nil)
		// No goroutine can run for o any more, so its pooled coroutines
		// are stopped from here.
		o.releaseCoroutines()
		o.leaveTestClock()
	}
	return left
}

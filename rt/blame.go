// This file says, for deadlock and leak reports, what each blocked
// greenlet waits on: where the channel was made or the sync value first
// used, who holds the lock, and which greenlets wait for each other in a
// cycle.

package rt

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
)

// A waitObject is what a waitq belongs to: a channel's or a sync value's
// state. describe runs on a hub with every greenlet of it suspended.
type waitObject interface {
	// describe says where the object comes from and who holds it ("made
	// at x.go:9"; "held by g4 since step 31"), and returns the greenlet
	// that holds it, if any.
	describe() (string, *Greenlet)
}

// A lockHold is who holds a write lock that rt granted, for reports.
type lockHold struct {
	g    *Greenlet
	step int64 // the holder's hub's steps when it took it, or -1 when they are not counted
}

// reportHolds says whether some hub asked for reports (WithReports): lock
// holders are then recorded, on their fast path too.
var reportHolds atomic.Bool

// holdBy returns the hold of greenlet g of hub h, when h reports.
func holdBy(h *Hub, g *Greenlet) lockHold {
	if h == nil || g == nil || !h.recordSites {
		return lockHold{}
	}
	step := int64(-1)
	if p, ok := h.policy.(*testPolicy); ok {
		step = p.steps
	}
	return lockHold{g, step}
}

// holdByCaller is holdBy for the calling greenlet.
func holdByCaller() lockHold {
	if !reportHolds.Load() {
		return lockHold{}
	}
	h, g := current()
	return holdBy(h, g)
}

// rtPrefix is the import path prefix of rt's own functions, which reports
// skip to name the user's code.
const rtPrefix = "github.com/gopatch/gopatch/rt."

// callers is where a value was made or first used: the program counters
// of the innermost calls, which a report turns into the first file:line
// outside rt (site). Taking them costs a short unwind; turning them into
// a site, done only for a report, costs much more.
type callers [4]uintptr

// takeCallers returns the callers of its caller's caller.
func takeCallers() callers {
	var c callers
	runtime.Callers(3, c[:])
	return c
}

// site returns "file:line" of the innermost of c outside rt, or "".
func (c *callers) site() string {
	n := 0
	for n < len(c) && c[n] != 0 {
		n++
	}
	frames := runtime.CallersFrames(c[:n])
	for n > 0 {
		f, more := frames.Next()
		if f.Function != "" && !strings.HasPrefix(f.Function, rtPrefix) && !strings.HasPrefix(f.Function, "runtime.") {
			return f.File + ":" + strconv.Itoa(f.Line)
		}
		if !more {
			break
		}
	}
	return ""
}

// describe implements waitObject for a channel.
func (st *chanState) describe() (string, *Greenlet) {
	if at := st.madeAt.site(); at != "" {
		return "the channel was made at " + at, nil
	}
	return "", nil
}

// describe implements waitObject for a sync value.
func (st *syncState) describe() (string, *Greenlet) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var parts []string
	kind := syncKind(st.key & 7)
	if at := st.firstAt.site(); at != "" {
		what := map[syncKind]string{kindWaitGroup: "WaitGroup", kindCond: "Cond", kindOnce: "Once"}[kind]
		parts = append(parts, fmt.Sprintf("the %s was first used at %s", what, at))
	}
	switch {
	case st.writer && st.hold.g != nil:
		held := "held by " + st.hold.g.reportName()
		if st.hold.step >= 0 {
			held += " since step " + strconv.FormatInt(st.hold.step, 10)
		}
		parts = append(parts, held)
	case st.writer:
		parts = append(parts, "held by a greenlet")
	case st.readers > 0:
		parts = append(parts, fmt.Sprintf("read-locked %d time(s)", st.readers))
	}
	if kind == kindWaitGroup {
		parts = append(parts, fmt.Sprintf("its counter is at %d", st.count))
	}
	return strings.Join(parts, "; "), st.hold.g
}

// lockCycles finds the greenlets of bs that wait, each for a lock the next
// holds, in a cycle, and describes each cycle once.
func lockCycles(bs []BlockedGreenlet) []string {
	waitsFor := make(map[*Greenlet]*Greenlet)
	for _, b := range bs {
		if b.g != nil && b.holder != nil && b.holder != b.g {
			waitsFor[b.g] = b.holder
		}
	}
	var cycles []string
	done := make(map[*Greenlet]bool)
	for _, b := range bs {
		var path []*Greenlet
		on := make(map[*Greenlet]int)
		for g := b.g; g != nil && !done[g]; g = waitsFor[g] {
			if i, seen := on[g]; seen {
				// "g2 waits for a lock held by g3, which waits for a
				// lock held by g2"
				var b strings.Builder
				b.WriteString(path[i].reportName())
				for _, c := range path[i+1:] {
					b.WriteString(" waits for a lock held by " + c.reportName() + ", which")
				}
				b.WriteString(" waits for a lock held by " + g.reportName())
				cycles = append(cycles, b.String())
				break
			}
			on[g] = len(path)
			path = append(path, g)
		}
		for _, g := range path {
			done[g] = true
		}
	}
	return cycles
}

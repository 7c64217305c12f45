// This file implements the blocking monitor: a native goroutine that reports
// a greenlet that keeps its hub from switching for too long.

package rt

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// maxBlocking is the monitor's threshold in nanoseconds; 0 turns it off.
var maxBlocking atomic.Int64

func init() { maxBlocking.Store(int64(100 * time.Millisecond)) }

// SetMaxBlockingTime sets how long a greenlet may run without switching
// while other greenlets of its hub wait before the monitor reports it
// (gevent's max_blocking_time; default 100 ms). Zero turns the monitor off.
func SetMaxBlockingTime(d time.Duration) { maxBlocking.Store(int64(d)) }

var (
	errWriterMu sync.Mutex
	errWriter   io.Writer = os.Stderr
)

// SetErrorWriter sets where rt writes its reports (a spawned greenlet that
// failed, a blocked hub); nil restores the default, os.Stderr.
func SetErrorWriter(w io.Writer) {
	if w == nil {
		w = os.Stderr
	}
	errWriterMu.Lock()
	errWriter = w
	errWriterMu.Unlock()
}

// report writes one report to the error writer.
func report(format string, args ...any) {
	errWriterMu.Lock()
	defer errWriterMu.Unlock()
	fmt.Fprintf(errWriter, format, args...)
}

// reportFailure writes gevent's "failed with" line for a spawned greenlet.
func reportFailure(g *Greenlet) {
	msg := fmt.Sprintf("%v failed with %v", g, g.err)
	if site := g.spawnSite(); site != "" {
		msg = fmt.Sprintf("%v (spawned at %s) failed with %v", g, site, g.err)
	}
	if pe, ok := g.err.(*PanicError); ok {
		report("%s\n\n%s\n", msg, pe.Stack)
		return
	}
	report("%s\n", msg)
}

var monitorOnce sync.Once

func startMonitor() { monitorOnce.Do(func() { go monitor() }) }

// monitor samples every hub's switch counter. A hub that is not idle and
// has not switched for the threshold while something waits to run on it (a
// runnable greenlet, an inbox post) is reported once, with the stack of the
// goroutine running for it. A hub whose other greenlets are all parked is
// not: the long run stalls nobody.
func monitor() {
	type sample struct {
		switches uint64
		since    time.Time
		reported bool
	}
	samples := make(map[*Hub]*sample)
	for {
		limit := time.Duration(maxBlocking.Load())
		if limit <= 0 {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		time.Sleep(limit / 4)
		now := time.Now()
		seen := make(map[*Hub]bool)
		allHubs.Range(func(k, _ any) bool {
			h := k.(*Hub)
			seen[h] = true
			s := samples[h]
			sw := h.running.load()
			if s == nil || s.switches != sw || h.idling.Load() {
				samples[h] = &sample{switches: sw, since: now}
				return true
			}
			// An unattended hub's goroutine has left rt for code of its own
			// (a handler back in net/http): it holds nothing that waits to
			// run, whatever its inbox holds (see Go).
			starving := (h.runq.nonEmpty.Load() || h.inbox.pending.Load()) && !h.unattended()
			if !s.reported && now.Sub(s.since) >= limit && starving {
				s.reported = true
				id := h.running.goid()
				report("rt: goroutine %d has run for %v without switching, blocking its hub's other greenlets:\n%s\n",
					id, now.Sub(s.since).Round(time.Millisecond), goroutineStacks()[id])
			}
			return true
		})
		for h := range samples {
			if !seen[h] {
				delete(samples, h)
			}
		}
	}
}

// This file implements the blocking monitor: a native goroutine that reports
// a greenlet that keeps its hub from switching for too long.

package rt

import (
	"fmt"
	"io"
	"os"
	"strings"
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
	msg := fmt.Sprintf("%v failed with %v", g, g.result().err)
	if site := g.spawnSite(); site != "" {
		msg = fmt.Sprintf("%v (spawned at %s) failed with %v", g, site, g.result().err)
	}
	if pe, ok := g.result().err.(*PanicError); ok {
		report("%s\n\n%s\n", msg, pe.Stack)
		return
	}
	report("%s\n", msg)
}

// monitorRunning says whether the monitor goroutine runs. It runs while a
// hub could starve a greenlet and exits when none can, so that a program
// or test binary whose greenlets have all ended has no goroutine of rt's
// left (a leak checker such as goleak, run at the end of TestMain, looks).
var monitorRunning atomic.Bool

// startMonitor starts the monitor unless it runs. It is called after a hub
// becomes one to watch (newHub, a greenlet made on a lazy hub), which the
// monitor checks again before it exits.
func startMonitor() {
	if !monitorRunning.Load() && monitorRunning.CompareAndSwap(false, true) {
		go monitor()
	}
}

// anyHubToWatch reports whether some hub could hold a greenlet back: one a
// Run drives, or one with a greenlet besides its main one. The lazy hub of
// a plain goroutine that has none (go test's main goroutine, after init
// code called rt) can starve nobody.
func anyHubToWatch() bool {
	watch := false
	allHubs.Range(func(k, _ any) bool {
		h := k.(*Hub)
		watch = h.scoped.Load() || h.liveCount.Load() > 1
		return !watch
	})
	return watch
}

// nativeBlockLimit is how long, in nanoseconds, a test's hub may be held by
// a greenlet blocked natively (not merely busy) before the test fails with
// the report instead of hanging until go test's timeout; 0 never fails.
// GOPATCH_NATIVE_BLOCK_LIMIT sets it (a duration; default 5s).
var nativeBlockLimit atomic.Int64

func init() {
	d := 5 * time.Second
	if s := os.Getenv("GOPATCH_NATIVE_BLOCK_LIMIT"); s != "" {
		if v, err := time.ParseDuration(s); err == nil {
			d = v
		} else {
			report("rt: GOPATCH_NATIVE_BLOCK_LIMIT=%q: %v; using %v\n", s, err, d)
		}
	}
	nativeBlockLimit.Store(int64(d))
}

// monitor samples every hub's switch counter. A hub that is not idle and
// has not switched for the threshold while something waits to run on it (a
// runnable greenlet, an inbox post) is reported once, with the stack of the
// goroutine running for it. A hub whose other greenlets are all parked is
// not: the long run stalls nobody.
//
// The report says which of two things holds the hub: a greenlet busy on
// the CPU, or one the Go runtime has parked in a native wait that nothing
// patched (a channel or lock of code that was not rewritten, a cgo call, a
// raw syscall), naming the function it waits in. A test's hub held the
// latter way for nativeBlockLimit fails the test binary with the report.
func monitor() {
	type sample struct {
		switches uint64
		since    time.Time
		reported bool
		native   string // the runtime's wait state, when blocked natively
		stack    string
	}
	samples := make(map[*Hub]*sample)
	for {
		if !anyHubToWatch() {
			// Exit, unless a hub to watch came after the look: whoever
			// made it either saw the monitor running (and this look must
			// see it) or starts a new monitor.
			monitorRunning.Store(false)
			if !anyHubToWatch() || !monitorRunning.CompareAndSwap(false, true) {
				return
			}
		}
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
				s.stack = goroutineStacks()[id]
				held := now.Sub(s.since).Round(time.Millisecond)
				if s.native = nativeWait(s.stack); s.native != "" {
					report("rt: goroutine %d has been blocked natively for %v (%s in %s, called at %s), blocking its hub's other greenlets: "+
						"nothing patched this wait (code that was not rewritten, cgo or a raw syscall):\n%s\n",
						id, held, s.native, topFunction(s.stack), callerFrame(s.stack), s.stack)
				} else {
					report("rt: goroutine %d has run for %v without switching, blocking its hub's other greenlets:\n%s\n",
						id, held, s.stack)
				}
			}
			if fail := time.Duration(nativeBlockLimit.Load()); s.reported && s.native != "" && h.testName.Load() != nil &&
				fail > 0 && now.Sub(s.since) >= fail && starving {
				failNativeBlock(*h.testName.Load(), now.Sub(s.since), s.native, s.stack)
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

// nativeWait returns the wait state in the header of a goroutine's stack
// ("goroutine 7 [select, 2 minutes]:" gives "select") when the runtime
// has parked the goroutine, or "" when it is running or runnable: busy,
// not blocked.
func nativeWait(stack string) string {
	head, _, _ := strings.Cut(stack, "\n")
	_, state, ok := strings.Cut(head, "[")
	if !ok {
		return ""
	}
	state, _, _ = strings.Cut(state, "]")
	state, _, _ = strings.Cut(state, ",")
	switch state {
	case "running", "runnable", "":
		return ""
	}
	return state
}

// topFunction returns the innermost function of a goroutine's stack.
func topFunction(stack string) string {
	lines := strings.SplitN(stack, "\n", 3)
	if len(lines) < 2 {
		return "?"
	}
	fn := lines[1]
	if i := strings.LastIndex(fn, "("); i > 0 {
		fn = fn[:i] // the arguments; a method's receiver has parentheses too
	}
	return fn
}

// callerFrame returns "file:line" of the innermost frame of a goroutine's
// stack that is the program's own: not rt's, the runtime's or the standard
// library's (a package path whose first element has no dot, but main).
func callerFrame(stack string) string {
	lines := strings.Split(stack, "\n")
	for i := 1; i+1 < len(lines); i += 2 {
		fn := lines[i]
		pkg := fn
		if j := strings.LastIndex(pkg, "/"); j >= 0 {
			pkg = pkg[:j+strings.Index(pkg[j:], ".")]
		} else {
			pkg, _, _ = strings.Cut(pkg, ".")
		}
		first, _, _ := strings.Cut(pkg, "/")
		std := !strings.Contains(first, ".") && pkg != "main"
		if std || strings.HasPrefix(fn, "github.com/gopatch/gopatch/rt.") || strings.HasPrefix(fn, "created by ") {
			continue
		}
		loc := strings.TrimSpace(lines[i+1])
		if j := strings.LastIndex(loc, " +0x"); j >= 0 {
			loc = loc[:j]
		}
		return loc
	}
	return "?"
}

// failNativeBlock ends a test binary whose test's hub has been held by a
// native wait for d, the way go test reports a failed test, rather than
// letting it hang until go test's timeout. Nothing can unblock the hub
// from here, so the binary exits; the other tests do not run, as after a
// timeout.
func failNativeBlock(test string, d time.Duration, state, stack string) {
	fmt.Fprintf(os.Stdout, "--- FAIL: %s (%.2fs)\n    rt: blocked natively for %v (%s in %s, called at %s): "+
		"nothing patched this wait, and no other greenlet of the test could run "+
		"(GOPATCH_NATIVE_BLOCK_LIMIT sets how long this may last)\n%s\nFAIL\n",
		test, d.Seconds(), d.Round(time.Millisecond), state, topFunction(stack), callerFrame(stack), stack)
	os.Exit(1)
}

// This file implements the go statement of rewritten code.

package rt

import (
	"fmt"
	"os"
	"reflect"
	"runtime/debug"
	"strings"
	"sync/atomic"
)

// Go is `go f(x)` in rewritten code: the caller has evaluated f and x, as
// the go statement does, and passes func() { f(x) }. Go starts it as a
// greenlet whose parent is the hub when the caller next blocks or yields.
// On a hub in Go's order (a FIFO schedule, the default) it goes first, as
// Go's runtime puts a new goroutine in its P's runnext, and the one an
// earlier go statement put first, if it has not run yet, goes to the back
// of the run queue: `for i := range 3 { go f(i) }` runs f(2), f(0), f(1),
// as Go does at GOMAXPROCS=1 (see Hub.readyNext). Under a seeded schedule
// it joins the back of the run queue.
//
// Called on a goroutine that is neither running a [Run] (or [RunTest]) nor
// the main goroutine, such as a connection goroutine of net/http calling a
// rewritten handler, Go starts a goroutine instead, whose function runs as
// the main greenlet of a hub of its own: the caller's hub was made lazily
// and runs its greenlets only while the caller blocks in rt, which it may
// never do again. (The main goroutine's lazy hub, made by a go statement in
// an init function, is adopted by main's Run.)
//
// Unlike [Spawn]'s, a panic that fn does not recover crashes the program as
// an unrecovered panic in a goroutine does: "panic: ..." and the stack on
// standard error, then exit status 2. A Kill or Timeout unwinds it quietly.
func Go(fn func()) {
	h := currentHub()
	if h.unattended() {
		// Until the new goroutine has a hub of its own, nothing shows that
		// it may yet wake h (the caller may block on a channel it is about
		// to send on at once): count it as an outside wake-up till then,
		// so that h does not take its wait for a deadlock.
		// The new goroutine's hub is carried on when fn returns (as a
		// test's is, carry.go): goroutines fn started go on running, as
		// in Go, though nothing waits for fn.
		out := h.expectOutside()
		go run(func() {
			out.abandon()
			runGo(fn)
		}, true, nil)
		return
	}
	g := h.spawnGo(fn)
	if h.goOrder() {
		h.pushNext(runItem{g: g})
		return
	}
	h.runq.push(runItem{g: g})
}

// unattended reports whether h was made lazily for a goroutine that runs
// no [Run] (or [RunTest]) and is not the main goroutine of a program, whose
// hub main's Run adopts: its loop runs only while that goroutine blocks in
// rt, which it may never do again, so nothing that must happen by itself
// (a goroutine, a timer, a context's deadline) may be left for it to run.
func (h *Hub) unattended() bool {
	return !h.scoped.Load() && !(mainAdopts.Load() && h.root.goid == mainGoid.Load())
}

// mainAdopts says whether the main goroutine's lazy hub, which go
// statements in init functions fill, will be adopted by a Run: in a
// program, whose rewritten main is one, but not in a test binary, whose
// main is go test's and waits natively while the tests run on goroutines
// of their own.
var mainAdopts atomic.Bool

func init() { mainAdopts.Store(!isTestBinary(debug.ReadBuildInfo, os.Args[1:])) }

// isTestBinary reports whether this is a test binary. The go command marks
// one itself: it stamps the build information of a test binary with the
// path of the package under test and ".test", which holds before any
// package initialiser runs and whatever the command line (a test binary
// run by hand with no flags is still one). testing.Testing reads another
// mark, but only in binaries that link package testing, which rt must not
// import. A binary without build information is told by its command line,
// where go test always puts -test.* flags.
func isTestBinary(buildInfo func() (*debug.BuildInfo, bool), args []string) bool {
	if info, ok := buildInfo(); ok && info.Path != "" {
		return strings.HasSuffix(info.Path, ".test")
	}
	for _, a := range args {
		if strings.HasPrefix(a, "-test.") {
			return true
		}
	}
	return false
}

// mainGoid is the id of the main goroutine, which runs the package
// initialisers and then main.main. The runtime creates it first, so it is
// goroutine 1; a test may stand in for it.
var mainGoid = func() *atomic.Int64 {
	var id atomic.Int64
	id.Store(1)
	return &id
}()

// runGo calls fn and crashes the program if it panics.
func runGo(fn func()) {
	normal := false
	defer func() {
		if normal {
			return
		}
		p := recover()
		switch p.(type) {
		case nil: // runtime.Goexit: let it finish the greenlet
		case *interruption:
			panic(p) // Kill or Timeout: the greenlet dies of it quietly
		default:
			crash(p)
		}
	}()
	fn()
	normal = true
}

// crash prints p as the runtime prints an unrecovered panic, followed by
// the panicking greenlet's stack, and exits with status 2. It is called in
// the deferred function, so the stack still shows where fn panicked.
func crash(p any) {
	stack := debug.Stack()
	os.Stderr.WriteString("panic: " + panicValueString(p) + "\n\n")
	os.Stderr.Write(stack)
	os.Exit(2)
}

// panicValueString formats a panic value as runtime.printpanicval does for
// the common cases: an error's Error, a Stringer's String, a basic value
// as print prints it, a named basic type as T(v).
func panicValueString(p any) string {
	switch v := p.(type) {
	case error:
		return v.Error()
	case fmt.Stringer:
		return v.String()
	case string:
		return v
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, uintptr:
		return fmt.Sprint(v)
	case float32, float64:
		return fmt.Sprintf("%+e", v) // print's +1.500000e+000 style, near enough
	}
	t := reflect.TypeOf(p)
	switch t.Kind() {
	case reflect.String:
		return fmt.Sprintf("%s(%q)", t, p)
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return fmt.Sprintf("%s(%v)", t, p)
	}
	return fmt.Sprintf("(%s) %#v", t, p)
}

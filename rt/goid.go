// This file reads the calling goroutine's id, the key of every hub lookup,
// and checks at init that the fast way to read it agrees with the runtime.

package rt

import (
	"bytes"
	"os"
	"runtime"
	"strconv"

	"github.com/petermattis/goid"
)

// currentGoid returns the id of the calling goroutine. Every read of it in
// rt goes through here.
//
// petermattis/goid reads it out of the runtime's g struct (2.6 ns here),
// whose layout it mirrors for each Go version under a build tag that stays
// open for versions it has never seen; parsing runtime.Stack's header costs
// about 2,400 ns but is the runtime's own word. So init compares the two,
// and if they ever disagree (a Go release moved the field) rt says so on
// standard error and uses the slow way: every hub lookup would otherwise
// find the wrong hub.
func currentGoid() int64 {
	if goidFast {
		return goid.Get()
	}
	return stackGoid()
}

// goidFast says whether goid.Get agreed with runtime.Stack at init.
var goidFast = func() bool {
	ok := goid.Get() == stackGoid()
	if ok {
		// A second goroutine: an offset that happens to read the main
		// goroutine's id right (1) must still read another's.
		ch := make(chan bool)
		go func() { ch <- goid.Get() == stackGoid() }()
		ok = <-ch
	}
	if !ok {
		os.Stderr.WriteString("rt: goroutine ids read from the runtime's g struct disagree with runtime.Stack; " +
			"falling back to runtime.Stack (slow): gopatch does not know this Go version's g layout\n")
	}
	return ok
}()

// stackGoid parses the id out of the header of the calling goroutine's
// stack trace, "goroutine 7 [running]:".
func stackGoid() int64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b, ok := bytes.CutPrefix(b, []byte("goroutine "))
	if !ok {
		return -1
	}
	if i := bytes.IndexByte(b, ' '); i >= 0 {
		b = b[:i]
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return -1
	}
	return id
}

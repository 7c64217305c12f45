// Package cgocall calls into C.
package cgocall

// #include <unistd.h>
// static int answer(void) { return 42; }
import "C"

func Answer() int {
	return int(C.answer()) // want `cgo call C.answer runs on the hub's thread until it returns, and every other greenlet waits; wrap it in rt.Offload if it can block \(GP0302\)`
}

func Sleep() {
	C.usleep(1000) // want `cgo call C.usleep .*\(GP0302\)`
}

func Str(s string) {
	cs := C.CString(s) // cgo's own conversion: not reported
	_ = cs
}

package rt

import (
	"testing"
	"unsafe"
)

// Every open connection of a server on a hub keeps a parked greenlet, its
// coroutine and its fd's state: their sizes are what a connection costs
// beyond native Go's goroutine (bench/net.sh, conns). Each stays within
// its allocation size class.
func TestPerConnectionStructSizes(t *testing.T) {
	for _, c := range []struct {
		name      string
		size, max uintptr
	}{
		{"Greenlet", unsafe.Sizeof(Greenlet{}), 256},
		{"coroutine", unsafe.Sizeof(coroutine{}), 32},
		{"fdState", unsafe.Sizeof(fdState{}), 48},
	} {
		if c.size > c.max {
			t.Errorf("%s is %d bytes, want at most %d", c.name, c.size, c.max)
		}
	}
}

package rt

import "testing"

// The monitor tells a greenlet parked by the runtime in a native wait from
// one busy on the CPU, and names the wait, the function it waits in and
// the program's own call.
func TestNativeWaitParsing(t *testing.T) {
	blocked := "goroutine 12 [select, 2 minutes]:\n" +
		"net/http.(*persistConn).roundTrip(0x6bf83ece140, 0x6bf83eb40a0)\n" +
		"\t/usr/local/go/src/net/http/transport.go:2911 +0x83d\n" +
		"net/http.Get(...)\n" +
		"\t/usr/local/go/src/net/http/client.go:458\n" +
		"main.main.func1.3()\n" +
		"\t/tmp/fetch/main.go:36 +0x10e\n" +
		"github.com/gopatch/gopatch/rt.runGo(0x6bf83e3c5a8?)\n" +
		"\t/tmp/fetch/.gopatch/mod/rt/go.go:105 +0x4c\n"
	if got := nativeWait(blocked); got != "select" {
		t.Errorf("nativeWait = %q, want select", got)
	}
	if got := topFunction(blocked); got != "net/http.(*persistConn).roundTrip" {
		t.Errorf("topFunction = %q", got)
	}
	if got := callerFrame(blocked); got != "/tmp/fetch/main.go:36" {
		t.Errorf("callerFrame = %q, want the program's own frame", got)
	}
	lib := "goroutine 5 [chan receive]:\n" +
		"example.com/lib.(*Pool).Wait(0x1)\n\t/m/lib/pool.go:9 +0x1\n"
	if got := callerFrame(lib); got != "/m/lib/pool.go:9" {
		t.Errorf("callerFrame = %q, want a dependency's frame", got)
	}
	for _, busy := range []string{"goroutine 3 [running]:\nmain.spin()\n", "goroutine 3 [runnable]:\nmain.spin()\n"} {
		if got := nativeWait(busy); got != "" {
			t.Errorf("nativeWait(%q) = %q, want busy", busy, got)
		}
	}
}

package rt

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

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

// monitorChildEnv marks the run of this test binary that checks, alone,
// that the monitor exits once no hub is left.
const monitorChildEnv = "GOPATCH_RT_TEST_MONITOR_EXIT"

// Once every hub has ended, rt leaves no goroutine of its own behind (a
// leak checker at the end of TestMain would report the monitor), and a new
// hub starts the monitor again. Other tests leave hubs behind on purpose
// (a deadlocked test's greenlets), so this runs in a test binary of its own.
func TestMonitorExitsWithoutHubs(t *testing.T) {
	if os.Getenv(monitorChildEnv) != "1" {
		if testing.Short() {
			t.Skip("runs the test binary again")
		}
		cmd := exec.Command(os.Args[0], "-test.run", "^TestMonitorExitsWithoutHubs$", "-test.count=1")
		cmd.Env = append(os.Environ(), monitorChildEnv+"=1")
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "PASS") {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	waitMonitor := func(running bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for monitorRunning.Load() != running {
			if time.Now().After(deadline) {
				t.Fatalf("monitor running = %v after 5s, want %v", !running, running)
			}
			time.Sleep(time.Millisecond)
		}
	}
	for range 2 {
		Run(func() {
			Go(func() { Sleep(time.Millisecond) })
			Sleep(2 * time.Millisecond)
		})
		waitMonitor(false)
		Run(func() {
			if !monitorRunning.Load() {
				t.Error("a new hub did not start the monitor")
			}
		})
	}
}

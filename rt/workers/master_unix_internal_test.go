//go:build unix

package workers

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBindErrorsNameTheAddress: each address that cannot be bound is an
// error that names it and says why.
func TestBindErrorsNameTheAddress(t *testing.T) {
	for addr, want := range map[string]string{
		"8080":             "bind 8080: missing port in address",
		"127.0.0.1:http":   `bind 127.0.0.1:http: invalid port "http"`,
		"example.com:8080": `bind example.com:8080: host "example.com" is not an IP address or localhost`,
		"192.0.2.1:8080":   "bind 192.0.2.1:8080: bind: cannot assign requested address",
	} {
		s, err := bind(addr, 16, false)
		if err == nil {
			s.file.Close()
			t.Errorf("bind(%q) succeeded", addr)
			continue
		}
		if err.Error() != want {
			t.Errorf("bind(%q) = %q; want %q", addr, err, want)
		}
	}
}

// TestBindTwiceNeedsReusePort: a second socket on a bound port fails
// without SO_REUSEPORT and is bound with it on both.
func TestBindTwiceNeedsReusePort(t *testing.T) {
	a, err := bind("127.0.0.1:0", 16, true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.file.Close()
	port := boundPort(t, a)
	if _, err := bind("127.0.0.1:"+port, 16, false); err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("a second bind without SO_REUSEPORT: %v; want address already in use", err)
	}
	b, err := bind("127.0.0.1:"+port, 16, true)
	if err != nil {
		t.Fatalf("a second bind with SO_REUSEPORT: %v", err)
	}
	b.file.Close()
}

// TestMasterRefusesBadConfig: a config that cannot run is an error before
// any socket is bound or worker started.
func TestMasterRefusesBadConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "workers: no address to bind"},
		{Config{Bind: []string{"127.0.0.1:0"}, MaxRequests: -1}, "workers: negative MaxRequests or MaxRequestsJitter"},
		{Config{Bind: []string{"127.0.0.1:0"}, RequestTimeout: -1}, "workers: negative RequestTimeout"},
		{Config{Bind: []string{"127.0.0.1:0", "nohost"}}, "workers: bind nohost: missing port in address"},
	} {
		if err := Run(tc.cfg); err == nil || err.Error() != tc.want {
			t.Errorf("Run(%+v) = %v; want %s", tc.cfg, err, tc.want)
		}
	}
}

func boundPort(t *testing.T, s *socket) string {
	t.Helper()
	sa, err := syscall.Getsockname(int(s.file.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(sa.(*syscall.SockaddrInet4).Port)
}

// TestWorkerExitsWhenMasterIsGone: a worker whose life pipe's write end
// closes (its master exited, however) exits, with no Pdeathsig: what ends
// a worker on darwin and the BSDs. The test binary itself plays the
// worker (TestLifePipeWorker).
func TestWorkerExitsWhenMasterIsGone(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLifePipeWorker$")
	cmd.Env = append(os.Environ(), envWorker+"=7", envLife+"=3")
	cmd.ExtraFiles = []*os.File{r}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	// The worker says when it runs; until the pipe closes, it lives on.
	ready := make([]byte, 6)
	if _, err := stdout.Read(ready); err != nil || string(ready) != "ready\n" {
		cmd.Process.Kill()
		t.Fatalf("the worker did not start: %q, %v; stderr: %s", ready, err, stderr.String())
	}
	time.Sleep(100 * time.Millisecond)
	if cmd.ProcessState != nil {
		t.Fatal("the worker exited while its master lived")
	}
	w.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Errorf("the worker exited with %v; want exit status 1", err)
		}
		if want := "gopatch worker 7 (pid " + strconv.Itoa(cmd.Process.Pid) + "): the master has exited; exiting"; !strings.Contains(stderr.String(), want) {
			t.Errorf("the worker's stderr is %q; want it to say %q", stderr.String(), want)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the worker lived on 10s after its life pipe closed")
	}
}

// TestLifePipeWorker is the worker of TestWorkerExitsWhenMasterIsGone; it
// does nothing in a test binary that is no worker.
func TestLifePipeWorker(t *testing.T) {
	if !Active() {
		t.Skip("not a worker")
	}
	os.Stdout.WriteString("ready\n")
	time.Sleep(time.Minute)
	t.Fatal("still alive a minute after starting")
}

// TestBindUnixRemovesOnlyStaleSockets: a Unix socket bind removes a
// socket file no process listens on, and nothing else: a regular file, a
// directory and a socket in use are errors that name the path, and stay.
// At exit the master removes the file it bound, unless it is another's.
func TestBindUnixRemovesOnlyStaleSockets(t *testing.T) {
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }

	os.WriteFile(path("regular"), []byte("data"), 0o666)
	os.Mkdir(path("dir"), 0o777)
	live, err := net.Listen("unix", path("live"))
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	for name, want := range map[string]string{
		"regular": "bind unix:" + path("regular") + ": " + path("regular") + " exists and is not a socket; not removing it",
		"dir":     "bind unix:" + path("dir") + ": " + path("dir") + " exists and is not a socket; not removing it",
		"live":    "bind unix:" + path("live") + ": " + path("live") + " is a socket another process listens on",
	} {
		s, err := bind("unix:"+path(name), 16, false)
		if err == nil {
			s.file.Close()
			t.Errorf("bind unix:%s succeeded", name)
			continue
		}
		if err.Error() != want {
			t.Errorf("bind unix:%s = %q; want %q", name, err, want)
		}
		if _, err := os.Lstat(path(name)); err != nil {
			t.Errorf("%s is gone after a failed bind: %v", name, err)
		}
	}
	if _, err := bind("unix:", 16, false); err == nil || err.Error() != "bind unix:: no socket path" {
		t.Errorf("bind unix: = %v; want no socket path", err)
	}
	long := "unix:" + path(strings.Repeat("x", 200))
	if _, err := bind(long, 16, false); err == nil || !strings.Contains(err.Error(), "bytes, over the system's limit of") {
		t.Errorf("bind of a long path = %v; want it over the limit", err)
	}

	// A stale socket: bound, then its listener closed without removing it.
	stale, err := net.Listen("unix", path("stale"))
	if err != nil {
		t.Fatal(err)
	}
	stale.(*net.UnixListener).SetUnlinkOnClose(false)
	stale.Close()
	s, err := bind("unix:"+path("stale"), 16, false)
	if err != nil {
		t.Fatalf("bind over a stale socket: %v", err)
	}
	c, err := net.Dial("unix", path("stale"))
	if err != nil {
		t.Fatalf("dial the new socket: %v", err)
	}
	c.Close()
	s.file.Close()
	s.remove()
	if _, err := os.Lstat(path("stale")); err == nil {
		t.Error("the master's socket file stays after remove")
	}

	// A socket file another process bound since is not the master's.
	s, err = bind("unix:"+path("taken"), 16, false)
	if err != nil {
		t.Fatal(err)
	}
	s.file.Close()
	os.Remove(path("taken"))
	// The new file may reuse the inode number: it is told apart by its
	// modification time, which Linux keeps at tick granularity.
	time.Sleep(50 * time.Millisecond)
	other, err := net.Listen("unix", path("taken"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	s.remove()
	if _, err := os.Lstat(path("taken")); err != nil {
		t.Errorf("remove took another's socket file: %v", err)
	}
}

// TestMasterRemovesOnlyItsUnixSocketFile: at exit a master removes the
// file of a Unix socket it bound, but not one it handed over to a new
// master (SIGUSR2), nor one it took from an old master that has not
// handed it over (it failed before its workers listened).
func TestMasterRemovesOnlyItsUnixSocketFile(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		adopted, took, handedOver bool
		removed                   bool
	}{
		{"bound", false, false, false, true},
		{"bound, handed over", false, false, true, false},
		{"taken over", true, true, false, true},
		{"adopted, never ready", true, false, false, false},
		{"taken over, handed over", true, true, true, false},
	} {
		path := filepath.Join(t.TempDir(), "s.sock")
		s, err := bind("unix:"+path, 16, false)
		if err != nil {
			t.Fatal(err)
		}
		s.adopted = tc.adopted
		m := &master{sockets: []*socket{s}, took: tc.took, handedOver: tc.handedOver}
		m.close()
		_, err = os.Lstat(path)
		if removed := err != nil; removed != tc.removed {
			t.Errorf("%s: the socket file removed at exit: %v; want %v", tc.name, removed, tc.removed)
		}
	}
}

package workers

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestInheritedMatchesListenAddress pins which Listen addresses get which
// bound socket: for TCP the same port, and the same host or a wildcard on
// either side; for a Unix socket the same path, a relative one taken from
// the working directory.
func TestInheritedMatchesListenAddress(t *testing.T) {
	id, listen := worker.id, worker.listen
	defer func() { worker.id, worker.listen = id, listen }()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	worker.id = 1
	worker.listen = []listenSpec{
		{"tcp", "127.0.0.1:8080", 4},
		{"tcp", ":9090", 5},
		{"tcp", "[::1]:7070", 6},
		{"unix", "/run/app.sock", 7},
		{"unix", filepath.Join(wd, "rel.sock"), 8},
		{"unix", "@abstract", 9},
	}
	for _, tc := range []struct {
		network, addr string
		fd            int // 0: none
	}{
		{"tcp", "127.0.0.1:8080", 4},
		{"tcp", "localhost:8080", 4},
		{"tcp4", ":8080", 4},
		{"tcp", "0.0.0.0:8080", 4},
		{"tcp", "10.0.0.1:8080", 0},
		{"tcp", "127.0.0.1:8081", 0},
		{"tcp", "127.0.0.1:9090", 5},
		{"tcp", "[::1]:7070", 6},
		{"tcp", "127.0.0.1:0", 0},
		{"udp", "127.0.0.1:8080", 0},
		{"unix", "/tmp/sock", 0},
		{"unix", "/run/app.sock", 7},
		{"unix", "/run/../run/app.sock", 7},
		{"unixpacket", "/run/app.sock", 0},
		{"tcp", "/run/app.sock", 0},
		{"unix", "rel.sock", 8},
		{"unix", "./rel.sock", 8},
		{"unix", "@abstract", 9},
		{"unix", "abstract", 0},
	} {
		fd, ok := Inherited(tc.network, tc.addr)
		if ok != (tc.fd != 0) || fd != tc.fd {
			t.Errorf("Inherited(%q, %q) = %d, %v; want %d", tc.network, tc.addr, fd, ok, tc.fd)
		}
	}
}

// TestInheritedOutsideAWorker: a process that is no worker listens
// itself.
func TestInheritedOutsideAWorker(t *testing.T) {
	if Active() {
		t.Fatal("the test binary is a worker")
	}
	if fd, ok := Inherited("tcp", "127.0.0.1:8080"); ok {
		t.Fatalf("Inherited outside a worker = %d, true", fd)
	}
}

// TestListenRoundTrip: the inherited sockets survive the environment,
// whatever bytes a Unix socket's path holds.
func TestListenRoundTrip(t *testing.T) {
	specs := []listenSpec{
		{"tcp", "127.0.0.1:8080", 5},
		{"unix", "/tmp/a b;c\"d\\e\nf.sock", 6},
		{"unix", "@abstract", 7},
	}
	got, err := parseListen(formatListen(specs))
	if err != nil || !reflect.DeepEqual(got, specs) {
		t.Errorf("parseListen(formatListen(%+v)) = %+v, %v", specs, got, err)
	}
	for _, bad := range []string{"tcp", "tcp x \"a\"", "tcp 5 a", `tcp 5 "a"x`, `tcp 5 "a`} {
		if got, err := parseListen(bad); err == nil {
			t.Errorf("parseListen(%q) = %+v; want an error", bad, got)
		}
	}
	if got, err := parseListen(""); err != nil || got != nil {
		t.Errorf("parseListen(\"\") = %+v, %v; want none", got, err)
	}
}

package workers

import "testing"

// TestInheritedMatchesListenAddress pins which Listen addresses get which
// bound socket: the same port, and the same host or a wildcard on either
// side.
func TestInheritedMatchesListenAddress(t *testing.T) {
	id, listen := worker.id, worker.listen
	defer func() { worker.id, worker.listen = id, listen }()
	worker.id = 1
	worker.listen = []inherited{
		{"tcp", "127.0.0.1", "8080", 4},
		{"tcp", "", "9090", 5},
		{"tcp", "::1", "7070", 6},
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

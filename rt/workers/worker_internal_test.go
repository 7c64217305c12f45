package workers

import (
	"strconv"
	"strings"
	"syscall"
	"testing"
)

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

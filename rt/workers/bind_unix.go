//go:build unix

// This file binds the master's listening sockets, with syscall rather
// than net: net's hook imports this package, and -backlog and
// -reuse-port need the socket before listen(2) anyway.

package workers

import (
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"syscall"
)

// A bound socket of the master.
type socket struct {
	addr string // as given to Bind
	file *os.File
}

// bind listens on addr ("host:port", host an IP, localhost or empty for
// every IPv4 address) with backlog.
func bind(addr string, backlog int, reusePort bool) (*socket, error) {
	host, port, ok := splitHostPort(addr)
	if !ok {
		return nil, fmt.Errorf("bind %s: missing port in address", addr)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("bind %s: invalid port %q", addr, port)
	}
	var ip netip.Addr
	switch host {
	case "", "0.0.0.0":
		ip = netip.IPv4Unspecified()
	case "localhost":
		ip = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	default:
		if ip, err = netip.ParseAddr(host); err != nil {
			return nil, fmt.Errorf("bind %s: host %q is not an IP address or localhost", addr, host)
		}
	}
	family, sa := syscall.AF_INET, syscall.Sockaddr(&syscall.SockaddrInet4{Port: int(p), Addr: ip.As4()})
	if ip.Is6() && !ip.Is4In6() {
		family, sa = syscall.AF_INET6, &syscall.SockaddrInet6{Port: int(p), Addr: ip.As16()}
	}
	fd, err := cloexecSocket(family)
	if err != nil {
		return nil, fmt.Errorf("bind %s: %v", addr, err)
	}
	fail := func(what string, err error) (*socket, error) {
		syscall.Close(fd)
		return nil, fmt.Errorf("bind %s: %s: %v", addr, what, err)
	}
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
		return fail("SO_REUSEADDR", err)
	}
	if reusePort {
		if soReusePort < 0 {
			return fail("SO_REUSEPORT", fmt.Errorf("not supported on %s", runtime.GOOS))
		}
		if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, soReusePort, 1); err != nil {
			return fail("SO_REUSEPORT", err)
		}
	}
	if err := syscall.Bind(fd, sa); err != nil {
		return fail("bind", err)
	}
	if err := syscall.Listen(fd, backlog); err != nil {
		return fail("listen", err)
	}
	return &socket{addr: addr, file: os.NewFile(uintptr(fd), "listener "+addr)}, nil
}

// cloexecSocket makes a stream socket that is closed on exec. Not every Unix has
// SOCK_CLOEXEC (darwin, aix): the fork lock keeps a process started
// between socket(2) and the flag from inheriting it, as net does there.
func cloexecSocket(family int) (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM, 0)
	if err != nil {
		return -1, err
	}
	syscall.CloseOnExec(fd)
	return fd, nil
}

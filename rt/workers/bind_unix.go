//go:build unix

// This file binds the master's listening sockets, with syscall rather
// than net: net's hook imports this package, and -backlog and
// -reuse-port need the socket before listen(2) anyway.

package workers

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// A bound socket of the master.
type socket struct {
	addr    string // as given to Bind
	network string // "tcp" or "unix"
	name    string // what a worker matches a Listen against: addr, or the socket's absolute path
	file    *os.File
	// For a Unix socket with a file, the file as bound: the master
	// removes it at exit if it is still that file and the master owns it.
	bound   fs.FileInfo
	adopted bool // inherited from the master before this one (SIGUSR2)
}

// bind listens on addr with backlog: "host:port" (host an IP, localhost
// or empty for every IPv4 address), or "unix:path".
func bind(addr string, backlog int, reusePort bool) (*socket, error) {
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		return bindUnix(addr, path, backlog)
	}
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
	return &socket{addr: addr, network: "tcp", name: addr, file: os.NewFile(uintptr(fd), "listener "+addr)}, nil
}

// bindUnix listens on the Unix socket path (addr is "unix:path"), as
// gunicorn does: a socket file left there by a process that is gone is
// removed first, anything else there is an error. A path that starts
// with @ is Linux's abstract namespace, with no file.
func bindUnix(addr, path string, backlog int) (*socket, error) {
	path, abstract, err := unixName(path)
	if err != nil {
		return nil, fmt.Errorf("bind %s: %v", addr, err)
	}
	if max := len(syscall.RawSockaddrUnix{}.Path) - 1; len(path) > max {
		return nil, fmt.Errorf("bind %s: socket path %s is %d bytes, over the system's limit of %d", addr, path, len(path), max)
	}
	if !abstract {
		if err := removeStale(path); err != nil {
			return nil, fmt.Errorf("bind %s: %v", addr, err)
		}
	}
	fd, err := cloexecSocket(syscall.AF_UNIX)
	if err != nil {
		return nil, fmt.Errorf("bind %s: %v", addr, err)
	}
	fail := func(what string, err error) (*socket, error) {
		syscall.Close(fd)
		return nil, fmt.Errorf("bind %s: %s: %v", addr, what, err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: path}); err != nil {
		return fail("bind", err)
	}
	s := &socket{addr: addr, network: "unix", name: path}
	if !abstract {
		if s.bound, err = os.Lstat(path); err != nil {
			return fail("stat", err)
		}
	}
	if err := syscall.Listen(fd, backlog); err != nil {
		s.remove()
		return fail("listen", err)
	}
	s.file = os.NewFile(uintptr(fd), "listener "+addr)
	return s, nil
}

// unixName returns the name a Unix socket at path is bound by: the
// absolute path, or @name in Linux's abstract namespace (abstract).
func unixName(path string) (name string, abstract bool, err error) {
	if path == "" {
		return "", false, errors.New("no socket path")
	}
	if path[0] == '@' {
		return path, true, nil
	}
	name, err = filepath.Abs(path)
	return name, false, err
}

// removeStale removes the socket file at path if no process listens on
// it: a connect is refused. It removes nothing else: a file of another
// kind, or a socket that is in use, is an error.
func removeStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("%s exists and is not a socket; not removing it", path)
	}
	fd, err := cloexecSocket(syscall.AF_UNIX)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	// Non-blocking: a listener with a full backlog answers EAGAIN rather
	// than holding the connect.
	syscall.SetNonblock(fd, true)
	switch err := syscall.Connect(fd, &syscall.SockaddrUnix{Name: path}); err {
	case syscall.ECONNREFUSED:
		return os.Remove(path)
	case nil, syscall.EAGAIN, syscall.EINPROGRESS:
		return fmt.Errorf("%s is a socket another process listens on", path)
	default:
		return fmt.Errorf("%s: checking whether a process listens on it: %v", path, err)
	}
}

// remove removes a Unix socket's file if it is still the one the master
// bound, so that a socket another master has bound since stays. The
// modification time tells a new file that reuses the inode number apart.
func (s *socket) remove() {
	if s.bound == nil {
		return
	}
	if fi, err := os.Lstat(s.name); err == nil && os.SameFile(fi, s.bound) && fi.ModTime().Equal(s.bound.ModTime()) {
		os.Remove(s.name)
	}
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

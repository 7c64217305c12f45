// This file encodes the sockets a process inherits from its master, in
// its environment, and matches a Listen against them.

package workers

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// A listenSpec is one inherited socket: its network ("tcp" or "unix"),
// the address a Listen matches (host:port, or a Unix socket's absolute
// path or @name), and its fd in the process that inherits it.
type listenSpec struct {
	network, address string
	fd               int
}

// formatListen encodes specs as `network fd "address"`, ";"-separated,
// the address quoted as Go does: a Unix socket's path may hold any byte.
func formatListen(specs []listenSpec) string {
	var b strings.Builder
	for i, s := range specs {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(&b, "%s %d %s", s.network, s.fd, strconv.Quote(s.address))
	}
	return b.String()
}

// parseListen decodes what formatListen encoded.
func parseListen(v string) ([]listenSpec, error) {
	var specs []listenSpec
	for v != "" {
		network, rest, ok1 := strings.Cut(v, " ")
		fd, rest, ok2 := strings.Cut(rest, " ")
		n, err := strconv.Atoi(fd)
		if !ok1 || !ok2 || err != nil || n < 0 {
			return nil, fmt.Errorf("bad inherited socket %q", v)
		}
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return nil, fmt.Errorf("bad inherited socket %q", v)
		}
		addr, _ := strconv.Unquote(q)
		specs = append(specs, listenSpec{network, addr, n})
		v = rest[len(q):]
		if v != "" {
			if v[0] != ';' {
				return nil, fmt.Errorf("bad inherited socket list at %q", v)
			}
			v = v[1:]
		}
	}
	return specs, nil
}

// Inherited returns the fd of the master's socket that a Listen of
// network and address in this worker gets. For TCP, one of the same port
// whose host is the same, or either host a wildcard ("", 0.0.0.0, ::), or
// both loopback names; for "unix", the same path (relative paths are
// taken from the working directory, as the master's -bind was). The
// caller dups it; it stays open for later Listens.
func Inherited(network, address string) (int, bool) {
	if !Active() {
		return 0, false
	}
	if network == "unix" {
		path := address
		if path != "" && path[0] != '@' {
			abs, err := filepath.Abs(path)
			if err != nil {
				return 0, false
			}
			path = abs
		}
		for _, l := range worker.listen {
			if l.network == "unix" && l.address == path {
				return l.fd, true
			}
		}
		return 0, false
	}
	if !strings.HasPrefix(network, "tcp") {
		return 0, false
	}
	host, port, ok := splitHostPort(address)
	if !ok || port == "0" {
		return 0, false
	}
	for _, l := range worker.listen {
		if l.network != "tcp" {
			continue
		}
		lhost, lport, _ := splitHostPort(l.address)
		if lport == port && (lhost == host || wildcard(lhost) || wildcard(host) || loopback(lhost) && loopback(host)) {
			return l.fd, true
		}
	}
	return 0, false
}

func wildcard(host string) bool { return host == "" || host == "0.0.0.0" || host == "::" }
func loopback(host string) bool { return host == "localhost" || host == "127.0.0.1" }

// This file holds run's worker flags (-workers and those that go with it)
// and runs the built program under a master of package rt/workers.

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gopatch/gopatch/internal/gocmd"
	"github.com/gopatch/gopatch/rt/workers"
)

// workersUsage documents the worker flags in run's help.
const workersUsage = `
	-workers n    run n worker processes under a master, as gunicorn -w n
	              -k gevent: the master binds each -bind address, and a
	              worker's net.Listen or http.ListenAndServe on one of them
	              gets the master's socket. SIGTERM to the master drains
	              the workers within -graceful-timeout; SIGINT and SIGQUIT
	              stop at once; SIGHUP rebuilds the program, starts new
	              workers and drains the old ones once they listen;
	              SIGTTIN and SIGTTOU add and remove a worker; a worker
	              that dies is replaced. SIGUSR2 starts a new master,
	              gopatch run again with the same arguments (so the
	              program is rebuilt), which inherits the sockets; once
	              its workers listen the old master drains its own and
	              exits, and no connection is refused
	-bind addr    an address the master listens on, host:port (host an
	              IP, localhost or empty), or unix:path, a Unix socket
	              that a worker's net.Listen("unix", path) gets (a stale
	              socket file there is removed first, anything else is an
	              error; the master removes its own at exit); repeat for
	              several
	-backlog n    the sockets' listen backlog (2048)
	-reuse-port   set SO_REUSEPORT on the sockets
	-graceful-timeout d
	              how long a graceful stop waits for in-flight requests (30s)
	-timeout d    kill a worker whose hub stops beating for d (30s; 0 never)
	-max-requests n, -max-requests-jitter j
	              replace a worker after n+rand(0..j) requests: the
	              replacement starts first, then the old one drains
	-request-timeout d
	              unwind a request's handler still running after d (0
	              never): the client gets a 503, or its connection closed
	              if the headers were written; the worker goes on, and the
	              access log marks it timeout=d. A handler busy on the CPU
	              is unwound only when it next blocks (-timeout kills a
	              worker whose hub it holds)
	-access-log   log a line per request to standard error
	-status file  keep the workers' state in file, rewritten on each change
`

// workerFlags are the worker flags: whether each takes a value.
var workerFlags = map[string]bool{
	"workers": true, "bind": true, "backlog": true, "reuse-port": false, "graceful-timeout": true,
	"timeout": true, "max-requests": true, "max-requests-jitter": true, "access-log": false, "status": true,
	"request-timeout": true,
}

// cutWorkerFlags takes the worker flags off args, where they stand among
// the flags before the package, and returns the master's configuration
// (nil without -workers), the -status file and the other arguments.
func cutWorkerFlags(args []string) (cfg *workers.Config, status string, rest []string, err error) {
	c := workers.Config{Timeout: 30 * time.Second}
	seen := map[string]bool{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := gocmd.Cut(a)
		takes, ours := workerFlags[name]
		if !ours {
			rest = append(rest, a)
			if !hasValue && gocmd.Lookup(name).Value && i+1 < len(args) {
				i++
				rest = append(rest, args[i])
			}
			continue
		}
		seen[name] = true
		if takes && !hasValue {
			if i+1 == len(args) {
				return nil, "", nil, fmt.Errorf("flag -%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if !takes {
			if hasValue {
				if _, err := strconv.ParseBool(value); err != nil {
					return nil, "", nil, fmt.Errorf("flag -%s: invalid boolean %q", name, value)
				}
			} else {
				value = "true"
			}
		}
		bad := func(what string) error { return fmt.Errorf("flag -%s: invalid %s %q", name, what, value) }
		switch name {
		case "bind":
			c.Bind = append(c.Bind, value)
		case "status":
			status = value
		case "reuse-port":
			c.ReusePort = value == "true" || value == "1"
		case "access-log":
			c.AccessLog = value == "true" || value == "1"
		case "graceful-timeout", "timeout", "request-timeout":
			d, err := time.ParseDuration(value)
			if err != nil || d < 0 {
				return nil, "", nil, bad("duration")
			}
			switch name {
			case "timeout":
				c.Timeout = d
				if d == 0 {
					c.Timeout = -1 // never
				}
			case "request-timeout":
				c.RequestTimeout = d
			default:
				c.GracefulTimeout = d
			}
		default: // workers, backlog, max-requests, max-requests-jitter
			n, err := strconv.Atoi(value)
			if err != nil || n < 0 || name == "workers" && n == 0 {
				return nil, "", nil, bad("count")
			}
			switch name {
			case "workers":
				c.Workers = n
			case "backlog":
				c.Backlog = n
			case "max-requests":
				c.MaxRequests = n
			case "max-requests-jitter":
				c.MaxRequestsJitter = n
			}
		}
	}
	if !seen["workers"] {
		for name := range seen {
			return nil, "", nil, fmt.Errorf("flag -%s needs -workers", name)
		}
		return nil, "", rest, nil
	}
	if len(c.Bind) == 0 {
		return nil, "", nil, errors.New("-workers needs at least one -bind address")
	}
	return &c, status, rest, nil
}

// runWorkers runs bin with args under a master with cfg; rebuild builds
// bin again, for SIGHUP.
func runWorkers(ctx context.Context, cfg *workers.Config, status, bin string, args []string, rebuild func() error) error {
	cfg.Path, cfg.Args, cfg.Env, cfg.Log = bin, append([]string{bin}, args...), gocmd.Environ(), stderr
	cfg.Hooks.OnReload = rebuild
	if status != "" {
		cfg.Hooks.OnStateChange = func(ws []workers.Worker, n int) { writeStatus(status, ws, n) }
	}
	err := workers.Run(*cfg)
	if errors.Is(err, workers.ErrBoot) {
		fmt.Fprintf(stderr, "gopatch: run: %v\n", err)
		return &exitError{3} // gunicorn's exit code for a worker that fails to boot
	}
	return err
}

// writeStatus writes the workers' state to path, whole, through a rename.
func writeStatus(path string, ws []workers.Worker, n int) {
	var b strings.Builder
	fmt.Fprintf(&b, "master %d: %d workers wanted, %d running\n", os.Getpid(), n, len(ws))
	for _, w := range ws {
		state := "booting"
		switch {
		case w.Leaving != "":
			state = "leaving (" + w.Leaving + ")"
		case w.Ready:
			state = "serving"
		}
		fmt.Fprintf(&b, "worker %d pid %d %s since %s\n", w.ID, w.Pid, state, w.Started.Format(time.RFC3339))
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o666); err == nil {
		os.Rename(tmp, path)
	}
}

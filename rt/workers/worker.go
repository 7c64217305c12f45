// This file is a worker's side: what the standard library's hook files
// (rewrite/stdworkers.go) ask of it. Its Unix half (worker_unix.go) reads
// the master's environment and takes the signals that stop a worker.

package workers

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var worker struct {
	id        int
	ctl       int // -1 without a master
	listen    []listenSpec
	graceful  time.Duration
	beat      time.Duration
	maxReq    int64
	accessLog bool

	requestTimeout time.Duration

	served    atomic.Int64
	draining  atomic.Bool
	servers   atomic.Int64 // *http.Servers registered and not yet drained
	listeners atomic.Int64 // listeners on inherited sockets, not yet closed
	conns     atomic.Int64 // connections they accepted, not yet closed
	mu        sync.Mutex   // serialises writes to ctl
}

// Active reports whether this process is a worker of a master.
func Active() bool { return worker.id > 0 }

// ID returns this worker's ID, or 0 in a process that is no worker.
func ID() int { return worker.id }

// BeatInterval is how often a hub that serves an inherited socket calls
// [Beat].
func BeatInterval() time.Duration { return worker.beat }

// Beat tells the master that the calling hub is alive. A greenlet on each
// hub that serves an inherited socket calls it every [BeatInterval]; a
// hub that is held (a greenlet that never yields, a native block) stops
// beating, and the master kills the worker after Config.Timeout.
func Beat() { send(msgBeat) }

// Draining reports whether this worker has been told to stop gracefully.
// The hooks' greenlets look at it every [BeatInterval]: they close their
// listeners and Shutdown their servers then.
func Draining() bool { return worker.draining.Load() }

// ServerStarted registers a server that must be drained before a graceful
// stop ends the worker; ServerDrained unregisters it.
func ServerStarted() {
	hadServers.Store(true)
	worker.servers.Add(1)
}

// ServerDrained unregisters a server ServerStarted registered: it has shut
// down.
func ServerDrained() { worker.servers.Add(-1) }

// GracefulTimeout is how long a graceful stop may take.
func GracefulTimeout() time.Duration { return worker.graceful }

// AccessLog reports whether each request is logged.
func AccessLog() bool { return worker.accessLog }

// RequestTimeout is how long a request's handler may run before it is
// unwound (Config.RequestTimeout); 0, never. net/http's hook runs each
// handler under an rt.Timeout of it: the handler's greenlet is unwound at
// its next blocking point past the deadline, and the client gets a 503,
// or its connection closed if the headers were written. A handler that
// holds its hub, busy on the CPU, is not unwound until it blocks: its hub
// stops beating, and Config.Timeout kills the worker.
func RequestTimeout() time.Duration { return worker.requestTimeout }

// Served counts one request served. Once the worker has served its
// MaxRequests, it asks the master to replace it; the master drains it
// once the replacement listens, so no request fails.
func Served() {
	if n := worker.served.Add(1); worker.maxReq > 0 && n == worker.maxReq {
		send(msgRetire)
	}
}

// LogRequest writes an access log line in the common log format, with the
// duration and the worker appended, and "timeout=" the request timeout
// when timedOut: its handler was unwound at [RequestTimeout].
func LogRequest(remote, method, uri, proto string, status int, size int64, start time.Time, timedOut bool) {
	host, _, _ := splitHostPort(remote)
	if status == 0 {
		status = 200
	}
	var note string
	if timedOut {
		note = " timeout=" + worker.requestTimeout.String()
	}
	fmt.Fprintf(os.Stderr, "%s - - [%s] %q %d %d %.6f worker=%d%s\n", host, start.Format("02/Jan/2006:15:04:05 -0700"),
		method+" "+uri+" "+proto, status, size, time.Since(start).Seconds(), worker.id, note)
}

// ListenerOpened counts a listener on an inherited socket (net's hook
// calls it); ListenerClosed, its close.
func ListenerOpened() { worker.listeners.Add(1) }

// ListenerClosed counts the close of a listener ListenerOpened counted.
func ListenerClosed() { worker.listeners.Add(-1) }

// ConnAccepted counts a connection accepted on an inherited listener
// (net's hook calls it); ConnClosed, its close.
func ConnAccepted() { worker.conns.Add(1) }

// ConnClosed counts the close of a connection ConnAccepted counted.
func ConnClosed() { worker.conns.Add(-1) }

// Drained reports whether a draining worker is done: its inherited
// listeners are closed (their greenlets close them within 50ms of the
// drain), every connection they accepted is closed, and every registered
// *http.Server has shut down (Shutdown returned). A plain net server, a
// goroutine a connection, is so done when its last connection closes.
//
// The listeners are read first: once they are closed, net's hook has
// counted every connection they accepted.
func Drained() bool {
	return worker.listeners.Load() == 0 && worker.conns.Load() == 0 && worker.servers.Load() == 0
}

// drain ends the worker once it is [Drained], or at its graceful timeout.
func drain() {
	deadline := time.Now().Add(worker.graceful)
	for !Drained() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	os.Exit(0)
}

// ParkAccept reports whether an accept that failed must park: the worker
// drains and serves no *http.Server (whose Shutdown waits for its accept
// loop to return).
func ParkAccept() bool { return Draining() && !hadServers.Load() }

// hadServers is set once an *http.Server has been registered.
var hadServers atomic.Bool

// splitHostPort splits host:port, [host]:port and :port.
func splitHostPort(addr string) (host, port string, ok bool) {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return "", "", false
	}
	host, port = addr[:i], addr[i+1:]
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return host, port, true
}

// Package workers runs a server as gunicorn does with -k gevent: a master
// process owns the listening sockets and keeps N worker processes, each
// one hub running the same program, and a worker's net.Listen on a bound
// address gets the master's socket, so a worker that dies, is restarted
// or retires loses no connection waiting to be accepted.
//
// # Who uses it
//
// `gopatch run -workers N -bind ADDR ./server` runs [Run] in the gopatch
// process itself. A program that wants to be its own master calls [Run]
// at the top of main under a build by gopatch:
//
//	func main() {
//		if workers.IsMaster() {
//			if err := workers.Run(workers.Config{Workers: 4, Bind: []string{":8080"}}); err != nil {
//				log.Fatal(err)
//			}
//			return
//		}
//		log.Fatal(http.ListenAndServe(":8080", handler)) // in each worker
//	}
//
// The worker's side needs nothing from the program: the standard library
// gopatch builds has hook files (rewrite/stdworkers.go) that ask this
// package, in each worker, for the inherited socket of an address
// ([InheritedFile]), register each *http.Server served so that a graceful
// stop can Shutdown it, count requests for Config.MaxRequests, and write
// the access log. This package imports neither rt nor net (net's hook
// imports it), so the master is plain Go and binds with syscall.
//
// A bound address is host:port, which a worker's net.Listen("tcp", ...)
// of the same port gets, or unix:path, a Unix socket, which its
// net.Listen("unix", path) gets: as gunicorn does, the master removes a
// stale socket file at path (one no process listens on) before it binds,
// refuses any other file there, and removes its own at exit.
//
// # Signals, as gunicorn's
//
// To the master: SIGTERM stops gracefully (workers drain their in-flight
// requests within Config.GracefulTimeout, idle keep-alive connections are
// closed at once, and a worker exits as soon as it is [Drained]: a plain
// net server's once the connections it accepted are closed); SIGINT and SIGQUIT stop quickly; SIGHUP starts new
// workers (after Hooks.OnReload, which gopatch run uses to rebuild the
// program) and drains the old ones once the new ones listen; SIGTTIN and
// SIGTTOU add and remove a worker. SIGUSR2 starts a new master, the
// program again from its executable's path (a binary rebuilt there is
// the one that starts; under gopatch run, gopatch run again, which
// rebuilds it) with the same arguments, which inherits the sockets and
// starts its own workers; once they listen, the old master drains its
// workers and Run returns nil. The sockets stay open throughout, so no
// connection is refused; a new master that ends before its workers
// listen leaves the old one serving. A worker that dies is replaced; one
// whose hub stops beating for Config.Timeout is killed and replaced; one
// that has served Config.MaxRequests (plus up to MaxRequestsJitter) is
// replaced, then drained.
//
// # Timeouts
//
// Config.Timeout is gunicorn's: a worker whose hub stops beating (a
// handler busy on the CPU, a native call that holds the hub) is killed
// with all its requests. Config.RequestTimeout is a timeout per request,
// which gunicorn's async workers lack: net/http's hook runs each handler
// under an rt.Timeout, so a handler still running past it is unwound at
// its next blocking point (its defers run), the client gets a 503 (or its
// connection closed if the headers were written), and the worker's other
// requests go on. A handler that never blocks cannot be unwound: if it
// ends, its answer is only late; if it holds the hub past Config.Timeout,
// the heartbeat kills the worker.
//
// # Systems
//
// Worker processes need Unix: listening sockets inherited across exec,
// and signals. A worker dies with its master: it holds the read end of a
// pipe whose only write end the master holds, and exits when the read
// sees end of file, however the master ended; on Linux and FreeBSD the
// kernel kills it first (Pdeathsig). Elsewhere (windows, plan9, js,
// wasip1) the package builds, so that net's hook and a program that
// calls [Run] build too, but no process is a worker, Listen is left
// alone, and Run returns [ErrUnsupported]: such a program can serve in a
// single process there. -reuse-port needs SO_REUSEPORT, which solaris
// and illumos lack.
package workers

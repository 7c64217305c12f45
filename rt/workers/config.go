// This file holds the master's configuration, the errors of Run, and the
// environment through which the master tells a worker what it inherited.

package workers

import (
	"errors"
	"io"
	"runtime"
	"time"
)

// IsMaster reports whether this process is not a worker: a program that
// calls [Run] at the top of its main runs as the master when it is true
// and goes on as a worker when it is false.
func IsMaster() bool { return !Active() }

// ErrBoot is the error Run returns when a worker exits before it has
// listened (gunicorn's "worker failed to boot"): restarting it would only
// fail again.
var ErrBoot = errors.New("worker failed to boot")

// ErrUnsupported is the error Run returns on a system that has no worker
// processes (windows, plan9, js, wasip1): they need Unix's inherited
// listening sockets and signals. A program built for one serves in a
// single process there: net's and net/http's hooks leave it unchanged.
var ErrUnsupported = errors.New("workers: worker processes need a Unix system; " + runtime.GOOS + " is not one")

// Config is what a master runs with; the zero value of a field is its
// default, as gunicorn's.
type Config struct {
	Workers           int           // worker processes; 1 if 0
	Bind              []string      // addresses to listen on: host:port (host an IP, localhost or empty), or unix:path
	Backlog           int           // listen backlog; 2048 if 0 (the kernel caps it at somaxconn)
	ReusePort         bool          // set SO_REUSEPORT on the sockets
	GracefulTimeout   time.Duration // how long a graceful stop waits for in-flight requests; 30s if 0
	Timeout           time.Duration // kill a worker whose hub has not beaten for this long; 30s if 0, < 0 never
	MaxRequests       int           // replace a worker after this many requests; 0 never
	MaxRequestsJitter int           // add a random 0..jitter to each worker's MaxRequests
	AccessLog         bool          // each worker logs a line per request to its standard error
	RequestTimeout    time.Duration // unwind a request's handler still running after this long; 0 never

	Path string   // the program each worker runs
	Args []string // its arguments, Args[0] included
	Env  []string // its environment, before the worker's own variables; os.Environ() if nil

	Log io.Writer // where the master logs; os.Stderr if nil

	Hooks Hooks
}

// Hooks are gunicorn's server hooks as Go callbacks, all called on the
// master's goroutine, one at a time.
type Hooks struct {
	OnStarting    func()                        // before the sockets are bound
	WhenReady     func()                        // the sockets are bound and the first workers started
	PreFork       func(id int)                  // before worker id starts
	PostFork      func(w Worker)                // worker w has started
	WorkerExit    func(w Worker, status string) // worker w has exited, as status says
	OnReload      func() error                  // SIGHUP, before new workers start; an error keeps the old ones
	PreExec       func()                        // SIGUSR2, before the new master starts
	OnExit        func()                        // the master is about to return
	OnSignal      func(sig string)              // a signal reached the master
	OnStateChange func(workers []Worker, n int) // the workers alive and the number wanted
}

// Worker is what the master knows of one worker process.
type Worker struct {
	ID      int       // 1, 2, ...: never reused within a master
	Pid     int       // its process id
	Started time.Time // when it was started
	Ready   bool      // its hub has beaten once (it listens)
	Leaving string    // why it is being stopped, or ""
}

// The environment of a worker.
const (
	envWorker     = "GOPATCH_WORKER"                 // the worker's ID
	envListen     = "GOPATCH_WORKER_LISTEN"          // the bound sockets (formatListen)
	envCtl        = "GOPATCH_WORKER_CTL"             // the fd the worker writes to the master on
	envLife       = "GOPATCH_WORKER_LIFE"            // the fd of a pipe the master holds open while it lives
	envGraceful   = "GOPATCH_WORKER_GRACEFUL"        // Config.GracefulTimeout
	envBeat       = "GOPATCH_WORKER_BEAT"            // how often the hub beats
	envMaxReq     = "GOPATCH_WORKER_MAX_REQUESTS"    // this worker's MaxRequests, jitter added
	envAccessLog  = "GOPATCH_WORKER_ACCESS_LOG"      // "1": log each request
	envReqTimeout = "GOPATCH_WORKER_REQUEST_TIMEOUT" // Config.RequestTimeout
)

// Messages from a worker to the master, one byte each on the ctl pipe.
const (
	msgBeat   = 'b' // the worker's hub is alive
	msgRetire = 'x' // MaxRequests reached: replace me, then drain me
)

package server

import (
	"log"
	"net"
	"sync"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// A StreamServer accepts the connections of a listener and serves each in
// a greenlet of its own (gevent.server.StreamServer).
type StreamServer struct {
	// MaxConns bounds the connections served at once (gevent's
	// spawn=Pool(n)); 0 means no bound. A full server stops accepting
	// until a handler returns: the kernel queues new connections in the
	// listener's backlog, none is dropped.
	MaxConns int
	// ErrorLog receives accept errors; nil means the log package's logger.
	ErrorLog *log.Logger

	ln     net.Listener
	handle func(net.Conn)

	mu       sync.Mutex            // held for no wait: it is a native lock on the hub
	conns    map[net.Conn]struct{} // being served
	stopping bool
	serving  bool     // Serve has started
	done     rt.Event // set when Serve has returned
	handlers rt.Group
}

// NewStreamServer returns a server of ln that calls handle for each
// connection, in a greenlet of its own, and closes the connection when
// handle returns.
func NewStreamServer(ln net.Listener, handle func(net.Conn)) *StreamServer {
	return &StreamServer{ln: ln, handle: handle, conns: map[net.Conn]struct{}{}}
}

// Listen listens on the network address and returns a server of it.
func Listen(network, address string, handle func(net.Conn)) (*StreamServer, error) {
	ln, err := net.Listen(network, address)
	if err != nil {
		return nil, err
	}
	return NewStreamServer(ln, handle), nil
}

// Addr returns the listener's address.
func (s *StreamServer) Addr() net.Addr { return s.ln.Addr() }

// Serve accepts connections until Stop, then returns nil, or until Accept
// fails for good, then returns its error. Errors it outlives (out of
// descriptors, a connection aborted before it was accepted) are logged and
// retried after a backoff.
func (s *StreamServer) Serve() error {
	s.mu.Lock()
	s.serving = true
	s.mu.Unlock()
	defer s.done.Set()
	var pool *rt.Pool
	if s.MaxConns > 0 {
		pool = rt.NewPool(s.MaxConns)
	}
	b := backoff{log: s.ErrorLog}
	for {
		if pool != nil {
			pool.WaitAvailable(-1) // a full server accepts nothing
		}
		c, err := s.ln.Accept()
		if err != nil {
			if s.isStopping() || closed(err) {
				return nil
			}
			if retryable(err) {
				b.wait("accept", err)
				continue
			}
			return err
		}
		b.reset()
		if !s.track(c) {
			c.Close() // accepted as Stop closed the listener
			return nil
		}
		serve := func() any {
			defer s.untrack(c)
			defer c.Close()
			s.handle(c)
			return nil
		}
		if pool != nil {
			s.handlers.Add(pool.Spawn(serve))
		} else {
			s.handlers.Spawn(serve)
		}
	}
}

// Start runs Serve in a greenlet of its own and returns at once (gevent's
// start); Stop ends it.
func (s *StreamServer) Start() {
	s.mu.Lock()
	s.serving = true // before Serve runs: a Stop right after Start waits for it
	s.mu.Unlock()
	rt.Spawn(func() any { return s.Serve() })
}

// Stop stops accepting (it closes the listener), waits up to timeout for
// the connections in flight to be served (timeout < 0: no limit), then
// closes the connections still open and kills their handlers. It reports
// whether every handler returned by itself.
func (s *StreamServer) Stop(timeout time.Duration) bool {
	s.mu.Lock()
	s.stopping = true
	serving := s.serving
	s.mu.Unlock()
	s.ln.Close()
	if serving {
		s.done.Wait(-1) // no handler is spawned after this
	}
	if s.handlers.Join(timeout) {
		return true
	}
	// Closed outside the lock: a Close waits for the reads in progress,
	// and the handler whose read ends takes the lock to untrack itself.
	s.mu.Lock()
	open := make([]net.Conn, 0, len(s.conns))
	for c := range s.conns {
		open = append(open, c)
	}
	s.mu.Unlock()
	for _, c := range open {
		c.Close()
	}
	s.handlers.Kill()
	return false
}

// Conns returns how many connections are being served.
func (s *StreamServer) Conns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

func (s *StreamServer) isStopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

// track records c as served, unless the server is stopping.
func (s *StreamServer) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *StreamServer) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

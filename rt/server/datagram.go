package server

import (
	"log"
	"net"
	"sync"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// A DatagramServer reads the packets of a packet connection and handles
// each in a greenlet of its own (gevent.server.DatagramServer).
type DatagramServer struct {
	// MaxInFlight bounds the packets handled at once; 0 means no bound. A
	// full server stops reading: packets wait in the socket's buffer.
	MaxInFlight int
	// BufferSize is the largest packet read whole; 0 means 65,535 bytes.
	BufferSize int
	// ErrorLog receives read errors; nil means the log package's logger.
	ErrorLog *log.Logger

	pc     net.PacketConn
	handle func(pc net.PacketConn, data []byte, from net.Addr)

	mu       sync.Mutex
	stopping bool
	serving  bool
	done     rt.Event
	handlers rt.Group
}

// NewDatagramServer returns a server of pc that calls handle for each
// packet, with a copy of its data and its sender, in a greenlet of its
// own; handle may answer through pc.
func NewDatagramServer(pc net.PacketConn, handle func(pc net.PacketConn, data []byte, from net.Addr)) *DatagramServer {
	return &DatagramServer{pc: pc, handle: handle}
}

// ListenPacket listens on the network address and returns a server of it.
func ListenPacket(network, address string, handle func(pc net.PacketConn, data []byte, from net.Addr)) (*DatagramServer, error) {
	pc, err := net.ListenPacket(network, address)
	if err != nil {
		return nil, err
	}
	return NewDatagramServer(pc, handle), nil
}

// Addr returns the connection's local address.
func (s *DatagramServer) Addr() net.Addr { return s.pc.LocalAddr() }

// Serve reads packets until Stop, then returns nil, or until a read fails
// for good, then returns its error.
func (s *DatagramServer) Serve() error {
	s.mu.Lock()
	s.serving = true
	s.mu.Unlock()
	defer s.done.Set()
	var pool *rt.Pool
	if s.MaxInFlight > 0 {
		pool = rt.NewPool(s.MaxInFlight)
	}
	size := s.BufferSize
	if size <= 0 {
		size = 65535
	}
	buf := make([]byte, size)
	b := backoff{log: s.ErrorLog}
	for {
		if pool != nil {
			pool.WaitAvailable(-1)
		}
		n, from, err := s.pc.ReadFrom(buf)
		if s.isStopping() {
			return nil
		}
		if err != nil {
			if closed(err) {
				return nil
			}
			if retryable(err) {
				b.wait("read", err)
				continue
			}
			return err
		}
		b.reset()
		data := append([]byte(nil), buf[:n]...)
		handle := func() any {
			s.handle(s.pc, data, from)
			return nil
		}
		if pool != nil {
			s.handlers.Add(pool.Spawn(handle))
		} else {
			s.handlers.Spawn(handle)
		}
	}
}

// Start runs Serve in a greenlet of its own and returns at once.
func (s *DatagramServer) Start() {
	s.mu.Lock()
	s.serving = true
	s.mu.Unlock()
	rt.Spawn(func() any { return s.Serve() })
}

// Stop stops reading, waits up to timeout for the packets in flight to be
// handled (timeout < 0: no limit) and kills the handlers left, then closes
// the connection. Handlers may answer through it until then. It reports
// whether every handler returned by itself.
func (s *DatagramServer) Stop(timeout time.Duration) bool {
	s.mu.Lock()
	s.stopping = true
	serving := s.serving
	s.mu.Unlock()
	// A deadline in the past ends the read in progress and leaves the
	// connection open for the handlers' answers.
	s.pc.SetReadDeadline(time.Unix(1, 0))
	if serving {
		s.done.Wait(-1)
	}
	ok := s.handlers.Join(timeout)
	if !ok {
		s.handlers.Kill()
	}
	s.pc.Close()
	return ok
}

func (s *DatagramServer) isStopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

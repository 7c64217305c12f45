// Package initorder starts a server whose routes table is made by the
// goroutine New starts: a Handle before that goroutine has run writes to
// a nil map.
package initorder

import "sync"

// Server routes paths to handlers.
type Server struct {
	mu     sync.Mutex
	routes map[string]string
	ready  chan struct{}
}

// New starts a server; it initialises itself in the background.
func New() *Server {
	s := &Server{ready: make(chan struct{})}
	go s.init()
	return s
}

func (s *Server) init() {
	s.mu.Lock()
	s.routes = make(map[string]string)
	s.mu.Unlock()
	close(s.ready)
}

func (s *Server) Handle(path, handler string) {
	// BUG: nothing waits for init to have made the table
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[path] = handler
}

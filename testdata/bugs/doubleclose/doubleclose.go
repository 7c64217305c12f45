// Package doubleclose stops a server by closing its quit channel unless
// a look at it shows it closed: two Stops can both look before either
// closes.
package doubleclose

import "sync"

// Server runs until quit is closed.
type Server struct {
	quit chan struct{}
	once sync.Once
}

// NewServer returns a running server.
func NewServer() *Server { return &Server{quit: make(chan struct{})} }

func (s *Server) Stop() {
	select {
	case <-s.quit:
		return // already stopped
	default:
		close(s.quit) // BUG: another Stop may close it between the look and here
	}
}

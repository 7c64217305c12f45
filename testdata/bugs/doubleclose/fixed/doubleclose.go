// Package doubleclose is example.com/bugs/doubleclose with its bug mended; its test is
// the same file. See that package's doc for the bug.
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
	s.once.Do(func() { close(s.quit) })
}

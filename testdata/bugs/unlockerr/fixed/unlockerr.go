// Package unlockerr is example.com/bugs/unlockerr with its bug mended; its test is
// the same file. See that package's doc for the bug.
package unlockerr

import (
	"errors"
	"sync"
)

// ErrNegative is Put's error for a negative value.
var ErrNegative = errors.New("negative value")

// Store is a map under a lock.
type Store struct {
	mu sync.Mutex
	m  map[string]int
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{m: make(map[string]int)} }

func (s *Store) Put(key string, v int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v < 0 {
		return ErrNegative
	}
	s.m[key] = v
	return nil
}

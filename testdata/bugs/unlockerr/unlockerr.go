// Package unlockerr stores values under a lock, and its error path
// returns without unlocking: the next caller waits forever.
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
	if v < 0 {
		return ErrNegative // BUG: returns with the lock held
	}
	s.m[key] = v
	s.mu.Unlock()
	return nil
}

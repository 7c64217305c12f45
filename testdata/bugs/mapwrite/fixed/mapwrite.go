// Package mapwrite is example.com/bugs/mapwrite with its bug mended; its test is
// the same file. See that package's doc for the bug.
package mapwrite

import (
	"fmt"
	"sync"
)

// Registry gives each name an id.
type Registry struct {
	mu    sync.Mutex // guards ids (in the fixed version)
	ids   map[string]int
	logMu sync.Mutex
	log   []string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{ids: make(map[string]int)} }

func (r *Registry) logf(format string, args ...any) {
	r.logMu.Lock()
	r.log = append(r.log, fmt.Sprintf(format, args...))
	r.logMu.Unlock()
}

func (r *Registry) Register(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := len(r.ids) + 1
	r.logf("register %s as %d", name, id)
	r.ids[name] = id
	return id
}

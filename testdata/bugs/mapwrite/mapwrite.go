// Package mapwrite hands out ids from a registry map that nothing
// guards: an id is the map's size when a name registers, and two names
// that register together can get the same one.
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
	id := len(r.ids) + 1 // BUG: no lock from here to the write
	r.logf("register %s as %d", name, id)
	r.ids[name] = id
	return id
}

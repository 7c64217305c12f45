// This file holds Local, greenlet-local storage.

package rt

import ()

// Local is greenlet-local storage: each greenlet sees its own value, the
// zero value until it sets one.
type Local[T any] struct {
	_ byte // distinct addresses for distinct Locals
}

// Get returns the calling greenlet's value.
func (l *Local[T]) Get() T {
	g := Current()
	v, _ := g.locals[l].(T)
	return v
}

// Set sets the calling greenlet's value.
func (l *Local[T]) Set(v T) {
	g := Current()
	if g.locals == nil {
		g.locals = make(map[any]any)
	}
	g.locals[l] = v
}

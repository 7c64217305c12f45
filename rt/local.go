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
	if g.rare == nil {
		var zero T
		return zero
	}
	v, _ := g.rare.locals[l].(T)
	return v
}

// Set sets the calling greenlet's value.
func (l *Local[T]) Set(v T) {
	r := Current().rareFields()
	if r.locals == nil {
		r.locals = make(map[any]any)
	}
	r.locals[l] = v
}

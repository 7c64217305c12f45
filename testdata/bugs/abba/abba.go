// Package abba transfers between accounts under both accounts' locks,
// taken in argument order: two opposite transfers can each hold one lock
// and wait for the other.
package abba

import "sync"

// Account is a balance under a lock.
type Account struct {
	id      int
	mu      sync.Mutex
	balance int
}

func Transfer(from, to *Account, n int) {
	from.mu.Lock() // BUG: lock order depends on the arguments
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= n
	to.balance += n
}

// Package abba is example.com/bugs/abba with its bug mended; its test is
// the same file. See that package's doc for the bug.
package abba

import "sync"

// Account is a balance under a lock.
type Account struct {
	id      int
	mu      sync.Mutex
	balance int
}

func Transfer(from, to *Account, n int) {
	first, second := from, to
	if second.id < first.id {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= n
	to.balance += n
}

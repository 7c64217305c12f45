// Package lostupdate is example.com/bugs/lostupdate with its bug mended; its test is
// the same file. See that package's doc for the bug.
package lostupdate

import "sync"

// Account is a balance and the log of its deposits.
type Account struct {
	mu      sync.Mutex
	balance int
	log     []int
}

func (a *Account) Deposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.log = append(a.log, n)
	a.balance += n
}

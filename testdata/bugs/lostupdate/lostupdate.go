// Package lostupdate keeps an account whose Deposit reads the balance,
// takes the lock only to append to the audit log, and writes the balance
// back after unlocking: two deposits can both read the old balance.
package lostupdate

import "sync"

// Account is a balance and the log of its deposits.
type Account struct {
	mu      sync.Mutex
	balance int
	log     []int
}

func (a *Account) Deposit(n int) {
	b := a.balance // BUG: read outside the lock
	a.mu.Lock()
	a.log = append(a.log, n)
	a.mu.Unlock()
	a.balance = b + n
}

package lostupdate

import (
	"sync"
	"testing"
)

func TestDeposits(t *testing.T) {
	var a Account
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.Deposit(10)
		}()
	}
	wg.Wait()
	if a.balance != 20 {
		t.Fatalf("balance %d after two deposits of 10; want 20", a.balance)
	}
}

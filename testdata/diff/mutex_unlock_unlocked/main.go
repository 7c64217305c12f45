// Command mutex_unlock_unlocked exercises unlocking an unlocked mutex: a fatal error that recover cannot catch, so the process exits 2.
package main

import (
	"fmt"
	"os"
	"sync"
)

func main() {
	defer func() {
		fmt.Println("recovered (must not happen):", recover())
	}()
	var mu sync.Mutex
	mu.Lock()
	mu.Unlock()
	fmt.Println("unlocking again")
	os.Stdout.Sync()
	mu.Unlock()
	fmt.Println("never printed")
}

package b

import "embedded/a"

func Lock(t *a.T) {
	t.Lock() // want `call of \(\*sync.Mutex\).Lock through the unexported embedded field inner of another package is not rewritten \(GP0103\)`
}

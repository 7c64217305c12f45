//go:build !unix

// This file is a worker's side where there are no worker processes
// (windows, plan9, js, wasip1): a process is never a worker, so net's
// and net/http's hooks leave every Listen and server as they are.

package workers

import "os"

// InheritedFile returns a dup of the master's socket that a Listen of
// network and address gets in a worker; there are no workers here.
func InheritedFile(network, address string) (f *os.File, ok bool, err error) {
	return nil, false, nil
}

func send(msg byte) {}

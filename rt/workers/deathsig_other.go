//go:build unix && !linux && !freebsd

// This file starts workers where there is no Pdeathsig (darwin, the other
// BSDs, solaris, aix): a worker learns that its master died from its life
// pipe alone (watchMaster).

package workers

import "syscall"

// workerSysProcAttr is how a worker is started.
func workerSysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }

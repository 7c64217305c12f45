//go:build linux || freebsd

// This file asks the kernel to kill a worker when its master dies, where
// the kernel can (Pdeathsig).

package workers

import "syscall"

// workerSysProcAttr is how a worker is started: killed by the kernel when
// the master dies. Its life pipe (watchMaster) is the second line.
func workerSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

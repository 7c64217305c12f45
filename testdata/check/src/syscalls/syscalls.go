// Package syscalls makes raw system calls, some of which wait.
package syscalls

import "syscall"

func Read(fd int, b []byte) (int, error) {
	return syscall.Read(fd, b) // want `call to syscall.Read blocks the hub and is not rewritten; read through an \*os.File or a net.Conn, whose waits gopatch patches, or wrap the call in rt.Offload \(GP0301\)`
}

func Reap(pid int) {
	var status syscall.WaitStatus
	syscall.Wait4(pid, &status, 0, nil) // want `call to syscall.Wait4 blocks the hub .*\(\*os.Process\).Wait.* \(GP0301\)`
}

func Sleep() {
	ts := syscall.Timespec{Nsec: 1000}
	syscall.Nanosleep(&ts, nil) // want `call to syscall.Nanosleep .*use time.Sleep.* \(GP0301\)`
}

func Pid() int {
	return syscall.Getpid() // no wait: not reported
}

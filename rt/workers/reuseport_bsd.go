//go:build aix || darwin || dragonfly || freebsd || netbsd || openbsd

// This file holds SO_REUSEPORT's value where package syscall has it.

package workers

import "syscall"

const soReusePort = syscall.SO_REUSEPORT

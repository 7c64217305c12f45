// This file holds SO_REUSEPORT's value on Linux, which package syscall
// lacks.

package workers

const soReusePort = 0xf

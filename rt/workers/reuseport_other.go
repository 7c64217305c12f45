//go:build unix && !linux && !aix && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd

// This file says that SO_REUSEPORT is missing on the other Unixes
// (solaris, illumos, hurd): -reuse-port is an error there.

package workers

const soReusePort = -1

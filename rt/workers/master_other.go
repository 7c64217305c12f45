//go:build !unix

// This file is the master where there are no worker processes (windows,
// plan9, js, wasip1).

package workers

// Run returns [ErrUnsupported]: a master needs Unix.
func Run(cfg Config) error { return ErrUnsupported }

package server

import (
	"errors"
	"log"
	"net"
	"syscall"
	"time"

	"github.com/gopatch/gopatch/rt"
)

// retryable reports whether err, from Accept or ReadFrom, is one the server
// outlives: out of descriptors or buffers (EMFILE, ENFILE, ENOBUFS,
// ENOMEM), or a connection the peer gave up on before it was accepted.
// Anything else (the listener closed) ends the serve loop.
func retryable(err error) bool {
	for _, e := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM,
		syscall.ECONNABORTED, syscall.ECONNRESET, syscall.EINTR, syscall.EAGAIN} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// A backoff spaces the retries after retryable errors: 5 ms, doubling to
// at most a second, back to the start after a success. A server out of
// descriptors neither spins nor stops: it tries again once others may
// have closed.
type backoff struct {
	delay time.Duration
	log   *log.Logger
}

const (
	firstDelay = 5 * time.Millisecond
	maxDelay   = time.Second
)

// wait logs err and sleeps on the hub for the next delay.
func (b *backoff) wait(what string, err error) {
	if b.delay == 0 {
		b.delay = firstDelay
	} else if b.delay *= 2; b.delay > maxDelay {
		b.delay = maxDelay
	}
	logf(b.log, "server: %s error: %v; retrying in %v", what, err, b.delay)
	rt.Sleep(b.delay)
}

// reset starts the delays afresh.
func (b *backoff) reset() { b.delay = 0 }

func logf(l *log.Logger, format string, args ...any) {
	if l != nil {
		l.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// closed reports whether err says the connection or listener was closed.
func closed(err error) bool { return errors.Is(err, net.ErrClosed) }

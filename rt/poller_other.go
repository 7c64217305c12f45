//go:build !linux

// This file stands in for the hub's poller where rt has none: a greenlet's
// wait for an fd then goes through blockOffHub's helper goroutine.

package rt

import (
	"errors"
	"sync/atomic"
	"time"
)

// A poller is never made here: newPoller always fails.
type poller struct {
	h        *Hub
	parked   int
	fds      []*fdState
	sleeping atomic.Bool
}

func newPoller(*Hub) (*poller, error) { return nil, errors.New("rt: no poller on this system") }

func (p *poller) arm(int, *fdState) bool { return false }
func (p *poller) poll() bool             { return false }
func (p *poller) wait(time.Duration)     {}
func (p *poller) wake()                  {}
func (p *poller) close()                 {}
func (p *poller) disarm(int)             {}
func (p *poller) eventsPending() bool    { return false }

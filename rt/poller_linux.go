// This file is the hub's poller on Linux: an epoll set of the fds its
// greenlets wait on, which the hub's idle wait waits on too.

package rt

import (
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// A poller is one hub's epoll set. Each fd a greenlet of the hub waits on
// is added once, edge-triggered for reading and writing, and stays until
// the kernel drops it when the file closes; readiness wakes the greenlets
// waiting for it (fdState.ready). The set also holds the read end of a
// pipe that wake writes to, so that an inbox post ends a wait in epoll.
//
// The hub never blocks in epoll_wait itself, which would hold an OS thread
// for as long as it idles: the epoll fd is itself pollable, so the hub
// waits for it to become readable through the Go runtime's own netpoller,
// parked like any goroutine, and then collects the events without waiting.
//
// Everything but wake and sleeping runs on the hub's goroutine.
type poller struct {
	h      *Hub
	epfd   *os.File // the epoll fd, registered with the runtime's netpoller
	epfdN  int      // its number (epfd.Fd would make it blocking)
	raw    syscall.RawConn
	wakeR  int // the wake pipe's ends, non-blocking
	wakeW  int
	fds    map[int32]*fdState // by fd number; a reused number is overwritten
	events [128]syscall.EpollEvent

	parked      int  // greenlets parked in waitFd on this hub
	hasDeadline bool // epfd's read deadline is set

	sleeping atomic.Bool // the hub waits in wait: wake must write the pipe
}

// edgeAll is what each fd is registered for: readable, writable, and the
// peer's hang-up, edge-triggered.
const edgeAll = syscall.EPOLLIN | syscall.EPOLLOUT | syscall.EPOLLRDHUP | 1<<31 // EPOLLET

func newPoller(h *Hub) (*poller, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	p := &poller{h: h, epfdN: epfd, fds: map[int32]*fdState{}}
	var pipe [2]int
	if err := syscall.Pipe2(pipe[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		syscall.Close(epfd)
		return nil, err
	}
	p.wakeR, p.wakeW = pipe[0], pipe[1]
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(p.wakeR)}
	if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, p.wakeR, &ev); err != nil {
		p.closeFds(epfd)
		return nil, err
	}
	if err := syscall.SetNonblock(epfd, true); err != nil {
		p.closeFds(epfd)
		return nil, err
	}
	p.epfd = os.NewFile(uintptr(epfd), "gopatch-poller")
	// A file the runtime cannot poll refuses deadlines: then the hub could
	// only wait in epoll_wait itself, holding a thread.
	if err := p.epfd.SetReadDeadline(time.Time{}); err != nil {
		p.close()
		return nil, err
	}
	if p.raw, err = p.epfd.SyscallConn(); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// arm makes sure p's set holds fd, for st, and reports whether it does.
func (p *poller) arm(fd int, st *fdState) bool {
	if st.armedWith(p) {
		return true
	}
	ev := syscall.EpollEvent{Events: edgeAll, Fd: int32(fd)}
	err := syscall.EpollCtl(p.epfdN, syscall.EPOLL_CTL_ADD, fd, &ev)
	if err != nil && !errors.Is(err, syscall.EEXIST) {
		return false
	}
	p.fds[int32(fd)] = st
	st.addArmed(p)
	return true
}

// poll collects the events ready now, without waiting, and fires the
// waiters they are for. It reports whether there were any.
func (p *poller) poll() bool {
	n, err := syscall.EpollWait(p.epfdN, p.events[:], 0)
	if err != nil || n <= 0 {
		return false
	}
	for _, ev := range p.events[:n] {
		if int(ev.Fd) == p.wakeR {
			var buf [64]byte
			for {
				if k, err := syscall.Read(p.wakeR, buf[:]); k <= 0 || err != nil {
					break
				}
			}
			continue
		}
		st := p.fds[ev.Fd]
		if st == nil {
			continue
		}
		bad := ev.Events&(syscall.EPOLLERR|syscall.EPOLLHUP) != 0
		st.ready(p,
			bad || ev.Events&(syscall.EPOLLIN|syscall.EPOLLRDHUP) != 0,
			bad || ev.Events&syscall.EPOLLOUT != 0)
	}
	return true
}

// wait blocks the hub until an fd is ready, wake is called, or d passes
// (d < 0: no limit). It runs on the hub's goroutine, in its idler.
func (p *poller) wait(d time.Duration) {
	p.sleeping.Store(true)
	defer p.sleeping.Store(false)
	// A post made before sleeping was set did not write the pipe; it
	// shows in the inbox (post sets pending before it wakes).
	if p.h.inbox.pending.Load() || p.poll() {
		return
	}
	switch {
	case d >= 0:
		p.epfd.SetReadDeadline(time.Now().Add(d))
		p.hasDeadline = true
	case p.hasDeadline:
		p.epfd.SetReadDeadline(time.Time{})
		p.hasDeadline = false
	}
	// The runtime's netpoller calls the function again each time the
	// epoll fd becomes readable; a deadline or a closed file ends it.
	p.raw.Read(func(uintptr) bool { return p.poll() })
}

// wake ends a wait in progress from any goroutine; a wake while the hub
// is not in wait is seen there through the inbox instead.
func (p *poller) wake() {
	if p.sleeping.Load() {
		one := [1]byte{1}
		syscall.Write(p.wakeW, one[:]) // a full pipe is woken already
	}
}

// close releases p's descriptors. It runs when p's hub has ended.
func (p *poller) close() {
	p.epfd.Close()
	syscall.Close(p.wakeR)
	syscall.Close(p.wakeW)
}

// closeFds releases what newPoller made before epfd became a file.
func (p *poller) closeFds(epfd int) {
	syscall.Close(epfd)
	syscall.Close(p.wakeR)
	syscall.Close(p.wakeW)
}

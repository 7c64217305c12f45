// This file is the hub's poller on Linux: an epoll set of the fds its
// greenlets wait on, which the hub's idle wait waits on too.

package rt

import (
	"errors"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// A poller is one hub's epoll set. Each fd the hub owns (ownFd) or a
// greenlet of the hub waits on is added once, edge-triggered for reading
// and writing, and stays until it closes (fdClosed); readiness wakes the
// greenlets waiting for it (fdState.ready). The set also holds the read
// end of a pipe that wake writes to, so that an inbox post ends a wait.
//
// An idle hub first blocks in epoll_wait itself, for a millisecond at
// most (blockingWait), and then, to hold no OS thread for as long as it
// idles, waits through the Go runtime's netpoller, parked like any
// goroutine, and collects the events without waiting. The runtime does
// not poll the set itself but a gate, a second epoll set that holds only
// the first and reports it one-shot, armed by each wait: while the hub
// runs, an fd's event wakes no thread. With the set in the runtime's
// netpoller directly, every read and write of a busy hub woke an idle
// thread in the runtime's epoll_wait (bench/net.sh: echo at 0.58x Go's
// messages a second, against 0.83x through the gate and 0.85x blocking
// in epoll_wait, holding the thread; those figures are of the echo with
// its client in the same process).
//
// Everything but wake and sleeping runs on the hub's goroutine.
type poller struct {
	h      *Hub
	epfdN  int      // the epoll set
	gate   *os.File // an epoll set of epfdN alone, registered with the runtime's netpoller
	gateN  int      // its number (gate.Fd would make it blocking)
	raw    syscall.RawConn
	wakeR  int // the wake pipe's ends, non-blocking
	wakeW  int
	fds    []*fdState // by fd number, read at every event; a reused number is overwritten
	events [128]syscall.EpollEvent

	parked      int  // greenlets parked in waitFd on this hub
	hasDeadline bool // the gate's read deadline is set

	sleeping atomic.Bool // the hub waits in wait: wake must write the pipe

	closeMu sync.Mutex // orders disarm, from any goroutine, before close
	closed  bool
}

// edgeAll is what each fd is registered for: readable, writable, and the
// peer's hang-up, edge-triggered.
const edgeAll = syscall.EPOLLIN | syscall.EPOLLOUT | syscall.EPOLLRDHUP | 1<<31 // EPOLLET

func newPoller(h *Hub) (*poller, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	p := &poller{h: h, epfdN: epfd, gateN: -1, wakeR: -1, wakeW: -1}
	var pipe [2]int
	if err := syscall.Pipe2(pipe[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		p.closeFds()
		return nil, err
	}
	p.wakeR, p.wakeW = pipe[0], pipe[1]
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(p.wakeR)}
	if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, p.wakeR, &ev); err != nil {
		p.closeFds()
		return nil, err
	}
	if p.gateN, err = syscall.EpollCreate1(syscall.EPOLL_CLOEXEC); err != nil {
		p.gateN = -1
		p.closeFds()
		return nil, err
	}
	ev = syscall.EpollEvent{Events: 0, Fd: int32(epfd)} // disarmed until a wait
	if err := syscall.EpollCtl(p.gateN, syscall.EPOLL_CTL_ADD, epfd, &ev); err != nil {
		p.closeFds()
		return nil, err
	}
	if err := syscall.SetNonblock(p.gateN, true); err != nil {
		p.closeFds()
		return nil, err
	}
	p.gate = os.NewFile(uintptr(p.gateN), "gopatch-poller")
	// A file the runtime cannot poll refuses deadlines: then the hub could
	// only wait in epoll_wait itself, holding a thread.
	if err := p.gate.SetReadDeadline(time.Time{}); err != nil {
		p.close()
		return nil, err
	}
	if p.raw, err = p.gate.SyscallConn(); err != nil {
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
	if fd >= len(p.fds) {
		p.fds = slices.Grow(p.fds, fd+1-len(p.fds))[:fd+1]
	}
	p.fds[fd] = st
	st.addArmed(p, fd)
	return true
}

// disarm takes fd out of p's set, from any goroutine. p.fds may keep its
// fdState until the number is armed again: no event names it meanwhile.
func (p *poller) disarm(fd int) {
	p.closeMu.Lock()
	if !p.closed { // else the number may be another epoll set's by now
		syscall.EpollCtl(p.epfdN, syscall.EPOLL_CTL_DEL, fd, nil)
	}
	p.closeMu.Unlock()
}

// poll collects the events ready now, without waiting, and fires the
// waiters they are for. It reports whether there were any.
func (p *poller) poll() bool {
	n, err := syscall.EpollWait(p.epfdN, p.events[:], 0)
	if err != nil || n <= 0 {
		return false
	}
	p.dispatch(n)
	return true
}

// dispatch fires the waiters of the first n of p.events.
func (p *poller) dispatch(n int) {
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
		if int(ev.Fd) >= len(p.fds) || p.fds[ev.Fd] == nil {
			continue
		}
		st := p.fds[ev.Fd]
		bad := ev.Events&(syscall.EPOLLERR|syscall.EPOLLHUP) != 0
		st.ready(p,
			bad || ev.Events&(syscall.EPOLLIN|syscall.EPOLLRDHUP) != 0,
			bad || ev.Events&syscall.EPOLLOUT != 0)
	}
}

// blockingWait is how long an idle hub waits for its fds in epoll_wait on
// its own thread before it parks in the runtime's netpoller through the
// gate. A busy server's hub idles often and briefly, between one batch of
// events and the next, and the gate's way costs six syscalls and a trip
// through the runtime's scheduler where this costs one: bench/net.sh's
// echo, against one Go client in a process of its own, went from 0.75x to
// 0.92x native Go's messages a second and from 1.28x to 1.08x its server
// CPU a message (medians of five interleaved runs). A hub idle for longer
// holds no thread past this.
const blockingWait = time.Millisecond

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
	if d < 0 || d > blockingWait {
		n, err := syscall.EpollWait(p.epfdN, p.events[:], int(blockingWait/time.Millisecond))
		if err == nil && n > 0 {
			p.dispatch(n)
			return
		}
		if d >= 0 {
			d -= blockingWait // or less, after an EINTR: waking early costs a look
		}
	}
	switch {
	case d >= 0:
		p.gate.SetReadDeadline(time.Now().Add(d))
		p.hasDeadline = true
	case p.hasDeadline:
		p.gate.SetReadDeadline(time.Time{})
		p.hasDeadline = false
	}
	// Armed one-shot, the gate reports the set's next event once, and is
	// then off again until the next wait: events while the hub runs wake
	// no thread.
	p.setGate(syscall.EPOLLIN | syscall.EPOLLONESHOT)
	fired := false
	// The runtime's netpoller calls the function again each time the
	// gate becomes readable; a deadline or a closed file ends it.
	p.raw.Read(func(uintptr) bool {
		var ev [1]syscall.EpollEvent
		if n, _ := syscall.EpollWait(p.gateN, ev[:], 0); n > 0 {
			fired = true // and the gate is off
		}
		return p.poll() || fired
	})
	if !fired {
		p.setGate(0) // ended by the deadline
	}
}

// setGate sets what the gate reports of the set: 0 is nothing.
func (p *poller) setGate(events uint32) {
	ev := syscall.EpollEvent{Events: events, Fd: int32(p.epfdN)}
	syscall.EpollCtl(p.gateN, syscall.EPOLL_CTL_MOD, p.epfdN, &ev)
}

// eventsPending reports, from any goroutine, whether p's set has events
// ready that wait has yet to collect. It asks poll(2) of the set itself,
// which, unlike epoll_wait, leaves them for their owner.
func (p *poller) eventsPending() bool {
	p.closeMu.Lock()
	defer p.closeMu.Unlock()
	if p.closed {
		return false
	}
	fd := pollFd{fd: int32(p.epfdN), events: pollIn}
	var zero syscall.Timespec
	n, _, errno := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&fd)), 1, uintptr(unsafe.Pointer(&zero)), 0, 0, 0)
	return errno == 0 && n == 1 && fd.revents&pollIn != 0
}

// pollFd is poll(2)'s struct pollfd.
type pollFd struct {
	fd      int32
	events  int16
	revents int16
}

const pollIn = 0x1 // POLLIN

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
	p.closeMu.Lock()
	p.closed = true
	p.closeMu.Unlock()
	p.gate.Close()
	syscall.Close(p.epfdN)
	syscall.Close(p.wakeR)
	syscall.Close(p.wakeW)
}

// closeFds releases what newPoller made before the gate became a file.
func (p *poller) closeFds() {
	for _, fd := range []int{p.epfdN, p.gateN, p.wakeR, p.wakeW} {
		if fd >= 0 {
			syscall.Close(fd)
		}
	}
}

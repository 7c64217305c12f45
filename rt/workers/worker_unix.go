//go:build unix

// This file is a worker's side on Unix: what it reads from the master at
// start, the signals that stop it, and the pipes it shares with the
// master.

package workers

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func init() {
	worker.ctl = -1
	id, err := strconv.Atoi(os.Getenv(envWorker))
	if err != nil || id <= 0 {
		return
	}
	// The variables are the worker's alone: a process it starts is no
	// worker.
	for _, k := range []string{envWorker, envListen, envCtl, envLife, envGraceful, envBeat, envMaxReq, envAccessLog, envReqTimeout} {
		defer os.Unsetenv(k)
	}
	worker.id = id
	worker.ctl, _ = strconv.Atoi(os.Getenv(envCtl))
	worker.graceful, _ = time.ParseDuration(os.Getenv(envGraceful))
	worker.beat, _ = time.ParseDuration(os.Getenv(envBeat))
	if worker.beat <= 0 {
		worker.beat = time.Second
	}
	worker.maxReq, _ = strconv.ParseInt(os.Getenv(envMaxReq), 10, 64)
	worker.accessLog = os.Getenv(envAccessLog) == "1"
	worker.requestTimeout, _ = time.ParseDuration(os.Getenv(envReqTimeout))
	worker.listen, err = parseListen(os.Getenv(envListen))
	if err != nil {
		fmt.Fprintf(os.Stderr, "gopatch worker %d: %s: %v\n", id, envListen, err)
		os.Exit(1)
	}
	for _, l := range worker.listen {
		syscall.CloseOnExec(l.fd)
	}
	// The fds from the master are the worker's alone too: a process it
	// starts does not inherit them.
	if worker.ctl >= 0 {
		syscall.CloseOnExec(worker.ctl)
	}
	if life, err := strconv.Atoi(os.Getenv(envLife)); err == nil && life >= 0 {
		syscall.CloseOnExec(life)
		go watchMaster(life)
	}
	go handleSignals()
}

// watchMaster ends the worker when its master is gone: life is the read
// end of a pipe whose only write end the master holds, so a read returns
// end of file once the master has exited, however it did. This is how a
// worker dies with its master where there is no Pdeathsig (darwin and
// the BSDs but FreeBSD); on Linux and FreeBSD the kernel's SIGKILL
// usually comes first.
func watchMaster(life int) {
	syscall.SetNonblock(life, false)
	var b [1]byte
	for {
		n, err := syscall.Read(life, b[:])
		if err == syscall.EINTR || n > 0 {
			continue
		}
		break
	}
	fmt.Fprintf(os.Stderr, "gopatch worker %d (pid %d): the master has exited; exiting\n", worker.id, os.Getpid())
	os.Exit(1)
}

// InheritedFile returns a dup of the master's socket that a Listen of
// network and address in this worker gets ([Inherited]), closed on exec,
// for net.FileListener (which dups it again: the caller closes f). ok
// reports whether there is one; err, that it could not be dup'd.
func InheritedFile(network, address string) (f *os.File, ok bool, err error) {
	fd, ok := Inherited(network, address)
	if !ok {
		return nil, false, nil
	}
	syscall.ForkLock.RLock()
	nfd, err := syscall.Dup(fd)
	if err == nil {
		syscall.CloseOnExec(nfd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, true, os.NewSyscallError("dup", err)
	}
	return os.NewFile(uintptr(nfd), "inherited "+address), true, nil
}

func send(msg byte) {
	if worker.ctl < 0 {
		return
	}
	worker.mu.Lock()
	defer worker.mu.Unlock()
	// A pipe write of a byte does not block while the master reads; a
	// master gone (EPIPE) is ignored: watchMaster ends this process.
	syscall.Write(worker.ctl, []byte{msg})
}

// handleSignals stops the worker as the master asks: SIGTERM gracefully,
// SIGINT and SIGQUIT at once.
func handleSignals() {
	c := make(chan os.Signal, 4)
	signal.Notify(c, syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT)
	for sig := range c {
		if sig != syscall.SIGTERM {
			os.Exit(0)
		}
		if worker.draining.Swap(true) {
			continue
		}
		go drain()
	}
}

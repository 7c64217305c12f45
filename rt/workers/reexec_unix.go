//go:build unix

// This file is gunicorn's USR2: a master starts a new master, the same
// program from its executable's path (a rebuilt binary there is the one
// that starts), which inherits the bound sockets and starts its own
// workers; once they listen, it tells the old master, which drains its
// workers and exits. The sockets stay open throughout, so no connection
// is refused.

package workers

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// The environment of a master started by another's SIGUSR2.
const (
	envMasterListen = "GOPATCH_MASTER_LISTEN" // the bound sockets (formatListen), by their Bind address
	envMasterReady  = "GOPATCH_MASTER_READY"  // the fd on which it writes msgReady once its workers listen
)

// msgReady is what a new master writes to the old one once its workers
// listen.
const msgReady = 'r'

// predecessor is what a master started by another's SIGUSR2 inherited
// from it: the bound sockets by Bind address, and the pipe on which it
// says its workers listen. The package's init takes them off the
// environment (so that no process this one starts inherits them, the
// build that gopatch run does first included); Run adopts them.
var predecessor struct {
	pid     int
	sockets map[string]int
	ready   *os.File
}

func init() {
	v, ok := os.LookupEnv(envMasterListen)
	if !ok {
		return
	}
	ready := os.Getenv(envMasterReady)
	os.Unsetenv(envMasterListen)
	os.Unsetenv(envMasterReady)
	specs, err := parseListen(v)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gopatch workers: %s: %v; binding afresh\n", envMasterListen, err)
		return
	}
	predecessor.pid = os.Getppid()
	predecessor.sockets = map[string]int{}
	for _, s := range specs {
		syscall.CloseOnExec(s.fd)
		predecessor.sockets[s.address] = s.fd
	}
	if fd, err := strconv.Atoi(ready); err == nil && fd >= 0 {
		syscall.CloseOnExec(fd)
		predecessor.ready = os.NewFile(uintptr(fd), "ready pipe")
	}
}

// adoptSockets takes the sockets inherited for cfg.Bind from the
// predecessor, and closes those inherited for no address of cfg.Bind.
func adoptSockets(bind []string) map[string]*socket {
	out := map[string]*socket{}
	for _, addr := range bind {
		fd, ok := predecessor.sockets[addr]
		if !ok {
			continue
		}
		delete(predecessor.sockets, addr)
		s := &socket{addr: addr, network: "tcp", name: addr, file: os.NewFile(uintptr(fd), "listener "+addr), adopted: true}
		if path, ok := strings.CutPrefix(addr, "unix:"); ok {
			s.network = "unix"
			if name, abstract, err := unixName(path); err == nil {
				s.name = name
				if !abstract {
					s.bound, _ = os.Lstat(name)
				}
			}
		}
		out[addr] = s
	}
	for _, fd := range predecessor.sockets {
		syscall.Close(fd)
	}
	predecessor.sockets = nil
	return out
}

// reexec starts a new master, for SIGUSR2: this program from its
// executable's path, with its arguments and environment, the bound
// sockets as inherited fds. Whether the new master's workers came to
// listen arrives on m.handover.
func (m *master) reexec() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if h := m.cfg.Hooks.PreExec; h != nil {
		h()
	}
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer w.Close()
	files := []*os.File{os.Stdin, os.Stdout, os.Stderr, w}
	var specs []listenSpec
	for _, s := range m.sockets {
		specs = append(specs, listenSpec{s.network, s.addr, len(files)})
		files = append(files, s.file)
	}
	env := append(os.Environ(), envMasterListen+"="+formatListen(specs), envMasterReady+"=3")
	p, err := os.StartProcess(exe, os.Args, &os.ProcAttr{Env: env, Files: files})
	if err != nil {
		r.Close()
		return err
	}
	m.successor = p
	go func() {
		// The new master holds the only write end: end of file without
		// msgReady is a new master that ended before its workers listened.
		var b [1]byte
		n, _ := r.Read(b[:])
		r.Close()
		m.handover <- n == 1 && b[0] == msgReady
	}()
	go p.Wait() // reap it if it ends while this master lives
	return nil
}

// announceReady tells the predecessor, if any, that this master's workers
// listen: it drains its own and exits, and this master owns the sockets.
func (m *master) announceReady() {
	if m.ready == nil {
		return
	}
	m.ready.Write([]byte{msgReady})
	m.ready.Close()
	m.ready = nil
	m.took = true
}

// startSuccessor handles SIGUSR2.
func (m *master) startSuccessor(stopping bool) {
	switch {
	case stopping:
		m.logf("SIGUSR2: stopping already; no new master")
		return
	case m.successor != nil:
		m.logf("SIGUSR2: a new master (pid %d) is starting already", m.successor.Pid)
		return
	}
	if err := m.reexec(); err != nil {
		m.logf("SIGUSR2: starting a new master: %v; serving on", err)
		return
	}
	m.logf("SIGUSR2: started a new master (pid %d): %s", m.successor.Pid, strings.Join(quoteArgs(os.Args), " "))
}

// handOver takes the new master's outcome: once its workers listen, this
// master stops gracefully, and leaves its Unix socket files to it.
func (m *master) handOver(ok, stopping bool) (stop bool) {
	pid := m.successor.Pid
	m.successor = nil
	if !ok {
		m.logf("SIGUSR2: the new master (pid %d) ended before its workers listened; serving on", pid)
		m.stateChanged()
		return false
	}
	m.handedOver = true
	if stopping {
		return false
	}
	m.logf("SIGUSR2: the new master (pid %d) serves: stopping gracefully within %v", pid, m.cfg.GracefulTimeout)
	return true
}

// quoteArgs quotes the arguments that need it, for a log line.
func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\$") {
			out[i] = strconv.Quote(a)
		}
	}
	return out
}

//go:build unix

// This file is the master: it binds the sockets, starts and replaces
// workers, and turns signals into gunicorn's actions.

package workers

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A proc is one worker process of the master.
type proc struct {
	Worker
	p        *os.Process
	life     *os.File // the write end of the worker's life pipe, open while it may live
	lastBeat time.Time
	stopAt   time.Time // when it was told to stop; zero while it serves
	old      bool      // started before a SIGHUP: drained once the new ones listen
}

// An event is what a worker's goroutines tell the master's loop.
type event struct {
	w     *proc
	msg   byte             // a message, or 0 when the process has exited
	state *os.ProcessState // when it has exited
}

type master struct {
	cfg     Config
	log     io.Writer
	sockets []*socket
	devnull *os.File
	procs   []*proc
	target  int
	nextID  int
	events  chan event
	beat    time.Duration

	// SIGUSR2 (reexec_unix.go).
	successor  *os.Process // a new master starting, whose workers do not listen yet
	handover   chan bool   // whether the successor's workers came to listen
	handedOver bool        // they did: the sockets are the successor's
	ready      *os.File    // this master's pipe to its predecessor, until its workers listen
	took       bool        // this master took the sockets over from its predecessor
}

// Run runs a master with cfg until a signal stops it, and returns nil
// then. It returns an error, having started no worker or stopped those it
// had, when a socket cannot be bound, a worker cannot be started, or a
// worker exits before it has listened ([ErrBoot]) while no other serves.
func Run(cfg Config) error {
	if Active() {
		return errors.New("workers: Run called in a worker")
	}
	m, err := newMaster(cfg)
	if err != nil {
		return err
	}
	// Pdeathsig (Linux) fires when the thread that started a worker ends,
	// not the process: every worker is started from this goroutine, locked
	// to its thread for as long as Run runs.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer m.close()
	return m.loop()
}

func newMaster(cfg Config) (*master, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	if cfg.Backlog <= 0 {
		cfg.Backlog = 2048
	}
	if cfg.GracefulTimeout <= 0 {
		cfg.GracefulTimeout = 30 * time.Second
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MaxRequestsJitter < 0 || cfg.MaxRequests < 0 {
		return nil, errors.New("workers: negative MaxRequests or MaxRequestsJitter")
	}
	if cfg.RequestTimeout < 0 {
		return nil, errors.New("workers: negative RequestTimeout")
	}
	if len(cfg.Bind) == 0 {
		return nil, errors.New("workers: no address to bind")
	}
	if cfg.Path == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("workers: %v", err)
		}
		cfg.Path, cfg.Args = exe, os.Args
	}
	if len(cfg.Args) == 0 {
		cfg.Args = []string{cfg.Path}
	}
	if cfg.Env == nil {
		cfg.Env = os.Environ()
	}
	m := &master{cfg: cfg, log: cfg.Log, target: cfg.Workers, events: make(chan event, 64), handover: make(chan bool, 1)}
	if m.log == nil {
		m.log = os.Stderr
	}
	// A hub beats four times a timeout, and at least once a second.
	m.beat = time.Second
	if cfg.Timeout > 0 && cfg.Timeout/4 < m.beat {
		m.beat = cfg.Timeout / 4
	}
	if h := cfg.Hooks.OnStarting; h != nil {
		h()
	}
	adopted := adoptSockets(cfg.Bind)
	for _, addr := range cfg.Bind {
		s := adopted[addr]
		if s == nil {
			var err error
			if s, err = bind(addr, cfg.Backlog, cfg.ReusePort); err != nil {
				m.close()
				return nil, fmt.Errorf("workers: %v", err)
			}
		}
		m.sockets = append(m.sockets, s)
	}
	if len(adopted) > 0 {
		m.ready, predecessor.ready = predecessor.ready, nil
		m.logf("took over the sockets of master %d", predecessor.pid)
	}
	var err error
	if m.devnull, err = os.Open(os.DevNull); err != nil {
		m.close()
		return nil, fmt.Errorf("workers: %v", err)
	}
	return m, nil
}

func (m *master) close() {
	for _, s := range m.sockets {
		s.file.Close()
		// A Unix socket's file is this master's to remove unless it has
		// handed the socket over, or took it from a master that has not
		// handed it over.
		if !m.handedOver && (!s.adopted || m.took) {
			s.remove()
		}
	}
	if m.ready != nil {
		m.ready.Close()
	}
	if m.devnull != nil {
		m.devnull.Close()
	}
}

func (m *master) logf(format string, args ...any) {
	fmt.Fprintf(m.log, "gopatch workers: "+format+"\n", args...)
}

func (m *master) loop() error {
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGHUP, syscall.SIGTTIN, syscall.SIGTTOU, syscall.SIGUSR2)
	defer signal.Stop(sigs)
	if err := m.maintain(); err != nil {
		return m.abort(err)
	}
	if h := m.cfg.Hooks.WhenReady; h != nil {
		h()
	}
	m.logf("listening on %s with %d workers", strings.Join(m.cfg.Bind, ", "), m.target)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var stopping bool
	var deadline time.Time // of the stop
	for {
		select {
		case sig := <-sigs:
			if h := m.cfg.Hooks.OnSignal; h != nil {
				h(sig.String())
			}
			switch sig {
			case syscall.SIGTERM:
				if !stopping {
					m.logf("SIGTERM: stopping gracefully within %v", m.cfg.GracefulTimeout)
					stopping, deadline = true, time.Now().Add(m.cfg.GracefulTimeout+time.Second)
					m.signalAll(syscall.SIGTERM, "graceful stop")
				}
			case syscall.SIGINT, syscall.SIGQUIT:
				m.logf("%v: stopping now", sig)
				stopping, deadline = true, time.Now().Add(time.Second)
				m.signalAll(syscall.SIGQUIT, "quick stop")
			case syscall.SIGHUP:
				if !stopping {
					m.reload()
				}
			case syscall.SIGUSR2:
				m.startSuccessor(stopping)
			case syscall.SIGTTIN:
				m.target++
				m.logf("SIGTTIN: %d workers", m.target)
			case syscall.SIGTTOU:
				if m.target > 1 {
					m.target--
				}
				m.logf("SIGTTOU: %d workers", m.target)
			}
		case ev := <-m.events:
			if err := m.handle(ev, stopping); err != nil {
				return m.abort(err)
			}
		case ok := <-m.handover:
			if m.handOver(ok, stopping) {
				stopping, deadline = true, time.Now().Add(m.cfg.GracefulTimeout+time.Second)
				m.signalAll(syscall.SIGTERM, "new master")
			}
		case <-tick.C:
		}
		if stopping {
			if len(m.procs) == 0 {
				if h := m.cfg.Hooks.OnExit; h != nil {
					h()
				}
				m.logf("stopped")
				return nil
			}
			if time.Now().After(deadline) {
				m.signalAll(syscall.SIGKILL, "stop timed out")
			}
			continue
		}
		if err := m.maintain(); err != nil {
			return m.abort(err)
		}
	}
}

// abort kills every worker, waits for them, and returns err.
func (m *master) abort(err error) error {
	m.signalAll(syscall.SIGKILL, "abort")
	for len(m.procs) > 0 {
		if ev := <-m.events; ev.msg == 0 {
			m.remove(ev.w)
		}
	}
	return fmt.Errorf("workers: %w", err)
}

// signalAll sends sig to every worker, those already stopping included.
func (m *master) signalAll(sig syscall.Signal, why string) {
	for _, w := range m.procs {
		m.stop(w, sig, why)
	}
}

// stop sends sig to w and notes that it is leaving.
func (m *master) stop(w *proc, sig syscall.Signal, why string) {
	if w.stopAt.IsZero() {
		w.stopAt, w.Leaving = time.Now(), why
	}
	w.p.Signal(sig)
}

// handle takes one event of a worker.
func (m *master) handle(ev event, stopping bool) error {
	w := ev.w
	switch ev.msg {
	case msgBeat:
		if !w.Ready {
			w.Ready = true
			m.stateChanged()
		}
		w.lastBeat = time.Now()
	case msgRetire:
		if w.stopAt.IsZero() && !w.old {
			m.logf("worker %d (pid %d) served its max requests: replacing it", w.ID, w.Pid)
			w.old, w.Leaving = true, "max requests"
		}
	case 0:
		status := ev.state.String()
		m.remove(w)
		if h := m.cfg.Hooks.WorkerExit; h != nil {
			h(w.Worker, status)
		}
		if w.stopAt.IsZero() || w.Leaving == "timeout" {
			m.logf("worker %d (pid %d) exited: %s", w.ID, w.Pid, status)
		}
		if !w.Ready && w.stopAt.IsZero() && !stopping {
			if m.serving() == 0 {
				return fmt.Errorf("%w: worker %d (pid %d) exited before it listened: %s", ErrBoot, w.ID, w.Pid, status)
			}
			// A new worker (after SIGHUP, a rebuilt program) that fails
			// leaves the old ones serving.
			m.logf("worker %d failed to boot; keeping the %d that serve", w.ID, m.serving())
			for _, o := range m.procs {
				if o.stopAt.IsZero() {
					o.old = false
				}
			}
			m.target = len(m.live())
		}
	}
	return nil
}

// serving counts the workers that listen and are not stopping.
func (m *master) serving() int {
	n := 0
	for _, w := range m.procs {
		if w.Ready && w.stopAt.IsZero() {
			n++
		}
	}
	return n
}

// live returns the workers that are not stopping, old ones included.
func (m *master) live() []*proc {
	var out []*proc
	for _, w := range m.procs {
		if w.stopAt.IsZero() {
			out = append(out, w)
		}
	}
	return out
}

func (m *master) remove(w *proc) {
	w.life.Close()
	m.procs = slices.DeleteFunc(m.procs, func(p *proc) bool { return p == w })
	m.stateChanged()
}

// reload is SIGHUP: new workers, then the old ones drained once the new
// ones listen (maintain does that).
func (m *master) reload() {
	if h := m.cfg.Hooks.OnReload; h != nil {
		err := h()
		// The beats that came while the hook ran (a rebuild takes
		// seconds) wait in the pipes: the workers were not late.
		for _, w := range m.procs {
			w.lastBeat = time.Now()
		}
		if err != nil {
			m.logf("SIGHUP: %v; keeping the workers that serve", err)
			return
		}
	}
	m.logf("SIGHUP: starting %d new workers", m.target)
	for _, w := range m.procs {
		if w.stopAt.IsZero() {
			w.old, w.Leaving = true, "reload"
		}
	}
}

// maintain keeps target new workers: it kills those whose hub has stopped
// beating and those that overstay a stop, starts what is missing, stops
// the newest past the target, and drains the old ones once every new one
// listens.
func (m *master) maintain() error {
	now := time.Now()
	for _, w := range m.procs {
		switch {
		case w.stopAt.IsZero() && m.cfg.Timeout > 0 && now.Sub(w.lastBeat) > m.cfg.Timeout:
			if w.Ready {
				m.logf("worker %d (pid %d): no heartbeat for %v; killing it", w.ID, w.Pid, m.cfg.Timeout)
			} else {
				m.logf("worker %d (pid %d) has not listened on %s within %v; killing it",
					w.ID, w.Pid, strings.Join(m.cfg.Bind, " or "), m.cfg.Timeout)
			}
			m.stop(w, syscall.SIGKILL, "timeout")
		case !w.stopAt.IsZero() && now.Sub(w.stopAt) > m.cfg.GracefulTimeout+time.Second:
			w.p.Signal(syscall.SIGKILL)
		}
	}
	var fresh []*proc // serving and not old
	for _, w := range m.procs {
		if w.stopAt.IsZero() && !w.old {
			fresh = append(fresh, w)
		}
	}
	for len(fresh) < m.target {
		w, err := m.spawn()
		if err != nil {
			return err
		}
		fresh = append(fresh, w)
	}
	for len(fresh) > m.target {
		// gunicorn stops the oldest on TTOU.
		m.stop(fresh[0], syscall.SIGTERM, "fewer workers")
		fresh = fresh[1:]
	}
	for _, w := range fresh {
		if !w.Ready {
			return nil
		}
	}
	m.announceReady()
	for _, w := range m.procs {
		if w.old && w.stopAt.IsZero() {
			m.stop(w, syscall.SIGTERM, w.Leaving)
		}
	}
	return nil
}

// spawn starts a worker.
func (m *master) spawn() (*proc, error) {
	m.nextID++
	id := m.nextID
	if h := m.cfg.Hooks.PreFork; h != nil {
		h(id)
	}
	r, wr, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer wr.Close()
	// The worker watches the read end of its life pipe: the master holds
	// the only write end (closed on exec, so no other worker has it), and
	// the worker exits when it reads end of file.
	lifeR, lifeW, err := os.Pipe()
	if err != nil {
		r.Close()
		return nil, err
	}
	defer lifeR.Close()
	files := []*os.File{m.devnull, os.Stdout, os.Stderr, wr, lifeR}
	var listen []listenSpec
	for _, s := range m.sockets {
		listen = append(listen, listenSpec{s.network, s.name, len(files)})
		files = append(files, s.file)
	}
	maxReq := m.cfg.MaxRequests
	if maxReq > 0 && m.cfg.MaxRequestsJitter > 0 {
		maxReq += rand.IntN(m.cfg.MaxRequestsJitter + 1)
	}
	env := append(slices.Clip(m.cfg.Env),
		envWorker+"="+strconv.Itoa(id),
		envListen+"="+formatListen(listen),
		envCtl+"=3",
		envLife+"=4",
		envGraceful+"="+m.cfg.GracefulTimeout.String(),
		envBeat+"="+m.beat.String(),
		envMaxReq+"="+strconv.Itoa(maxReq),
	)
	if m.cfg.AccessLog {
		env = append(env, envAccessLog+"=1")
	}
	if m.cfg.RequestTimeout > 0 {
		env = append(env, envReqTimeout+"="+m.cfg.RequestTimeout.String())
	}
	p, err := os.StartProcess(m.cfg.Path, m.cfg.Args, &os.ProcAttr{
		Env:   env,
		Files: files,
		Sys:   workerSysProcAttr(),
	})
	if err != nil {
		r.Close()
		lifeW.Close()
		return nil, fmt.Errorf("starting worker %d: %v", id, err)
	}
	w := &proc{Worker: Worker{ID: id, Pid: p.Pid, Started: time.Now()}, p: p, life: lifeW, lastBeat: time.Now()}
	m.procs = append(m.procs, w)
	go func() {
		buf := make([]byte, 64)
		for {
			n, err := r.Read(buf)
			for _, b := range buf[:n] {
				m.events <- event{w: w, msg: b}
			}
			if err != nil {
				r.Close()
				return
			}
		}
	}()
	go func() {
		state, err := p.Wait()
		if err != nil {
			state = nil
		}
		m.events <- event{w: w, state: state}
	}()
	if h := m.cfg.Hooks.PostFork; h != nil {
		h(w.Worker)
	}
	m.stateChanged()
	return w, nil
}

// stateChanged calls the OnStateChange hook. From SIGUSR2 on, the state
// to report is the new master's (gopatch run's -status file is one for
// both): the old master is silent while the new one starts, and for good
// once it serves.
func (m *master) stateChanged() {
	if m.successor != nil || m.handedOver {
		return
	}
	if h := m.cfg.Hooks.OnStateChange; h != nil {
		var ws []Worker
		for _, w := range m.procs {
			ws = append(ws, w.Worker)
		}
		h(ws, m.target)
	}
}

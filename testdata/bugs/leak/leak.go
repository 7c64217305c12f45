// Package leak runs jobs on a worker goroutine that a Stop tells to quit
// with a send that gives up when the worker is not listening: a worker
// busy with a job when Stop comes never hears it, and leaks.
package leak

import "sync"

// Pool runs jobs on one worker until Stop.
type Pool struct {
	jobs chan func()
	quit chan struct{}
	wg   sync.WaitGroup // the worker
}

// Start starts a pool's worker.
func Start() *Pool {
	p := &Pool{jobs: make(chan func()), quit: make(chan struct{})}
	p.wg.Add(1)
	go p.work()
	return p
}

func (p *Pool) work() {
	defer p.wg.Done()
	for {
		select {
		case j := <-p.jobs:
			j()
		case <-p.quit:
			return
		}
	}
}

// Submit hands j to the worker.
func (p *Pool) Submit(j func()) { p.jobs <- j }

// Stop tells the worker to quit.
func (p *Pool) Stop() {
	select {
	case p.quit <- struct{}{}:
	default: // BUG: a worker busy with a job is not listening, and never hears it
	}
}

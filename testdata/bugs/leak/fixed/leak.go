// Package leak is example.com/bugs/leak with its bug mended; its test is
// the same file. See that package's doc for the bug.
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
func (p *Pool) Stop() { close(p.quit) }

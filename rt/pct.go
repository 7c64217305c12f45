// This file implements PCT, probabilistic concurrency testing (Burckhardt,
// Kothari, Musuvathi and Nagarakatte, ASPLOS 2010), as a Policy.

package rt

// PCT gives each greenlet a random priority when the policy first sees it
// and always runs the runnable greenlet of highest priority; at depth
// change points, steps drawn uniformly from the first steps of the run,
// the greenlet it would run drops below every other. A bug that needs d
// ordering constraints among n greenlets in k steps is found by one run
// with probability at least 1/(n·k^(d-1)) when depth ≥ d-1, where a
// uniformly random walk over the same choices can need exponentially many
// runs: the paper's point, and why gopatch test measures the two on
// testdata/bugs.
//
// Hub callbacks (timers, reports from outside) are no greenlets and run
// first, oldest first. Select's poll order comes from the seed, as
// [Seeded]'s does.
type PCT struct {
	rng     Seeded
	depth   int
	changes []int64 // the change points not reached yet, ascending
	step    int64   // picks so far
	dropped int     // change points passed
	prio    map[*Greenlet]int64
}

// NewPCT returns a PCT policy with depth change points among the first
// steps picks, all a function of seed. steps is an estimate of how many
// picks the run takes (gopatch test measures it in a first run); a change
// point past the run's end never happens, one early happens early.
func NewPCT(seed uint64, depth int, steps int64) *PCT {
	p := &PCT{rng: Seeded{state: seed}, depth: depth, prio: make(map[*Greenlet]int64)}
	if steps < 1 {
		steps = 1
	}
	// depth distinct points in [1, steps] (all of them when there are
	// fewer), by rejection: depth is small.
	for len(p.changes) < depth && int64(len(p.changes)) < steps {
		c := 1 + int64(p.rng.next64()%uint64(steps))
		i := 0
		for i < len(p.changes) && p.changes[i] < c {
			i++
		}
		if i < len(p.changes) && p.changes[i] == c {
			continue
		}
		p.changes = append(p.changes, 0)
		copy(p.changes[i+1:], p.changes[i:])
		p.changes[i] = c
	}
	return p
}

// Pick implements [Policy].
func (p *PCT) Pick(q Runnables) int {
	p.step++
	best := p.best(q)
	if len(p.changes) > 0 && p.changes[0] == p.step {
		p.changes = p.changes[1:]
		p.dropped++
		if g := q.q.at(best).g; g != nil {
			// Below every priority given at first sight (those are above
			// depth) and below every earlier drop.
			p.prio[g] = int64(p.depth - p.dropped)
			best = p.best(q)
		}
	}
	return best
}

// best returns the index of the oldest hub callback, else of the runnable
// greenlet of highest priority (the oldest of equals).
func (p *PCT) best(q Runnables) int {
	best, bestPrio := 0, int64(-1<<63)
	for i := range q.q.n {
		g := q.q.at(i).g
		if g == nil {
			return i
		}
		pr, ok := p.prio[g]
		if !ok {
			pr = int64(p.depth) + 1 + int64(p.rng.next64()>>2)
			p.prio[g] = pr
		}
		if pr > bestPrio {
			best, bestPrio = i, pr
		}
	}
	return best
}

// PickCase implements [Policy] from the seed.
func (p *PCT) PickCase(_ *Greenlet, n int) int { return p.rng.next(n) }

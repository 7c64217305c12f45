// This file implements gevent's Group and Pool: sets of greenlets that are
// joined and killed together, a Pool with a bound, and map over either.

package rt

import (
	"container/list"
	"context"
	"fmt"
	"iter"
	"sync"
	"time"
)

// Spawner starts greenlets: [*Group] and [*Pool] are the two in rt. [Map],
// [IMap] and [IMapUnordered] run their work through one.
type Spawner interface {
	Spawn(fn func() any) *Greenlet
}

// Group is a set of greenlets (gevent.pool.Group). A greenlet leaves the
// group by itself when it finishes, so Join waits for everything spawned
// into it. Its zero value is an empty group; a Group may be used from
// greenlets of several hubs.
type Group struct {
	mu      sync.Mutex
	members map[*Greenlet]*list.Element // of *member
	order   list.List                   // members, oldest first
	joiners waitq                       // waiting for the group to empty

	// onLeave, if set, runs after a member leaves (a Pool frees its slot).
	onLeave func()
}

type member struct {
	g    *Greenlet
	link *waiter // the rawlink that discards g when it finishes
}

// NewGroup returns an empty group.
func NewGroup() *Group { return &Group{} }

// Spawn starts fn in a new greenlet, as [Spawn] does, and adds it.
func (gr *Group) Spawn(fn func() any) *Greenlet {
	g := Spawn(fn)
	gr.add(g)
	return g
}

// Add adds g, which leaves the group when it finishes.
func (gr *Group) Add(g *Greenlet) { gr.add(g) }

// add adds g and reports whether it was not a member yet.
func (gr *Group) add(g *Greenlet) bool {
	gr.mu.Lock()
	if _, ok := gr.members[g]; ok {
		gr.mu.Unlock()
		return false
	}
	if gr.members == nil {
		gr.members = make(map[*Greenlet]*list.Element)
	}
	m := &member{g: g}
	gr.members[g] = gr.order.PushBack(m)
	gr.mu.Unlock()
	// The link runs in the caller's hub, after g's other waiters were
	// queued, and must not block: Discard never does.
	link := g.result().done.rawlink(currentHub(), func() { gr.Discard(g) })
	gr.mu.Lock()
	m.link = link
	gr.mu.Unlock()
	return true
}

// Discard removes g from the group without touching g.
func (gr *Group) Discard(g *Greenlet) {
	h := currentHub()
	gr.mu.Lock()
	e, ok := gr.members[g]
	if !ok {
		gr.mu.Unlock()
		return
	}
	delete(gr.members, g)
	link := gr.order.Remove(e).(*member).link
	if len(gr.members) == 0 {
		gr.joiners.wakeAll(h)
	}
	gr.mu.Unlock()
	if link != nil && link.tryClaim() {
		link.unlink()
	}
	if gr.onLeave != nil {
		gr.onLeave()
	}
}

// Has reports whether g is in the group.
func (gr *Group) Has(g *Greenlet) bool {
	gr.mu.Lock()
	defer gr.mu.Unlock()
	_, ok := gr.members[g]
	return ok
}

// Len returns the number of greenlets in the group.
func (gr *Group) Len() int {
	gr.mu.Lock()
	defer gr.mu.Unlock()
	return len(gr.members)
}

// Greenlets returns the group's greenlets, oldest first.
func (gr *Group) Greenlets() []*Greenlet {
	gr.mu.Lock()
	defer gr.mu.Unlock()
	gs := make([]*Greenlet, 0, len(gr.members))
	for e := gr.order.Front(); e != nil; e = e.Next() {
		gs = append(gs, e.Value.(*member).g)
	}
	return gs
}

// Join blocks until the group is empty or timeout has passed (< 0: no
// limit) and reports whether it is empty. Greenlets added while it waits
// are waited for too.
func (gr *Group) Join(timeout time.Duration) bool {
	return gr.join(timeout, nil) == waitFired
}

// JoinContext is Join with no time limit that returns ctx.Err() if ctx is
// done first.
func (gr *Group) JoinContext(ctx context.Context) error {
	return ctxResult(ctx, gr.join(-1, ctx))
}

func (gr *Group) join(timeout time.Duration, ctx context.Context) waitResult {
	gr.mu.Lock()
	if len(gr.members) == 0 {
		gr.mu.Unlock()
		return waitFired
	}
	if timeout == 0 {
		gr.mu.Unlock()
		return waitTimedOut
	}
	h, g := current()
	w := queuedWaiter(h, g, "Group.Join")
	gr.joiners.enqueue(w, &gr.mu)
	gr.mu.Unlock()
	return h.park(g, w, timeout, ctx)
}

// Kill kills every greenlet of the group, as [Greenlet.Kill] does, and
// waits until they are dead and gone from the group.
func (gr *Group) Kill() {
	gs := gr.Greenlets()
	KillAll(gs)
	for _, g := range gs {
		gr.Discard(g)
	}
}

// Pool is a [Group] that holds at most a fixed number of greenlets
// (gevent.pool.Pool): Spawn and Add block while it is full, and a slot frees
// when a greenlet finishes or is discarded.
type Pool struct {
	Group
	size  int
	slots *Semaphore
}

// NewPool returns a pool of size slots. It panics if size < 1.
func NewPool(size int) *Pool {
	if size < 1 {
		panic(fmt.Sprintf("rt: NewPool(%d): size must be at least 1", size))
	}
	p := &Pool{size: size, slots: NewSemaphore(size)}
	p.onLeave = p.slots.Release
	return p
}

// Spawn waits for a free slot, then starts fn in a new greenlet in it.
func (p *Pool) Spawn(fn func() any) *Greenlet {
	p.slots.acquire("Pool.Spawn", -1, nil)
	return p.spawnInSlot(fn)
}

// SpawnContext is Spawn that returns ctx.Err() if ctx is done before a slot
// frees.
func (p *Pool) SpawnContext(ctx context.Context, fn func() any) (*Greenlet, error) {
	if err := ctxResult(ctx, p.slots.acquire("Pool.Spawn", -1, ctx)); err != nil {
		return nil, err
	}
	return p.spawnInSlot(fn), nil
}

// spawnInSlot spawns fn into a slot the caller has taken.
func (p *Pool) spawnInSlot(fn func() any) *Greenlet {
	ok := false
	defer func() {
		if !ok {
			p.slots.Release()
		}
	}()
	g := Spawn(fn)
	p.add(g)
	ok = true
	return g
}

// Add waits for a free slot and adds g, which leaves when it finishes.
func (p *Pool) Add(g *Greenlet) {
	if p.Has(g) {
		return
	}
	p.slots.acquire("Pool.Add", -1, nil)
	if !p.add(g) {
		p.slots.Release()
	}
}

// Size returns the number of slots.
func (p *Pool) Size() int { return p.size }

// Free returns the number of free slots.
func (p *Pool) Free() int { return p.slots.Value() }

// Full reports whether Spawn would block.
func (p *Pool) Full() bool { return p.Free() == 0 }

// WaitAvailable blocks until a slot is free or timeout has passed (< 0: no
// limit) and reports whether one is free. It does not take the slot.
func (p *Pool) WaitAvailable(timeout time.Duration) bool {
	return p.slots.wait("Pool.WaitAvailable", timeout, nil) == waitFired
}

// WaitAvailableContext is WaitAvailable with no time limit that returns
// ctx.Err() if ctx is done first.
func (p *Pool) WaitAvailableContext(ctx context.Context) error {
	return ctxResult(ctx, p.slots.wait("Pool.WaitAvailable", -1, ctx))
}

// Apply runs fn in a greenlet of the pool, waits for it and returns its
// value. If fn panics, Apply panics in the caller with the greenlet's
// [*PanicError], which keeps fn's panic value and stack (gevent re-raises
// the exception). Called from a greenlet of the pool itself, it runs fn
// directly: waiting for a slot there could deadlock a full pool.
func (p *Pool) Apply(fn func() any) any {
	v, err := p.apply(nil, fn)
	if err != nil {
		panic(err)
	}
	return v
}

// ApplyContext is Apply that returns fn's failure as an error, and
// ctx.Err() if ctx is done before fn finishes. Giving up does not kill fn's
// greenlet, as giving up a [Greenlet.GetContext] does not.
func (p *Pool) ApplyContext(ctx context.Context, fn func() any) (any, error) {
	return p.apply(ctx, fn)
}

func (p *Pool) apply(ctx context.Context, fn func() any) (any, error) {
	if p.Has(Current()) {
		return fn(), nil
	}
	if ctx == nil {
		return p.Spawn(fn).Get()
	}
	g, err := p.SpawnContext(ctx, fn)
	if err != nil {
		return nil, err
	}
	return g.GetContext(ctx)
}

// Map runs fn on every item through s, at most as many at once as s allows,
// and returns the results in the order of items. If fn panics, Map panics
// with that greenlet's [*PanicError] and kills the others.
func Map[T, R any](s Spawner, items []T, fn func(T) R) []R {
	out := make([]R, 0, len(items))
	for r := range IMap(s, items, fn) {
		out = append(out, r)
	}
	return out
}

// IMap is Map that yields each result as soon as it and every result
// before it are ready. The work starts when the loop starts; breaking out
// of the loop kills the greenlets still running.
func IMap[T, R any](s Spawner, items []T, fn func(T) R) iter.Seq[R] {
	return mapper(s, items, fn, true)
}

// IMapUnordered is IMap that yields each result as soon as it is ready, in
// the order the work finishes.
func IMapUnordered[T, R any](s Spawner, items []T, fn func(T) R) iter.Seq[R] {
	return mapper(s, items, fn, false)
}

// mapper is gevent's IMapUnordered and IMap. A feeder greenlet spawns one
// greenlet per item through s (so a full Pool blocks the feeder, not the
// consumer) and queues each greenlet: in spawn order when ordered, in
// completion order otherwise, through a link that runs when it finishes.
func mapper[T, R any](s Spawner, items []T, fn func(T) R, ordered bool) iter.Seq[R] {
	return func(yield func(R) bool) {
		h := currentHub()
		next := NewQueue[*Greenlet](0)
		var spawned []*Greenlet // touched only on h
		feeder := Spawn(func() any {
			for _, it := range items {
				g := s.Spawn(func() any { return fn(it) })
				spawned = append(spawned, g)
				if ordered {
					next.Put(g)
				} else {
					g.result().done.rawlink(h, func() { next.PutNowait(g) })
				}
			}
			return nil
		})
		defer func() {
			feeder.Kill()
			KillAll(spawned)
		}()
		for range items {
			v, err := next.Get().Get()
			if err != nil {
				panic(err)
			}
			r, _ := v.(R)
			if !yield(r) {
				return
			}
		}
	}
}

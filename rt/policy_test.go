package rt_test

import (
	"testing"

	"github.com/gopatch/gopatch/rt"
)

// recordingPolicy runs the oldest item, as FIFO does, and records what it
// was shown; its select choices always put the newest case first.
type recordingPolicy struct {
	seen    []rt.Runnable
	selects int
}

func (p *recordingPolicy) Pick(q rt.Runnables) int {
	p.seen = append(p.seen, q.At(0))
	return 0
}

func (p *recordingPolicy) PickCase(g *rt.Greenlet, n int) int {
	p.selects++
	return 0
}

// A custom policy sees which greenlet each item resumes and why, and
// governs select.
func TestPolicySeesGreenletsAndGovernsSelect(t *testing.T) {
	p := &recordingPolicy{}
	var sleeper *rt.Greenlet
	rt.Run(func() {
		sleeper = rt.Spawn(func() any { rt.Sleep(1); return nil })
		a, b := rt.MakeChan[int](1), rt.MakeChan[int](1)
		rt.Send(a, 1)
		rt.Send(b, 2)
		var v int
		var ok bool
		// PickCase always 0: each case moves to the front, so the last
		// case is polled first and proceeds.
		if i := rt.Select(false, rt.RecvCase(a, &v, &ok), rt.RecvCase(b, &v, &ok)); i != 1 {
			t.Errorf("select took case %d, want 1 (the policy's order)", i)
		}
		sleeper.Join(-1)
	}, rt.WithPolicy(p), rt.WithVirtualClock())
	if p.selects == 0 {
		t.Error("select never asked the policy")
	}
	reasons := map[rt.WakeReason]bool{}
	for _, r := range p.seen {
		if r.Greenlet == sleeper {
			reasons[r.Reason] = true
		}
	}
	if !reasons[rt.WakeStart] || !reasons[rt.WakeTimedOut] {
		t.Errorf("the sleeper was shown with reasons %v; want its start and its timed-out Sleep", reasons)
	}
}

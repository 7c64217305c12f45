package rt

import (
	"testing"
	"time"
)

// These tests call stash directly, as the helper of an earlier wait does
// when it has taken a value off a foreign channel and lost the claim. When
// that happens while another rt receive is parked on the channel, the
// parked receive must get the value: its own helper may never see another.
// Natively the race shows as TestSelectHubCaseBeatsPendingForeign hanging
// about one run in forty under -race.

// unstickAfter closes c after a while, so that a receive the stash failed
// to reach ends with the zero value instead of hanging the test.
func unstickAfter(c chan int) *time.Timer {
	return time.AfterFunc(5*time.Second, func() { close(c) })
}

func TestStashReachesParkedForeignRecv(t *testing.T) {
	Run(func() {
		c := make(chan int) // not made by MakeChan: foreign
		defer unstickAfter(c).Stop()
		g := Spawn(func() any { return Recv(c) })
		Sleep(0) // g parks, its helper blocked on c
		stash(c, 42)
		if v, err := g.Get(); err != nil || v != 42 {
			t.Fatalf("parked Recv got %v, %v; want the stashed 42", v, err)
		}
	})
}

func TestStashReachesParkedForeignSelect(t *testing.T) {
	Run(func() {
		c, other := make(chan int), make(chan int)
		defer unstickAfter(c).Stop()
		var v int
		g := Spawn(func() any {
			return Select(false, RecvCase(other, nil, nil), RecvCase(c, &v, nil))
		})
		Sleep(0)
		stash(c, 42)
		if i, err := g.Get(); err != nil || i != 1 || v != 42 {
			t.Fatalf("parked Select chose %v (%v) with v=%d; want case 1 with the stashed 42", i, err, v)
		}
	})
}

func TestStashKeepsValueWithNoParkedReceive(t *testing.T) {
	Run(func() {
		c := make(chan int)
		stash(c, 7)
		stash(c, 8)
		if a, b := Recv(c), Recv(c); a != 7 || b != 8 {
			t.Fatalf("got %d then %d; want the stashed 7 then 8", a, b)
		}
	})
}

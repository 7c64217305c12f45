package timeoutreply

import "testing"

func TestCallWithinLatency(t *testing.T) {
	v, err := Call(func() int { return 42 })
	if err != nil || v != 42 {
		t.Fatalf("Call = %d, %v; want 42 from a backend that answers within its latency", v, err)
	}
}

package rewrite

import (
	"slices"
	"testing"
)

// TestRulesOrder pins the order of the rule table: rules are tried in this
// order, and select must come before the channel operations in its cases,
// the comma-ok receive before the plain receive.
func TestRulesOrder(t *testing.T) {
	want := []string{
		"entry.main", "entry.test", "entry.benchmark", "entry.fuzz", "entry.example",
		"entry.subtest", "entry.parallel", "entry.fuzztarget",
		"offload.dns", "offload.file", "offload.exec", "go", "select",
		"chan.recv2", "chan.range", "chan.make", "chan.close", "chan.send", "chan.recv",
		"time.sleep", "time.now", "time.timer", "time.ticker", "time.stop", "context", "gosched",
		"sync.mutex", "sync.locker", "sync.waitgroup", "sync.cond", "sync.once", "recover", "escape",
		"patch.deps", "patch.std", "std.poll", "std.pipe", "std.process",
	}
	var got []string
	for _, r := range Rules() {
		got = append(got, r.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("rule order:\n got %q\nwant %q", got, want)
	}
}

// This file holds the ordered rule table that drives the rewrite and that `gopatch rules` prints.

package rewrite

import (
	"fmt"
	"go/ast"
	"io"
	"text/tabwriter"
)

// A Rule rewrites one Go construct, matched on type-checked syntax.
type Rule struct {
	Name    string // stable identifier, construct.case
	Match   string // the Go construct or std API, fully qualified
	Becomes string // what rewritten code calls instead

	// apply returns the replacement text for n and true, or false when the
	// rule does not match n. It renders n's children itself, with r.child.
	apply func(r *rewriter, n ast.Node) (string, bool)
}

// Rules returns the rule table in the order rules are tried on each node;
// the first rule that matches a node rewrites it and its subtree. Order
// matters where constructs nest: select before the channel operations in its
// cases, the comma-ok receive before the plain receive.
func Rules() []Rule {
	return []Rule{
		{"entry.main", "func main() in package main", "body runs in gopatchrt.Run(func() {...})", rewriteEntry},
		{"entry.test", "func TestXxx(t *testing.T) in a _test.go file", "body runs in gopatchrt.RunTest(t, func() {...})", nil},
		{"entry.benchmark", "func BenchmarkXxx(b *testing.B) in a _test.go file", "body runs in gopatchrt.RunTest(b, func() {...})", nil},
		{"entry.fuzz", "func FuzzXxx(f *testing.F) in a _test.go file", "body runs in gopatchrt.RunTest(f, func() {...})", nil},
		{"entry.example", "func ExampleXxx() in a _test.go file", "body runs in gopatchrt.Run(func() {...})", nil},
		{"entry.subtest", "(*testing.T).Run, (*testing.B).Run", "gopatchrt.RunSubtest(t.Run, name, f)", rewriteSubtest},
		{"entry.parallel", "(*testing.T).Parallel()", "gopatchrt.WaitParallel(t.Parallel)", nil},
		{"entry.fuzztarget", "(*testing.F).Fuzz(fn)", "gopatchrt.RunFuzz(f.Fuzz, fn), fn's body in gopatchrt.RunTest(t, ...)", nil},
		{"offload.dns", "net.Lookup*, (*net.Resolver).Lookup*", "gopatchrt.OffloadedNtoM(f)(args...)", rewriteOffload},
		{"offload.file", "os.ReadFile/WriteFile, (*os.File).Read/Write/ReadAt/WriteAt/WriteString/Sync", "gopatchrt.OffloadedNtoM(f)(args...)", nil},
		{"offload.exec", "(*exec.Cmd).Run/Output/CombinedOutput/Wait", "gopatchrt.OffloadedNtoM(f)(args...)", nil},
		{"go", "go f(x)", "gopatchrt.Go(func() { f(x) }), f and x evaluated first", rewriteGo},
		{"select", "select {...}", "switch gopatchrt.Select(hasDefault, cases...) {...}", rewriteSelect},
		{"chan.recv2", "v, ok := <-ch (and = and var)", "v, ok := gopatchrt.Recv2(ch)", rewriteRecv2},
		{"chan.range", "for v := range ch", "for v := range gopatchrt.Range(ch)", rewriteRange},
		{"chan.make", "make(chan T[, n]); make(K[, n]), K named or a type parameter", "gopatchrt.MakeChan[T](n); gopatchrtMakeChan_f[K](n)", rewriteMake},
		{"chan.close", "close(ch)", "gopatchrt.Close(ch)", rewriteClose},
		{"chan.send", "ch <- v", "gopatchrt.Send(ch, v)", rewriteSend},
		{"chan.recv", "<-ch", "gopatchrt.Recv(ch)", rewriteRecv},
		{"time.sleep", "time.Sleep", "gopatchrt.Sleep", rewriteTime},
		{"time.now", "time.Now, time.Since, time.Until", "gopatchrt.Now, Since, Until: the hub clock", nil},
		{"time.timer", "time.NewTimer, time.After, time.AfterFunc", "gopatchrt.NewTimer, After, AfterFunc: hub timers", nil},
		{"time.ticker", "time.NewTicker, time.Tick", "gopatchrt.NewTicker, Tick: hub timers", nil},
		{"time.stop", "(*time.Timer).Stop/Reset, (*time.Ticker).Stop/Reset", "gopatchrt.StopTimer(t), ResetTimer(t, d), StopTicker, ResetTicker", rewriteTimerMethod},
		{"context", "context.WithCancel/Deadline/Timeout[Cause], AfterFunc", "gopatchrt.ContextWithCancel etc.: hub-owned Done, deadline on the hub clock", rewriteContext},
		{"gosched", "runtime.Gosched", "gopatchrt.Sleep(0)", rewriteGosched},
		{"sync.mutex", "(*sync.Mutex), (*sync.RWMutex): [Try][R]Lock, [R]Unlock", "gopatchrt.MutexLock(&mu), RWMutexRLock(&rw)...: rt waits, same native lock", rewriteSync},
		{"sync.locker", "sync.Locker Lock, Unlock", "gopatchrt.LockerLock(l), LockerUnlock(l)", nil},
		{"sync.waitgroup", "(*sync.WaitGroup) Add, Done, Wait, Go", "gopatchrt.WaitGroupAdd(&wg, n), WaitGroupDone, WaitGroupWait, WaitGroupGo", nil},
		{"sync.cond", "(*sync.Cond) Wait, Signal, Broadcast", "gopatchrt.CondWait(c), CondSignal, CondBroadcast", nil},
		{"sync.once", "(*sync.Once).Do, sync.OnceFunc, OnceValue, OnceValues", "gopatchrt.OnceDo(&o, f), OnceFunc, OnceValue, OnceValues", nil},
		{"recover", "recover()", "gopatchrt.Recover(recover())", rewriteRecover},

		{"escape", "a channel passed to a package that is not rewritten", "f(gopatchrt.Escape(ch)): waits on it go native", rewriteEscape},

		// What the patch reaches beyond the main module's own code: no
		// rule above applies these rows, the build does (deps.go,
		// stdrewrite.go, stdhooks.go).
		{"patch.deps", "every dependency module's packages (-patch=all, the default)", "rewritten by the rules above, into a copy a replace points at", nil},
		{"patch.std", "standard packages above rt: net/http, os/exec, crypto/tls, net/textproto, mime, ...", "rewritten by the rules above, through the overlay (net in its plain files; not testing, os/signal, crypto's internals)", nil},
		{"std.poll", "internal/poll: an fd's wait for readiness, its lock, Close's wait (sockets, pipes, ttys)", "hook: rt's blockOffHub parks the greenlet while the wait runs off the hub", nil},
		{"std.pipe", "io.Pipe: (*PipeReader).Read, (*PipeWriter).Write", "hook: rt's blockOffHub", nil},
		{"std.process", "(*os.Process).Wait, and so (*exec.Cmd).Wait", "hook: rt's blockOffHub", nil},
	}
}

// PrintRules writes the rule table as aligned columns.
func PrintRules(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tMATCHES\tBECOMES")
	for _, r := range Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Match, r.Becomes)
	}
	return tw.Flush()
}

// This file holds the ordered rule table that drives the rewrite and that `gopatch rules` prints.

package rewrite

import (
	"fmt"
	"go/ast"
	"io"
	"text/tabwriter"
)

// A Rule rewrites one kind of Go construct, matched on type-checked syntax.
type Rule struct {
	// Cases are the constructs the rule rewrites, one row of `gopatch
	// rules` each: one function may apply several (the entry points of a
	// test file, the methods of the sync types).
	Cases []Case

	// apply returns the replacement text for n and true, or false when the
	// rule does not match n. It renders n's children itself, with r.child.
	apply func(r *rewriter, n ast.Node) (string, bool)
}

// A Case is one construct a rule rewrites, or one layer the build patches.
type Case struct {
	Name    string // stable identifier, construct.case
	Match   string // the Go construct or std API, fully qualified
	Becomes string // what rewritten code calls instead
}

// Rules returns the rule table in the order rules are tried on each node.
// The rewrite walks the syntax tree from the top, and the first rule that
// matches a node rewrites it and renders its subtree itself, so a select
// is rewritten before the channel operations in its cases whatever the
// order. The rules match disjoint kinds of node (a select statement, a
// comma-ok assignment, a call of a given function), except escape, which
// matches any call into a package that is not rewritten that passes a
// channel: it comes last, so a call another rule rewrites is not also
// escaped.
func Rules() []Rule {
	return []Rule{
		{[]Case{
			{"entry.main", "func main() in package main", "body runs in gopatchrt.Run(func() {...})"},
			{"entry.test", "func TestXxx(t *testing.T) in a _test.go file", "body runs in gopatchrt.RunTest(t, func() {...})"},
			{"entry.benchmark", "func BenchmarkXxx(b *testing.B) in a _test.go file", "body runs in gopatchrt.RunTest(b, func() {...})"},
			{"entry.fuzz", "func FuzzXxx(f *testing.F) in a _test.go file", "body runs in gopatchrt.RunTest(f, func() {...})"},
			{"entry.example", "func ExampleXxx() in a _test.go file", "body runs in gopatchrt.Run(func() {...})"},
		}, rewriteEntry},
		{[]Case{
			{"entry.subtest", "(*testing.T).Run, (*testing.B).Run", "gopatchrt.RunSubtest(t.Run, name, f)"},
			{"entry.parallel", "(*testing.T).Parallel()", "gopatchrt.WaitParallel(t.Parallel)"},
			{"entry.fuzztarget", "(*testing.F).Fuzz(fn)", "gopatchrt.RunFuzz(f.Fuzz, fn), fn's body in gopatchrt.RunTest(t, ...)"},
			{"entry.testingmain", "testing.Main, (*testing.M).Run outside _test.go files", "gopatchrt.RunTestingMain(testing.Main, args...), RunTestingM(m.Run): main's hub runs on meanwhile"},
		}, rewriteSubtest},
		{[]Case{
			{"offload.dns", "net.Lookup*, (*net.Resolver).Lookup*", "gopatchrt.OffloadedNtoM(f)(args...)"},
			{"offload.file", "os.ReadFile/WriteFile, (*os.File).Read/Write/ReadAt/WriteAt/WriteString/Sync", "gopatchrt.OffloadedNtoM(f)(args...)"},
			{"offload.exec", "(*exec.Cmd).Run/Output/CombinedOutput/Wait", "gopatchrt.OffloadedNtoM(f)(args...)"},
		}, rewriteOffload},
		{[]Case{{"go", "go f(x)", "gopatchrt.Go(func() { f(x) }), f and x evaluated first"}}, rewriteGo},
		{[]Case{{"select", "select {...}", "switch gopatchrt.Select(hasDefault, cases...) {...}"}}, rewriteSelect},
		{[]Case{{"chan.recv2", "v, ok := <-ch (and = and var)", "v, ok := gopatchrt.Recv2(ch)"}}, rewriteRecv2},
		{[]Case{{"chan.range", "for v := range ch", "for v := range gopatchrt.Range(ch)"}}, rewriteRange},
		{[]Case{{"chan.make", "make(chan T[, n]); make(K[, n]), K named or a type parameter", "gopatchrt.MakeChan[T](n); gopatchrtMakeChan_f[K](n)"}}, rewriteMake},
		{[]Case{{"chan.close", "close(ch)", "gopatchrt.Close(ch)"}}, rewriteClose},
		{[]Case{{"chan.send", "ch <- v", "gopatchrt.Send(ch, v)"}}, rewriteSend},
		{[]Case{{"chan.recv", "<-ch", "gopatchrt.Recv(ch)"}}, rewriteRecv},
		{[]Case{
			{"time.sleep", "time.Sleep", "gopatchrt.Sleep"},
			{"time.now", "time.Now, time.Since, time.Until", "gopatchrt.Now, Since, Until: the hub clock"},
			{"time.timer", "time.NewTimer, time.After, time.AfterFunc", "gopatchrt.NewTimer, After, AfterFunc: hub timers"},
			{"time.ticker", "time.NewTicker, time.Tick", "gopatchrt.NewTicker, Tick: hub timers"},
		}, rewriteTime},
		{[]Case{{"time.stop", "(*time.Timer).Stop/Reset, (*time.Ticker).Stop/Reset", "gopatchrt.StopTimer(t), ResetTimer(t, d), StopTicker, ResetTicker"}}, rewriteTimerMethod},
		{[]Case{{"context", "context.WithCancel/Deadline/Timeout[Cause], AfterFunc", "gopatchrt.ContextWithCancel etc.: hub-owned Done, deadline on the hub clock"}}, rewriteContext},
		{[]Case{{"gosched", "runtime.Gosched", "gopatchrt.Sleep(0)"}}, rewriteGosched},
		{[]Case{
			{"sync.mutex", "(*sync.Mutex), (*sync.RWMutex): [Try][R]Lock, [R]Unlock", "gopatchrt.MutexLock(&mu), RWMutexRLock(&rw)...: rt waits, same native lock"},
			{"sync.locker", "sync.Locker Lock, Unlock", "gopatchrt.LockerLock(l), LockerUnlock(l)"},
			{"sync.waitgroup", "(*sync.WaitGroup) Add, Done, Wait, Go", "gopatchrt.WaitGroupAdd(&wg, n), WaitGroupDone, WaitGroupWait, WaitGroupGo"},
			{"sync.cond", "(*sync.Cond) Wait, Signal, Broadcast", "gopatchrt.CondWait(c), CondSignal, CondBroadcast"},
			{"sync.once", "(*sync.Once).Do, sync.OnceFunc, OnceValue, OnceValues", "gopatchrt.OnceDo(&o, f), OnceFunc, OnceValue, OnceValues"},
		}, rewriteSync},
		{[]Case{{"sync.atomic", "sync/atomic's functions, and the methods of its types", "atomic.AddInt64(gopatchrt.AtomicAt(&n), 1), gopatchrt.AtomicAt(&v).Load(): a scheduling point first"}}, rewriteAtomic},
		{[]Case{{"recover", "recover()", "gopatchrt.Recover(recover())"}}, rewriteRecover},
		{[]Case{{"escape", "a channel passed to a package that is not rewritten", "f(gopatchrt.Escape(ch)): waits on it go native"}}, rewriteEscape},
	}
}

// Layers returns what the patch reaches beyond the rules: no rule applies
// these, the build does (deps.go, stdrewrite.go, stdhooks.go).
func Layers() []Case {
	return []Case{
		{"patch.deps", "every dependency module's packages (-patch=all, the default)", "rewritten by the rules above, into a copy a replace points at"},
		{"patch.std", "standard packages above rt: net/http, os/exec, crypto/tls, net/textproto, mime, ...", "rewritten by the rules above, through the overlay (net in its plain files; not testing, os/signal, crypto's internals)"},
		{"std.poll", "internal/poll: an fd's wait for readiness, its lock, Close's wait (sockets, pipes, ttys)", "hook: an fd opened on a greenlet is rt's alone, in its hub's epoll poller, where its waits park the greenlet; the fd lock, and waits with no poller, run off the hub (blockOffHub)"},
		{"std.pipe", "io.Pipe: (*PipeReader).Read, (*PipeWriter).Write", "hook: rt's blockOffHub"},
		{"std.process", "(*os.Process).Wait, and so (*exec.Cmd).Wait", "hook: rt's blockOffHub"},
		{"std.coroutine", "iter: the runtime's coroutines, which only iter may reach", "hook: rt runs greenlets on them directly, without iter.Pull's closures"},
	}
}

// PrintRules writes the rule table, then the layers, as aligned columns.
func PrintRules(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tMATCHES\tBECOMES")
	row := func(c Case) { fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Name, c.Match, c.Becomes) }
	for _, r := range Rules() {
		for _, c := range r.Cases {
			row(c)
		}
	}
	for _, c := range Layers() {
		row(c)
	}
	return tw.Flush()
}

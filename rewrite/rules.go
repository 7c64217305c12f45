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
		{"entry.test", "func TestXxx(t *testing.T) in a _test.go file", "body runs in gopatchrt.Run(func() {...})", nil},
		{"go", "go f(x)", "gopatchrt.Go(func() { f(x) }), f and x evaluated first", rewriteGo},
		{"select", "select {...}", "switch gopatchrt.Select(hasDefault, cases...) {...}", rewriteSelect},
		{"chan.recv2", "v, ok := <-ch (and = and var)", "v, ok := gopatchrt.Recv2(ch)", rewriteRecv2},
		{"chan.range", "for v := range ch", "for v := range gopatchrt.Range(ch)", rewriteRange},
		{"chan.make", "make(chan T[, n])", "gopatchrt.MakeChan[T](n)", rewriteMake},
		{"chan.close", "close(ch)", "gopatchrt.Close(ch)", rewriteClose},
		{"chan.send", "ch <- v", "gopatchrt.Send(ch, v)", rewriteSend},
		{"chan.recv", "<-ch", "gopatchrt.Recv(ch)", rewriteRecv},
		{"time.sleep", "time.Sleep", "gopatchrt.Sleep", rewriteTime},
		{"time.now", "time.Now", "gopatchrt.Now", nil},
		{"recover", "recover()", "gopatchrt.Recover(recover())", rewriteRecover},
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

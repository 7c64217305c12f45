// This file holds the decisions file: every choice a test's hub made, with
// the choice that would have switched nothing, through which gopatch test
// shrinks a failing schedule and replays the shrunk one.

package schedule

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// A Decision is one choice a hub made where it had one, and Default, the
// choice that switches nothing there. A pick among two or more runnable
// items chooses a greenlet, by its number on the hub (main is 1, then in
// creation order; 0 is a hub callback), which stays the same when an
// earlier choice changes; its default is the greenlet that has just
// passed a scheduling point, else the oldest runnable item. A step of a
// select's poll order (Case) chooses a position; its default keeps the
// cases in source order.
type Decision struct {
	Choice, Default int
	Case            bool
}

// Preempts reports whether d switched where its default would not have.
func (d Decision) Preempts() bool { return d.Choice != d.Default }

// Preemptions counts the decisions of ds that preempt.
func Preemptions(ds []Decision) int {
	n := 0
	for _, d := range ds {
		if d.Preempts() {
			n++
		}
	}
	return n
}

// A decisions file has one line a test run: the test's name, a tab, and
// its decisions in order, space-separated, each its choice, a slash and
// its default ("2/1"), a select's marked with a "c" ("c0/1").

// FormatDecisions returns the line of a decisions file for one run of
// test.
func FormatDecisions(test string, ds []Decision) string {
	var b strings.Builder
	b.WriteString(test)
	b.WriteByte('\t')
	for i, d := range ds {
		if i > 0 {
			b.WriteByte(' ')
		}
		if d.Case {
			b.WriteByte('c')
		}
		b.WriteString(strconv.Itoa(d.Choice))
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(d.Default))
	}
	b.WriteByte('\n')
	return b.String()
}

// ReadDecisions reads a decisions file: each test's decisions, from its
// last line (a test run more than once keeps its last run). Malformed
// lines are skipped.
func ReadDecisions(r io.Reader) (map[string][]Decision, error) {
	m := make(map[string][]Decision)
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<26)
lines:
	for sc.Scan() {
		name, list, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		var ds []Decision
		for f := range strings.FieldsSeq(list) {
			c, d, ok := strings.Cut(f, "/")
			c, isCase := strings.CutPrefix(c, "c")
			choice, err1 := strconv.Atoi(c)
			def, err2 := strconv.Atoi(d)
			if !ok || err1 != nil || err2 != nil || choice < 0 || def < 0 {
				continue lines
			}
			ds = append(ds, Decision{choice, def, isCase})
		}
		m[name] = ds
	}
	return m, sc.Err()
}

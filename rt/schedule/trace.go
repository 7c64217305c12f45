// This file holds the trace file: each step of a test's hub (which greenlet
// ran, why it could, what it had waited on and who woke it), from which
// -check-determinism finds where two runs part and -sched-trace draws the
// schedule.

package schedule

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A TraceStep is one step of a hub: the greenlet it ran, by its number on
// the hub (main is 1, then in creation order; 0 is a hub callback), and
// for a greenlet that had waited, why it could run again, on what it had
// waited ("chan receive"), and the number of the greenlet whose operation
// ended the wait (0: the hub's own, a timer or a report from outside).
type TraceStep struct {
	G    int
	Why  Wake
	What string
	By   int
}

// A Wake is why a greenlet could run at a step.
type Wake byte

const (
	WakeResume    Wake = 'r' // a yield or a switch
	WakeStart     Wake = 's' // its first run
	WakeFired     Wake = 'f' // what it waited on handed over
	WakeTimedOut  Wake = 't' // its wait's deadline passed
	WakeCancelled Wake = 'c' // its wait's context was done
	WakeCallback  Wake = 'x' // a hub callback
)

func (w Wake) String() string {
	switch w {
	case WakeStart:
		return "started"
	case WakeFired:
		return "woken"
	case WakeTimedOut:
		return "timed out"
	case WakeCancelled:
		return "cancelled"
	case WakeCallback:
		return "callback"
	}
	return "resumed"
}

// A trace file has one line a test run: the test's name, a tab, the seed,
// a tab, and the steps of its hub, space-separated: each the greenlet's
// number, or for a wait that ended, "G:why:by:what" (what with its spaces
// as underscores: "3:f:2:chan_receive"), so that two runs of one schedule
// give the same line.

// FormatTrace returns the line of a trace file for one run of test under
// seed.
func FormatTrace(test string, seed uint64, steps []TraceStep) string {
	var b strings.Builder
	b.WriteString(test)
	b.WriteByte('\t')
	b.WriteString(strconv.FormatUint(seed, 10))
	b.WriteByte('\t')
	for i, st := range steps {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(st.G))
		if st.What != "" {
			fmt.Fprintf(&b, ":%c:%d:%s", st.Why, st.By, strings.ReplaceAll(st.What, " ", "_"))
		}
	}
	b.WriteByte('\n')
	return b.String()
}

// A Trace is one test run of a trace file.
type Trace struct {
	Test  string
	Seed  uint64
	Steps []TraceStep
}

// ReadTraces reads a trace file, in file order; malformed lines are
// skipped.
func ReadTraces(r io.Reader) ([]Trace, error) {
	var ts []Trace
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<26)
lines:
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), "\t")
		seedText, steps, ok2 := strings.Cut(rest, "\t")
		seed, err := strconv.ParseUint(seedText, 10, 64)
		if !ok || !ok2 || err != nil {
			continue
		}
		t := Trace{Test: name, Seed: seed}
		for f := range strings.FieldsSeq(steps) {
			fs := strings.SplitN(f, ":", 4)
			g, err := strconv.Atoi(fs[0])
			if err != nil {
				continue lines
			}
			st := TraceStep{G: g}
			if len(fs) == 4 {
				by, err := strconv.Atoi(fs[2])
				if err != nil || len(fs[1]) != 1 {
					continue lines
				}
				st.Why, st.By, st.What = Wake(fs[1][0]), by, strings.ReplaceAll(fs[3], "_", " ")
			}
			t.Steps = append(t.Steps, st)
		}
		ts = append(ts, t)
	}
	return ts, sc.Err()
}

// Diverge compares two runs' traces and describes the first difference
// ("" when they agree): the test, the step, and the greenlet each run
// ran there; and returns the seed it is in.
func Diverge(a, b []Trace) (seed uint64, diff string) {
	for i := range max(len(a), len(b)) {
		switch {
		case i >= len(a):
			return b[i].Seed, fmt.Sprintf("the second run ran a test more: %s (seed %d)", b[i].Test, b[i].Seed)
		case i >= len(b):
			return a[i].Seed, fmt.Sprintf("the first run ran a test more: %s (seed %d)", a[i].Test, a[i].Seed)
		case a[i].Test != b[i].Test || a[i].Seed != b[i].Seed:
			return a[i].Seed, fmt.Sprintf("the runs ran %s (seed %d) and %s (seed %d) in turn %d", a[i].Test, a[i].Seed, b[i].Test, b[i].Seed, i+1)
		}
		sa, sb := a[i].Steps, b[i].Steps
		for j := range max(len(sa), len(sb)) {
			name := func(s []TraceStep) string {
				switch {
				case j >= len(s):
					return "nothing (the test had ended)"
				case s[j].G == 0:
					return "a hub callback"
				}
				return fmt.Sprintf("greenlet %d", s[j].G)
			}
			if j >= len(sa) || j >= len(sb) || sa[j].G != sb[j].G {
				return a[i].Seed, fmt.Sprintf("%s (seed %d) diverges at step %d: the first run ran %s, the second %s (greenlets numbered in the order they were made)", a[i].Test, a[i].Seed, j+1, name(sa), name(sb))
			}
		}
	}
	return 0, ""
}

// This file writes gopatch test -sched-trace: one seed's schedule as
// Chrome trace-event JSON, which Perfetto and chrome://tracing open.

package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/gopatch/gopatch/rt/schedule"
)

// traceEvent is one event of the Chrome trace-event format: "X" is a
// complete slice (ts and dur in microseconds), "M" metadata naming a
// process or thread, "s" and "f" the start and end of a flow arrow
// between two slices (one id, bound to the enclosing slice).
type traceEvent struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat,omitempty"`
	Ph   string         `json:"ph"`
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	Ts   int            `json:"ts"`
	Dur  int            `json:"dur,omitempty"`
	ID   int            `json:"id,omitempty"`
	Bp   string         `json:"bp,omitempty"`
	Args map[string]any `json:"args,omitempty"`
}

// writeSchedTrace converts the trace file traceFile, which one run wrote,
// into out: a process a test, a track a greenlet (by its number on the
// hub, as reports name it: main is g1; track 0 is the hub's callbacks),
// one slice a step, one microsecond long, on the track of the greenlet
// the step ran, and on a greenlet's track, between the steps it ran, a
// slice for what it waited on, with an arrow from the greenlet that ended
// the wait. Time is steps, not wall time: the schedule is what the
// picture shows.
func writeSchedTrace(traceFile, out string) error {
	f, err := os.Open(traceFile)
	if err != nil {
		return fmt.Errorf("-sched-trace: no schedule was recorded: %v", err)
	}
	traces, err := schedule.ReadTraces(f)
	f.Close()
	if err != nil {
		return err
	}
	events := []traceEvent{}
	flows := 0
	for i, t := range traces {
		pid := i + 1
		events = append(events, traceEvent{Name: "process_name", Ph: "M", Pid: pid, Args: map[string]any{"name": t.Test}})
		named := map[int]bool{}
		last := map[int]int{} // each greenlet's last step
		for step, st := range t.Steps {
			g := st.G
			if !named[g] {
				named[g] = true
				name := fmt.Sprintf("g%d", g)
				switch g {
				case 0:
					name = "hub callbacks"
				case 1:
					name = "g1 (main)"
				}
				events = append(events, traceEvent{Name: "thread_name", Ph: "M", Pid: pid, Tid: g, Args: map[string]any{"name": name}})
			}
			args := map[string]any{"step": step + 1}
			if st.What != "" {
				args["waited on"], args["then"] = st.What, st.Why.String()
				if prev, ok := last[g]; ok && prev+1 < step {
					events = append(events, traceEvent{Name: "waiting on " + st.What, Cat: "wait", Ph: "X", Pid: pid, Tid: g, Ts: prev + 1, Dur: step - prev - 1})
				}
				if st.Why == schedule.WakeFired && st.By != 0 && st.By != g {
					args["woken by"] = fmt.Sprintf("g%d", st.By)
					if from, ok := last[st.By]; ok {
						flows++
						events = append(events,
							traceEvent{Name: "wakes", Cat: "wake", Ph: "s", Pid: pid, Tid: st.By, Ts: from, ID: flows},
							traceEvent{Name: "wakes", Cat: "wake", Ph: "f", Bp: "e", Pid: pid, Tid: g, Ts: step, ID: flows})
					}
				}
			}
			name := "runs"
			if st.What != "" {
				name = st.Why.String()
			}
			events = append(events, traceEvent{Name: name, Cat: "step", Ph: "X", Pid: pid, Tid: g, Ts: step, Dur: 1, Args: args})
			last[g] = step
		}
	}
	b, err := json.Marshal(map[string]any{"traceEvents": events, "displayTimeUnit": "ns"})
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o666)
}

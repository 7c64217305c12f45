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
// process or thread.
type traceEvent struct {
	Name string         `json:"name"`
	Ph   string         `json:"ph"`
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	Ts   int            `json:"ts"`
	Dur  int            `json:"dur,omitempty"`
	Args map[string]any `json:"args,omitempty"`
}

// writeSchedTrace converts the trace file traceFile, which one run wrote,
// into out: a process a test, a track a greenlet (numbered by first
// appearance; track 0 is the hub's callbacks), and one slice a step, one
// microsecond long, on the track of the greenlet the step ran. Time is
// steps, not wall time: the schedule is what the picture shows.
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
	for i, t := range traces {
		pid := i + 1
		events = append(events, traceEvent{Name: "process_name", Ph: "M", Pid: pid, Args: map[string]any{"name": t.Test}})
		named := map[int]bool{}
		for step, g := range t.Picks {
			if !named[g] {
				named[g] = true
				name := fmt.Sprintf("greenlet %d", g)
				if g == 0 {
					name = "hub callbacks"
				}
				events = append(events, traceEvent{Name: "thread_name", Ph: "M", Pid: pid, Tid: g, Args: map[string]any{"name": name}})
			}
			events = append(events, traceEvent{Name: fmt.Sprintf("step %d", step+1), Ph: "X", Pid: pid, Tid: g, Ts: step, Dur: 1})
		}
	}
	b, err := json.Marshal(map[string]any{"traceEvents": events, "displayTimeUnit": "ns"})
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o666)
}

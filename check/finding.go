// This file defines a Finding, the one form every check result takes: printed as file:line:col: message (GPnnnn), or as a JSON object.

package check

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// A Finding is one result of [Run], at a position in a file.
type Finding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Message  string   `json:"message"` // lowercase, no trailing period, without the code
}

// String formats f as go vet does, with the code: file:line:col: message (GPnnnn).
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s (%s)", f.File, f.Line, f.Column, f.Message, f.Code)
}

// newFinding makes a finding of code; msg may end in the code, as the
// analyzer's messages do for go vet.
func newFinding(code, file string, line, col int, msg string) Finding {
	sev := Error
	if info, ok := Info(code); ok {
		sev = info.Severity
	}
	return Finding{
		Code: code, Severity: sev, File: file, Line: line, Column: col,
		Message: strings.TrimSuffix(msg, " ("+code+")"),
	}
}

// sortFindings sorts fs as go vet's output is, by file, line and column,
// and drops duplicates (a file analysed in two variants of its package).
func sortFindings(fs []Finding) []Finding {
	sort.Slice(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
	out := fs[:0]
	for i, f := range fs {
		if i == 0 || f != fs[i-1] {
			out = append(out, f)
		}
	}
	return out
}

// relFindings makes the findings' files relative to dir where they lie
// below it, as the go command prints them.
func relFindings(fs []Finding, dir string) {
	for i := range fs {
		if rel, err := filepath.Rel(dir, fs[i].File); err == nil && !strings.HasPrefix(rel, "..") {
			fs[i].File = rel
		}
	}
}

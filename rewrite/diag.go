// This file defines diagnostics, the one error format of the rewriter.

package rewrite

import (
	"fmt"
	"go/token"
	"strings"
)

// Diagnostic codes. They are stable: scripts and users match on them.
const (
	CodeParse       = "GP0001" // a file does not parse
	CodeType        = "GP0002" // a package does not type-check
	CodeLoad        = "GP0003" // a package cannot be listed or loaded
	CodeUnsupported = "GP0101" // a construct the rewriter cannot rewrite yet
)

// A Diagnostic is one finding at a position in a user's file.
type Diagnostic struct {
	Pos     token.Position // Filename may be empty when the go command gave no position
	Message string         // lowercase, no trailing period
	Code    string
}

// String formats d as file:line:col: message (GPnnnn).
func (d Diagnostic) String() string {
	if !d.Pos.IsValid() && d.Pos.Filename == "" {
		return fmt.Sprintf("%s (%s)", d.Message, d.Code)
	}
	return fmt.Sprintf("%s: %s (%s)", d.Pos, d.Message, d.Code)
}

// DiagnosticsError is returned when rewriting found problems; nothing has
// been written when it is returned.
type DiagnosticsError struct {
	Diagnostics []Diagnostic
}

func (e *DiagnosticsError) Error() string {
	lines := make([]string, len(e.Diagnostics))
	for i, d := range e.Diagnostics {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

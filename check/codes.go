// This file holds the one table of GP codes: every finding gopatch check, gopatch-vet and the rewriter report, with its severity and what to do about it.

package check

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/gopatch/gopatch/rewrite"
)

// Codes. They are stable: scripts, CI configurations and users match on
// them. A code names one reason; a new reason gets a new code.
const (
	// The rewriter's: a package that does not load (rewrite/diag.go).
	CodeParse = rewrite.CodeParse // GP0001
	CodeType  = rewrite.CodeType  // GP0002
	CodeLoad  = rewrite.CodeLoad  // GP0003

	// Constructs the rewriter does not support, one code a reason.
	CodeUnsupported        = rewrite.CodeUnsupported // GP0101, a reason not classified below
	CodeEntryMethodExpr    = "GP0102"
	CodeUnexportedEmbedded = "GP0103"
	CodeTimerMethodExpr    = "GP0104"
	CodeOffloadArity       = "GP0105"

	// Calls that block the hub and that no rule covers.
	CodeSyscall      = "GP0301"
	CodeCgo          = "GP0302"
	CodeReflect      = "GP0303"
	CodeSpin         = "GP0304"
	CodeNativeStdlib = "GP0305"
	CodeNativeDep    = "GP0306"

	// go generate output that does not match its sources.
	CodeStale   = "GP0401"
	CodeMissing = "GP0402"
	CodeOrphan  = "GP0403"
)

// Severity says whether a finding stops the code from being patched at all
// (error) or makes it run less cooperatively than it reads (warning).
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// A CodeInfo describes one code.
type CodeInfo struct {
	Code     string
	Severity Severity
	Title    string // what was found
	Fix      string // what to do about it
}

// Codes returns the code table, in code order.
func Codes() []CodeInfo {
	return []CodeInfo{
		{CodeParse, Error, "a file does not parse", "fix the syntax error at the position given"},
		{CodeType, Error, "a package does not type-check", "fix the type error; gopatch rewrites only code the compiler accepts"},
		{CodeLoad, Error, "a package cannot be listed or loaded", "fix the import or the go.mod the go command complains of"},
		{CodeUnsupported, Error, "a construct the rewriter does not support", "write it another way; the message names the construct"},
		{CodeEntryMethodExpr, Error, "a test entry point called as a method expression ((*testing.T).Run)", "call it as a method: t.Run(name, f)"},
		{CodeUnexportedEmbedded, Error, "a sync or time method reached through an unexported embedded field of another package", "export the field, or add a method to the type in its own package"},
		{CodeTimerMethodExpr, Error, "a time.Timer or time.Ticker method expression on a type other than *time.Timer or *time.Ticker", "use (*time.Timer).Stop or a method value"},
		{CodeOffloadArity, Error, "a known-blocking std call with more parameters or results than rt's offload helpers take", "call it as a method on its receiver, or wrap it in rt.Offload"},
		{CodeSyscall, Warning, "a raw syscall read, accept or wait blocks the hub's thread", "use *os.File, net.Conn or os.Process, whose waits gopatch patches, or wrap the call in rt.Offload"},
		{CodeCgo, Warning, "a cgo call runs on the hub's thread until it returns", "wrap a call that can block in rt.Offload"},
		{CodeReflect, Warning, "reflect.Select or a reflect channel send or receive waits natively", "use a select statement or a channel operation, or wrap the call in rt.Offload"},
		{CodeSpin, Warning, "a loop spins on sync/atomic waiting for another goroutine and never yields", "wait on a channel, sync.Cond or sync.WaitGroup, or call runtime.Gosched in the loop"},
		{CodeNativeStdlib, Warning, "in a package go generate twins, a standard library call that waits natively", "run the program under gopatch run, test or build, which patch the standard library, or wrap the call in rt.Offload"},
		{CodeNativeDep, Warning, "in a package go generate twins, an import of a dependency module, whose waits stay native", "run the program under gopatch run, test or build, which patch dependencies too"},
		{CodeStale, Error, "a generated file differs from what its source generates now", "run go generate on the source package"},
		{CodeMissing, Error, "a file go generate would write is missing", "run go generate on the source package"},
		{CodeOrphan, Error, "a generated file whose source is gone", "run go generate on the source package, which removes it"},
	}
}

// Info returns the table's row for code, or false.
func Info(code string) (CodeInfo, bool) {
	for _, c := range Codes() {
		if c.Code == code {
			return c, true
		}
	}
	return CodeInfo{}, false
}

// PrintCodes writes the code table as aligned columns.
func PrintCodes(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tSEVERITY\tFINDING\tWHAT TO DO")
	for _, c := range Codes() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Code, c.Severity, c.Title, c.Fix)
	}
	return tw.Flush()
}

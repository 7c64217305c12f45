// Command gopatch runs unchanged Go code as greenlets on gopatch's
// cooperative runtime: it rewrites go statements, channel operations,
// select, sync, time, context and entry points into calls to package rt,
// in the main module and in the dependency modules it uses (-patch=main:
// the main module alone), then runs the stock go command on the result.
//
// Usage:
//
//	gopatch <command> [arguments]
//
// Run "gopatch help" for the list of commands. This file is the
// switchboard: the ordered command list and the exit logic; each command
// lives in its own file, all the rewriting is done by package rewrite, and
// package internal/gocmd splits go command lines and runs the go command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gopatch/gopatch/rewrite"
)

// A command is one gopatch verb.
type command struct {
	Name      string
	UsageLine string // after "gopatch "
	Short     string
	Long      string
	Flags     *flag.FlagSet // nil: arguments are passed through unparsed
	Run       func(ctx context.Context, args []string) error
}

// commands in the order help lists them.
var commands = []*command{
	runCmd, testCmd, buildCmd, vetCmd, rewriteCmd, diffCmd, generateCmd, checkCmd, rulesCmd, versionCmd,
}

// Exit codes. They are decided here only; commands return errors.
const (
	exitOK       = 0
	exitFindings = 1 // a difference from diff
	exitUsage    = 2 // bad usage, or gopatch itself failed (a package that does not load)
)

// usageError is a command-line mistake; it is printed with the verb's usage line.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }

// exitError carries an exit code decided elsewhere: the go command's, a
// test binary's or the program's, passed through unchanged.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

var (
	stdout io.Writer = os.Stdout
	stderr io.Writer = os.Stderr
)

func main() { os.Exit(gopatchMain()) }

// gopatchMain runs the command named by os.Args and returns the exit code.
func gopatchMain() int {
	args := os.Args[1:]
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		if len(args) > 1 {
			if c := lookup(args[1]); c != nil {
				printUsage(stdout, c, true)
				return exitOK
			}
		}
		printHelp(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(stderr, "gopatch %s: unknown command\nRun 'gopatch help' for usage.\n", args[0])
		return exitUsage
	}
	rest := args[1:]
	if c.Flags == nil && asksForHelp(rest, c == runCmd) {
		// The verbs that pass their flags on to the go command answer
		// -h themselves, in a module or not, as "gopatch help VERB".
		printUsage(stdout, c, true)
		return exitOK
	}
	if c.Flags != nil {
		c.Flags.SetOutput(io.Discard)
		c.Flags.Usage = func() {}
		if err := c.Flags.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printUsage(stdout, c, true)
				return exitOK
			}
			return report(c, &usageError{err})
		}
		rest = c.Flags.Args()
	}
	return report(c, c.Run(context.Background(), rest))
}

// asksForHelp reports whether args, a verb's arguments passed on to the
// go command, hold -h, -help or --help among its flags: before -args or --,
// and, for run, before the package (what follows is the program's).
func asksForHelp(args []string, run bool) bool {
	for _, a := range args {
		switch {
		case a == "-h" || a == "-help" || a == "--help":
			return true
		case a == "--" || a == "-args" || a == "--args":
			return false
		case run && !strings.HasPrefix(a, "-"):
			return false
		}
	}
	return false
}

// report prints err, if any, and returns the exit code it stands for.
func report(c *command, err error) int {
	var (
		ue *usageError
		ee *exitError
		de *rewrite.DiagnosticsError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "gopatch %s: %v\n", c.Name, ue.err)
		printUsage(stderr, c, false)
		return exitUsage
	case errors.As(err, &de):
		for _, d := range de.Diagnostics {
			if d.Pos.Filename == "" {
				fmt.Fprintf(stderr, "gopatch: %s: %v\n", c.Name, d)
			} else {
				fmt.Fprintln(stderr, d)
			}
		}
		return exitUsage
	default:
		for line := range strings.SplitSeq(err.Error(), "\n") {
			fmt.Fprintf(stderr, "gopatch: %s: %s\n", c.Name, line)
		}
		return exitUsage
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "gopatch runs Go code as greenlets on a cooperative hub, as gevent does for Python.\n\n")
	fmt.Fprintf(w, "Usage:\n\n\tgopatch <command> [arguments]\n\nThe commands are:\n\n")
	for _, c := range commands {
		fmt.Fprintf(w, "\t%-8s %s\n", c.Name, c.Short)
	}
	fmt.Fprintf(w, "\nUse \"gopatch help <command>\" for more information about a command.\n")
}

func printUsage(w io.Writer, c *command, long bool) {
	fmt.Fprintf(w, "usage: gopatch %s\n", c.UsageLine)
	if long && c.Long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.Long))
	}
	if c.Flags != nil {
		fmt.Fprintf(w, "Run 'gopatch help %s' for details.\n", c.Name)
		if long {
			c.Flags.SetOutput(w)
			c.Flags.PrintDefaults()
		}
	}
}

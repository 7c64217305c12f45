// This file holds what build, test, run and vet share: splitting go command
// lines, rewriting into .gopatch, and running the stock go command there.

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/gopatch/gopatch/rewrite"
)

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// valueFlags are the go command's build and test flags that take a value
// as a separate argument when written without "=".
var valueFlags = map[string]bool{
	"C": true, "o": true, "p": true, "tags": true, "ldflags": true, "gcflags": true, "asmflags": true,
	"mod": true, "modfile": true, "overlay": true, "pkgdir": true, "toolexec": true, "exec": true,
	"covermode": true, "coverpkg": true, "pgo": true, "buildmode": true, "compiler": true,
	"gccgoflags": true, "installsuffix": true, "run": true, "skip": true, "bench": true,
	"benchtime": true, "count": true, "cpu": true, "timeout": true, "parallel": true,
	"coverprofile": true, "cpuprofile": true, "memprofile": true, "blockprofile": true,
	"mutexprofile": true, "outputdir": true, "trace": true, "shuffle": true, "fuzz": true,
	"fuzztime": true, "fuzzminimizetime": true, "list": true, "vettool": true, "memprofilerate": true,
	"blockprofilerate": true, "mutexprofilefraction": true,
}

// goArgs is a go command line split into its parts.
type goArgs struct {
	flags    []string // flags before the packages, as given
	packages []string // package patterns or .go files
	after    []string // run: the program's arguments; test and vet: flags after the packages
	tags     string   // the -tags value, for loading
}

// splitGoArgs splits args as the go command would: flags, then packages.
// For run, the package is one pattern or a list of .go files, and what
// follows are the program's arguments.
func splitGoArgs(args []string, run bool) goArgs {
	var g goArgs
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		g.flags = append(g.flags, a)
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !hasValue && valueFlags[name] && i+1 < len(args) {
			i++
			value = args[i]
			g.flags = append(g.flags, value)
		}
		if name == "tags" {
			g.tags = value
		}
	}
	for ; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			break
		}
		if run && len(g.packages) > 0 && !(strings.HasSuffix(a, ".go") && strings.HasSuffix(g.packages[0], ".go")) {
			break
		}
		g.packages = append(g.packages, a)
	}
	g.after = args[i:]
	return g
}

// prepare rewrites the packages g names into .gopatch and returns the workspace.
func prepare(g goArgs, tests bool) (*rewrite.Workspace, error) {
	opts := rewrite.Options{Tests: tests, LineDirectives: true}
	if g.tags != "" {
		opts.BuildFlags = []string{"-tags=" + g.tags}
	}
	// The cache skips loading and rewriting the packages that have not
	// changed since the last build, test or run; Deps rewrites the
	// module's packages that the named ones import as well.
	res, err := (&rewrite.Cache{Deps: true}).Rewrite(opts, g.packages...)
	if err != nil {
		return nil, err
	}
	return rewrite.Prepare(res)
}

// goCommand runs the go command with args, connected to gopatch's standard
// streams; a failure's exit code is passed through.
func goCommand(ctx context.Context, args ...string) error {
	return execute(ctx, "go", args...)
}

// execute runs name with args and passes its exit code through.
func execute(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	// -modfile cannot be used in workspace mode; the generated go.mod stands
	// for the user's whole module.
	cmd.Env = append(os.Environ(), "GOWORK=off")
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return &exitError{ee.ExitCode()}
	}
	return err
}

// goVerb returns the Run function of a verb that rewrites and then runs
// "go <verb>" with the user's arguments.
func goVerb(verb string, tests bool) func(context.Context, []string) error {
	return func(ctx context.Context, args []string) error {
		g := splitGoArgs(args, false)
		ws, err := prepare(g, tests)
		if err != nil {
			return err
		}
		return goCommand(ctx, append(append([]string{verb}, ws.Flags()...), args...)...)
	}
}

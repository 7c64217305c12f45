// This file holds what build, test, run and vet share: rewriting into
// .gopatch, and running the stock go command there (package gocmd splits
// its command lines and makes the command).

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/gopatch/gopatch/internal/gocmd"
	"github.com/gopatch/gopatch/rewrite"
)

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// prepare rewrites the packages g names into .gopatch, and with PatchAll
// the dependency modules they use into copies, and returns the workspace.
func prepare(g gocmd.Args, tests bool, patch rewrite.PatchMode) (*rewrite.Workspace, error) {
	opts := rewrite.Options{Tests: tests, LineDirectives: true, BuildFlags: g.Load}
	// The cache skips loading and rewriting the packages that have not
	// changed since the last build, test or run; Deps rewrites the
	// module's packages that the named ones import as well.
	res, err := (&rewrite.Cache{Deps: true, Patch: patch}).Rewrite(opts, g.Packages...)
	if err != nil {
		return nil, err
	}
	return rewrite.Prepare(res)
}

// goCommand runs the go command with args, connected to gopatch's standard
// streams; a failure's exit code is passed through.
func goCommand(ctx context.Context, args ...string) error {
	return execute(gocmd.Command(ctx, args...))
}

// execute runs cmd connected to gopatch's standard streams and passes its
// exit code through. A command killed by a signal (a program writing into
// a closed pipe, say) is reported as go run reports it, "signal: broken
// pipe", with exit code 1: its exit code, -1, would make gopatch's 255.
func execute(cmd *exec.Cmd) error {
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code := ee.ExitCode()
		if code < 0 {
			fmt.Fprintln(stderr, ee)
			code = 1
		}
		return &exitError{code}
	}
	return err
}

// goVerb returns the Run function of a verb that rewrites and then runs
// "go <verb>" with the user's arguments.
func goVerb(verb string, tests bool) func(context.Context, []string) error {
	return func(ctx context.Context, args []string) error {
		patch, args, err := cutPatchFlag(args)
		if err != nil {
			return &usageError{err}
		}
		g := gocmd.Split(args, false)
		ws, err := prepare(g, tests, patch)
		if err != nil {
			return err
		}
		return goCommand(ctx, append(append([]string{verb}, ws.Flags()...), args...)...)
	}
}

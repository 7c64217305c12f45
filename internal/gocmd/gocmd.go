// This file builds the go command gopatch runs, and its environment.

package gocmd

import (
	"context"
	"os"
	"os/exec"
)

// env is what gopatch adds to its own environment for the go command.
var env = []string{
	// -modfile cannot be used in workspace mode; the generated go.mod
	// stands for the user's whole module.
	"GOWORK=off",
}

// Environ returns the environment the go command runs in: gopatch's own,
// with what the go command needs under gopatch, then extra (NAME=value).
// A later entry for a name wins, as in [exec.Cmd.Env].
func Environ(extra ...string) []string {
	e := append(os.Environ(), env...)
	return append(e, extra...)
}

// Command returns the go command with args, to run in [Environ]. The
// caller sets its standard streams and directory; to add variables, append
// to its Env.
func Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Env = Environ()
	return cmd
}

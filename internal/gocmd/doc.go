// Package gocmd owns gopatch's use of the go command: which of its flags
// take a value and who acts on each ([Lookup]), how a go command line splits
// into flags, packages and what follows ([Split]), and the command itself,
// run in the environment gopatch needs ([Command], [Environ]).
//
// The command gopatch (cmd/gopatch) imports it: build, run, test and vet
// rewrite the packages a go command line names and then run that command
// on the result with -overlay and -modfile, and test -seeds sorts go test's
// flags into those of the build and those of the test binary. Before this
// package each of those kept its own table of flags and set the
// environment itself (issue 7).
//
// # Example
//
// Splitting gopatch test's arguments and running go test on them:
//
//	args := []string{"-tags", "x", "-run", "TestA", "./...", "-count=1"}
//	a := gocmd.Split(args, false)
//	// a.Flags = [-tags x -run TestA], a.Packages = [./...],
//	// a.After = [-count=1], a.Load = [-tags=x]
//	cmd := gocmd.Command(ctx, append([]string{"test"}, args...)...)
//	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
//	err := cmd.Run()
//
// # The environment
//
// The go command runs with GOWORK=off: gopatch passes -modfile, which the
// go command refuses in workspace mode, and the generated go.mod stands for
// the user's whole module.
package gocmd

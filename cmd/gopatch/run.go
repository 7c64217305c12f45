package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gopatch/gopatch/internal/gocmd"
)

var runCmd = &command{
	Name:      "run",
	UsageLine: "run [-patch m] [-workers n -bind addr ...] [build flags] package [arguments...]",
	Short:     "rewrite, build and run a main package",
	Long: `
Run rewrites the main package, the packages of the main module it uses and
the dependency modules it uses, builds it into .gopatch/bin and runs it
with the arguments. Its flags of its own, before go run's:
` + patchUsage + workersUsage + `
Unlike go run, the exit code is the program's own.
`,
	Run: func(ctx context.Context, args []string) error {
		patch, args, err := cutPatchFlag(args)
		if err != nil {
			return &usageError{err}
		}
		workerCfg, status, args, err := cutWorkerFlags(args) // workers.go
		if err != nil {
			return &usageError{err}
		}
		g := gocmd.Split(args, true)
		if len(g.Packages) == 0 {
			return &usageError{errorf("no package to run")}
		}
		ws, err := prepare(g, false, patch)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(filepath.Base(g.Packages[0]), ".go")
		if abs, err := filepath.Abs(g.Packages[0]); err == nil && !strings.HasSuffix(g.Packages[0], ".go") {
			name = filepath.Base(abs)
		}
		bin := filepath.Join(ws.Dir, "bin", name)
		build := append([]string{"build"}, ws.Flags()...)
		build = append(build, "-o", bin)
		build = append(build, g.Flags...)
		build = append(build, g.Packages...)
		if err := goCommand(ctx, build...); err != nil {
			return err
		}
		if workerCfg != nil {
			rebuild := func() error {
				if _, err := prepare(g, false, patch); err != nil {
					return err
				}
				return goCommand(ctx, build...)
			}
			return runWorkers(ctx, workerCfg, status, bin, g.After, rebuild)
		}
		// The program gets the go command's environment, GOWORK=off
		// included, as it always has (go run would leave the user's alone).
		prog := exec.CommandContext(ctx, bin, g.After...)
		prog.Env = gocmd.Environ()
		return execute(prog)
	},
}

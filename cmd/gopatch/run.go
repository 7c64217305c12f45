package main

import (
	"context"
	"path/filepath"
	"strings"
)

var runCmd = &command{
	Name:      "run",
	UsageLine: "run [build flags] package [arguments...]",
	Short:     "rewrite, build and run a main package",
	Long: `
Run rewrites the main package and the packages of the main module it uses,
builds it into .gopatch/bin and runs it with the arguments. Unlike go run,
the exit code is the program's own.
`,
	Run: func(ctx context.Context, args []string) error {
		g := splitGoArgs(args, true)
		if len(g.packages) == 0 {
			return &usageError{errorf("no package to run")}
		}
		ws, err := prepare(g, false)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(filepath.Base(g.packages[0]), ".go")
		if abs, err := filepath.Abs(g.packages[0]); err == nil && !strings.HasSuffix(g.packages[0], ".go") {
			name = filepath.Base(abs)
		}
		bin := filepath.Join(ws.Dir, "bin", name)
		build := append([]string{"build"}, ws.Flags()...)
		build = append(build, "-o", bin)
		build = append(build, g.flags...)
		build = append(build, g.packages...)
		if err := goCommand(ctx, build...); err != nil {
			return err
		}
		return execute(ctx, bin, g.after...)
	},
}

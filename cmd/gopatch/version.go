// This file holds gopatch version: gopatch's and Go's versions, which a
// seeded run prints in its identity too.

package main

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
)

var versionCmd = &command{
	Name:      "version",
	UsageLine: "version",
	Short:     "print gopatch's and Go's versions",
	Long: `
Version prints gopatch's version (its module version, or "devel" and the
VCS revision it was built from), the Go that built gopatch, and the Go
that builds and runs what gopatch rewrites (the go command on PATH). A
run of gopatch test -seeds prints the same line first, in its identity.
`,
	Run: func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return &usageError{fmt.Errorf("version takes no arguments")}
		}
		fmt.Fprintf(stdout, "gopatch %s\n", versions(ctx))
		return nil
	},
}

// versions names gopatch's version and the Go versions that matter to a
// run: "devel+abc123 (built with go1.26.8), go1.26.8 linux/amd64".
func versions(ctx context.Context) string {
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if m := bi.Main.Version; m != "" && m != "(devel)" {
			v = m
		} else {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					v += "+" + s.Value[:12]
				}
			}
		}
	}
	goVersion := "go unknown"
	if out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION", "GOOS", "GOARCH").Output(); err == nil {
		if f := strings.Fields(string(out)); len(f) == 3 {
			goVersion = f[0] + " " + f[1] + "/" + f[2]
		}
	}
	return fmt.Sprintf("%s (built with %s), %s", v, runtime.Version(), goVersion)
}

package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/gopatch/gopatch/rewrite"
)

var rewriteFlags = flag.NewFlagSet("rewrite", flag.ContinueOnError)

var (
	rewriteOut   = rewriteFlags.String("o", "", "write the rewritten files under `dir`, at their paths in the module")
	rewriteWrite = rewriteFlags.Bool("w", false, "rewrite the files in place")
	rewriteList  = rewriteFlags.Bool("l", false, "list the files that would change")
	rewriteDiff  = rewriteFlags.Bool("d", false, "print a diff of the changes")
	rewriteTags  = rewriteFlags.String("tags", "", "build `tags` for loading")
	rewriteTests = rewriteFlags.Bool("test", true, "also rewrite _test.go files")
)

var rewriteCmd = &command{
	Name:      "rewrite",
	UsageLine: "rewrite [-o dir | -w | -l | -d] [-tags tags] [packages]",
	Short:     "show or write rewritten code",
	Long: `
Rewrite rewrites the named packages (default ".") and prints every changed
file as a txtar archive, or, with a flag, writes them under a directory (-o),
in place (-w), lists them (-l) or prints a diff (-d). Output meant to be read
has no line directives.
`,
	Flags: rewriteFlags,
	Run: func(ctx context.Context, args []string) error {
		n := 0
		for _, set := range []bool{*rewriteOut != "", *rewriteWrite, *rewriteList, *rewriteDiff} {
			if set {
				n++
			}
		}
		if n > 1 {
			return &usageError{errorf("-o, -w, -l and -d are exclusive")}
		}
		res, err := rewrite.Rewrite(loadOptions(*rewriteTags, *rewriteTests), args...)
		if err != nil {
			return err
		}
		switch {
		case *rewriteOut != "":
			return res.WriteDir(*rewriteOut)
		case *rewriteWrite:
			return res.WriteInPlace()
		case *rewriteList:
			for _, p := range res.Paths() {
				fmt.Fprintln(stdout, p)
			}
		case *rewriteDiff:
			_, err := stdout.Write(res.Diff())
			return err
		default:
			for i, f := range res.Files {
				fmt.Fprintf(stdout, "-- %s --\n", filepath.ToSlash(res.Paths()[i]))
				stdout.Write(f.New)
			}
		}
		return nil
	},
}

// loadOptions are the options of the verbs that show rewritten code.
func loadOptions(tags string, tests bool) rewrite.Options {
	opts := rewrite.Options{Tests: tests}
	if tags != "" {
		opts.BuildFlags = []string{"-tags=" + tags}
	}
	return opts
}

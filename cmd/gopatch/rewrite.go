package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gopatch/gopatch/rewrite"
)

var rewriteFlags = flag.NewFlagSet("rewrite", flag.ContinueOnError)

var (
	rewriteOut   = rewriteFlags.String("o", "", "write the rewritten files under `dir`, at their paths in the module")
	rewriteWrite = rewriteFlags.Bool("w", false, "rewrite the files in place")
	rewriteForce = rewriteFlags.Bool("force", false, "with -w, write even files with uncommitted changes")
	rewriteList  = rewriteFlags.Bool("l", false, "list the files that would change")
	rewriteDiff  = rewriteFlags.Bool("d", false, "print a diff of the changes")
	rewriteTags  = rewriteFlags.String("tags", "", "build `tags` for loading")
	rewriteTests = rewriteFlags.Bool("test", true, "also rewrite _test.go files")
	rewriteCache = rewriteFlags.Bool("cache", true, "reuse the rewrite of unchanged packages from .gopatch/cache")
	rewriteV     = rewriteFlags.Bool("v", false, "print how many packages were reused from the cache and how many rewritten")
)

var rewriteCmd = &command{
	Name:      "rewrite",
	UsageLine: "rewrite [-o dir | -w [-force] | -l | -d] [-v] [-tags tags] [packages]",
	Short:     "show or write rewritten code",
	Long: `
Rewrite rewrites the named packages (default ".") and prints every changed
file as a txtar archive, or, with a flag, writes them under a directory (-o),
in place (-w), lists them (-l) or prints a diff (-d). Output meant to be read
has no line directives.

-o dir writes every changed file under dir at its path relative to the
module root.

-w writes all the changed files or none: if any package fails to load or a
construct cannot be rewritten, nothing is written. It refuses (exit 2) when a
file it would write has changes git does not hold (modified, staged,
untracked or ignored), or when the module is not in a git work tree, so that
git can always undo it; -force writes anyway. Other files of the tree may be
dirty. Rewriting is idempotent: a second -w changes nothing (once the module
requires github.com/gopatch/gopatch, which rewritten code imports).

Unchanged packages are neither type-checked nor rewritten again: their
rewrite is kept in .gopatch/cache under the module root, keyed by their
files, their dependencies, the build flags and the gopatch binary. -cache=false
ignores it.
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
		if *rewriteForce && !*rewriteWrite {
			return &usageError{errorf("-force applies only to -w")}
		}
		res, err := rewriteWith(*rewriteCache, *rewriteV, loadOptions(*rewriteTags, *rewriteTests), args)
		if err != nil {
			return err
		}
		switch {
		case *rewriteOut != "":
			return res.WriteDir(*rewriteOut)
		case *rewriteWrite:
			if !*rewriteForce {
				dirty, err := res.Uncommitted()
				if err != nil {
					return errorf("cannot check for uncommitted changes: %v (use -force to write anyway)", err)
				}
				if len(dirty) > 0 {
					return errorf("refusing to overwrite uncommitted changes in %s (commit them, or use -force)", strings.Join(dirty, ", "))
				}
			}
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

// rewriteWith rewrites patterns, through the package cache when cache is
// set; verbose reports the cache's hits and misses on stderr.
func rewriteWith(cache, verbose bool, opts rewrite.Options, patterns []string) (*rewrite.Result, error) {
	if !cache {
		return rewrite.Rewrite(opts, patterns...)
	}
	c := new(rewrite.Cache)
	res, err := c.Rewrite(opts, patterns...)
	if verbose {
		fmt.Fprintf(stderr, "gopatch: cache: %d packages reused, %d rewritten\n", c.Hits, c.Misses)
	}
	return res, err
}

// loadOptions are the options of the verbs that show rewritten code.
func loadOptions(tags string, tests bool) rewrite.Options {
	opts := rewrite.Options{Tests: tests}
	if tags != "" {
		opts.BuildFlags = []string{"-tags=" + tags}
	}
	return opts
}

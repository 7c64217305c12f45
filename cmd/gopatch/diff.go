package main

import (
	"context"
	"flag"
)

var diffFlags = flag.NewFlagSet("diff", flag.ContinueOnError)

var (
	diffTags  = diffFlags.String("tags", "", "build `tags` for loading")
	diffTests = diffFlags.Bool("test", true, "also rewrite _test.go files")
	diffCache = diffFlags.Bool("cache", true, "reuse the rewrite of unchanged packages from .gopatch/cache")
)

var diffCmd = &command{
	Name:      "diff",
	UsageLine: "diff [-tags tags] [packages]",
	Short:     "print the rewrite as a diff; exit 1 if there is one",
	Long: `
Diff prints a unified diff between the named packages (default ".") and
their rewritten form. It exits 1 when there is a difference, 0 when the
packages need no rewriting. Like rewrite, it reuses .gopatch/cache.
`,
	Flags: diffFlags,
	Run: func(ctx context.Context, args []string) error {
		res, err := rewriteWith(*diffCache, false, loadOptions(*diffTags, *diffTests), args)
		if err != nil {
			return err
		}
		if len(res.Files) == 0 {
			return nil
		}
		if _, err := stdout.Write(res.Diff()); err != nil {
			return err
		}
		return &exitError{exitFindings}
	},
}

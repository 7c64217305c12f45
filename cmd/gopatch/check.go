// This file is the check verb: the CI gate, reporting what would block the hub, what the rewriter cannot rewrite, and stale go generate output.

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/gopatch/gopatch/check"
)

var checkFlags = flag.NewFlagSet("check", flag.ContinueOnError)

var (
	checkJSON  = checkFlags.Bool("json", false, "print one JSON object a finding")
	checkTags  = checkFlags.String("tags", "", "build `tags` for loading")
	checkTests = checkFlags.Bool("test", true, "also check _test.go files")
	checkCache = checkFlags.Bool("cache", true, "reuse the findings of unchanged packages from .gopatch/check")
	checkV     = checkFlags.Bool("v", false, "print how many packages were checked and how many came from the cache")
)

var checkCmd = &command{
	Name:      "check",
	UsageLine: "check [-json] [-tags tags] [-test=false] [-cache=false] [-v] [packages]",
	Short:     "report code that would block the hub, and stale generated twins",
	Long: `
Check is the CI gate. It reports, in the named packages (default "."),
taken as packages meant to run cooperatively:

  - calls that would block the hub and that no rule covers: raw syscall
    reads and waits, cgo calls, reflect.Select, spin loops on sync/atomic
    and, in a package with a gopatch generate line, the standard library's
    network and database waits and the imports of dependency modules,
    which generate does not patch;
  - constructs the rewriter does not support, one code a reason;
  - go generate output that does not match its sources: a gopatch generate
    line's twin files that are stale, missing or left without a source.

Each finding prints as file:line:col: message (GPnnnn), sorted, like go vet;
-json prints one object a line instead, with code, severity, file, line,
column and message. "gopatch rules -codes" lists the codes.

Check exits 0 when there is nothing to report, 1 when there are findings,
and 2 when it cannot check (bad flags, a package that does not load).

The findings of a package whose files and dependencies have not changed
come from .gopatch/check under the module root; -cache=false analyses
every package again. The same analysis runs under go vet as
gopatch-vet (go vet -vettool=$(which gopatch-vet)), which has no stale check.
`,
	Flags: checkFlags,
	Run: func(ctx context.Context, args []string) error {
		opts := check.Options{Tests: *checkTests, NoCache: !*checkCache, ParseGenerate: parseGenerateArgs}
		if *checkTags != "" {
			opts.BuildFlags = []string{"-tags=" + *checkTags}
		}
		res, err := check.Run(opts, args...)
		if err != nil {
			return err
		}
		if *checkV {
			fmt.Fprintf(stderr, "gopatch: check: %d packages, %d from the cache\n", res.Packages, res.Cached)
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false) // a message's <, > and & print as they are, as in the text form
		for _, f := range res.Findings {
			if *checkJSON {
				if err := enc.Encode(f); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(stdout, f)
			}
		}
		if len(res.Findings) > 0 {
			return &exitError{exitFindings}
		}
		return nil
	},
}

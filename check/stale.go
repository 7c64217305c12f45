// This file checks go generate output against its sources: it plans each gopatch generate line's twins, as generate would, and reports every file that plan would write, add or remove.

package check

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/gopatch/gopatch/rewrite"
)

// staleFindings plans the twins of each directive in the directory of its
// file, as go generate runs it, and reports the files that differ from
// the plan (GP0401), that the plan adds (GP0402, at the directive) and
// that it would remove (GP0403). A directive that cannot be planned (bad
// arguments, a source that does not load) is an error, naming the line.
func staleFindings(opts *Options, dirs []Directive) ([]Finding, error) {
	var out []Finding
	for _, d := range dirs {
		where := fmt.Sprintf("%s:%d", relTo(opts.Dir, d.File), d.Line)
		outDir, gopts, patterns, err := opts.ParseGenerate(d.Args)
		if err != nil {
			return nil, fmt.Errorf("%s: gopatch generate line: %v", where, err)
		}
		gopts.Dir = filepath.Dir(d.File)
		gopts.Env = opts.Env
		g, err := rewrite.Generate(gopts, outDir, patterns...)
		if err != nil {
			return nil, err
		}
		run := fmt.Sprintf("run go generate for %s (%s)", relTo(opts.Dir, gopts.Dir), where)
		for _, f := range g.Stale() {
			src := relTo(opts.Dir, f.Source)
			if exists(f.Path) {
				out = append(out, newFinding(CodeStale, f.Path, 1, 1,
					fmt.Sprintf("generated file is stale: %s changed since it was generated; %s", src, run)))
			} else {
				out = append(out, newFinding(CodeMissing, d.File, d.Line, 1,
					fmt.Sprintf("generated file %s is missing: %s has no twin yet; %s", relTo(opts.Dir, f.Path), src, run)))
			}
		}
		for _, path := range g.Orphans {
			out = append(out, newFinding(CodeOrphan, path, 1, 1,
				fmt.Sprintf("generated file has no source any more; %s, which removes it", run)))
		}
	}
	return out, nil
}

// relTo returns path relative to dir, or path when that would climb out.
func relTo(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

// parsePos parses go/packages' "file:line:col" (or "file:line", or
// neither), making the file relative to dir.
func parsePos(s, dir string) token.Position {
	p := rewrite.ParsePosition(s)
	if p.Filename != "" {
		p.Filename = relTo(dir, p.Filename)
	}
	return p
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

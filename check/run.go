// This file is gopatch check's driver: it lists and keys the packages, analyses only those the cache misses, and adds the stale check of go generate output.

package check

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/gopatch/gopatch/rewrite"
)

// Options say what [Run] loads and where it keeps its cache.
type Options struct {
	Dir        string   // directory to load from; "" means the current one
	Tests      bool     // also analyse _test.go files
	BuildFlags []string // passed to the go command, e.g. -tags=x
	Env        []string // environment for the go command; nil means os.Environ

	// CacheDir overrides the cache directory, <module root>/.gopatch/check;
	// NoCache analyses every package and stores nothing.
	CacheDir string
	NoCache  bool

	// ParseGenerate parses the arguments of a gopatch generate line as
	// gopatch generate does, into its output directory, its options and
	// its patterns. Nil means no stale check.
	ParseGenerate func(args []string) (out string, opts rewrite.Options, patterns []string, err error)
}

// A Result is the outcome of [Run].
type Result struct {
	Findings []Finding // sorted, files relative to Options.Dir where below it

	// Packages counts the packages analysed; Cached those whose findings
	// came from the cache.
	Packages, Cached int
}

// Run checks the packages patterns name: the [Analyzer]'s findings for
// each, and for every gopatch generate line among them, whether the files
// it would write are the ones on disk. A package that does not load is an
// error, a *rewrite.DiagnosticsError listing every problem, not a finding.
func Run(opts Options, patterns ...string) (*Result, error) {
	if opts.Dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		opts.Dir = wd
	}
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	ropts := rewrite.Options{Dir: opts.Dir, Tests: opts.Tests, BuildFlags: opts.BuildFlags, Env: opts.Env}
	// pass 1 - key every package, and take what the cache holds
	keyed, err := rewrite.PackageKeys(ropts, patterns...)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var entries []*entry
	var missed []*rewrite.KeyedPackage
	cacheDir := opts.CacheDir
	for _, p := range keyed {
		if cacheDir == "" {
			cacheDir = filepath.Join(moduleRoot(p.Dir), rewrite.WorkDir, "check")
		}
		if p.Key != "" && !opts.NoCache {
			if e := readEntry(cacheDir, p.Key); e != nil {
				entries = append(entries, e)
				res.Cached++
				continue
			}
		}
		missed = append(missed, p)
	}
	res.Packages = len(keyed)
	// pass 2 - load and analyse the rest, in one load
	if len(missed) > 0 || len(keyed) == 0 {
		fresh, err := analyse(&opts, missed, patterns, len(keyed) == 0)
		if err != nil {
			return nil, err
		}
		if len(keyed) == 0 {
			res.Packages = len(fresh)
		}
		for path, e := range fresh {
			entries = append(entries, e)
			for _, p := range missed {
				if p.ImportPath == path && p.Key != "" && !opts.NoCache {
					writeEntry(cacheDir, p.Key, e)
				}
			}
		}
	}
	// pass 3 - compare the twins with what their generate lines would write
	var dirs []Directive
	for _, e := range entries {
		res.Findings = append(res.Findings, e.Findings...)
		dirs = append(dirs, e.Directives...)
	}
	if opts.ParseGenerate != nil {
		stale, err := staleFindings(&opts, dirs)
		if err != nil {
			return nil, err
		}
		res.Findings = append(res.Findings, stale...)
	}
	relFindings(res.Findings, opts.Dir)
	res.Findings = sortFindings(res.Findings)
	return res, nil
}

// loadMode is what the analyzer needs: type-checked syntax, and each
// package's module, which decides what the rewriter rewrites.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo |
	packages.NeedTypesSizes | packages.NeedModule

// analyse loads the missed packages (or, with byPattern, what patterns
// name: .go files) and returns an entry for each, by import path.
func analyse(opts *Options, missed []*rewrite.KeyedPackage, patterns []string, byPattern bool) (map[string]*entry, error) {
	cfg := &packages.Config{Mode: loadMode, Dir: opts.Dir, Tests: opts.Tests, BuildFlags: opts.BuildFlags, Env: opts.Env}
	load := patterns
	if !byPattern {
		load = make([]string, len(missed))
		for i, p := range missed {
			load[i] = p.ImportPath
		}
	}
	pkgs, err := packages.Load(cfg, load...)
	if err != nil {
		return nil, err
	}
	if err := loadErrors(pkgs, opts.Dir); err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("no packages matched %s", strings.Join(patterns, " "))
	}
	roots := analysisRoots(pkgs)
	graph, err := checker.Analyze([]*analysis.Analyzer{Analyzer}, roots, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]*entry{}
	for _, act := range graph.Roots {
		p := act.Package
		e := out[basePath(p)]
		if e == nil {
			e = &entry{Findings: []Finding{}, Directives: []Directive{}}
			out[basePath(p)] = e
		}
		if act.Err != nil {
			return nil, fmt.Errorf("%s: %v", p.PkgPath, act.Err)
		}
		for _, d := range act.Diagnostics {
			pos := p.Fset.Position(d.Pos)
			e.Findings = append(e.Findings, newFinding(d.Category, pos.Filename, pos.Line, pos.Column, d.Message))
		}
		e.Directives = append(e.Directives, directives(p)...)
	}
	for _, e := range out {
		e.Findings = sortFindings(e.Findings)
	}
	return out, nil
}

// analysisRoots drops the variants whose files another root holds: a
// package whose test variant is loaded (the variant has its files and
// the test files), and the test mains the go command generates.
func analysisRoots(pkgs []*packages.Package) []*packages.Package {
	hasTestVariant := map[string]bool{}
	for _, p := range pkgs {
		if p.ForTest != "" && p.PkgPath == p.ForTest {
			hasTestVariant[p.PkgPath] = true
		}
	}
	var roots []*packages.Package
	for _, p := range pkgs {
		switch {
		case strings.HasSuffix(p.ID, ".test"): // the test main
		case p.ForTest == "" && hasTestVariant[p.PkgPath]:
		default:
			roots = append(roots, p)
		}
	}
	return roots
}

// basePath is the import path a package's findings are cached under: its
// own, or for a test variant or an external test package the package
// under test's.
func basePath(p *packages.Package) string {
	if p.ForTest != "" {
		return p.ForTest
	}
	return p.PkgPath
}

// directives returns the gopatch generate lines of p's files.
func directives(p *packages.Package) []Directive {
	var list []Directive
	for _, f := range p.Syntax {
		if isTwin(f) {
			continue
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if !strings.HasPrefix(c.Text, "//go:generate ") {
					continue
				}
				pos := p.Fset.PositionFor(c.Pos(), false)
				if args, ok := ParseDirective(c.Text, filepath.Base(pos.Filename), p.Name, pos.Line); ok {
					list = append(list, Directive{File: pos.Filename, Line: pos.Line, Args: args})
				}
			}
		}
	}
	return list
}

// loadErrors returns the load's errors as one *rewrite.DiagnosticsError,
// or nil.
func loadErrors(pkgs []*packages.Package, dir string) error {
	var diags []rewrite.Diagnostic
	seen := map[string]bool{}
	typed := false // some package has parse or type errors
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			typed = typed || e.Kind == packages.ParseError || e.Kind == packages.TypeError
		}
	})
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			if typed && e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# ") {
				continue // the compiler's report of the same errors, from go list -export
			}
			d := rewrite.Diagnostic{Message: e.Msg, Code: CodeLoad}
			switch e.Kind {
			case packages.ParseError:
				d.Code = CodeParse
			case packages.TypeError:
				d.Code = CodeType
			}
			d.Pos = parsePos(e.Pos, dir)
			if k := d.String(); !seen[k] {
				seen[k] = true
				diags = append(diags, d)
			}
		}
	})
	if len(diags) == 0 {
		return nil
	}
	fs := make([]Finding, len(diags))
	for i, d := range diags {
		fs[i] = Finding{File: d.Pos.Filename, Line: d.Pos.Line, Column: d.Pos.Column, Message: d.Message, Code: d.Code}
	}
	fs = sortFindings(fs)
	diags = diags[:0]
	for _, f := range fs {
		d := rewrite.Diagnostic{Message: f.Message, Code: f.Code}
		d.Pos.Filename, d.Pos.Line, d.Pos.Column = f.File, f.Line, f.Column
		diags = append(diags, d)
	}
	return &rewrite.DiagnosticsError{Diagnostics: diags}
}

// moduleRoot returns the directory holding the go.mod that governs dir, or dir.
func moduleRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// This file loads the packages to rewrite, type-checked, and turns load errors into diagnostics.

package rewrite

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// loadMode is everything rewriting needs: syntax with full type information
// and the module each package belongs to.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo |
	packages.NeedModule

// sourceLoadMode is loadMode for a load that type-checks every package the
// roots import from source, so the go command compiles nothing
// ([Options.typesFromSource]).
const sourceLoadMode = loadMode | packages.NeedDeps

// testBinaryImports is the package of the standard library that imports
// what the go command adds to a test binary.
const testBinaryImports = "testing/internal/testdeps"

// load loads patterns from opts.Dir. It returns the packages of the main
// module (test variants included when opts.Tests is set) and those of
// opts.patched, the module root ("" when only the latter matched),
// and, when any package has errors, a *DiagnosticsError listing them all.
func load(opts *Options, patterns []string) ([]*packages.Package, string, error) {
	mode := loadMode
	if opts.typesFromSource {
		mode = sourceLoadMode
	}
	cfg := &packages.Config{
		Mode:       mode,
		Dir:        opts.Dir,
		Tests:      opts.Tests,
		BuildFlags: opts.BuildFlags,
		Env:        opts.Env,
	}
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	if opts.throughWorkspace && opts.Tests {
		// The go command resolves a standard package's import of another
		// module (a rewritten one's of rt) in the module graph that the
		// patterns' imports load, and the packages a test binary adds
		// (testing, testing/internal/testdeps, and below them rewritten
		// ones) are loaded after it: a test whose files, not yet
		// rewritten, import neither rt nor testing fails to load with
		// "cannot find package". testdeps as a pattern puts what the
		// test binary adds in the graph. (rt itself as a pattern would
		// too, but as a root it is type-checked from source, and so then
		// is every package that imports it, the rewritten std above rt.)
		patterns = append(slices.Clip(patterns), testBinaryImports)
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, "", err
	}
	var diags []Diagnostic
	seen := map[string]bool{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			d := loadDiagnostic(e, opts.Dir)
			if k := d.String(); !seen[k] {
				seen[k] = true
				diags = append(diags, d)
			}
		}
	})
	if len(diags) > 0 {
		sortDiagnostics(diags)
		return nil, "", &DiagnosticsError{diags}
	}
	var root string
	var main []*packages.Package
	for _, p := range pkgs {
		if p.PkgPath == testBinaryImports && opts.throughWorkspace && opts.Tests {
			continue // a pattern of load's own, above
		}
		dir := ""
		switch {
		case p.Module != nil && p.Module.Main:
			dir = p.Module.Dir
		case p.Module == nil && len(p.GoFiles) > 0:
			// Files named on the command line form the package
			// command-line-arguments, which has no module.
			dir = moduleRoot(filepath.Dir(p.GoFiles[0]))
		}
		if dir == "" {
			if opts.patched[p.PkgPath] {
				main = append(main, p) // a dependency rewritten too (deps.go)
			}
			continue
		}
		// The runtime itself is never rewritten: that would make it call itself.
		if p.PkgPath == rtPath || strings.HasPrefix(p.PkgPath, rtPath+"/") {
			continue
		}
		root = dir
		main = append(main, p)
	}
	if root == "" && len(main) == 0 {
		return nil, "", fmt.Errorf("no packages of the main module matched %s", strings.Join(patterns, " "))
	}
	return main, root, nil
}

// loadDiagnostic converts a go/packages error, whose position is a
// "file:line:col" string, into a Diagnostic with a path relative to dir.
func loadDiagnostic(e packages.Error, dir string) Diagnostic {
	d := Diagnostic{Message: e.Msg, Code: CodeLoad}
	switch e.Kind {
	case packages.ParseError:
		d.Code = CodeParse
	case packages.TypeError:
		d.Code = CodeType
	}
	d.Pos = ParsePosition(e.Pos)
	if d.Pos.Filename != "" && dir != "" {
		if rel, err := filepath.Rel(dir, d.Pos.Filename); err == nil && !strings.HasPrefix(rel, "..") {
			d.Pos.Filename = rel
		}
	}
	return d
}

// ParsePosition parses go/packages' "file:line:col" or "file:line";
// anything else is kept as a filename-only position, or dropped when it is
// "-" or empty.
func ParsePosition(s string) token.Position {
	if s == "" || s == "-" {
		return token.Position{}
	}
	var p token.Position
	rest := s
	nums := []int{}
	for range 2 {
		i := strings.LastIndexByte(rest, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		rest = rest[:i]
	}
	p.Filename = rest
	if len(nums) > 0 {
		p.Line = nums[0]
	}
	if len(nums) > 1 {
		p.Column = nums[1]
	}
	return p
}

func sortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// moduleRoot returns the directory holding the go.mod that governs dir, or "".
func moduleRoot(dir string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// This file chooses the packages of the standard library that a PatchAll
// build rewrites like a dependency: those above rt (net, net/http,
// crypto/tls, os/exec, ...), whose goroutines, channels, select, sync and
// time become cooperative, so an unchanged net/http serves and fetches as
// greenlets.

package rewrite

import (
	"go/parser"
	"go/token"
	"io/fs"
	pathpkg "path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gopatch/gopatch"
	"golang.org/x/tools/go/packages"
)

// stdNever are standard packages a build never rewrites, besides those rt
// itself imports (which rewritten would import rt): the runtime and the
// packages it calls into (unique's cleanup runs on a runtime goroutine),
// the testing framework, whose goroutines rt's entry points rely on being
// native, os/signal, whose delivery loop blocks in the runtime for good,
// and crypto's internals (the FIPS module is checked against its own hash,
// and its entropy and clock must stay the real ones).
var stdNever = []string{
	"runtime", "internal/runtime", "unsafe", "syscall", "internal/syscall", "unique", "plugin",
	"testing", "os/signal", "crypto/internal",
}

func stdNeverRewritten(path string) bool {
	for _, p := range stdNever {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return strings.HasPrefix(path, "vendor/")
}

// rtImports returns the import paths of the runtime proper: package rt
// and the packages of rt's module it imports, directly or not (rt/schedule).
// Those are what rewritten code pulls in, so what they import is below rt
// and never rewritten. The other packages under rt/ (rt/server) are
// libraries above net that a user may import: they are in rt's copy
// (rtCopyImports) but not below rt.
var rtImports = sync.OnceValue(func() map[string]bool {
	files := rtFileImports()
	imports := map[string]bool{}
	seen := map[string]bool{}
	var visit func(dir string)
	visit = func(dir string) {
		if seen[dir] {
			return
		}
		seen[dir] = true
		for _, p := range files[dir] {
			imports[p] = true
			if rel, ok := strings.CutPrefix(p, rtModulePath+"/"); ok {
				visit(rel)
			}
		}
	}
	visit("rt")
	return imports
})

// rtCopyImports returns the import paths of every package under rt/, all
// of which rt's copy holds: its go.mod must provide them.
var rtCopyImports = sync.OnceValue(func() map[string]bool {
	imports := map[string]bool{}
	for _, list := range rtFileImports() {
		for _, p := range list {
			imports[p] = true
		}
	}
	return imports
})

// rtFileImports returns what the non-test files of each directory under rt/
// import, by directory.
func rtFileImports() map[string][]string {
	byDir := map[string][]string{}
	_ = fs.WalkDir(gopatch.Source, "rt", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		data, err := fs.ReadFile(gopatch.Source, path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, data, parser.ImportsOnly)
		if err != nil {
			return nil
		}
		dir := pathpkg.Dir(path)
		for _, spec := range f.Imports {
			p, _ := strconv.Unquote(spec.Path.Value)
			byDir[dir] = append(byDir[dir], p)
		}
		return nil
	})
	return byDir
}

// listBelowRT returns the standard packages rt imports, directly or not,
// from one go list of rt's own standard imports in the build opts loads.
func listBelowRT(opts *Options) (map[string]bool, error) {
	var imports []string
	for p := range rtImports() {
		if !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
			imports = append(imports, p)
		}
	}
	sort.Strings(imports)
	out, err := goCmd(opts, append([]string{"list", "-deps", "-f", "{{.ImportPath}}"}, imports...)...)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, line := range strings.Fields(string(out)) {
		set[line] = true
	}
	return set, nil
}

// stdRoots returns the standard packages of pkgs that a PatchAll build
// rewrites.
func stdRoots(pkgs map[string]*listedPackage, below map[string]bool) []*listedPackage {
	var roots []*listedPackage
	for _, p := range pkgs {
		// A package with cgo files (net) is rewritten in its plain Go files
		// alone (see cgoGenerated); its cgo files' own goroutines and
		// channels stay native.
		if !p.Standard || below[p.ImportPath] || stdNeverRewritten(p.ImportPath) || len(p.GoFiles) == 0 {
			continue
		}
		roots = append(roots, p)
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].ImportPath < roots[j].ImportPath })
	return roots
}

// cgoGenerated reports whether path, a compiled file of p, is what cgo
// generated from one of p's cgo files: it lives in the go command's cache,
// outside p's directory, where an overlay cannot stand in for it. Only a
// standard package's plain files are rewritten, then.
func cgoGenerated(p *packages.Package, path string) bool {
	return p.Module == nil && len(p.GoFiles) > 0 && filepath.Dir(path) != filepath.Dir(p.GoFiles[0])
}

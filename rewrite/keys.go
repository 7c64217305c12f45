// This file exports the cache's package keys, so that another cache (gopatch check's findings) can tell unchanged packages without type-checking them.

package rewrite

import (
	"os"
	"path/filepath"
	"strings"
)

// A KeyedPackage is one package of the main module with the key [Cache]
// would store its rewrite under.
type KeyedPackage struct {
	ImportPath string
	Dir        string
	Files      []string // absolute paths, test files included with opts.Tests
	// Key hashes everything the package's rewrite, and so any analysis of
	// its type-checked syntax by this executable, depends on (see [Cache]);
	// "" when it cannot be keyed (it or an import has errors, or uses cgo).
	Key string
}

// PackageKeys lists the main module's packages that patterns match, with
// one `go list -deps`, and returns them with their keys, in the go
// command's order. It type-checks nothing. A pattern naming .go files
// matches no package: it returns none, for the caller to load them.
func PackageKeys(opts Options, patterns ...string) ([]*KeyedPackage, error) {
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
	for _, p := range patterns {
		if strings.HasSuffix(p, ".go") {
			return nil, nil
		}
	}
	list, err := (&Cache{}).list(&opts, patterns)
	if err != nil {
		return nil, err
	}
	k := &keyer{opts: &opts, pkgs: map[string]*listedPackage{}, keys: map[string]string{}, old: map[string][]byte{}}
	var roots []*listedPackage
	for _, p := range list {
		if p.ForTest != "" || strings.HasSuffix(p.ImportPath, ".test") || strings.Contains(p.ImportPath, " [") {
			continue
		}
		k.pkgs[p.ImportPath] = p
		if !p.DepOnly && p.Module != nil && p.Module.Main {
			roots = append(roots, p)
		}
	}
	if k.base, k.modCache, err = baseKey(&opts); err != nil {
		return nil, err
	}
	var out []*KeyedPackage
	for _, p := range roots {
		kp := &KeyedPackage{ImportPath: p.ImportPath, Dir: p.Dir}
		for _, name := range packageFiles(p, opts.Tests) {
			kp.Files = append(kp.Files, filepath.Join(p.Dir, name))
		}
		if key, ok := k.key(p); ok && len(p.CgoFiles) == 0 {
			kp.Key = key
		}
		out = append(out, kp)
	}
	return out, nil
}

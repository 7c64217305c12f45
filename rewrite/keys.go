// This file exports the cache's package keys, so that another cache (gopatch check's findings) can tell unchanged packages without type-checking them.

package rewrite

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
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
	patterns, err := opts.defaults(patterns)
	if err != nil {
		return nil, err
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
	// The keyer hashes a package with the types of what it imports; a
	// package's own test files then count too. Test imports close cycles
	// (p's external test imports q, which imports p), where the keyer
	// gives up, so it keys packages without their tests here, and each
	// root's key adds its test files and the keys of its test imports.
	typesOpts := opts
	typesOpts.Tests = false
	k := &keyer{opts: &typesOpts, pkgs: map[string]*listedPackage{}, keys: map[string]string{}, old: map[string][]byte{}}
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
	if k.base, k.modCache, err = baseKey(&typesOpts); err != nil {
		return nil, err
	}
	var out []*KeyedPackage
	for _, p := range roots {
		kp := &KeyedPackage{ImportPath: p.ImportPath, Dir: p.Dir}
		for _, name := range packageFiles(p, opts.Tests) {
			kp.Files = append(kp.Files, filepath.Join(p.Dir, name))
		}
		if key, ok := k.key(p); ok && len(p.CgoFiles) == 0 {
			if opts.Tests {
				key, ok = testKey(k, p, key)
			}
			if ok {
				kp.Key = key
			}
		}
		out = append(out, kp)
	}
	return out, nil
}

// testKey extends key, p's key without its tests, with p's test files and
// the keys of its test imports, or returns false when one cannot be read
// or keyed.
func testKey(k *keyer, p *listedPackage, key string) (string, bool) {
	h := sha256.New()
	fmt.Fprintf(h, "tests %s\n", key)
	for _, name := range append(append([]string(nil), p.TestGoFiles...), p.XTestGoFiles...) {
		data, err := os.ReadFile(filepath.Join(p.Dir, name))
		if err != nil {
			return "", false
		}
		fmt.Fprintf(h, "file %s %d\n", name, len(data))
		h.Write(data)
	}
	imports := append(append([]string(nil), p.TestImports...), p.XTestImports...)
	sort.Strings(imports)
	for i, path := range imports {
		if i > 0 && path == imports[i-1] {
			continue
		}
		dep, ok := k.pkgs[path]
		if !ok {
			if path == "C" || path == "unsafe" {
				continue
			}
			return "", false
		}
		depKey, ok := k.key(dep)
		if !ok {
			return "", false
		}
		fmt.Fprintf(h, "import %s %s\n", path, depKey)
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

// This file caches each package's rewrite under .gopatch/cache, keyed by a hash of everything the rewrite depends on, so an unchanged package is neither type-checked nor rewritten again.

package rewrite

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// CacheDir is the cache's directory under the module root.
var CacheDir = filepath.Join(WorkDir, "cache")

// cacheVersion changes whenever the key or the entry format does.
const cacheVersion = "gopatch-cache-1"

// A Cache rewrites packages as [Rewrite] does, but keeps each package's
// result under <module root>/.gopatch/cache and reuses it while the key is
// unchanged.
//
// Type-checking is what costs (about 2 s for golang.org/x/tools' 150k
// lines; the rewrite itself is a small part), so a lookup must not need it:
// the key is computed from one `go list -deps` (about 0.7 s there), and only
// the packages that miss are loaded with go/packages and rewritten: the
// dependencies first, type-checked from source (Options.typesFromSource),
// then the main module's, through a workspace of what is rewritten already,
// so that the export data their load compiles is the build's own
// (loadThroughWorkspace).
//
// A package's key hashes:
//   - the rewriter: a hash of the running executable, so a change to any rule
//     or to the engine invalidates every entry;
//   - the options (tests, line directives), the build flags and the go
//     environment that selects files and types (GOOS, GOARCH, GOVERSION, ...);
//   - the main module's go.mod, whose go line sets the language version;
//   - the package's directory (line directives hold absolute paths) and the
//     name and content of each of its files, test files included;
//   - the key of each package it imports, test imports included: the rewrite
//     depends on their types. Packages of the standard library and of the
//     module cache (immutable) stand in by path and version; any other
//     package (the main module's, a vendored one, or one of a module
//     replaced by a directory) by its own key, recursively.
//
// An entry holds the rewritten content of the package's files that change
// (often none). Entries are written only for packages that rewrite without
// diagnostics, so a hit never hides one. Entries are never evicted; removing
// the directory is always safe.
type Cache struct {
	// Dir overrides the cache directory; "" means <module root>/.gopatch/cache.
	Dir string

	// Deps also rewrites the main module's packages that the named ones
	// import. A build must: a dependency left native would run go
	// statements and channel operations natively on the channels the
	// rewritten packages hand it, which the hub never sees.
	Deps bool

	// Patch says whether dependency modules are rewritten too, which
	// takes Deps: with PatchAll, every package of a module of the build
	// list but rt's own (deps.go) is rewritten, keyed and cached as the
	// main module's are, its entries under [SharedDir].
	Patch PatchMode

	// Hits and Misses count the packages found and not found by the last
	// call to Rewrite.
	Hits, Misses int
}

// listedPackage is the part of `go list -json` output the key needs.
type listedPackage struct {
	ImportPath   string
	Dir          string
	Name         string
	Standard     bool
	DepOnly      bool
	ForTest      string
	GoFiles      []string
	CgoFiles     []string
	TestGoFiles  []string
	XTestGoFiles []string
	Imports      []string
	TestImports  []string
	XTestImports []string
	Module       *struct {
		Path    string
		Version string
		Main    bool
		Dir     string
		GoMod   string
		Replace *struct {
			Path    string
			Version string
			Dir     string
		}
	}
	Error      *struct{ Err string }
	DepsErrors []*struct{ Err string }
}

// A cacheEntry is the stored rewrite of one package.
type cacheEntry struct {
	Files []cachedFile // the files that change, by absolute path
}

type cachedFile struct {
	Path string
	New  string
}

// Rewrite returns what [Rewrite] returns for opts and patterns, loading and
// rewriting only the packages whose key has no entry.
func (c *Cache) Rewrite(opts Options, patterns ...string) (*Result, error) {
	c.Hits, c.Misses = 0, 0
	patterns, err := opts.defaults(patterns)
	if err != nil {
		return nil, err
	}
	for _, p := range patterns {
		if strings.HasSuffix(p, ".go") {
			// Files named on the command line: no package to key.
			return Rewrite(opts, patterns...)
		}
	}
	list, err := c.list(&opts, patterns)
	if err != nil {
		return nil, err
	}
	k := &keyer{opts: &opts, pkgs: map[string]*listedPackage{}, keys: map[string]string{}, old: map[string][]byte{}}
	var roots []*listedPackage
	for _, p := range list {
		if p.ForTest != "" || strings.HasSuffix(p.ImportPath, ".test") || strings.Contains(p.ImportPath, " [") {
			continue // a test variant; its files are keyed with the package
		}
		k.pkgs[p.ImportPath] = p
		if (!p.DepOnly || c.Deps) && p.Module != nil && p.Module.Main && p.ImportPath != rtPath && !strings.HasPrefix(p.ImportPath, rtPath+"/") {
			roots = append(roots, p)
		}
	}
	if len(roots) == 0 {
		return Rewrite(opts, patterns...) // for its error
	}
	var deps []*listedPackage
	if c.Deps && c.Patch == PatchAll {
		deps = dependencyRoots(k.pkgs)
		below, err := listBelowRT(&opts)
		if err != nil {
			return nil, err
		}
		deps = append(deps, stdRoots(k.pkgs, below)...)
		opts.patched = map[string]bool{}
		for _, p := range deps {
			opts.patched[p.ImportPath] = true
		}
	}
	if k.base, k.modCache, err = baseKey(&opts); err != nil {
		return nil, err
	}
	root := roots[0].Module.Dir
	dir := c.Dir
	if dir == "" {
		dir = filepath.Join(root, CacheDir)
	}
	res := &Result{ModuleRoot: root}
	var missed []*listedPackage
	missKey := map[*listedPackage]string{}
	for _, p := range roots {
		key, ok := k.key(p)
		// The rewrite of a cgo package is of its generated files, which
		// live in the go command's cache: never cached here.
		if ok && len(p.CgoFiles) == 0 {
			if files := k.hit(dir, key); files != nil {
				c.Hits++
				res.Files = append(res.Files, files...)
				continue
			}
			missKey[p] = key
		}
		c.Misses++
		missed = append(missed, p)
	}
	// The dependencies first, so that a build can load the main module's
	// packages that missed through its workspace.
	if len(deps) > 0 {
		if err := c.rewriteDeps(k, opts, deps, res, dir); err != nil {
			return nil, err
		}
	}
	if len(missed) > 0 && c.Deps {
		done, err := loadThroughWorkspace(&opts, res)
		if err != nil {
			return nil, err
		}
		defer done()
	}
	if err := rewriteMissed(opts, missed, missKey, opts.Tests, res, func(*listedPackage) string { return dir }); err != nil {
		return nil, err
	}
	res.sortFiles()
	return res, nil
}

// loadThroughWorkspace makes opts load through a workspace of res (the
// rewritten dependencies and the main module's packages that hit): the
// build's workspace but for the packages still to rewrite, written to a
// temporary directory that done removes. The export data the go command
// compiles for the packages those import is then that of the rewritten
// code, which the build that follows finds in the go build cache, rather
// than that of the native standard library and dependencies, which a
// gopatch build never uses: the tutorial's fetch example, from an empty
// build cache, spent 46 s compiling the native packages for its load and
// 33 s compiling the rewritten ones for its build; through the workspace,
// the load's 35 s leave the build nothing to compile but the main package.
// Rewriting keeps every declared type (a channel stays a channel, a
// sync.Mutex a sync.Mutex), so the types the rewrite sees are the native
// ones either way.
func loadThroughWorkspace(opts *Options, res *Result) (done func(), err error) {
	tmp, err := os.MkdirTemp("", "gopatch-load-")
	if err != nil {
		return nil, err
	}
	done = func() { os.RemoveAll(tmp) }
	res.sortFiles() // a module copy's name hashes its files in order
	ws, err := prepare(res, tmp)
	if err != nil {
		done()
		return nil, err
	}
	opts.BuildFlags = append(ws.Flags(), opts.BuildFlags...)
	opts.throughWorkspace = true
	return done, nil
}

// list runs `go list -deps` on patterns with the fields the key needs.
func (c *Cache) list(opts *Options, patterns []string) ([]*listedPackage, error) {
	args := []string{"list", "-e", "-deps",
		"-json=ImportPath,Dir,Name,Standard,DepOnly,ForTest,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,Imports,TestImports,XTestImports,Module,Error,DepsErrors"}
	if opts.Tests {
		args = append(args, "-test")
	}
	args = append(args, opts.BuildFlags...)
	args = append(args, "--")
	args = append(args, patterns...)
	out, err := goCmd(opts, args...)
	if err != nil {
		return nil, err
	}
	return decodeList[listedPackage](out)
}

// decodeList decodes the objects go list -json printed.
func decodeList[T any](out []byte) ([]*T, error) {
	var list []*T
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(T)
		if err := dec.Decode(p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading go list output: %w", err)
		}
		list = append(list, p)
	}
	return list, nil
}

// goCmd runs the go command in opts.Dir and returns its standard output.
func goCmd(opts *Options, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = opts.Dir
	cmd.Env = opts.Env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// keyEnv is the go environment that changes which files a package has or
// what their types are.
var keyEnv = []string{"GOOS", "GOARCH", "GOVERSION", "GOROOT", "GOEXPERIMENT", "CGO_ENABLED", "GOFLAGS",
	"GO386", "GOAMD64", "GOARM", "GOARM64", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM"}

// baseKey hashes what every key shares: the rewriter, the options and the
// go environment. It also returns GOMODCACHE.
func baseKey(opts *Options) (key, modCache string, err error) {
	exe, err := executableHash()
	if err != nil {
		return "", "", err
	}
	env, err := goCmd(opts, append([]string{"env", "-json", "GOMODCACHE"}, keyEnv...)...)
	if err != nil {
		return "", "", err
	}
	var vars map[string]string
	if err := json.Unmarshal(env, &vars); err != nil {
		return "", "", fmt.Errorf("reading go env output: %w", err)
	}
	modCache = vars["GOMODCACHE"]
	delete(vars, "GOMODCACHE") // where modules are, not what they hold
	vars["cacheVersion"] = cacheVersion
	vars["exe"] = exe
	vars["tests"] = fmt.Sprint(opts.Tests)
	vars["lines"] = fmt.Sprint(opts.LineDirectives)
	vars["flags"] = fmt.Sprintf("%q", opts.BuildFlags)
	vars["patch"] = fmt.Sprint(opts.patched != nil) // which calls escape a channel
	data, _ := json.Marshal(vars)                   // sorted keys: a stable encoding
	sum := sha256.Sum256(data)
	if modCache != "" {
		modCache = filepath.Clean(modCache)
	}
	return hex.EncodeToString(sum[:]), modCache, nil
}

var exeHash struct {
	once sync.Once
	sum  string
	err  error
}

// executableHash returns a hash of the running gopatch binary: the rules and
// the engine that produce a cached rewrite are both in it.
func executableHash() (string, error) {
	exeHash.once.Do(func() {
		path, err := os.Executable()
		if err != nil {
			exeHash.err = err
			return
		}
		f, err := os.Open(path)
		if err != nil {
			exeHash.err = err
			return
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			exeHash.err = err
			return
		}
		exeHash.sum = hex.EncodeToString(h.Sum(nil))
	})
	return exeHash.sum, exeHash.err
}

// A keyer computes package keys, memoized, over one go list output.
type keyer struct {
	opts     *Options
	base     string
	pkgs     map[string]*listedPackage
	modCache string              // GOMODCACHE, whose contents never change
	keys     map[string]string   // import path → key, "" when it has none
	old      map[string][]byte   // file contents read while hashing
	gomod    map[string][]byte   // go.mod contents by path
	stack    map[string]struct{} // packages being keyed, against import cycles
	depKeys  map[string]string   // import path → depKey, "" when it has none
}

// key returns p's key, or false when p cannot be cached: it or a package it
// imports has errors or a file that cannot be read.
func (k *keyer) key(p *listedPackage) (string, bool) {
	if key, ok := k.keys[p.ImportPath]; ok {
		return key, key != ""
	}
	if k.stack == nil {
		k.stack = map[string]struct{}{}
	}
	if _, cycle := k.stack[p.ImportPath]; cycle {
		return "", false
	}
	k.stack[p.ImportPath] = struct{}{}
	defer delete(k.stack, p.ImportPath)
	key := k.compute(p)
	k.keys[p.ImportPath] = key
	return key, key != ""
}

func (k *keyer) compute(p *listedPackage) string {
	h := sha256.New()
	switch {
	case p.Error != nil || len(p.DepsErrors) > 0:
		return ""
	case p.Standard:
		// GOVERSION and GOROOT are in the base key.
		fmt.Fprintf(h, "std %s\n", p.ImportPath)
		return hex.EncodeToString(h.Sum(nil))
	case p.Module != nil && p.Module.Version != "" && k.modCache != "" && strings.HasPrefix(p.Dir, k.modCache+string(filepath.Separator)):
		// The module cache is immutable. (A vendored copy is not, nor is
		// a directory a replace names: they are hashed below.)
		fmt.Fprintf(h, "mod %s %s@%s", p.ImportPath, p.Module.Path, p.Module.Version)
		if r := p.Module.Replace; r != nil {
			fmt.Fprintf(h, " => %s@%s", r.Path, r.Version)
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	fmt.Fprintf(h, "%s\npkg %s\ndir %s\n", k.base, p.ImportPath, p.Dir)
	if p.Module != nil && p.Module.GoMod != "" {
		data, err := k.readGoMod(p.Module.GoMod)
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "go.mod %d\n", len(data))
		h.Write(data)
	}
	// A root's test files are rewritten with it; a package only imported
	// contributes its types, which its test files do not change.
	tests := k.opts.Tests && !p.DepOnly
	for _, name := range packageFiles(p, tests) {
		path := filepath.Join(p.Dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			return ""
		}
		k.old[path] = data
		fmt.Fprintf(h, "file %s %d\n", name, len(data))
		h.Write(data)
	}
	imports := append([]string(nil), p.Imports...)
	if tests {
		imports = append(append(imports, p.TestImports...), p.XTestImports...)
	}
	sort.Strings(imports)
	for i, path := range imports {
		if i > 0 && path == imports[i-1] {
			continue
		}
		dep, ok := k.pkgs[path]
		switch {
		case ok:
			key, ok := k.key(dep)
			if !ok {
				return ""
			}
			fmt.Fprintf(h, "import %s %s\n", path, key)
		case path == "C" || path == "unsafe":
			fmt.Fprintf(h, "import %s\n", path)
		default:
			// Not listed: nothing to key it by, so no entry.
			return ""
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (k *keyer) readGoMod(path string) ([]byte, error) {
	if k.gomod == nil {
		k.gomod = map[string][]byte{}
	}
	if data, ok := k.gomod[path]; ok {
		return data, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k.gomod[path] = data
	return data, nil
}

// packageFiles returns the names of p's Go files, with its test files when
// tests is set.
func packageFiles(p *listedPackage, tests bool) []string {
	names := append(append([]string(nil), p.GoFiles...), p.CgoFiles...)
	if tests {
		names = append(append(names, p.TestGoFiles...), p.XTestGoFiles...)
	}
	return names
}

// hit returns the files of the entry for key, or nil when there is none or
// it is damaged (it names a file that is not one of the package's).
func (k *keyer) hit(dir, key string) []*File {
	e, err := readEntry(dir, key)
	if err != nil {
		return nil
	}
	files := []*File{}
	for _, f := range e.Files {
		old, ok := k.old[f.Path]
		if !ok {
			return nil
		}
		files = append(files, &File{Path: f.Path, Old: old, New: []byte(f.New)})
	}
	return files
}

// entryPath returns where the entry for key is stored.
func entryPath(dir, key string) string {
	return filepath.Join(dir, key[:2], key)
}

func readEntry(dir, key string) (*cacheEntry, error) {
	data, err := os.ReadFile(entryPath(dir, key))
	if err != nil {
		return nil, err
	}
	e := new(cacheEntry)
	if err := json.Unmarshal(data, e); err != nil {
		return nil, errors.New("corrupt cache entry") // a miss; rewritten below
	}
	return e, nil
}

func writeEntry(dir, key string, e *cacheEntry) error {
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return writeFile(entryPath(dir, key), data)
}

// rewriteMissed rewrites the packages the cache missed, in one load, adds
// their files to res, and stores an entry for each that has a key (a cgo
// package has none) under entryDir(p), with p's files or, with tests, its
// test files too.
func rewriteMissed(opts Options, missed []*listedPackage, missKey map[*listedPackage]string, tests bool, res *Result, entryDir func(*listedPackage) string) error {
	if len(missed) == 0 {
		return nil
	}
	paths := make([]string, len(missed))
	for i, p := range missed {
		paths[i] = p.ImportPath
	}
	fresh, err := Rewrite(opts, paths...)
	if err != nil {
		return err
	}
	byPath := map[string]*File{}
	for _, f := range fresh.Files {
		byPath[f.Path] = f
	}
	res.Files = append(res.Files, fresh.Files...)
	for _, p := range missed {
		key, ok := missKey[p]
		if !ok {
			continue
		}
		var e cacheEntry
		for _, name := range packageFiles(p, tests) {
			if f := byPath[filepath.Join(p.Dir, name)]; f != nil {
				e.Files = append(e.Files, cachedFile{f.Path, string(f.New)})
			}
		}
		// The cache only saves time: failing to write it is not an error.
		_ = writeEntry(entryDir(p), key, &e)
	}
	return nil
}

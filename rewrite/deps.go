// This file rewrites dependency modules: which of their packages are rewritten, how they are keyed, and the writable copies of module-cache modules that a replace points the build at.

package rewrite

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/gopatch/gopatch"
	"github.com/rogpeppe/go-internal/modfile"
	"github.com/rogpeppe/go-internal/module"
)

// A PatchMode says which modules a build rewrites.
type PatchMode int

const (
	// PatchMain rewrites the main module's packages only: a dependency's
	// WaitGroup, mutexes, channels and select stay native, and block the
	// whole hub when a greenlet reaches them.
	PatchMain PatchMode = iota
	// PatchAll also rewrites every dependency module the build uses,
	// except rt's own module and the modules rt imports, which would make
	// rt import itself; and the standard library's packages above rt
	// (stdrewrite.go).
	PatchAll
)

// ParsePatchMode parses a -patch flag's value: "all" or "main".
func ParsePatchMode(s string) (PatchMode, error) {
	switch s {
	case "all":
		return PatchAll, nil
	case "main":
		return PatchMain, nil
	}
	return 0, fmt.Errorf("-patch=%s: want all or main", s)
}

func (m PatchMode) String() string {
	if m == PatchAll {
		return "all"
	}
	return "main"
}

// A Module is a dependency module some of whose packages were rewritten.
//
// The go command refuses to overlay files of the module cache (Go 1.25 and
// later), so a module from the module cache is built from a copy: the
// module's whole directory, made writable, with the rewritten files written
// over the originals, under [SharedDir], and a replace in the generated
// go.mod points the module at it. A module replaced by a local directory,
// or vendored, is overlaid in place, as the main module is.
type Module struct {
	Path    string // module path, as the build list names it
	Version string // its selected version; "" for a directory replacement
	Dir     string // the directory its files are read from
	Copy    bool   // Dir is in the module cache: the build uses a copy
}

// copied reports whether f belongs to a module that is built from a copy,
// and so is not in the overlay.
func (res *Result) copied(f *File) bool {
	return res.moduleOf(f) != nil
}

// moduleOf returns the copied module f belongs to, or nil.
func (res *Result) moduleOf(f *File) *Module {
	for _, m := range res.Modules {
		if m.Copy && within(m.Dir, f.Path) {
			return m
		}
	}
	return nil
}

// within reports whether path is dir or below it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// overlayRel returns where, under the overlay's src directory, f's
// rewritten copy goes: its path relative to the module root, or for a file
// outside it (a module replaced by a directory elsewhere) a path under
// _ext named after a hash of its directory, so no two files collide and
// none escapes the directory.
func (res *Result) overlayRel(f *File) string {
	if within(res.ModuleRoot, f.Path) {
		return res.rel(f)
	}
	sum := sha256.Sum256([]byte(filepath.Dir(f.Path)))
	return filepath.Join("_ext", hex.EncodeToString(sum[:8]), filepath.Base(f.Path))
}

var runtimeMods struct {
	once sync.Once
	set  map[string]bool
}

// runtimeModules returns the modules a build must never rewrite: rt's own
// module, and the modules that provide a package rt imports (today
// github.com/petermattis/goid), which rewritten would import rt.
func runtimeModules() map[string]bool {
	runtimeMods.once.Do(func() {
		set := map[string]bool{rtModulePath: true}
		imports := rtImports()
		if data, err := fs.ReadFile(gopatch.Source, "go.mod"); err == nil {
			if mf, err := modfile.Parse("go.mod", data, nil); err == nil {
				for _, r := range mf.Require {
					for p := range imports {
						if p == r.Mod.Path || strings.HasPrefix(p, r.Mod.Path+"/") {
							set[r.Mod.Path] = true
						}
					}
				}
			}
		}
		runtimeMods.set = set
	})
	return runtimeMods.set
}

// dependencyRoots returns the packages of pkgs (by import path, test
// variants left out) that a PatchAll build rewrites besides the main
// module's: those of every non-main module but the runtime's. A package
// with cgo files is left native: its rewrite would be of the go command's
// generated files, which a copy of the module cannot hold.
func dependencyRoots(pkgs map[string]*listedPackage) []*listedPackage {
	never := runtimeModules()
	var deps []*listedPackage
	for _, p := range pkgs {
		if p.Standard || p.Module == nil || p.Module.Main || never[p.Module.Path] || len(p.CgoFiles) > 0 || len(p.GoFiles) == 0 {
			continue
		}
		deps = append(deps, p)
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].ImportPath < deps[j].ImportPath })
	return deps
}

// inModCache reports whether p's files are in the module cache, which is
// immutable and cannot be overlaid.
func (k *keyer) inModCache(p *listedPackage) bool {
	return p.Module != nil && p.Module.Version != "" && k.modCache != "" && within(k.modCache, p.Dir)
}

// depKey returns the key of the rewrite of p, a package of the module
// cache, built on base (the base key of an options set without tests: a
// dependency's test files are never rewritten, so build and test share
// its entries). It hashes the package's identity (module path and
// version), its directory (line directives name it) and, recursively, the
// keys of the packages it imports: the module-cache key of a package names
// only its version, and the rewrite depends on the types of every package
// below it, whose versions the user's build list chooses. The main
// module's go.mod is not hashed, so one entry serves every module of the
// user's that selects the same versions.
func (k *keyer) depKey(p *listedPackage, base string) (string, bool) {
	if key, ok := k.depKeys[p.ImportPath]; ok {
		return key, key != ""
	}
	key := k.computeDepKey(p, base)
	if k.depKeys == nil {
		k.depKeys = map[string]string{}
	}
	k.depKeys[p.ImportPath] = key
	return key, key != ""
}

func (k *keyer) computeDepKey(p *listedPackage, base string) string {
	id, ok := k.key(p)
	if !ok {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "dep %s\n%s\ndir %s\n", base, id, p.Dir)
	for _, name := range packageFiles(p, false) {
		fmt.Fprintf(h, "file %s\n", name)
	}
	imports := append([]string(nil), p.Imports...)
	sort.Strings(imports)
	for _, path := range imports {
		dep, listed := k.pkgs[path]
		var ik string
		switch {
		case !listed && (path == "C" || path == "unsafe"):
			ik, ok = path, true
		case !listed:
			ok = false
		case k.inModCache(dep):
			ik, ok = k.depKey(dep, base)
		default:
			// The standard library, by path; a vendored package or one
			// of a directory, by its files.
			ik, ok = k.key(dep)
		}
		if !ok {
			return ""
		}
		fmt.Fprintf(h, "import %s %s\n", path, ik)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// depHit returns the files of the entry for key, a module-cache package's,
// reading each original (the key was computed without reading them), or
// nil when there is no entry.
func depHit(dir, key string) []*File {
	e, err := readEntry(dir, key)
	if err != nil {
		return nil
	}
	files := []*File{}
	for _, f := range e.Files {
		old, err := os.ReadFile(f.Path)
		if err != nil {
			return nil
		}
		files = append(files, &File{Path: f.Path, Old: old, New: []byte(f.New)})
	}
	return files
}

// dependencyModules returns the modules of deps, one each, in path order.
func (k *keyer) dependencyModules(deps []*listedPackage) []*Module {
	byPath := map[string]*Module{}
	for _, p := range deps {
		m := p.Module
		if m == nil || byPath[m.Path] != nil {
			continue // the standard library is overlaid in place
		}
		mod := &Module{Path: m.Path, Version: m.Version, Dir: m.Dir, Copy: k.inModCache(p)}
		if m.Replace != nil && m.Replace.Dir != "" {
			mod.Dir = m.Replace.Dir
		}
		if mod.Dir == "" {
			// A vendored module: go list names no module directory,
			// and its files are overlaid where they are.
			mod.Copy = false
		}
		byPath[m.Path] = mod
	}
	var mods []*Module
	for _, m := range byPath {
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	return mods
}

// SharedDir returns the per-user directory that holds what gopatch shares
// across the user's modules, the rewritten dependency modules and their
// packages' cache entries: $GOPATCHCACHE if set, else gopatch under the
// user's cache directory ($XDG_CACHE_HOME or ~/.cache on Linux). When
// neither can be made it returns <root>/.gopatch, so nothing is shared
// but everything still works.
func SharedDir(root string) string {
	dir := os.Getenv("GOPATCHCACHE")
	if dir == "" {
		if d, err := os.UserCacheDir(); err == nil {
			dir = filepath.Join(d, "gopatch")
		}
	}
	if dir != "" && os.MkdirAll(dir, 0o777) == nil {
		return dir
	}
	return filepath.Join(root, WorkDir)
}

// A moduleReplace is one replace the generated go.mod adds: the module at
// that version is built from Dir.
type moduleReplace struct {
	Path, Version, Dir string
}

// writeModuleCopies writes, for each module of res built from a copy and
// with rewritten files, the copy under shared/deps, and returns the
// replaces that point the build at them.
//
// A copy is named after its module, its version and a hash of the
// rewritten files' paths and contents, so the same rewrite is written
// once and shared by every module of the user's (whatever produced it),
// while a different one (another gopatch, other build tags, other
// versions below it) gets a copy of its own. Copies are made in a
// temporary directory and renamed into place whole, so a copy that exists
// is complete, and two gopatch processes making the same one do not see
// each other's half. Copies are never removed; removing shared/deps is
// always safe.
func writeModuleCopies(res *Result, shared string) ([]moduleReplace, error) {
	files := map[*Module][]*File{}
	for _, f := range res.Files {
		if m := res.moduleOf(f); m != nil {
			files[m] = append(files[m], f)
		}
	}
	var reps []moduleReplace
	for _, m := range res.Modules {
		fs := files[m]
		if len(fs) == 0 {
			continue
		}
		dir, err := writeModuleCopy(m, fs, filepath.Join(shared, "deps"))
		if err != nil {
			return nil, err
		}
		reps = append(reps, moduleReplace{m.Path, m.Version, dir})
	}
	return reps, nil
}

// writeModuleCopy writes the copy of m with files rewritten under dir, if
// it is not there yet, and returns its path.
func writeModuleCopy(m *Module, files []*File, dir string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s@%s\n", m.Path, m.Version)
	for _, f := range files {
		rel, err := filepath.Rel(m.Dir, f.Path)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "file %s %d\n", filepath.ToSlash(rel), len(f.New))
		h.Write(f.New)
	}
	esc, err := module.EncodePath(m.Path)
	if err != nil {
		return "", fmt.Errorf("copying module %s: %w", m.Path, err)
	}
	dst := filepath.Join(dir, filepath.FromSlash(esc)+"@"+m.Version+"-"+hex.EncodeToString(h.Sum(nil))[:16])
	if _, err := os.Stat(filepath.Join(dst, "go.mod")); err == nil {
		return dst, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), ".tmp-"+filepath.Base(dst)+"-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := copyTree(m.Dir, tmp); err != nil {
		return "", fmt.Errorf("copying module %s@%s: %w", m.Path, m.Version, err)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(m.Dir, f.Path)
		if err := writeFile(filepath.Join(tmp, rel), f.New); err != nil {
			return "", err
		}
	}
	// A module from before modules has no go.mod in the module cache (the
	// go command makes one up); a directory that replaces it needs one.
	if _, err := os.Stat(filepath.Join(tmp, "go.mod")); os.IsNotExist(err) {
		if err := writeFile(filepath.Join(tmp, "go.mod"), []byte("module "+modfile.AutoQuote(m.Path)+"\n")); err != nil {
			return "", err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp's is 0700
		return "", err
	}
	if err := os.Rename(tmp, dst); err != nil {
		if _, serr := os.Stat(filepath.Join(dst, "go.mod")); serr == nil {
			return dst, nil // another gopatch made it first
		}
		return "", err
	}
	return dst, nil
}

// copyTree copies the directory tree src to dst, which exists, making every
// file and directory writable (the module cache's are read-only).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil || rel == "." {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.Mkdir(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil // module zips hold regular files only
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if info.Mode()&0o111 != 0 {
			mode = 0o755
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, in)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// addModuleReplaces adds reps to mf. A rep with a version is for that
// version only: a replace of the user's for that module and version gives
// way, one for all its versions stays (the versioned one wins, and other
// versions of the module in the graph keep their go.mod). A rep with no
// version (a vendored module's) replaces every version.
func addModuleReplaces(mf *modfile.File, reps []moduleReplace) error {
	for _, rep := range reps {
		for _, r := range append([]*modfile.Replace(nil), mf.Replace...) {
			if r.Old.Path == rep.Path && (rep.Version == "" || r.Old.Version == rep.Version) {
				if err := mf.DropReplace(r.Old.Path, r.Old.Version); err != nil {
					return err
				}
			}
		}
		if err := mf.AddReplace(rep.Path, rep.Version, rep.Dir, ""); err != nil {
			return err
		}
	}
	return nil
}

// rewriteDeps adds to res the rewrite of deps, the dependency packages a
// PatchAll build rewrites, and their modules: each package from its cache
// entry when it has one, the others loaded and rewritten in one go, with
// what they import type-checked from source (Options.typesFromSource). A
// dependency's test files are never rewritten (its tests do not run), so
// they are loaded without tests: with them, the test-only imports of every
// dependency would have to be in the build list. Entries of module-cache
// and standard packages go under [SharedDir] (or dir, when the cache's
// Dir is set), keyed by depKey, those of a vendored or local module under
// dir, as the main module's.
//
// A standard package's key must be depKey's: k.key stands a standard
// package in by its path alone (as an import, the base key's GOROOT and
// GOVERSION say the rest), which as an entry's key would outlive the
// gopatch and the options that wrote it; and its hit needs the originals,
// which keying never reads. (Keyed by k.key, every changed std file
// missed on every build: the fetch example's warm build took 3.4 s.)
func (c *Cache) rewriteDeps(k *keyer, opts Options, deps []*listedPackage, res *Result, dir string) error {
	depOpts := opts
	depOpts.Tests = false
	depOpts.typesFromSource = true
	base, _, err := baseKey(&depOpts)
	if err != nil {
		return err
	}
	shared := dir
	if c.Dir == "" {
		shared = filepath.Join(SharedDir(res.ModuleRoot), "cache")
	}
	var missed []*listedPackage
	missKey := map[*listedPackage]string{}
	immutable := func(p *listedPackage) bool { return p.Standard || k.inModCache(p) }
	entryDir := func(p *listedPackage) string {
		if immutable(p) {
			return shared
		}
		return dir
	}
	for _, p := range deps {
		var (
			key   string
			ok    bool
			files []*File
		)
		if immutable(p) {
			if key, ok = k.depKey(p, base); ok {
				files = depHit(shared, key)
			}
		} else if key, ok = k.key(p); ok {
			files = k.hit(dir, key)
		}
		if files != nil {
			c.Hits++
			res.Files = append(res.Files, files...)
			continue
		}
		if ok {
			missKey[p] = key
		}
		c.Misses++
		missed = append(missed, p)
	}
	if err := rewriteMissed(depOpts, missed, missKey, false, res, entryDir); err != nil {
		return err
	}
	res.Modules = k.dependencyModules(deps)
	return nil
}

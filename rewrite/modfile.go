// This file makes the rewritten code's import of rt resolve: a copy of rt under .gopatch and a go.mod/go.sum that require and replace it.

package rewrite

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/build/constraint"
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/gopatch/gopatch"
	"github.com/rogpeppe/go-internal/modfile"
	"github.com/rogpeppe/go-internal/semver"
)

// A Workspace is a prepared .gopatch directory: the go command builds the
// rewritten code with Flags.
type Workspace struct {
	Dir     string // <module root>/.gopatch
	Overlay string // overlay file for -overlay
	ModFile string // go.mod for -modfile; go.sum sits next to it
	Mod     string // the -mod mode, when it must be set (vendor.go)
}

// Flags returns the go command flags that build the rewritten code.
func (w *Workspace) Flags() []string {
	flags := []string{"-overlay=" + w.Overlay, "-modfile=" + w.ModFile}
	if w.Mod != "" {
		flags = append(flags, "-mod="+w.Mod)
	}
	return flags
}

// rtModulePath is the module rt belongs to; rtVersion is the version the
// generated go.mod requires it at, always replaced by the local copy.
const (
	rtModulePath = "github.com/gopatch/gopatch"
	rtVersion    = "v0.0.0"
)

// Prepare writes everything the go command needs to build res in place of
// the user's files, all under <module root>/.gopatch:
//
//	src/...            the rewritten files
//	std/...            the patched and added files of the standard library
//	                   (stdhooks.go), by path under GOROOT/src
//	overlay.json       original path → rewritten file, for -overlay
//	(shared)/rt/HASH   the rt module: this binary's embedded rt source and a
//	                   go.mod, shared by the user's modules (sharedRuntime)
//	go.mod, go.sum     the user's, plus a requirement of rt's module replaced
//	                   by mod/, and rt's own requirements and their sums
//	vendor/...         the go.mod of each vendored module, when the module
//	                   is vendored (vendor.go)
//
// and, under [SharedDir]/deps, a copy of each dependency module of the
// module cache with rewritten files, which the go.mod replaces (deps.go).
//
// The user's go.mod and go.sum are read, never written, and no network
// access is needed beyond fetching rt's own dependencies (petermattis/goid)
// the way any dependency is fetched.
func Prepare(res *Result) (*Workspace, error) {
	return prepare(res, filepath.Join(res.ModuleRoot, WorkDir))
}

// prepare is Prepare, writing into dir rather than <module root>/.gopatch.
func prepare(res *Result, dir string) (*Workspace, error) {
	w := &Workspace{Dir: dir}
	goroot, err := goRoot(res.ModuleRoot)
	if err != nil {
		return nil, err
	}
	std, err := stdHookFiles(goroot)
	if err != nil {
		return nil, err
	}
	workerStd, err := stdWorkerFiles(goroot, res.Files) // stdworkers.go
	if err != nil {
		return nil, err
	}
	std = append(std, workerStd...)
	userGo, err := moduleGoVersion(res.ModuleRoot)
	if err != nil {
		return nil, err
	}
	modDir, reqs, sums, goVersion, err := sharedRuntime(SharedDir(res.ModuleRoot), userGo)
	if err != nil {
		return nil, err
	}
	// The file that installs rt's hook joins rt's copy through the overlay
	// only: the same copy builds without the overlay too (after gopatch
	// rewrite -w), where os has no hook to install.
	// In gopatch's own module (its examples run in place) the build's rt
	// is the module's own, not the copy.
	hookDir := filepath.Join(modDir, "rt")
	if own, err := isRuntimeModule(res.ModuleRoot); err != nil {
		return nil, err
	} else if own {
		hookDir = filepath.Join(res.ModuleRoot, "rt")
	}
	added := stdOverlayFiles(goroot, std)
	added = append(added, overlayFile{
		Path: filepath.Join(hookDir, "zz_gopatch_stdhooks.go"),
		Rel:  filepath.Join("rthook", "zz_gopatch_stdhooks.go"),
		Data: []byte(rtStdHookFile),
	})
	vendored, err := vendoredModules(res.ModuleRoot, userGo)
	if err != nil {
		return nil, err
	}
	vendorReps, vendorFiles := vendorBuild(res.ModuleRoot, vendored)
	if vendored != nil {
		added = append(added, vendorFiles...)
		w.Mod = "mod"
	}
	if w.Overlay, err = res.writeOverlay(w.Dir, added); err != nil {
		return nil, err
	}
	reps, err := writeModuleCopies(res, SharedDir(res.ModuleRoot))
	if err != nil {
		return nil, err
	}
	reps = append(reps, vendorReps...)
	w.ModFile = filepath.Join(w.Dir, "go.mod")
	if err := writeModFile(res.ModuleRoot, w.ModFile, modDir, goVersion, reqs, sums, reps...); err != nil {
		return nil, err
	}
	return w, nil
}

// writeRuntime writes the embedded rt source to dir/rt with a go.mod that
// requires only what rt imports, and returns those requirements, the
// go.sum lines they need and the go version that go.mod declares.
//
// The go command requires the main module's go line to be at least every
// dependency's, and raising the user's would change the meaning of their
// code (loop variables are one an iteration from go1.22, and GODEBUG
// defaults follow the main module's go line). So for a module older than
// rt's own version, rt's go.mod declares the user's version (at least
// minRuntimeGo) and each rt file gets a //go:build line that lifts that
// file alone to the version rt is written in.
func writeRuntime(dir, userGo string) (reqs []*modfile.Require, sums []string, goVersion string, err error) {
	return writeRuntimeAs(dir, dir, userGo)
}

// writeRuntimeAs is writeRuntime writing into dir files whose //line
// directives name final, where dir will be renamed to.
func writeRuntimeAs(dir, final, userGo string) (reqs []*modfile.Require, sums []string, goVersion string, err error) {
	ourMod, err := fs.ReadFile(gopatch.Source, "go.mod")
	if err != nil {
		return nil, nil, "", err
	}
	mf, err := modfile.Parse("go.mod", ourMod, nil)
	if err != nil {
		return nil, nil, "", err
	}
	imports := rtCopyImports()
	written := map[string]bool{} // the rt files of this gopatch, by path under dir
	goVersion = rtGoVersion(mf)
	lift := "" // the version each rt file is lifted to, if any
	if goVersion != "" && userGo != "" && semver.Compare("v"+userGo, "v"+goVersion) < 0 {
		lift, goVersion = goVersion, userGo
		if semver.Compare("v"+goVersion, "v"+minRuntimeGo) < 0 {
			goVersion = minRuntimeGo
		}
	}
	err = fs.WalkDir(gopatch.Source, "rt", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		data, err := fs.ReadFile(gopatch.Source, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		written[dst] = true
		if lift != "" {
			if data, err = liftRuntimeFile(filepath.Join(final, filepath.FromSlash(path)), data, lift); err != nil {
				return err
			}
		}
		return writeFile(dst, data)
	})
	if err == nil {
		err = removeStaleRuntimeFiles(filepath.Join(dir, "rt"), written)
	}
	if err != nil {
		return nil, nil, "", err
	}
	// rt's requirements: the modules of ours that provide a package rt imports.
	for _, r := range mf.Require {
		for p := range imports {
			if p == r.Mod.Path || strings.HasPrefix(p, r.Mod.Path+"/") {
				reqs = append(reqs, r)
				break
			}
		}
	}
	out := &modfile.File{}
	out.AddModuleStmt(rtModulePath)
	if goVersion != "" {
		out.AddGoStmt(goVersion)
	}
	for _, r := range reqs {
		out.AddNewRequire(r.Mod.Path, r.Mod.Version, false)
	}
	data, err := out.Format()
	if err != nil {
		return nil, nil, "", err
	}
	if err := writeFile(filepath.Join(dir, "go.mod"), data); err != nil {
		return nil, nil, "", err
	}
	ourSum, err := fs.ReadFile(gopatch.Source, "go.sum")
	if err != nil {
		return nil, nil, "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(ourSum))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		for _, r := range reqs {
			if len(fields) == 3 && fields[0] == r.Mod.Path {
				sums = append(sums, sc.Text())
			}
		}
	}
	return reqs, sums, goVersion, nil
}

// writeModFile writes the user's go.mod, plus rt's module replaced by
// modDir, rt's requirements and reps (the rewritten dependency modules'
// copies), to path, and the user's go.sum plus sums to the go.sum next to
// it. A module replaced by a directory needs no sum, so the go.sum stays
// valid.
func writeModFile(root, path, modDir, goVersion string, reqs []*modfile.Require, sums []string, reps ...moduleReplace) error {
	userMod := filepath.Join(root, "go.mod")
	data, err := os.ReadFile(userMod)
	if err != nil {
		return err
	}
	mf, err := modfile.Parse(userMod, data, nil)
	if err != nil {
		return err
	}
	have := map[string]string{}
	for _, r := range mf.Require {
		have[r.Mod.Path] = r.Mod.Version
	}
	if err := mf.AddRequire(rtModulePath, rtVersion); err != nil {
		return err
	}
	for _, r := range reqs {
		v, ok := have[r.Mod.Path]
		switch {
		case !ok:
			mf.AddNewRequire(r.Mod.Path, r.Mod.Version, true)
		case semver.Compare(v, r.Mod.Version) < 0:
			if err := mf.AddRequire(r.Mod.Path, r.Mod.Version); err != nil {
				return err
			}
		}
	}
	// A module's go version must be at least its dependencies'. rt's is the
	// user's own unless that is below minRuntimeGo (see writeRuntime), and
	// raising a go line below go1.22 to one that is still below it changes
	// no loop's meaning.
	if goVersion != "" && (mf.Go == nil || semver.Compare("v"+mf.Go.Version, "v"+goVersion) < 0) {
		if err := mf.AddGoStmt(goVersion); err != nil {
			return err
		}
	}
	for _, r := range mf.Replace {
		if r.Old.Path == rtModulePath {
			if err := mf.DropReplace(r.Old.Path, r.Old.Version); err != nil {
				return err
			}
		}
	}
	if err := mf.AddReplace(rtModulePath, "", modDir, ""); err != nil {
		return err
	}
	if err := addModuleReplaces(mf, reps); err != nil {
		return err
	}
	mf.Cleanup()
	out, err := mf.Format()
	if err != nil {
		return fmt.Errorf("formatting %s: %w", path, err)
	}
	if err := writeFile(path, out); err != nil {
		return err
	}
	userSum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	lines := map[string]bool{}
	for l := range strings.SplitSeq(string(userSum), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines[l] = true
		}
	}
	for _, l := range sums {
		lines[l] = true
	}
	sorted := make([]string, 0, len(lines))
	for l := range lines {
		sorted = append(sorted, l)
	}
	sort.Strings(sorted)
	sum := strings.Join(sorted, "\n")
	if sum != "" {
		sum += "\n"
	}
	return writeFile(strings.TrimSuffix(path, ".mod")+".sum", []byte(sum))
}

// rtGoVersion returns the go version rt's module declares: this module's,
// without a .0 patch, since go 1.N.0 is newer than a user's go 1.N and
// would force the user's go line up.
// minRuntimeGo is the lowest go version rt's go.mod may declare: that of
// rt's one requirement, github.com/petermattis/goid (TestMinRuntimeGo
// checks it against goid's go.mod).
const minRuntimeGo = "1.17"

// moduleGoVersion returns the go version the go.mod in root declares; a
// go.mod without a go line means go 1.16 to the go command.
// isRuntimeModule reports whether the module at root is rt's own.
func isRuntimeModule(root string) (bool, error) {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return false, err
	}
	return modfile.ModulePath(data) == rtModulePath, nil
}

func moduleGoVersion(root string) (string, error) {
	path := filepath.Join(root, "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	mf, err := modfile.ParseLax(path, data, nil)
	if err != nil {
		return "", err
	}
	if mf.Go == nil {
		return "1.16", nil
	}
	return mf.Go.Version, nil
}

// liftRuntimeFile gives the rt file that will be written to path a
// //go:build line that sets its language version to goVersion, and a //line
// directive that keeps its positions. rt's files carry no build constraints
// of their own.
//
// A file with a //go:build line of its own (an OS-specific part of rt) keeps
// it, combined with the version: "//go:build linux" becomes
// "//go:build go1.26 && (linux)", in place of the original line, which a
// second //go:build line would make invalid. A // +build line, which Go
// 1.17 made obsolete, is refused.
func liftRuntimeFile(path string, data []byte, goVersion string) ([]byte, error) {
	lift := version.Lang("go" + goVersion)
	expr := lift
	offset := 0
	for _, l := range bytes.SplitAfter(data, []byte("\n")) {
		t := strings.TrimSpace(string(l))
		if strings.HasPrefix(t, "package ") {
			break
		}
		if constraint.IsPlusBuild(t) {
			return nil, fmt.Errorf("%s: rt files must use //go:build, not %q", path, t)
		}
		if constraint.IsGoBuild(t) {
			if _, err := constraint.Parse(t); err != nil {
				return nil, fmt.Errorf("%s: %v", path, err)
			}
			expr = lift + " && (" + strings.TrimSpace(strings.TrimPrefix(t, "//go:build")) + ")"
			// Blank the original line, keeping the line count for the
			// //line directive below.
			data = append(append(append([]byte(nil), data[:offset]...), '\n'), data[offset+len(l):]...)
			break
		}
		offset += len(l)
	}
	head := "//go:build " + expr + "\n//line " + path + ":1:1\n"
	return append([]byte(head), data...), nil
}

func rtGoVersion(mf *modfile.File) string {
	if mf.Go == nil {
		return ""
	}
	return strings.TrimSuffix(mf.Go.Version, ".0")
}

// removeStaleRuntimeFiles removes the Go files in rtDir that are not in
// written: a .gopatch directory that another gopatch version wrote keeps
// the rt files that version had, and those would be compiled into this
// version's rt.
func removeStaleRuntimeFiles(rtDir string, written map[string]bool) error {
	entries, err := os.ReadDir(rtDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := filepath.Join(rtDir, e.Name())
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") && !written[p] {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// A runtimeCopy is what sharedRuntime returns.
type runtimeCopy struct {
	dir       string
	reqs      []*modfile.Require
	sums      []string
	goVersion string
}

// sharedRuntimes memoizes sharedRuntime by shared directory and go version.
var sharedRuntimes sync.Map

// sharedRuntime returns the directory of the rt copy a build of a module
// whose go line is userGo uses, under shared/rt, writing it first if no
// gopatch has yet, and what writeRuntime returns for it.
//
// The copy is shared by every module of the user's, named after a hash of
// what it holds (this gopatch's rt and the go version it is lifted to),
// because its directory is part of the identity of every
// package compiled against it: with one rt directory, the standard
// library and dependencies rewritten to import rt are compiled once per
// machine, not once per module (net/http and its dependencies take tens of
// seconds). A copy is written into a temporary directory and renamed into
// place whole, so one that exists is complete, and two gopatch processes
// making the same one do not see each other's half.
func sharedRuntime(shared, userGo string) (dir string, reqs []*modfile.Require, sums []string, goVersion string, err error) {
	// A build prepares a workspace twice (Cache.Rewrite's
	// loadThroughWorkspace, then Prepare): the second finds the first's,
	// unless it was removed since.
	key := shared + "\x00" + userGo
	if rt, ok := sharedRuntimes.Load(key); ok {
		rt := rt.(*runtimeCopy)
		if _, err := os.Stat(filepath.Join(rt.dir, "go.mod")); err == nil {
			return rt.dir, rt.reqs, rt.sums, rt.goVersion, nil
		}
	}
	defer func() {
		if err == nil {
			sharedRuntimes.Store(key, &runtimeCopy{dir, reqs, sums, goVersion})
		}
	}()
	h := sha256.New()
	fmt.Fprintf(h, "go %s\n", userGo)
	err = fs.WalkDir(gopatch.Source, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(gopatch.Source, path)
		fmt.Fprintf(h, "%s %d\n", path, len(data))
		h.Write(data)
		return err
	})
	if err != nil {
		return "", nil, nil, "", err
	}
	parent := filepath.Join(shared, "rt")
	dir = filepath.Join(parent, hex.EncodeToString(h.Sum(nil))[:20])
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return "", nil, nil, "", err
	}
	tmp, err := os.MkdirTemp(parent, ".tmp-")
	if err != nil {
		return "", nil, nil, "", err
	}
	defer os.RemoveAll(tmp) // left over only when dir was there first
	if reqs, sums, goVersion, err = writeRuntimeAs(tmp, dir, userGo); err != nil {
		return "", nil, nil, "", err
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
		return dir, reqs, sums, goVersion, nil
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, serr := os.Stat(filepath.Join(dir, "go.mod")); serr != nil {
			return "", nil, nil, "", err
		}
	}
	return dir, reqs, sums, goVersion, nil
}

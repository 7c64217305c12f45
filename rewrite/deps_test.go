package rewrite

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/goproxytest"
	"github.com/rogpeppe/go-internal/modfile"
)

// depsModule writes a module that imports example.com/flight (from
// testdata/mod, served by a loopback proxy into a module cache of the
// test's own) and example.com/near (a directory outside the module), and
// returns its directory and the options that load it there.
func depsModule(t *testing.T) (string, Options) {
	t.Helper()
	proxy := goproxytest.NewTestServer(t, "../testdata/mod", "")
	work := t.TempDir()
	modCache := filepath.Join(work, "modcache")
	// rt's own requirements come from the module cache this test runs with.
	real := strings.TrimSpace(string(goEnvVar(t, "GOMODCACHE")))
	env := append(os.Environ(),
		"GOMODCACHE="+modCache,
		"GOPROXY="+proxy.URL+",file://"+filepath.ToSlash(filepath.Join(real, "cache", "download")),
		"GOSUMDB=off", "GOFLAGS=-mod=mod -modcacherw", "GOWORK=off", "GOTOOLCHAIN=local")
	t.Setenv("GOPATCHCACHE", filepath.Join(work, "gpcache"))
	dir := filepath.Join(work, "user")
	writeTestFile(t, filepath.Join(dir, "go.mod"), []byte(`module example.com/user

go 1.26

require (
	example.com/flight v1.0.0
	example.com/near v0.0.0
)

replace example.com/near => ../near
`))
	writeTestFile(t, filepath.Join(dir, "main.go"), []byte(`package main

import (
	"time"

	"example.com/flight"
	"example.com/near"
)

func main() {
	go flight.Nap(time.Millisecond)
	near.Nap(time.Millisecond)
}
`))
	writeTestFile(t, filepath.Join(work, "near", "go.mod"), []byte("module example.com/near\n\ngo 1.26\n"))
	writeTestFile(t, filepath.Join(work, "near", "near.go"), []byte(`package near

import "time"

func Nap(d time.Duration) { time.Sleep(d) }
`))
	return dir, Options{Dir: dir, Env: env, LineDirectives: true}
}

func goEnvVar(t *testing.T, name string) []byte {
	t.Helper()
	out, err := goCmd(&Options{}, "env", name)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCacheRewritesDependencies checks what a PatchAll rewrite holds: the
// module-cache dependency's file, rewritten with a line directive naming
// the module cache's file, its module to be copied, and the directory
// dependency's file, to be overlaid; then that the second rewrite takes
// them all from the cache, the module-cache package's entry from the
// shared directory.
func TestCacheRewritesDependencies(t *testing.T) {
	dir, opts := depsModule(t)
	c := &Cache{Deps: true, Patch: PatchAll}
	res, err := c.Rewrite(opts, ".")
	if err != nil {
		t.Fatal(err)
	}
	if c.Hits != 0 || c.Misses != 3 {
		t.Errorf("first rewrite: hits, misses = %d, %d; want 0, 3", c.Hits, c.Misses)
	}
	mods := map[string]*Module{}
	for _, m := range res.Modules {
		mods[m.Path] = m
	}
	flight, near := mods["example.com/flight"], mods["example.com/near"]
	if flight == nil || !flight.Copy || flight.Version != "v1.0.0" {
		t.Fatalf("example.com/flight: %+v; want a module-cache module at v1.0.0 to copy", flight)
	}
	if near == nil || near.Copy || near.Dir != filepath.Join(filepath.Dir(dir), "near") {
		t.Fatalf("example.com/near: %+v; want its directory, overlaid", near)
	}
	if len(mods) != 2 {
		t.Errorf("modules %v; want flight and near only (not rt's or goid)", res.Modules)
	}
	files := map[string]*File{}
	for _, f := range res.Files {
		files[f.Path] = f
	}
	flightGo := filepath.Join(flight.Dir, "flight.go")
	f := files[flightGo]
	if f == nil {
		t.Fatalf("%s not rewritten; files %v", flightGo, res.Paths())
	}
	if want := "//line " + flightGo + ":1:1\n"; !strings.HasPrefix(string(f.New), want) {
		t.Errorf("rewritten flight.go starts %q; want %q", f.New[:min(len(f.New), 100)], want)
	}
	if !strings.Contains(string(f.New), "gopatchrt.") {
		t.Errorf("rewritten flight.go does not call rt:\n%s", f.New)
	}
	if files[filepath.Join(near.Dir, "near.go")] == nil || files[filepath.Join(dir, "main.go")] == nil {
		t.Errorf("files %v; want main.go and near.go too", res.Paths())
	}

	c2 := &Cache{Deps: true, Patch: PatchAll}
	again, err := c2.Rewrite(opts, ".")
	if err != nil {
		t.Fatal(err)
	}
	if c2.Hits != 3 || c2.Misses != 0 {
		t.Errorf("second rewrite: hits, misses = %d, %d; want 3, 0", c2.Hits, c2.Misses)
	}
	if len(again.Files) != len(res.Files) {
		t.Fatalf("second rewrite has %d files, want %d", len(again.Files), len(res.Files))
	}
	for i, f := range again.Files {
		if f.Path != res.Files[i].Path || string(f.New) != string(res.Files[i].New) || string(f.Old) != string(res.Files[i].Old) {
			t.Errorf("cached %s differs from the fresh rewrite", f.Path)
		}
	}
	entries, _ := filepath.Glob(filepath.Join(os.Getenv("GOPATCHCACHE"), "cache", "*", "*"))
	if len(entries) != 1 {
		t.Errorf("shared cache entries %v; want one, flight's", entries)
	}

	// -patch=main: only the main module, and the key says so.
	c3 := &Cache{Deps: true}
	mainOnly, err := c3.Rewrite(opts, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(mainOnly.Files) != 1 || len(mainOnly.Modules) != 0 || c3.Misses != 1 {
		t.Errorf("PatchMain: files %v, modules %v, %d misses; want main.go alone, afresh", mainOnly.Paths(), mainOnly.Modules, c3.Misses)
	}
}

// TestPrepareCopiesDependencies checks the workspace of a PatchAll
// rewrite: the module-cache module is copied whole and writable with its
// rewritten file, and replaced at its version by the copy; the directory
// module's file is in the overlay under src/_ext; no module-cache file is
// overlaid; and a second Prepare reuses the copy.
func TestPrepareCopiesDependencies(t *testing.T) {
	dir, opts := depsModule(t)
	res, err := (&Cache{Deps: true, Patch: PatchAll}).Rewrite(opts, ".")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := Prepare(res)
	if err != nil {
		t.Fatal(err)
	}
	modData, err := os.ReadFile(ws.ModFile)
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.Parse(ws.ModFile, modData, nil)
	if err != nil {
		t.Fatal(err)
	}
	var copyDir string
	for _, r := range mf.Replace {
		switch r.Old.Path {
		case "example.com/flight":
			if r.Old.Version != "v1.0.0" {
				t.Errorf("replace of flight is for %q; want v1.0.0 alone", r.Old.Version)
			}
			copyDir = r.New.Path
		case "example.com/near":
			if r.New.Path != "../near" {
				t.Errorf("the user's replace of near became %v", r.New)
			}
		}
	}
	shared := os.Getenv("GOPATCHCACHE")
	if !strings.HasPrefix(copyDir, filepath.Join(shared, "deps", "example.com", "flight@v1.0.0-")) {
		t.Fatalf("flight replaced by %q; want a copy under %s/deps", copyDir, shared)
	}
	var flight *Module
	for _, m := range res.Modules {
		if m.Path == "example.com/flight" {
			flight = m
		}
	}
	orig, _ := os.ReadFile(filepath.Join(flight.Dir, "go.mod"))
	copied, err := os.ReadFile(filepath.Join(copyDir, "go.mod"))
	if err != nil || string(copied) != string(orig) {
		t.Errorf("copy's go.mod %q, %v; want the module's %q", copied, err, orig)
	}
	got, _ := os.ReadFile(filepath.Join(copyDir, "flight.go"))
	for _, f := range res.Files {
		if f.Path == filepath.Join(flight.Dir, "flight.go") && string(got) != string(f.New) {
			t.Errorf("copy's flight.go is not the rewritten file")
		}
	}
	if info, err := os.Stat(filepath.Join(copyDir, "flight.go")); err != nil || info.Mode().Perm()&0o200 == 0 {
		t.Errorf("copy's flight.go: %v, %v; want it writable", info, err)
	}
	var ov struct{ Replace map[string]string }
	data, err := os.ReadFile(ws.Overlay)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &ov); err != nil {
		t.Fatal(err)
	}
	nearGo := filepath.Join(filepath.Dir(dir), "near", "near.go")
	if dst := ov.Replace[nearGo]; !strings.HasPrefix(dst, filepath.Join(ws.Dir, "src", "_ext")+string(filepath.Separator)) {
		t.Errorf("overlay of %s is %q; want it under src/_ext", nearGo, dst)
	}
	for src := range ov.Replace {
		if within(flight.Dir, src) {
			t.Errorf("module-cache file %s is overlaid", src)
		}
	}
	ws2, err := Prepare(res)
	if err != nil {
		t.Fatal(err)
	}
	if data2, _ := os.ReadFile(ws2.ModFile); string(data2) != string(modData) {
		t.Errorf("second Prepare's go.mod:\n%s\nwant the first's:\n%s", data2, modData)
	}
	copies, _ := filepath.Glob(filepath.Join(shared, "deps", "example.com", "*"))
	if len(copies) != 1 {
		t.Errorf("copies %v; want one", copies)
	}
}

// TestWriteModuleCopy checks a copy on its own: every file of the module,
// writable, with the rewritten ones written over; a go.mod made for a
// module that has none; one directory per distinct rewrite; and the same
// directory, untouched, for the same rewrite.
func TestWriteModuleCopy(t *testing.T) {
	src := filepath.Join(t.TempDir(), "example.com", "old@v1.2.3")
	writeTestFile(t, filepath.Join(src, "a.go"), []byte("package old\n"))
	writeTestFile(t, filepath.Join(src, "sub", "b.go"), []byte("package sub\n"))
	writeTestFile(t, filepath.Join(src, "LICENSE"), []byte("text\n"))
	for _, p := range []string{filepath.Join(src, "a.go"), filepath.Join(src, "sub", "b.go"), filepath.Join(src, "LICENSE"), filepath.Join(src, "sub"), src} {
		if err := os.Chmod(p, 0o555); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { filepath.Walk(src, func(p string, _ os.FileInfo, _ error) error { return os.Chmod(p, 0o755) }) })
	m := &Module{Path: "example.com/Old", Version: "v1.2.3", Dir: src, Copy: true}
	dir := t.TempDir()
	files := []*File{{Path: filepath.Join(src, "sub", "b.go"), Old: []byte("package sub\n"), New: []byte("package sub // rewritten\n")}}
	dst, err := writeModuleCopy(m, files, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(dst, filepath.Join(dir, "example.com", "!old@v1.2.3-")) {
		t.Errorf("copy at %s; want it named after the escaped module path and version", dst)
	}
	want := map[string]string{
		"a.go":     "package old\n",
		"sub/b.go": "package sub // rewritten\n",
		"LICENSE":  "text\n",
		"go.mod":   "module example.com/Old\n",
	}
	for name, content := range want {
		p := filepath.Join(dst, filepath.FromSlash(name))
		data, err := os.ReadFile(p)
		if err != nil || string(data) != content {
			t.Errorf("%s: %q, %v; want %q", name, data, err, content)
		}
		if info, err := os.Stat(p); err == nil && info.Mode().Perm()&0o200 == 0 {
			t.Errorf("%s is not writable: %v", name, info.Mode())
		}
	}
	info, _ := os.Stat(filepath.Join(dst, "go.mod"))
	again, err := writeModuleCopy(m, files, dir)
	if err != nil || again != dst {
		t.Errorf("same rewrite: %s, %v; want %s", again, err, dst)
	}
	if info2, _ := os.Stat(filepath.Join(dst, "go.mod")); !info2.ModTime().Equal(info.ModTime()) {
		t.Errorf("same rewrite wrote the copy again")
	}
	other := []*File{{Path: files[0].Path, Old: files[0].Old, New: []byte("package sub // other\n")}}
	if d, err := writeModuleCopy(m, other, dir); err != nil || d == dst {
		t.Errorf("other rewrite: %s, %v; want a copy of its own", d, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "example.com", ".tmp-*")); len(left) != 0 {
		t.Errorf("temporary directories left: %v", left)
	}
}

// TestAddModuleReplaces checks the replaces a generated go.mod gets: a
// user's replace of the same module and version gives way, one for all of
// its versions stays, and the others are kept.
func TestAddModuleReplaces(t *testing.T) {
	mf, err := modfile.Parse("go.mod", []byte(`module example.com/u

go 1.26

require (
	example.com/a v1.0.0
	example.com/b v1.1.0
)

replace example.com/a v1.0.0 => example.com/fork v1.0.5

replace example.com/b => ../b

replace example.com/c => ../c
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	reps := []moduleReplace{{"example.com/a", "v1.0.0", "/cache/deps/a"}, {"example.com/b", "v1.1.0", "/cache/deps/b"}}
	if err := addModuleReplaces(mf, reps); err != nil {
		t.Fatal(err)
	}
	mf.Cleanup()
	var got []string
	for _, r := range mf.Replace {
		got = append(got, r.Old.String()+" => "+r.New.String())
	}
	want := []string{
		"example.com/b => ../b",
		"example.com/c => ../c",
		"example.com/a@v1.0.0 => /cache/deps/a",
		"example.com/b@v1.1.0 => /cache/deps/b",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("replaces:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRuntimeModules checks the modules never rewritten: rt's own and the
// one rt imports, not gopatch's other requirements.
func TestRuntimeModules(t *testing.T) {
	got := runtimeModules()
	for _, m := range []string{rtModulePath, "github.com/petermattis/goid"} {
		if !got[m] {
			t.Errorf("%s may be rewritten; it must not", m)
		}
	}
	for _, m := range []string{"golang.org/x/tools", "github.com/rogpeppe/go-internal", "golang.org/x/sync"} {
		if got[m] {
			t.Errorf("%s is never rewritten, but rt does not import it", m)
		}
	}
}

// TestOverlayRel checks where a rewritten file goes in the overlay: under
// its path in the module, or under _ext for a file outside it.
func TestOverlayRel(t *testing.T) {
	res := &Result{ModuleRoot: "/w/user"}
	if got := res.overlayRel(&File{Path: "/w/user/p/a.go"}); got != filepath.Join("p", "a.go") {
		t.Errorf("file in the module: %s", got)
	}
	a := res.overlayRel(&File{Path: "/w/near/a.go"})
	b := res.overlayRel(&File{Path: "/w/far/a.go"})
	if !strings.HasPrefix(a, "_ext"+string(filepath.Separator)) || strings.Contains(a, "..") || a == b {
		t.Errorf("files outside the module: %s, %s; want distinct paths under _ext", a, b)
	}
}

// TestLoadCompilesWhatTheBuildUses checks, from an empty go build cache,
// that the load of a build's main package compiles the rewritten code the
// build uses (Cache.Rewrite's loadThroughWorkspace): after the rewrite,
// the build compiles the main package and nothing else. The load of the
// native packages instead compiled the native standard library, which
// the build then compiled again, rewritten.
func TestLoadCompilesWhatTheBuildUses(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the runtime into an empty build cache")
	}
	dir, opts := depsModule(t)
	// hash/crc32 is a standard package above rt that is rewritten.
	writeTestFile(t, filepath.Join(dir, "crc.go"), []byte(`package main

import "hash/crc32"

var sum = crc32.ChecksumIEEE([]byte("gopatch"))
`))
	opts.Env = append(opts.Env, "GOCACHE="+t.TempDir())
	res, err := (&Cache{Deps: true, Patch: PatchAll}).Rewrite(opts, ".")
	if err != nil {
		t.Fatal(err)
	}
	std := false
	for _, f := range res.Files {
		std = std || strings.Contains(filepath.ToSlash(f.Path), "/src/hash/crc32/")
	}
	if !std {
		t.Fatal("hash/crc32 was not rewritten: the test does not test the standard library")
	}
	ws, err := Prepare(res)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", append(append([]string{"build", "-x"}, ws.Flags()...), "-o", filepath.Join(t.TempDir(), "main"), ".")...)
	cmd.Dir, cmd.Env = dir, opts.Env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var compiled []string
	for _, line := range strings.Split(string(out), "\n") {
		if fields := strings.Fields(line); len(fields) > 0 && filepath.Base(fields[0]) == "compile" {
			for i, f := range fields[:len(fields)-1] {
				if f == "-p" {
					compiled = append(compiled, fields[i+1])
				}
			}
		}
	}
	if len(compiled) != 1 || compiled[0] != "main" {
		t.Errorf("the build compiled %v; want [main] alone", compiled)
	}
}

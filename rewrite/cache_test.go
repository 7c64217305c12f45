package rewrite

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// cacheModule writes a module of two packages, b importing a, both with
// something to rewrite, and returns its directory.
func cacheModule(t *testing.T) string {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "go.mod"), []byte("module example.com/c\n\ngo 1.26\n"))
	writeTestFile(t, filepath.Join(dir, "a", "a.go"), []byte(`package a

type C chan int

func New() C { return make(chan int) }

func Send(ch C) { ch <- 1 }
`))
	writeTestFile(t, filepath.Join(dir, "b", "b.go"), []byte(`package b

import "example.com/c/a"

func Start() {
	ch := a.New()
	go a.Send(ch)
	<-ch
}
`))
	writeTestFile(t, filepath.Join(dir, "b", "b_test.go"), []byte(`package b

import "testing"

func TestStart(t *testing.T) { Start() }
`))
	return dir
}

// cachedRewrite rewrites ./... in dir through c, checks that the result is
// what an uncached rewrite gives, and that the hits and misses are want.
func cachedRewrite(t *testing.T, c *Cache, opts Options, wantHits, wantMisses int) {
	t.Helper()
	got, err := c.Rewrite(opts, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if c.Hits != wantHits || c.Misses != wantMisses {
		t.Errorf("hits, misses = %d, %d; want %d, %d", c.Hits, c.Misses, wantHits, wantMisses)
	}
	want, err := Rewrite(opts, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if got.ModuleRoot != want.ModuleRoot {
		t.Errorf("ModuleRoot = %s, want %s", got.ModuleRoot, want.ModuleRoot)
	}
	if len(got.Files) != len(want.Files) {
		t.Fatalf("cached rewrite changed %d files, want %d: %q", len(got.Files), len(want.Files), got.Paths())
	}
	for i, f := range got.Files {
		w := want.Files[i]
		if f.Path != w.Path || !bytes.Equal(f.Old, w.Old) || !bytes.Equal(f.New, w.New) {
			t.Errorf("cached rewrite of %s:\n%s\nwant %s:\n%s", f.Path, f.New, w.Path, w.New)
		}
	}
}

func TestCacheHit(t *testing.T) {
	t.Parallel()
	dir := cacheModule(t)
	opts := Options{Dir: dir, Tests: true}
	c := new(Cache)
	cachedRewrite(t, c, opts, 0, 2)
	if _, err := os.Stat(filepath.Join(dir, CacheDir)); err != nil {
		t.Fatalf("no cache directory: %v", err)
	}
	cachedRewrite(t, c, opts, 2, 0)
}

// TestCacheMissOnContentChange checks that changing a package's file, test
// files included, misses for it and for the packages that import it, and
// only for those.
func TestCacheMissOnContentChange(t *testing.T) {
	t.Parallel()
	dir := cacheModule(t)
	opts := Options{Dir: dir, Tests: true}
	c := new(Cache)
	cachedRewrite(t, c, opts, 0, 2)

	// b alone: a is still a hit.
	writeTestFile(t, filepath.Join(dir, "b", "b_test.go"), []byte(`package b

import "testing"

func TestStart(t *testing.T) { Start(); Start() }
`))
	cachedRewrite(t, c, opts, 1, 1)
	cachedRewrite(t, c, opts, 2, 0)

	// a: b depends on a's types, so it misses too.
	writeTestFile(t, filepath.Join(dir, "a", "a.go"), []byte(`package a

type C chan int

func New() C { return make(chan int) }

func Send(ch C) { ch <- 2 }
`))
	cachedRewrite(t, c, opts, 0, 2)
	cachedRewrite(t, c, opts, 2, 0)

	// A new file is a change of the package.
	writeTestFile(t, filepath.Join(dir, "a", "a2.go"), []byte("package a\n\nfunc Close(ch C) { close(ch) }\n"))
	cachedRewrite(t, c, opts, 0, 2)
}

// TestCacheMissOnFlagChange checks that build flags and options are part of
// the key: the same files rewrite differently under them.
func TestCacheMissOnFlagChange(t *testing.T) {
	t.Parallel()
	dir := cacheModule(t)
	opts := Options{Dir: dir, Tests: true}
	c := new(Cache)
	cachedRewrite(t, c, opts, 0, 2)

	tagged := opts
	tagged.BuildFlags = []string{"-tags=gopatchtest"}
	cachedRewrite(t, c, tagged, 0, 2)
	cachedRewrite(t, c, tagged, 2, 0)

	lines := opts
	lines.LineDirectives = true
	cachedRewrite(t, c, lines, 0, 2)

	noTests := opts
	noTests.Tests = false
	cachedRewrite(t, c, noTests, 0, 2)

	// The first entries are still there.
	cachedRewrite(t, c, opts, 2, 0)
}

// TestCacheCorruptEntry checks that an unreadable entry is a miss, and is
// replaced.
func TestCacheCorruptEntry(t *testing.T) {
	t.Parallel()
	dir := cacheModule(t)
	opts := Options{Dir: dir, Tests: true}
	c := &Cache{Dir: filepath.Join(t.TempDir(), "cache")}
	cachedRewrite(t, c, opts, 0, 2)
	entries, err := filepath.Glob(filepath.Join(c.Dir, "*", "*"))
	if err != nil || len(entries) != 2 {
		t.Fatalf("entries %q, %v; want 2", entries, err)
	}
	if err := os.WriteFile(entries[0], []byte("{not json"), 0o666); err != nil {
		t.Fatal(err)
	}
	cachedRewrite(t, c, opts, 1, 1)
	cachedRewrite(t, c, opts, 2, 0)
	// An entry naming a file that is not the package's is damaged too.
	if err := os.WriteFile(entries[1], []byte(`{"Files":[{"Path":"/elsewhere/x.go","New":"package x"}]}`), 0o666); err != nil {
		t.Fatal(err)
	}
	cachedRewrite(t, c, opts, 1, 1)
	cachedRewrite(t, c, opts, 2, 0)
	if _, err := os.Stat(filepath.Join(dir, CacheDir)); !os.IsNotExist(err) {
		t.Errorf("Cache.Dir set, but %s was written", CacheDir)
	}
}

// TestCacheMissOnReplacedDependency checks that a dependency outside the
// module cache (here a module replaced by a directory) is keyed by its
// content, not by its version.
func TestCacheMissOnReplacedDependency(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "go.mod"), []byte(`module example.com/m

go 1.26

require example.com/dep v0.0.0

replace example.com/dep => ./dep
`))
	writeTestFile(t, filepath.Join(dir, "m.go"), []byte(`package m

import "example.com/dep"

func Send(ch dep.C) { ch <- 1 }
`))
	writeTestFile(t, filepath.Join(dir, "dep", "go.mod"), []byte("module example.com/dep\n\ngo 1.26\n"))
	writeTestFile(t, filepath.Join(dir, "dep", "dep.go"), []byte("package dep\n\ntype C chan int\n"))
	opts := Options{Dir: dir, Tests: true}
	c := new(Cache)
	cachedRewrite(t, c, opts, 0, 1)
	cachedRewrite(t, c, opts, 1, 0)
	writeTestFile(t, filepath.Join(dir, "dep", "dep.go"), []byte("package dep\n\ntype C chan int64\n"))
	cachedRewrite(t, c, opts, 0, 1)
}

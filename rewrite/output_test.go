package rewrite

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// inPlaceResult writes files (name → content) under a fresh directory and
// returns it with a Result that rewrites each to its content upper-cased.
func inPlaceResult(t *testing.T, files map[string]string) (string, *Result) {
	dir := t.TempDir()
	res := &Result{ModuleRoot: dir}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		path := filepath.Join(dir, name)
		writeTestFile(t, path, []byte(files[name]))
		res.Files = append(res.Files, &File{Path: path, Old: []byte(files[name]), New: []byte(strings.ToUpper(files[name]))})
	}
	return dir, res
}

// dirFiles returns the names and contents of the files under dir.
func dirFiles(t *testing.T, dir string) map[string]string {
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		got[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestWriteInPlace(t *testing.T) {
	dir, res := inPlaceResult(t, map[string]string{"a.go": "a", "sub/b.go": "b"})
	if err := os.Chmod(res.Files[0].Path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := res.WriteInPlace(); err != nil {
		t.Fatal(err)
	}
	got := dirFiles(t, dir)
	want := map[string]string{"a.go": "A", "sub/b.go": "B"}
	if len(got) != len(want) || got["a.go"] != "A" || got["sub/b.go"] != "B" {
		t.Errorf("after WriteInPlace: %q, want %q", got, want)
	}
	if info, err := os.Stat(res.Files[0].Path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("mode of a.go after WriteInPlace: %v, %v; want 0600", info.Mode(), err)
	}
}

// TestWriteInPlaceAllOrNothing checks that when one file cannot be written,
// none is, and no temporary file is left behind.
func TestWriteInPlaceAllOrNothing(t *testing.T) {
	files := map[string]string{"a.go": "a", "b.go": "b", "c.go": "c"}
	dir, res := inPlaceResult(t, files)
	// b.go changes after it was rewritten: writing it would lose the change.
	writeTestFile(t, filepath.Join(dir, "b.go"), []byte("b edited"))
	err := res.WriteInPlace()
	if err == nil || !strings.Contains(err.Error(), "changed while gopatch was rewriting it") {
		t.Fatalf("WriteInPlace error = %v, want a change of b.go", err)
	}
	got := dirFiles(t, dir)
	want := map[string]string{"a.go": "a", "b.go": "b edited", "c.go": "c"}
	if len(got) != len(want) || got["a.go"] != "a" || got["b.go"] != "b edited" || got["c.go"] != "c" {
		t.Errorf("after a failed WriteInPlace: %q, want %q", got, want)
	}

	// A file that is gone fails the same way.
	dir, res = inPlaceResult(t, files)
	os.Remove(filepath.Join(dir, "c.go"))
	if err := res.WriteInPlace(); err == nil {
		t.Fatal("WriteInPlace succeeded with c.go removed")
	}
	if got := dirFiles(t, dir); len(got) != 2 || got["a.go"] != "a" || got["b.go"] != "b" {
		t.Errorf("after a failed WriteInPlace: %q, want a.go and b.go unchanged", got)
	}
}

func TestWriteDir(t *testing.T) {
	_, res := inPlaceResult(t, map[string]string{"a.go": "a", "sub/deep/b.go": "b"})
	out := filepath.Join(t.TempDir(), "out")
	if err := res.WriteDir(out); err != nil {
		t.Fatal(err)
	}
	got := dirFiles(t, out)
	if len(got) != 2 || got["a.go"] != "A" || got["sub/deep/b.go"] != "B" {
		t.Errorf("WriteDir wrote %q, want a.go and sub/deep/b.go rewritten", got)
	}
}

func TestUncommitted(t *testing.T) {
	dir, res := inPlaceResult(t, map[string]string{"clean.go": "c", "modified.go": "m", "staged.go": "s", "sub/untracked.go": "u"})
	if _, err := res.Uncommitted(); err == nil || !strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("Uncommitted outside git = %v, want not a git repository", err)
	}
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	run("add", "clean.go", "modified.go", "staged.go")
	run("commit", "-q", "-m", "x")
	writeTestFile(t, filepath.Join(dir, "modified.go"), []byte("m2"))
	writeTestFile(t, filepath.Join(dir, "staged.go"), []byte("s2"))
	run("add", "staged.go")
	writeTestFile(t, filepath.Join(dir, "other.go"), []byte("not rewritten, untracked"))
	got, err := res.Uncommitted()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"modified.go", "staged.go", filepath.Join("sub", "untracked.go")}
	if !slices.Equal(got, want) {
		t.Errorf("Uncommitted = %q, want %q", got, want)
	}

	// From a module in a subdirectory of the repository, paths stay
	// relative to the module root.
	sub := &Result{ModuleRoot: filepath.Join(dir, "sub"), Files: res.Files[3:]}
	if got, err := sub.Uncommitted(); err != nil || !slices.Equal(got, []string{"untracked.go"}) {
		t.Errorf("Uncommitted in sub = %q, %v; want untracked.go", got, err)
	}
}

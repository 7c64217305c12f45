package rewrite

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopatch/gopatch"
	"github.com/rogpeppe/go-internal/modfile"
	"github.com/rogpeppe/go-internal/semver"
)

// ourModFile returns gopatch's own go.mod, as embedded.
func ourModFile(t *testing.T) *modfile.File {
	t.Helper()
	data, err := fs.ReadFile(gopatch.Source, "go.mod")
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return mf
}

// TestWriteModFile checks the generated go.mod: the user's requirements and
// sums kept, gopatch's module required and replaced by the local rt copy
// (over any replace the user had), rt's requirements added as indirect,
// and the user's go line kept, with rt declaring it too.
func TestWriteModFile(t *testing.T) {
	root := t.TempDir()
	writeTestFile(t, filepath.Join(root, "go.mod"), []byte(`module example.com/u

go 1.21

require example.com/dep v1.2.3

replace github.com/gopatch/gopatch => ../elsewhere
`))
	writeTestFile(t, filepath.Join(root, "go.sum"), []byte("example.com/dep v1.2.3 h1:abc=\n"))
	modDir := filepath.Join(root, WorkDir, "mod")
	reqs, sums, goVersion, err := writeRuntime(modDir, "1.21")
	if err != nil {
		t.Fatal(err)
	}
	if goVersion != "1.21" {
		t.Errorf("rt's go.mod declares go %s; want the user's 1.21", goVersion)
	}
	hub, err := os.ReadFile(filepath.Join(modDir, "rt", "hub.go"))
	if err != nil {
		t.Fatalf("rt source not written: %v", err)
	}
	ourGo := rtGoVersion(ourModFile(t))
	if want := "//go:build go" + ourGo + "\n//line " + filepath.Join(modDir, "rt", "hub.go") + ":1:1\n"; !strings.HasPrefix(string(hub), want) {
		t.Errorf("rt/hub.go starts %q; want %q, which lifts it to rt's own go version", hub[:min(len(hub), 120)], want)
	}
	path := filepath.Join(root, WorkDir, "go.mod")
	if err := writeModFile(root, path, modDir, goVersion, reqs, sums); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.Parse(path, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if mf.Go.Version != goVersion {
		t.Errorf("go %s, want %s", mf.Go.Version, goVersion)
	}
	want := map[string]bool{"example.com/dep": false, rtModulePath: false}
	for _, r := range reqs {
		want[r.Mod.Path] = true // indirect
	}
	for _, r := range mf.Require {
		indirect, ok := want[r.Mod.Path]
		if !ok {
			t.Errorf("unexpected requirement %s", r.Mod)
			continue
		}
		if r.Indirect != indirect {
			t.Errorf("%s: indirect = %v, want %v", r.Mod.Path, r.Indirect, indirect)
		}
		delete(want, r.Mod.Path)
	}
	if len(want) > 0 {
		t.Errorf("missing requirements: %v\n%s", want, data)
	}
	if len(mf.Replace) != 1 || mf.Replace[0].New.Path != modDir {
		t.Errorf("replace = %v, want one to %s\n%s", mf.Replace, modDir, data)
	}
	sum, err := os.ReadFile(filepath.Join(root, WorkDir, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range append(sums, "example.com/dep v1.2.3 h1:abc=") {
		if !strings.Contains(string(sum), l+"\n") {
			t.Errorf("go.sum lacks %q:\n%s", l, sum)
		}
	}
	if len(sums) == 0 {
		t.Errorf("no sums for rt's requirements %v", reqs)
	}
}

// A module older than rt's oldest possible go line is raised to it (never
// across go1.22, where loop variables changed), and one at rt's own version
// or newer is left alone with rt's files unlifted.
func TestRuntimeGoVersionFollowsTheUsers(t *testing.T) {
	for _, tc := range []struct{ user, want string }{
		{"1.16", minRuntimeGo},
		{"1.20", "1.20"},
		{"1.30", ""}, // rt's own
	} {
		modDir := filepath.Join(t.TempDir(), "mod")
		_, _, got, err := writeRuntime(modDir, tc.user)
		if err != nil {
			t.Fatal(err)
		}
		hub, err := os.ReadFile(filepath.Join(modDir, "rt", "hub.go"))
		if err != nil {
			t.Fatal(err)
		}
		lifted := strings.HasPrefix(string(hub), "//go:build ")
		if tc.want == "" {
			if semver.Compare("v"+got, "v"+tc.user) > 0 || lifted {
				t.Errorf("user go %s: rt declares go %s, lifted %v; want rt's own version, unlifted", tc.user, got, lifted)
			}
			continue
		}
		if got != tc.want || !lifted {
			t.Errorf("user go %s: rt declares go %s, lifted %v; want go %s, lifted", tc.user, got, lifted, tc.want)
		}
	}
}

// minRuntimeGo must be the go line of rt's requirement, goid: lower and
// the go command would want the user's go line raised further.
func TestMinRuntimeGo(t *testing.T) {
	var goid string
	for _, r := range ourModFile(t).Require {
		if r.Mod.Path == "github.com/petermattis/goid" {
			goid = r.Mod.String()
		}
	}
	out, err := exec.Command("go", "mod", "download", "-json", goid).Output()
	if err != nil {
		t.Fatalf("go mod download %s: %v", goid, err)
	}
	var info struct{ GoMod string }
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(info.GoMod)
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.ParseLax(info.GoMod, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if mf.Go == nil || mf.Go.Version != minRuntimeGo {
		t.Errorf("%s declares go %v; minRuntimeGo is %s", goid, mf.Go, minRuntimeGo)
	}
}

// An rt file that another gopatch version wrote into the directory, and
// that this version's rt does not have, is removed: it would be compiled
// into this rt.
func TestWriteRuntimeRemovesStaleFiles(t *testing.T) {
	modDir := t.TempDir()
	stale := filepath.Join(modDir, "rt", "gone.go")
	writeTestFile(t, stale, []byte("package rt\n\nfunc gone() {}\n"))
	keep := filepath.Join(modDir, "rt", "notes.txt")
	writeTestFile(t, keep, []byte("not Go\n"))
	if _, _, _, err := writeRuntime(modDir, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale rt/gone.go still there (stat: %v)", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("a file that is not Go was removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(modDir, "rt", "hub.go")); err != nil {
		t.Errorf("rt/hub.go not written: %v", err)
	}
}

// An rt file with a build constraint of its own keeps it when it is lifted
// to rt's go version: the two are combined on one //go:build line, and
// the file keeps its line count.
func TestLiftRuntimeFileCombinesConstraints(t *testing.T) {
	src := "// Copyright.\n\n//go:build linux || darwin\n\npackage rt\n\nvar x = 1\n"
	got, err := liftRuntimeFile("/m/rt/poll_unix.go", []byte(src), "1.26")
	if err != nil {
		t.Fatal(err)
	}
	want := "//go:build go1.26 && (linux || darwin)\n//line /m/rt/poll_unix.go:1:1\n// Copyright.\n\n\n\npackage rt\n\nvar x = 1\n"
	if string(got) != want {
		t.Errorf("lifted file:\n%s\nwant:\n%s", got, want)
	}
	if _, err := liftRuntimeFile("/m/rt/old.go", []byte("// +build linux\n\npackage rt\n"), "1.26"); err == nil {
		t.Error("a +build line was accepted")
	}
	plain, err := liftRuntimeFile("/m/rt/hub.go", []byte("package rt\n"), "1.26")
	if err != nil || !strings.HasPrefix(string(plain), "//go:build go1.26\n") {
		t.Errorf("plain file lifted to %q, %v", plain, err)
	}
}

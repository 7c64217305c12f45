package rewrite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/modfile"
)

// TestWriteModFile checks the generated go.mod: the user's requirements and
// sums kept, gopatch's module required and replaced by the local rt copy
// (over any replace the user had), rt's requirements added as indirect,
// and a go line raised to rt's.
func TestWriteModFile(t *testing.T) {
	root := t.TempDir()
	writeTestFile(t, filepath.Join(root, "go.mod"), []byte(`module example.com/u

go 1.21

require example.com/dep v1.2.3

replace github.com/gopatch/gopatch => ../elsewhere
`))
	writeTestFile(t, filepath.Join(root, "go.sum"), []byte("example.com/dep v1.2.3 h1:abc=\n"))
	modDir := filepath.Join(root, WorkDir, "mod")
	reqs, sums, goVersion, err := writeRuntime(modDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(modDir, "rt", "hub.go")); err != nil {
		t.Errorf("rt source not written: %v", err)
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

package rewrite

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// vendoredModules reads each module of vendor/modules.txt with its go
// line, skips replacements no package uses, and finds no vendor mode below
// go1.14 or without modules.txt, as the go command decides.
func TestVendoredModules(t *testing.T) {
	root := t.TempDir()
	if mods, err := vendoredModules(root, "1.26"); mods != nil || err != nil {
		t.Fatalf("no vendor directory: %v, %v; want nil, nil", mods, err)
	}
	writeTestFile(t, filepath.Join(root, "vendor", "modules.txt"), []byte(`# example.com/a v1.2.0
## explicit; go 1.21
example.com/a
# example.com/b v0.1.0 => ../b
## explicit
example.com/b/sub
# example.com/c v1.0.0
example.com/c
# example.com/unused => ../unused
`))
	mods, err := vendoredModules(root, "1.26")
	if err != nil {
		t.Fatal(err)
	}
	want := []vendoredModule{{"example.com/a", "1.21"}, {"example.com/b", ""}, {"example.com/c", ""}}
	if !reflect.DeepEqual(mods, want) {
		t.Errorf("modules %v, want %v", mods, want)
	}
	if mods, err := vendoredModules(root, "1.13"); mods != nil || err != nil {
		t.Errorf("go 1.13: %v, %v; want no vendor mode", mods, err)
	}
	os.WriteFile(filepath.Join(root, "vendor", "modules.txt"), []byte("# example.com/a\n"), 0o666)
	if _, err := vendoredModules(root, "1.26"); err == nil {
		t.Error("a module line without a version was accepted")
	}
}

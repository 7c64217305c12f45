// This file builds a vendored module's rewritten code: the go command's
// vendor mode cannot take the generated go.mod, so the build resolves each
// vendored module from its vendor directory instead.

package rewrite

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/modfile"
	"github.com/rogpeppe/go-internal/semver"
)

// A vendoredModule is one module vendor/modules.txt lists.
type vendoredModule struct {
	Path      string
	GoVersion string // its go line, when modules.txt records it
}

// vendoredModules returns the modules of root's vendor directory when the
// go command builds root in vendor mode (a vendor/modules.txt and a go
// line of at least go1.14, as the go command decides it), or nil.
//
// In vendor mode the go command checks vendor/modules.txt against the
// go.mod it builds with, which it reads from disk, not through the
// overlay; the generated go.mod, which adds rt, never matches. So a
// vendored module is built with -mod=mod and a replace of each vendored
// module by its directory under vendor/, whose go.mod (vendoring drops
// it) the overlay supplies: the same files build, from the same place,
// with no network and no module cache.
func vendoredModules(root, goVersion string) ([]vendoredModule, error) {
	data, err := os.ReadFile(filepath.Join(root, "vendor", "modules.txt"))
	if os.IsNotExist(err) || goVersion == "" || semver.Compare("v"+goVersion, "v1.14") < 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var mods []vendoredModule
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		switch {
		case strings.HasPrefix(text, "## "):
			if len(mods) == 0 {
				continue
			}
			for _, attr := range strings.Split(strings.TrimPrefix(text, "## "), ";") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(attr), "go "); ok {
					mods[len(mods)-1].GoVersion = v
				}
			}
		case strings.HasPrefix(text, "# "):
			f := strings.Fields(strings.TrimPrefix(text, "# "))
			if len(f) < 2 {
				return nil, fmt.Errorf("%s:%d: malformed module line %q",
					filepath.Join(root, "vendor", "modules.txt"), line, text)
			}
			if f[1] == "=>" {
				continue // a replacement no vendored package uses
			}
			mods = append(mods, vendoredModule{Path: f[0]})
		}
	}
	return mods, sc.Err()
}

// vendorBuild returns what builds root's vendored modules from vendor/:
// their replaces, and the go.mod files the overlay adds for them.
func vendorBuild(root string, mods []vendoredModule) ([]moduleReplace, []overlayFile) {
	var reps []moduleReplace
	var files []overlayFile
	for _, m := range mods {
		dir := filepath.Join(root, "vendor", filepath.FromSlash(m.Path))
		reps = append(reps, moduleReplace{Path: m.Path, Dir: dir})
		gomod := "module " + modfile.AutoQuote(m.Path) + "\n"
		if m.GoVersion != "" {
			gomod += "\ngo " + m.GoVersion + "\n"
		}
		files = append(files, overlayFile{
			Path: filepath.Join(dir, "go.mod"),
			Rel:  filepath.Join("vendor", filepath.FromSlash(m.Path), "go.mod"),
			Data: []byte(gomod),
		})
	}
	return reps, files
}

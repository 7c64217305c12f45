// This file writes a Result: as an overlay for the go command, into a directory, in place, or as a diff.

package rewrite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/diff"
)

// WorkDir is the directory, under the module root, that gopatch owns. It is
// the only place gopatch writes in a user's tree unless asked to rewrite in
// place. The go command ignores directories starting with a dot.
const WorkDir = ".gopatch"

// rel returns f's path relative to the module root.
func (res *Result) rel(f *File) string {
	rel, err := filepath.Rel(res.ModuleRoot, f.Path)
	if err != nil {
		return f.Path
	}
	return rel
}

// WriteDir writes the rewritten files under dir, at their paths relative to
// the module root.
func (res *Result) WriteDir(dir string) error {
	for _, f := range res.Files {
		if err := writeFile(filepath.Join(dir, res.rel(f)), f.New); err != nil {
			return err
		}
	}
	return nil
}

// WriteInPlace overwrites the original files with the rewritten ones.
func (res *Result) WriteInPlace() error {
	for _, f := range res.Files {
		info, err := os.Stat(f.Path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(f.Path, f.New, info.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

// Diff returns a unified diff of every changed file, with paths relative to
// the module root.
func (res *Result) Diff() []byte {
	var b bytes.Buffer
	for _, f := range res.Files {
		rel := filepath.ToSlash(res.rel(f))
		b.Write(diff.Diff("a/"+rel, f.Old, "b/"+rel, f.New))
	}
	return b.Bytes()
}

// Paths returns the changed files' paths relative to the module root.
func (res *Result) Paths() []string {
	var list []string
	for _, f := range res.Files {
		list = append(list, res.rel(f))
	}
	return list
}

// writeOverlay writes the rewritten files under dir/src and an overlay file
// mapping each original path to its rewritten copy, in the format of the go
// command's -overlay flag. Only changed files are in the overlay.
func (res *Result) writeOverlay(dir string) (string, error) {
	overlay := struct{ Replace map[string]string }{map[string]string{}}
	for _, f := range res.Files {
		dst := filepath.Join(dir, "src", res.rel(f))
		if err := writeFile(dst, f.New); err != nil {
			return "", err
		}
		overlay.Replace[f.Path] = dst
	}
	data, err := json.MarshalIndent(overlay, "", "\t")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "overlay.json")
	return path, writeFile(path, append(data, '\n'))
}

// writeFile writes data to path, making its directory, and leaves the file
// untouched when it already holds data, so its modification time (and the
// go command's caches) stay valid.
func writeFile(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	// Write and rename, so a go command running concurrently from another
	// gopatch never reads half a file.
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// This file writes a Result: as an overlay for the go command, into a directory, in place, or as a diff.

package rewrite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

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

// WriteInPlace overwrites the original files with the rewritten ones, all or
// none: it stages every file in a temporary file next to its target and
// renames them over the targets only when all are staged. On a failure it
// removes the temporaries, and a file that has changed since it was read is
// a failure, so the tree is never left half-written. (Should a rename itself
// fail, the files already renamed get their old content back.)
func (res *Result) WriteInPlace() error {
	type staged struct {
		f   *File
		tmp string
	}
	var done []staged
	cleanup := func() {
		for _, s := range done {
			os.Remove(s.tmp)
		}
	}
	// pass 1 - stage
	for _, f := range res.Files {
		tmp, err := stage(f)
		if err != nil {
			cleanup()
			return err
		}
		done = append(done, staged{f, tmp})
	}
	// pass 2 - rename
	for i, s := range done {
		if err := os.Rename(s.tmp, s.f.Path); err != nil {
			for _, r := range done[:i] {
				os.WriteFile(r.f.Path, r.f.Old, 0o666) // mode is kept: the file exists
			}
			cleanup()
			return fmt.Errorf("writing %s: %w (no file was changed)", s.f.Path, err)
		}
	}
	return nil
}

// stage writes f's new content to a temporary file next to it, with f's
// mode, after checking that f still holds what was rewritten.
func stage(f *File) (string, error) {
	cur, err := os.ReadFile(f.Path)
	if err != nil {
		return "", err
	}
	if !bytes.Equal(cur, f.Old) {
		return "", fmt.Errorf("%s: changed while gopatch was rewriting it; nothing written", f.Path)
	}
	info, err := os.Stat(f.Path)
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), "."+filepath.Base(f.Path)+".gopatch*")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(f.New)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), info.Mode().Perm())
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("writing %s: %w", f.Path, err)
	}
	return tmp.Name(), nil
}

// Uncommitted returns, relative to the module root, the files WriteInPlace
// would write that git does not hold as they are: modified, staged,
// untracked or ignored. Writing only those files cannot lose work, since git
// can restore every other. It fails when the module root is not in a git
// work tree, where nothing could be restored.
func (res *Result) Uncommitted() ([]string, error) {
	if len(res.Files) == 0 {
		return nil, nil
	}
	top, err := git(res.ModuleRoot, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	topDir := strings.TrimSpace(string(top))
	args := []string{"status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching", "--"}
	args = append(args, res.Paths()...)
	// Paths are names, not patterns: a file named a[1].go is just that.
	out, err := git(res.ModuleRoot, append([]string{"--literal-pathspecs"}, args...)...)
	if err != nil {
		return nil, err
	}
	// git names files from its real top-level directory.
	root, err := filepath.EvalSymlinks(res.ModuleRoot)
	if err != nil {
		root = res.ModuleRoot
	}
	var list []string
	// Each entry is "XY path\0"; a rename adds "orig\0".
	fields := strings.Split(string(out), "\x00")
	for i := 0; i < len(fields); i++ {
		e := fields[i]
		if len(e) < 4 {
			continue
		}
		if e[0] == 'R' || e[0] == 'C' {
			i++ // skip the original path
		}
		path := filepath.Join(topDir, filepath.FromSlash(e[3:]))
		if rel, err := filepath.Rel(root, path); err == nil {
			path = rel
		}
		list = append(list, path)
	}
	sort.Strings(list)
	return list, nil
}

// git runs git in dir and returns its standard output; an error carries
// git's first line of complaint.
func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		if msg == "" {
			msg = err.Error()
		}
		verb := args[0]
		for _, a := range args {
			if !strings.HasPrefix(a, "-") {
				verb = a
				break
			}
		}
		return nil, fmt.Errorf("git %s: %s", verb, msg)
	}
	return out, nil
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

// An overlayFile is a file the overlay adds or replaces besides the
// rewritten ones: Path is where the build sees it, Rel where its content
// is written under the .gopatch directory.
type overlayFile struct {
	Path, Rel string
	Data      []byte
}

// writeOverlay writes the rewritten files under dir/src, the added files
// where their Rel says, and an overlay file mapping each path the build
// sees to its copy, in the format of the go command's -overlay flag.
// Only changed and added files are in the overlay; an added file takes
// the place of a rewritten one with its path.
func (res *Result) writeOverlay(dir string, added []overlayFile) (string, error) {
	overlay := struct{ Replace map[string]string }{map[string]string{}}
	replaced := map[string]bool{}
	for _, f := range added {
		replaced[f.Path] = true
	}
	for _, f := range res.Files {
		if res.copied(f) || replaced[f.Path] {
			continue // written into its module's copy (deps.go), or added edited
		}
		dst := filepath.Join(dir, "src", res.overlayRel(f))
		if err := writeFile(dst, f.New); err != nil {
			return "", err
		}
		overlay.Replace[f.Path] = dst
	}
	for _, f := range added {
		dst := filepath.Join(dir, f.Rel)
		if err := writeFile(dst, f.Data); err != nil {
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

package rewrite

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestStdWorkerFilesEditInPlace: each worker edit matches this GOROOT
// once and keeps the file's line count, a file with several edits is
// returned once; a file the build rewrote is
// edited in place, and only the others and the added files are returned.
func TestStdWorkerFilesEditInPlace(t *testing.T) {
	goroot, err := goRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	out, err := stdWorkerFiles(goroot, nil)
	if err != nil {
		t.Fatal(err)
	}
	edited := map[string]bool{}
	for _, e := range stdWorkerEdits {
		edited[e.file] = true
	}
	if want := len(edited) + len(stdWorkerAdded); len(out) != want {
		t.Fatalf("stdWorkerFiles returned %d files, want %d", len(out), want)
	}
	for _, f := range out {
		if f.Old != nil && bytes.Count(f.Old, []byte("\n")) != bytes.Count(f.New, []byte("\n")) {
			t.Errorf("%s: the edit changes the line count", f.Path)
		}
	}

	dial := filepath.Join(goroot, "src", "net", "dial.go")
	var original []byte
	for _, f := range out {
		if f.Path == dial {
			original = f.Old
		}
	}
	rewritten := &File{Path: dial, Old: original, New: append([]byte("// rewritten\n"), original...)}
	out, err = stdWorkerFiles(goroot, []*File{rewritten})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out {
		if f.Path == dial {
			t.Errorf("net/dial.go, rewritten, is returned as a file of its own")
		}
	}
	if !bytes.HasPrefix(rewritten.New, []byte("// rewritten\n")) || !bytes.Contains(rewritten.New, []byte("gopatchListen(network, address)")) {
		t.Errorf("the rewritten net/dial.go was not edited in place")
	}
}

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
func TestStdWorkerFilesEditACopy(t *testing.T) {
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
	before := string(rewritten.New)
	// Twice, as a build that loads through its workspace prepares it
	// twice (Cache.Rewrite): the edits apply to the rewrite each time.
	for range 2 {
		out, err = stdWorkerFiles(goroot, []*File{rewritten})
		if err != nil {
			t.Fatal(err)
		}
		var edited *File
		for _, f := range out {
			if f.Path == dial {
				edited = f
			}
		}
		if edited == nil || !bytes.HasPrefix(edited.New, []byte("// rewritten\n")) || !bytes.Contains(edited.New, []byte("gopatchListen(network, address)")) {
			t.Fatalf("the rewritten net/dial.go is not returned edited")
		}
		if string(rewritten.New) != before {
			t.Fatalf("stdWorkerFiles changed the rewritten net/dial.go it was given")
		}
	}
}

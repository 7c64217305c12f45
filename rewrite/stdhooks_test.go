package rewrite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every edit of the standard library applies exactly once to this
// machine's GOROOT, and every added file is new there.
func TestStdHookFilesApply(t *testing.T) {
	goroot, err := goRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	files, err := stdHookFiles(goroot)
	if err != nil {
		t.Fatal(err)
	}
	patched, added := 0, 0
	for _, f := range files {
		if !strings.HasPrefix(f.Path, filepath.Join(goroot, "src")+string(filepath.Separator)) {
			t.Errorf("%s is not under GOROOT/src", f.Path)
		}
		if f.Old == nil {
			added++
			continue
		}
		patched++
		if string(f.Old) == string(f.New) {
			t.Errorf("%s: unchanged", f.Path)
		}
	}
	if want := len(stdAdded); added != want {
		t.Errorf("%d files added, want %d", added, want)
	}
	if patched == 0 {
		t.Error("no file patched")
	}
}

// A GOROOT whose code the edits do not match is refused, naming the file
// and the Go version, rather than patched wrong.
func TestStdHookFilesRefuseAnUnknownGo(t *testing.T) {
	goroot := t.TempDir()
	for _, e := range stdEdits {
		path := filepath.Join(goroot, "src", filepath.FromSlash(e.file))
		writeTestFile(t, path, []byte("package x\n"))
	}
	_, err := stdHookFiles(goroot)
	if err == nil {
		t.Fatal("patched a GOROOT whose code does not match")
	}
	if !strings.Contains(err.Error(), "fd_poll_runtime.go") || !strings.Contains(err.Error(), "does not know the Go version") {
		t.Errorf("error does not name the file and the reason: %v", err)
	}
	if _, err := os.Stat(filepath.Join(goroot, "src", "internal", "poll", "gopatch_hook.go")); err == nil {
		t.Error("wrote into GOROOT")
	}
}

// rt's blockOffHub tells an fd wait with a deadline, which holds a virtual
// clock still, by the name the poll hook gives it: the two must agree
// (rt/native.go's ioDeadlineWait).
func TestStdHookNamesDeadlineWaits(t *testing.T) {
	hook := stdAdded["internal/poll/gopatch_hook_poll.go"]
	if !strings.Contains(hook, `what = "I/O wait with a deadline"`) {
		t.Errorf("the poll hook no longer names a wait with a deadline \"I/O wait with a deadline\"")
	}
	rtSrc, err := os.ReadFile("../rt/native.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rtSrc), `const ioDeadlineWait = "I/O wait with a deadline"`) {
		t.Errorf("rt/native.go's ioDeadlineWait is not the name the poll hook gives")
	}
}

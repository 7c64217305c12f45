package check_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/gopatch/gopatch/check"
)

// testdata is the GOPATH of the analyzer's annotated packages: each
// finding they must produce is a // want comment, and a line without one
// must produce none.
var testdata = func() string {
	dir, err := filepath.Abs(filepath.Join("..", "testdata", "check"))
	if err != nil {
		panic(err)
	}
	return dir
}()

func TestSyscallBlocksTheHub(t *testing.T) { analysistest.Run(t, testdata, check.Analyzer, "syscalls") }
func TestCgoCallBlocksTheHub(t *testing.T) { analysistest.Run(t, testdata, check.Analyzer, "cgocall") }
func TestReflectChannelWaits(t *testing.T) {
	analysistest.Run(t, testdata, check.Analyzer, "reflectwait")
}
func TestSpinLoopOnAtomic(t *testing.T) { analysistest.Run(t, testdata, check.Analyzer, "spin") }

func TestNativeStdInTwinnedPackage(t *testing.T) {
	analysistest.Run(t, testdata, check.Analyzer, "nativestd", "nativeplain")
}

func TestCleanPackageHasNoFindings(t *testing.T) {
	analysistest.Run(t, testdata, check.Analyzer, "clean", "twin")
}

func TestUnsupportedConstructs(t *testing.T) {
	for _, pkg := range []string{"entrymethod", "embedded/b", "timermethod", "offloadarity"} {
		t.Run(filepath.Base(pkg), func(t *testing.T) { analysistest.Run(t, testdata, check.Analyzer, pkg) })
	}
}

package rewrite

import (
	"path/filepath"
	"testing"
)

// TestPackageKeysThroughTestCycles keys packages whose tests close an
// import cycle, as x/tools' do: p's external test imports q, which imports
// p. Each root is keyed with its tests, and a dependency contributes only
// its non-test files.
func TestPackageKeysThroughTestCycles(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "go.mod"), []byte("module example.com/k\n\ngo 1.26\n"))
	writeTestFile(t, filepath.Join(dir, "p", "p.go"), []byte("package p\n\nfunc P() int { return 1 }\n"))
	writeTestFile(t, filepath.Join(dir, "p", "p_test.go"), []byte("package p_test\n\nimport (\n\t\"testing\"\n\n\t\"example.com/k/q\"\n)\n\nfunc TestP(t *testing.T) { _ = q.Q() }\n"))
	writeTestFile(t, filepath.Join(dir, "q", "q.go"), []byte("package q\n\nimport \"example.com/k/p\"\n\nfunc Q() int { return p.P() }\n"))
	writeTestFile(t, filepath.Join(dir, "q", "q_test.go"), []byte("package q\n\nimport \"testing\"\n\nfunc TestQ(t *testing.T) {}\n"))
	keys := func() map[string]string {
		t.Helper()
		list, err := PackageKeys(Options{Dir: dir, Tests: true}, "./...")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, p := range list {
			if p.Key == "" {
				t.Fatalf("%s has no key", p.ImportPath)
			}
			m[p.ImportPath] = p.Key
		}
		if len(m) != 2 {
			t.Fatalf("keyed %v, want p and q", m)
		}
		return m
	}
	before := keys()

	// A test file of q changes q's key alone: p sees only q's types.
	writeTestFile(t, filepath.Join(dir, "q", "q_test.go"), []byte("package q\n\nimport \"testing\"\n\nfunc TestQ(t *testing.T) { t.Log() }\n"))
	after := keys()
	if after["example.com/k/p"] != before["example.com/k/p"] {
		t.Error("p's key changed with a test file of q")
	}
	if after["example.com/k/q"] == before["example.com/k/q"] {
		t.Error("q's key did not change with its test file")
	}

	// p's own file changes both: q imports p.
	writeTestFile(t, filepath.Join(dir, "p", "p.go"), []byte("package p\n\nfunc P() int { return 2 }\n"))
	last := keys()
	if last["example.com/k/p"] == after["example.com/k/p"] || last["example.com/k/q"] == after["example.com/k/q"] {
		t.Error("a change to p.go did not change both keys")
	}
}

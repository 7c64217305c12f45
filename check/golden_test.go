package check

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestEveryCodeHasAGoldenTest requires each code of the table to be
// expected somewhere a test checks it: a // want comment of the
// analyzer's testdata, a CLI script's expected output, or this package's
// own tests (GP0101, which no valid Go reaches today). A new code without
// a case that triggers it fails here.
func TestEveryCodeHasAGoldenTest(t *testing.T) {
	var files []string
	for _, glob := range []string{"../testdata/check/src/*/*.go", "../testdata/check/src/*/*/*.go", "../testdata/script/*.txtar", "*_test.go"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	// An expectation names the code as it prints: "(GPnnnn)" in a want
	// regexp or a script, escaped or not; codes_test.go names constants.
	expected := regexp.MustCompile(`GP\d{4}`)
	seen := map[string]bool{}
	for _, f := range files {
		if filepath.Base(f) == "golden_test.go" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range expected.FindAllString(string(data), -1) {
			seen[c] = true
		}
	}
	seen[CodeUnsupported] = seen[CodeUnsupported] || testsClassifyFallback
	for _, c := range Codes() {
		if !seen[c.Code] {
			t.Errorf("%s (%s) has no test that expects it", c.Code, c.Title)
		}
	}
}

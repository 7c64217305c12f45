package rewrite

import (
	"bytes"
	"errors"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/rewrite/*.txtar")

// TestRewrite runs the golden cases in testdata/rewrite. Each archive holds
// a go.mod and input files; each -- want/<file> -- section is that file
// rewritten (without line directives, for reading), and an -- error --
// section is a regexp the rewrite error must match. Each output is also
// built and vetted, rewritten with line directives, through the same
// overlay and go.mod the CLI uses, and rewriting it again changes nothing.
func TestRewrite(t *testing.T) {
	files, err := filepath.Glob("../testdata/rewrite/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden cases")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testGolden(t, file)
		})
	}
}

func testGolden(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var wantErr *regexp.Regexp
	for _, f := range ar.Files {
		switch {
		case f.Name == "error":
			wantErr = regexp.MustCompile(strings.TrimSpace(string(f.Data)))
		case strings.HasPrefix(f.Name, "want/"):
		default:
			writeTestFile(t, filepath.Join(dir, f.Name), f.Data)
		}
	}
	res, err := Rewrite(Options{Dir: dir, Tests: true}, "./...")
	if wantErr != nil {
		if err == nil {
			t.Fatalf("rewrite succeeded, want error matching %q", wantErr)
		}
		msg := strings.ReplaceAll(err.Error(), dir+string(os.PathSeparator), "")
		if !wantErr.MatchString(msg) {
			t.Fatalf("error:\n%s\nwant match for %q", msg, wantErr)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}

	// Compare with, or update, the want sections.
	got := map[string][]byte{}
	for _, f := range res.Files {
		got["want/"+filepath.ToSlash(res.rel(f))] = f.New
	}
	var kept []txtar.File
	for _, f := range ar.Files {
		if !strings.HasPrefix(f.Name, "want/") {
			kept = append(kept, f)
		}
	}
	if *update {
		for _, p := range res.Paths() {
			n := "want/" + filepath.ToSlash(p)
			kept = append(kept, txtar.File{Name: n, Data: got[n]})
		}
		ar.Files = kept
		if err := os.WriteFile(file, txtar.Format(ar), 0o666); err != nil {
			t.Fatal(err)
		}
	} else {
		seen := map[string]bool{}
		for _, f := range ar.Files {
			if !strings.HasPrefix(f.Name, "want/") {
				continue
			}
			seen[f.Name] = true
			if g, ok := got[f.Name]; !ok {
				t.Errorf("%s: file not rewritten", f.Name)
			} else if !bytes.Equal(g, f.Data) {
				t.Errorf("%s: got:\n%s\nwant:\n%s", f.Name, g, f.Data)
			}
		}
		for n := range got {
			if !seen[n] {
				t.Errorf("%s: rewritten but has no want section (run go test -update)", n)
			}
		}
	}

	// Build and vet the output as the CLI does: with line directives, through the overlay.
	res, err = Rewrite(Options{Dir: dir, Tests: true, LineDirectives: true}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		checkLinePositions(t, f)
	}
	ws, err := Prepare(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"build", "vet"} {
		if out, err := goCommand(dir, ws, verb, "./..."); err != nil {
			t.Fatalf("go %s of the rewritten code: %v\n%s", verb, err, out)
		}
	}

	// Idempotence: the rewritten tree, rewritten again, does not change.
	res, err = Rewrite(Options{Dir: dir, Tests: true}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if err := res.WriteInPlace(); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(dir, WorkDir, n))
		if err != nil {
			t.Fatal(err)
		}
		writeTestFile(t, filepath.Join(dir, n), data)
	}
	res, err = Rewrite(Options{Dir: dir, Tests: true}, "./...")
	var de *DiagnosticsError
	if errors.As(err, &de) || err != nil {
		t.Fatalf("rewriting the rewritten code: %v", err)
	}
	for _, f := range res.Files {
		t.Errorf("rewriting again changed %s:\n%s", res.rel(f), res.Diff())
	}
}

// goCommand runs go verb args in dir and returns its combined output. With a
// workspace it builds the rewritten code as the CLI does, through ws's
// overlay and go.mod; with nil, the original code.
func goCommand(dir string, ws *Workspace, verb string, args ...string) ([]byte, error) {
	// -trimpath lets the cases share one compiled rt: without it the build
	// cache keys packages by directory, and each case has its own.
	all := []string{verb, "-trimpath"}
	if ws != nil {
		all = append(all, ws.Flags()...)
	}
	cmd := exec.Command("go", append(all, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
	return cmd.CombinedOutput()
}

// checkLinePositions checks the line directives of a rewritten file: every
// identifier the rewrite kept, read back through the directives, is at a
// position where the original file has that identifier.
func checkLinePositions(t *testing.T, f *File) {
	t.Helper()
	fset := token.NewFileSet()
	out, err := parser.ParseFile(fset, "out.go", f.New, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("rewritten %s does not parse: %v", f.Path, err)
	}
	lines := bytes.Split(f.Old, []byte("\n"))
	generated := map[string]bool{"nil": true, "true": true, "false": true, "panic": true, "int": true}
	// Embedded fields a method call is promoted through, which the rewrite
	// names in &x.Mutex and which the original source does not spell out.
	for _, n := range []string{"Mutex", "RWMutex", "WaitGroup", "Cond", "Once", "Timer", "Ticker"} {
		generated[n] = true
	}
	ast.Inspect(out, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			return !strings.HasPrefix(n.Name.Name, rtName) // a helper gopatch added
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && strings.HasPrefix(x.Name, rtName) {
				return false // gopatchrt.Go, gopatchrt_1.V
			}
		case *ast.Ident:
			if strings.HasPrefix(n.Name, rtName) || generated[n.Name] || n.Name == "_" {
				return false
			}
			p := fset.Position(n.Pos())
			if p.Filename != f.Path {
				t.Errorf("%s: %s maps to file %s", fset.PositionFor(n.Pos(), false), n.Name, p.Filename)
				return false
			}
			if p.Line < 1 || p.Line > len(lines) || p.Column < 1 ||
				!bytes.HasPrefix(lines[p.Line-1][min(p.Column-1, len(lines[p.Line-1])):], []byte(n.Name)) {
				t.Errorf("%s: identifier %s maps to %s:%d:%d, which does not hold it", fset.PositionFor(n.Pos(), false), n.Name, filepath.Base(p.Filename), p.Line, p.Column)
			}
		}
		return true
	})
}

func writeTestFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o666); err != nil {
		t.Fatal(err)
	}
}

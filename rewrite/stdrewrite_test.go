package rewrite

import "testing"

// Of the standard library, a PatchAll build rewrites what lies above rt
// and is none of the packages it must leave native.
func TestStdRoots(t *testing.T) {
	below, err := listBelowRT(&Options{Dir: "."})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"os", "sync", "time", "context", "fmt", "internal/poll", "io"} {
		if !below[p] {
			t.Errorf("%s is not counted below rt", p)
		}
	}
	pkgs := map[string]*listedPackage{}
	for _, p := range []string{"net/http", "os/exec", "internal/singleflight", "fmt", "os", "testing",
		"os/signal", "crypto/internal/fips140/drbg", "runtime/debug", "unique"} {
		pkgs[p] = &listedPackage{ImportPath: p, Standard: true, GoFiles: []string{"x.go"}}
	}
	// A package with cgo files is rewritten in its plain files (cgoGenerated).
	pkgs["net"] = &listedPackage{ImportPath: "net", Standard: true, GoFiles: []string{"x.go"}, CgoFiles: []string{"cgo.go"}}
	pkgs["example.com/dep"] = &listedPackage{ImportPath: "example.com/dep", GoFiles: []string{"x.go"}}
	var got []string
	for _, p := range stdRoots(pkgs, below) {
		got = append(got, p.ImportPath)
	}
	want := []string{"internal/singleflight", "net", "net/http", "os/exec"}
	if len(got) != len(want) {
		t.Fatalf("stdRoots = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("stdRoots = %v, want %v", got, want)
		}
	}
}

// A standard package rewrites the same whether the packages it imports are
// type-checked from source (as Cache.rewriteDeps loads them) or read from
// the export data the go command compiles.
func TestStdRewriteSameFromSource(t *testing.T) {
	roots := []string{"os/exec", "internal/singleflight"}
	rewrite := func(fromSource bool) map[string]string {
		opts := Options{Dir: ".", LineDirectives: true, patched: map[string]bool{}, typesFromSource: fromSource}
		for _, p := range roots {
			opts.patched[p] = true
		}
		res, err := Rewrite(opts, roots...)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		for _, f := range res.Files {
			files[f.Path] = string(f.New)
		}
		return files
	}
	exported, fromSource := rewrite(false), rewrite(true)
	if len(exported) == 0 {
		t.Fatalf("nothing of %v rewritten", roots)
	}
	for path, want := range exported {
		if got, ok := fromSource[path]; !ok {
			t.Errorf("%s: rewritten from export data only", path)
		} else if got != want {
			t.Errorf("%s: rewritten differently from source", path)
		}
	}
	if len(fromSource) != len(exported) {
		t.Errorf("from source: %d files rewritten; from export data: %d", len(fromSource), len(exported))
	}
}

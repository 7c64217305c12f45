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

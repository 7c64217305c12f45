package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/goproxytest"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "update testscript cmp files")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"gopatch": main})
}

// TestScript runs the CLI scripts in testdata/script as a user would: the
// real binary, in a fresh module made by each script.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       *update,
		Setup:               goEnv(t),
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"distinct": distinctLines},
	})
}

// distinctLines is the script command "distinct file min max": it fails
// unless file holds from min to max distinct lines.
func distinctLines(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: distinct file min max")
	}
	lo, err1 := strconv.Atoi(args[1])
	hi, err2 := strconv.Atoi(args[2])
	if err1 != nil || err2 != nil {
		ts.Fatalf("distinct: min and max must be numbers")
	}
	seen := map[string]bool{}
	for line := range strings.SplitSeq(strings.TrimSuffix(ts.ReadFile(args[0]), "\n"), "\n") {
		seen[line] = true
	}
	if n := len(seen); n < lo || n > hi {
		ts.Fatalf("%s holds %d distinct lines; want %d to %d", args[0], n, lo, hi)
	}
}

// goEnv passes the go command the caches and proxy settings of the test's
// environment, so scripts build offline from the module cache.
//
// A script that builds against dependency modules gets them from a module
// proxy on loopback serving testdata/mod: $TESTPROXY, to use with
// $REALPROXY (the module cache's download directory as a file:// proxy,
// for rt's own requirements) and a module cache of the script's own, so
// that no fixture module lands in the user's.
func goEnv(t *testing.T) func(*testscript.Env) error {
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPROXY", "GOPATH").Output()
	if err != nil {
		t.Fatal(err)
	}
	v := strings.Split(strings.TrimSpace(string(out)), "\n")
	proxy := goproxytest.NewTestServer(t, "../../testdata/mod", "")
	// One gopatch cache for every script, as a user's machine has one: the
	// rt copy and the rewritten standard library and dependencies compiled
	// against it are then built once, not once a script.
	shared := t.TempDir()
	// $GOPATCHSRC is this module's source, for scripts that use gopatch as
	// a user's module does (go get -tool): a replace points at it.
	src, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return func(e *testscript.Env) error {
		e.Setenv("GOPATCHSRC", src)
		e.Setenv("GOPATCHCACHE", shared)
		e.Setenv("TESTPROXY", proxy.URL)
		e.Setenv("REALPROXY", "file://"+filepath.ToSlash(filepath.Join(v[1], "cache", "download")))
		e.Setenv("GOCACHE", v[0])
		e.Setenv("GOMODCACHE", v[1])
		e.Setenv("GOPROXY", v[2])
		e.Setenv("GOPATH", v[3])
		e.Setenv("GOFLAGS", "-mod=readonly")
		e.Setenv("GOTOOLCHAIN", "local")
		return copyTutorial(e.WorkDir + "/tutorial")
	}
}

// copyTutorial copies the gevent tutorial's programs as plain Go,
// testdata/tutorial/*, into dir as the module example.com/tutorial, a module that has never heard of gopatch.
func copyTutorial(dir string) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/tutorial\n\ngo 1.26\n"), 0o666); err != nil {
		return err
	}
	return os.CopyFS(dir, os.DirFS("../../testdata/tutorial"))
}

// This file runs the differential corpus, testdata/diff: every program there is built natively and under gopatch, and both builds must print the same and exit with the same code.

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

const (
	// diffCorpus holds one main package per directory; pending/ holds the
	// programs that do not pass yet and is not run (see its README.md).
	diffCorpus = "../../testdata/diff"

	// sortOutputDirective in a program's main.go says its output lines may
	// come in any order natively, so both outputs are sorted before they are
	// compared. Nothing else about a comparison can be relaxed.
	sortOutputDirective = "// gopatch:sort-output"

	// goOrderDirective in a program's main.go says its output shows the
	// order goroutines run in, which natively is a function of the program
	// at GOMAXPROCS=1 (the runtime's runnext), and which gopatch's default
	// schedule must reproduce: the native build runs at GOMAXPROCS=1.
	goOrderDirective = "// gopatch:go-order"

	// diffRunTimeout bounds one run of one program. Every program finishes
	// in well under a second natively; a rewritten one that outlives this
	// has hung its hub.
	diffRunTimeout = 15 * time.Second

	// corpusLdflags is passed to both builds alike.
	corpusLdflags = "-ldflags=-w"
)

// TestDiffCorpus builds every program of the corpus twice, with go build
// and with the real gopatch binary (gopatch build), and requires each pair
// of binaries to write the same standard output and exit with the same code.
// Standard error is not compared (panic traces name rt frames) but is shown
// on failure.
func TestDiffCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the corpus twice")
	}
	// TestMain's testscript.Main put this test binary on PATH as gopatch,
	// the same binary the scripts in testdata/script run.
	gopatch, err := exec.LookPath("gopatch")
	if err != nil {
		t.Fatal(err)
	}
	progs, err := corpusPrograms(diffCorpus)
	if err != nil {
		t.Fatal(err)
	}
	if len(progs) == 0 {
		t.Fatalf("no programs in %s", diffCorpus)
	}

	// The corpus is copied into a fresh module, example.com/diff, that has
	// never heard of gopatch, so .gopatch is written there and not in this
	// checkout.
	mod := t.TempDir()
	env := corpusEnv(t)
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/diff\n\ngo 1.26\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	pkgs := make([]string, len(progs))
	for i, p := range progs {
		if err := os.CopyFS(filepath.Join(mod, p), os.DirFS(filepath.Join(diffCorpus, p))); err != nil {
			t.Fatal(err)
		}
		pkgs[i] = "./" + p
	}

	// One go build and one gopatch build for the whole corpus keep the run
	// short; the per-program fallback below only names the culprit. Linking
	// dominates, and leaving out DWARF (-ldflags=-w) cuts it by a third;
	// panics still print their stacks.
	nativeDir, patchedDir := filepath.Join(mod, "native")+"/", filepath.Join(mod, "patched")+"/"
	if out, err := corpusCommand(mod, env, "go", append([]string{"build", corpusLdflags, "-o", nativeDir}, pkgs...)...).CombinedOutput(); err != nil {
		t.Fatalf("go build of the corpus: %v\n%s", err, out)
	}
	buildErr := map[string]string{}
	if out, err := corpusCommand(mod, env, gopatch, append([]string{"build", corpusLdflags, "-o", patchedDir}, pkgs...)...).CombinedOutput(); err != nil {
		t.Logf("gopatch build of the whole corpus failed (%v); building each program alone\n%s", err, out)
		buildErr = buildEach(mod, env, gopatch, patchedDir, progs)
	}

	for _, p := range progs {
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			if msg, ok := buildErr[p]; ok {
				t.Fatalf("gopatch build ./%s:\n%s", p, msg)
			}
			sorted, err := hasDirective(filepath.Join(mod, p, "main.go"), sortOutputDirective)
			if err != nil {
				t.Fatal(err)
			}
			goOrder, err := hasDirective(filepath.Join(mod, p, "main.go"), goOrderDirective)
			if err != nil {
				t.Fatal(err)
			}
			var nativeEnv []string
			if goOrder {
				nativeEnv = []string{"GOMAXPROCS=1"}
			}
			native := runProgram(t, filepath.Join(nativeDir, p), nativeEnv...)
			patched := runProgram(t, filepath.Join(patchedDir, p))
			if native.timedOut {
				t.Fatalf("native run did not finish in %v; the program is not fit for the corpus\nstderr:\n%s", diffRunTimeout, tail(native.stderr))
			}
			no, po := native.stdout, patched.stdout
			if sorted {
				no, po = sortLines(no), sortLines(po)
			}
			if patched.timedOut {
				t.Errorf("rewritten run did not finish in %v (native exit %d)", diffRunTimeout, native.code)
			} else if patched.code != native.code {
				t.Errorf("exit code: native %d, rewritten %d", native.code, patched.code)
			}
			if no != po {
				t.Errorf("standard output differs (sorted: %v)\n--- native\n%s--- rewritten\n%s", sorted, no, po)
			}
			if t.Failed() {
				t.Logf("rewritten stderr:\n%s", tail(patched.stderr))
			}
		})
	}
}

// corpusPrograms returns the names of the directories of dir that hold a
// main.go, in order, leaving out pending.
func corpusPrograms(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var progs []string
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "pending" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "main.go")); err == nil {
			progs = append(progs, e.Name())
		}
	}
	return progs, nil
}

// corpusEnv returns the environment the corpus builds in: the one the CLI
// scripts get from goEnv (caches, proxy, -mod=readonly, the local
// toolchain) over this process's own.
func corpusEnv(t *testing.T) []string {
	e := &testscript.Env{WorkDir: t.TempDir()}
	if err := goEnv(t)(e); err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), e.Vars...)
}

func corpusCommand(dir string, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	return cmd
}

// buildEach builds every program alone under gopatch, two at a time, and
// returns the output of each build that failed.
func buildEach(mod string, env []string, gopatch, outDir string, progs []string) map[string]string {
	var (
		mu     sync.Mutex
		failed = map[string]string{}
		wg     sync.WaitGroup
		sem    = make(chan struct{}, 2)
	)
	for _, p := range progs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out, err := corpusCommand(mod, env, gopatch, "build", corpusLdflags, "-o", filepath.Join(outDir, p), "./"+p).CombinedOutput()
			if err != nil {
				mu.Lock()
				failed[p] = fmt.Sprintf("%v\n%s", err, out)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return failed
}

// hasDirective reports whether the program's file carries directive on a
// line of its own.
func hasDirective(file, directive string) (bool, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return false, err
	}
	return slices.Contains(strings.Split(string(src), "\n"), directive), nil
}

// A programRun is what one run of a corpus binary did.
type programRun struct {
	stdout, stderr string
	code           int
	timedOut       bool
}

// runProgram runs bin with no input, env added to this process's
// environment, and diffRunTimeout to finish.
func runProgram(t *testing.T, bin string, env ...string) programRun {
	ctx, cancel := context.WithTimeout(context.Background(), diffRunTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := programRun{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.timedOut = true
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return r
}

func sortLines(s string) string {
	lines := strings.SplitAfter(s, "\n")
	slices.Sort(lines)
	return strings.Join(lines, "")
}

// tail returns the last 2,000 bytes of s, enough for a panic or a deadlock
// report's head without flooding the log.
func tail(s string) string {
	const n = 2000
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

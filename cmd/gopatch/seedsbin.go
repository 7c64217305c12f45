// This file runs gopatch test -seeds on test binaries built once: go test
// -c writes one a package, and each seed runs each binary, which saves the
// go command and a link a package a seed.

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	pathpkg "path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gopatch/gopatch/internal/gocmd"
	"github.com/gopatch/gopatch/rewrite"
	"github.com/gopatch/gopatch/rt/schedule"
)

// seedBinaries is a -seeds run on binaries built once.
type seedBinaries struct {
	dir      string      // where go test -c wrote the binaries
	pkgs     []binaryPkg // in go list order
	testArgs []string    // -test.* flags for every binary
	verbose  bool        // -v: print passing output too
}

type binaryPkg struct {
	path, dir, binary string // binary is "" for a package without tests
}

// buildSeedBinaries splits args into build and test flags and builds one
// test binary a package. ok is false when the arguments hold something
// only go test itself runs (a [gocmd.GoTest] flag such as -json, -cover,
// a profile, -fuzz or -list; arguments after the packages that are no
// test flags) or the build fails: the caller then runs go test a seed,
// which handles everything and reports a build failure itself.
func buildSeedBinaries(ctx context.Context, ws *rewrite.Workspace, g gocmd.Args) (_ *seedBinaries, ok bool, err error) {
	var build []string
	sb := &seedBinaries{}
	timeout := false
	take := func(args []string, afterPackages bool) bool {
		for i := 0; i < len(args); i++ {
			a := args[i]
			name, value, hasValue := gocmd.Cut(a)
			name = strings.TrimPrefix(name, "test.")
			f := gocmd.Lookup(name)
			switch {
			case !strings.HasPrefix(a, "-") || f.Kind == gocmd.GoTest:
				return false
			case f.Kind == gocmd.TestBinary:
				if f.Value && !hasValue {
					if i+1 == len(args) {
						return false
					}
					i++
					value = args[i]
				}
				if name == "v" {
					sb.verbose = value != "false"
				}
				timeout = timeout || name == "timeout"
				if f.Value || hasValue {
					sb.testArgs = append(sb.testArgs, "-test."+name+"="+value)
				} else {
					sb.testArgs = append(sb.testArgs, "-test."+name)
				}
			case afterPackages:
				return false
			default:
				build = append(build, a)
				if !hasValue && f.Value && i+1 < len(args) {
					i++
					build = append(build, args[i])
				}
			}
		}
		return true
	}
	if !take(g.Flags, false) || !take(g.After, true) {
		return nil, false, nil
	}
	// What go test gives every test binary it runs; runPkg adds the
	// count of runs.
	sb.testArgs = append([]string{"-test.paniconexit0"}, sb.testArgs...)
	if !timeout {
		sb.testArgs = append(sb.testArgs, "-test.timeout=10m0s")
	}
	if sb.dir, err = os.MkdirTemp(ws.Dir, "seeds-"); err != nil {
		return nil, false, err
	}
	list := gocmd.Command(ctx, append(append(append([]string{"list"}, ws.Flags()...), build...),
		append([]string{"-f", "{{.ImportPath}}\t{{.Dir}}\t{{len .TestGoFiles}}\t{{len .XTestGoFiles}}"}, g.Packages...)...)...)
	out, err := list.Output()
	if err != nil {
		sb.remove()
		return nil, false, nil
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			continue
		}
		p := binaryPkg{path: f[0], dir: f[1]}
		if f[2] != "0" || f[3] != "0" {
			p.binary = filepath.Join(sb.dir, execName(f[0])+".test")
		}
		sb.pkgs = append(sb.pkgs, p)
	}
	// go test -c -o DIR/ names each binary after its package's last
	// element, and refuses two packages with the same one (a/fixed and
	// b/fixed): those are built one a package, each to a name of its own.
	seen := make(map[string]bool)
	clash := false
	for _, p := range sb.pkgs {
		if p.binary != "" {
			clash = clash || seen[p.binary]
			seen[p.binary] = true
		}
	}
	var compiles []*exec.Cmd
	testC := append(append([]string{"test", "-c"}, ws.Flags()...), build...)
	if !clash {
		compiles = append(compiles, gocmd.Command(ctx, append(append(testC, "-o", sb.dir+string(filepath.Separator)), g.Packages...)...))
	} else {
		for i := range sb.pkgs {
			p := &sb.pkgs[i]
			if p.binary == "" {
				continue
			}
			p.binary = filepath.Join(sb.dir, fmt.Sprintf("%d-%s.test", i, filepath.Base(p.path)))
			compiles = append(compiles, gocmd.Command(ctx, append(testC, "-o", p.binary, p.path)...))
		}
	}
	// A failed build is left to go test a seed, which prints it itself.
	for _, c := range compiles {
		if err := c.Run(); err != nil {
			sb.remove()
			return nil, false, nil
		}
	}
	if len(sb.pkgs) == 0 {
		sb.remove()
		return nil, false, nil
	}
	for _, p := range sb.pkgs {
		if _, err := os.Stat(p.binary); p.binary != "" && err != nil {
			sb.remove() // a binary not where expected: let go test run it
			return nil, false, nil
		}
	}
	return sb, true, nil
}

func (sb *seedBinaries) remove() { os.RemoveAll(sb.dir) }

// execName is the go command's name for the binary of the package at
// path: its last element, or the one before a major version suffix
// (example.com/pond/v2 is pond), as go test -c -o dir/ names it.
func execName(path string) string {
	elem := pathpkg.Base(path)
	if dir := pathpkg.Dir(path); dir != "." && len(elem) >= 2 && elem[0] == 'v' && strings.Trim(elem[1:], "0123456789") == "" && elem != "v0" && elem != "v1" {
		return pathpkg.Base(dir)
	}
	return elem
}

// seedEnv is the environment a test binary runs seeds in, past the
// caller's: the schedule, and GOMAXPROCS=1 unless the caller set it. A
// hub runs one greenlet at a time, so a second P does nothing for a
// seeded test but wake threads: each t.Run's goroutine and each handoff
// back started an idle M, a sixth of a small test's CPU in futex calls
// (bench/seeds.sh: 19,200 schedules a second at GOMAXPROCS=2, 23,800 at
// 1). Native goroutines of code gopatch did not rewrite then interleave
// on one thread, which a seed's replay also gets.
func seedEnv(sched schedule.Schedule) []string {
	env := sched.Env()
	if os.Getenv("GOMAXPROCS") == "" { // as the runtime, an empty one is unset
		env = append(env, "GOMAXPROCS=1")
	}
	return env
}

// runPkg runs p's binary under sched, each test count times and no test
// after the first that fails, writing to w what go test would print for
// it, and reports whether its tests passed.
func (sb *seedBinaries) runPkg(ctx context.Context, w *bytes.Buffer, p binaryPkg, sched schedule.Schedule, count int, extra ...string) (bool, error) {
	args := append(append(slices.Clip(sb.testArgs), "-test.count="+strconv.Itoa(count), "-test.failfast"), extra...)
	cmd := exec.CommandContext(ctx, p.binary, args...)
	cmd.Dir = p.dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), seedEnv(sched)...)
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start).Seconds()
	if err == nil {
		if sb.verbose {
			w.Write(out.Bytes())
		}
		fmt.Fprintf(w, "ok  \t%s\t%.3fs\n", p.path, took)
		return true, nil
	}
	if _, isExit := err.(*exec.ExitError); !isExit {
		return false, err
	}
	w.Write(out.Bytes())
	fmt.Fprintf(w, "FAIL\t%s\t%.3fs\n", p.path, took)
	return false, nil
}

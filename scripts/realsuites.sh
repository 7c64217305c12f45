#!/usr/bin/env bash
# realsuites.sh runs third-party modules' own test suites plainly and under
# gopatch test, and prints for each module how many tests pass and fail on
# each side and which tests pass plainly but fail under gopatch.
#
# Usage: scripts/realsuites.sh [module@version ...]
#
# With no arguments it runs golang.org/x/sync (errgroup, semaphore,
# singleflight; the version this checkout's go.mod requires),
# github.com/sourcegraph/conc@v0.3.0, golang.org/x/time@v0.16.0 (rate
# limiters on timers) and github.com/golang/groupcache (singleflight, LRU,
# a go 1.20 module). Each module is fetched through the
# module proxy (go mod download), copied to a temporary directory, made
# writable and tested there as the main module. Only the module proxy is
# needed from the network. Exit status: 0 when every test that passes
# plainly also passes under gopatch, 1 otherwise.
#
# Environment: REALSUITES_TIMEOUT, the go test -timeout of each side
# (default 120s; a test that hangs its hub fails at this timeout);
# REALSUITES_SEEDS, a -seeds list (1-5): each module's tests also run under
# gopatch test -seeds, random schedules on the virtual clock, and a failing
# seed fails the script; REALSUITES_KEEP=1 keeps the work directory and
# prints its path.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
timeout=${REALSUITES_TIMEOUT:-120s}
export GOTOOLCHAIN=local GOWORK=off GOFLAGS=-mod=mod

work=$(mktemp -d "${TMPDIR:-/tmp}/realsuites.XXXXXX")
cleanup() {
	if [[ ${REALSUITES_KEEP:-} == 1 ]]; then
		echo "work directory kept: $work" >&2
	else
		chmod -R u+w "$work" 2>/dev/null || true
		rm -rf "$work"
	fi
}
trap cleanup EXIT

if [[ $# -eq 0 ]]; then
	xsync=$(awk '$1 == "golang.org/x/sync" { print $2 }' "$root/go.mod")
	if [[ -z $xsync ]]; then
		xsync=$(go list -m -f '{{.Version}}' golang.org/x/sync@latest)
	fi
	set -- "golang.org/x/sync@$xsync" "github.com/sourcegraph/conc@v0.3.0" \
		"golang.org/x/time@v0.16.0" "github.com/golang/groupcache@v0.0.0-20241129210726-2c02b8208cf8"
fi

echo "building gopatch from $root" >&2
(cd "$root" && go build -o "$work/bin/gopatch" ./cmd/gopatch)
gopatch=$work/bin/gopatch

# summarize reads the go test -json streams of both sides and prints the
# figures; it is Go so that the script needs nothing but the go command.
mkdir -p "$work/summarize"
cat >"$work/summarize/main.go" <<'GO'
// Command summarize compares two go test -json streams, plain and gopatch.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action, Package, Test string
}

// results maps "package TestName" to the test's last pass/fail/skip, and
// records the packages that failed with no test failing (build failure,
// crash, timeout).
func results(file string) (map[string]string, []string) {
	f, err := os.Open(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	tests := map[string]string{}
	pkgFail := map[string]bool{}
	failedTest := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue // build output and other non-JSON lines
		}
		switch e.Action {
		case "pass", "fail", "skip":
		default:
			continue
		}
		if e.Test == "" {
			if e.Action == "fail" {
				pkgFail[e.Package] = true
			}
			continue
		}
		tests[e.Package+" "+e.Test] = e.Action
		if e.Action == "fail" {
			failedTest[e.Package] = true
		}
	}
	var broken []string
	for p := range pkgFail {
		if !failedTest[p] {
			broken = append(broken, p)
		}
	}
	sort.Strings(broken)
	return tests, broken
}

func count(m map[string]string, action string) int {
	n := 0
	for _, a := range m {
		if a == action {
			n++
		}
	}
	return n
}

func main() {
	mod := os.Args[1]
	plain, plainBroken := results(os.Args[2])
	patched, patchedBroken := results(os.Args[3])
	// Tests with no result under gopatch are listed per package: their
	// package failed to build, crashed or timed out as a whole.
	var regressed []string
	noResult := map[string]int{}
	for name, a := range plain {
		if a != "pass" {
			continue
		}
		switch patched[name] {
		case "pass":
		case "":
			pkg, _, _ := strings.Cut(name, " ")
			noResult[pkg]++
		default:
			regressed = append(regressed, name+" ("+patched[name]+")")
		}
	}
	for pkg, n := range noResult {
		regressed = append(regressed, fmt.Sprintf("%s: %d tests with no result (package failed to build, crashed or timed out)", pkg, n))
	}
	sort.Strings(regressed)
	// A test with no result under gopatch counts as failed there.
	missing := 0
	for name := range plain {
		if _, ok := patched[name]; !ok {
			missing++
		}
	}
	fmt.Printf("%s\n", mod)
	fmt.Printf("  plain:   %d passed, %d failed, %d skipped\n", count(plain, "pass"), count(plain, "fail"), count(plain, "skip"))
	fmt.Printf("  gopatch: %d passed, %d failed, %d skipped", count(patched, "pass"), count(patched, "fail")+missing, count(patched, "skip"))
	if missing > 0 {
		fmt.Printf(" (%d of the failed with no result)", missing)
	}
	fmt.Println()
	for _, p := range plainBroken {
		fmt.Printf("  plain: package %s failed outside any test\n", p)
	}
	for _, p := range patchedBroken {
		fmt.Printf("  gopatch: package %s failed outside any test (build failure, crash or timeout)\n", p)
	}
	if len(regressed) == 0 {
		fmt.Println("  every test that passes plainly passes under gopatch")
		return
	}
	fmt.Println("  pass plainly, fail under gopatch:")
	for _, r := range regressed {
		fmt.Printf("    %s\n", r)
	}
	os.Exit(1)
}
GO
(cd "$work/summarize" && printf 'module summarize\n\ngo 1.26\n' >go.mod && go build -o "$work/bin/summarize" .)

status=0
for mv in "$@"; do
	dir=$(go mod download -json "$mv" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
	if [[ -z $dir ]]; then
		echo "realsuites: go mod download $mv: no Dir" >&2
		status=1
		continue
	fi
	src=$work/src/${mv//[\/@]/_}
	mkdir -p "$src"
	cp -R "$dir/." "$src"
	chmod -R u+w "$src"
	echo "testing $mv in $src" >&2
	# Both sides may fail; the figures say how.
	(cd "$src" && go test -json -count=1 -timeout="$timeout" ./... >"$src.plain.json" 2>"$src.plain.err") || true
	(cd "$src" && "$gopatch" test -json -count=1 -timeout="$timeout" ./... >"$src.gopatch.json" 2>"$src.gopatch.err") || true
	if ! "$work/bin/summarize" "$mv" "$src.plain.json" "$src.gopatch.json"; then
		status=1
		if [[ -s $src.gopatch.err ]]; then
			echo "  gopatch stderr (last lines):"
			tail -n 5 "$src.gopatch.err" | sed 's/^/    /'
		fi
	fi
	if [[ -n ${REALSUITES_SEEDS:-} ]]; then
		if (cd "$src" && "$gopatch" test -seeds="$REALSUITES_SEEDS" -timeout="$timeout" ./... >"$src.seeds.out" 2>&1); then
			echo "  seeds:   $(tail -n 1 "$src.seeds.out" | sed 's/^gopatch: //')"
		else
			status=1
			echo "  seeds:   a seed failed (last lines):"
			tail -n 8 "$src.seeds.out" | sed 's/^/    /'
		fi
	fi
done
exit $status

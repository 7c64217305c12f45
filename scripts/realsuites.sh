#!/usr/bin/env bash
# realsuites.sh runs third-party modules' own test suites plainly and under
# gopatch test, and prints for each module how many tests pass and fail on
# each side and which tests pass plainly but fail under gopatch.
#
# Usage: scripts/realsuites.sh [module@version[:pkg,...][=timeout] ...]
#
# With no arguments it runs golang.org/x/sync (errgroup, semaphore,
# singleflight; the version this checkout's go.mod requires),
# github.com/sourcegraph/conc@v0.3.0, golang.org/x/time@v0.16.0 (rate
# limiters on timers) and github.com/golang/groupcache (singleflight, LRU,
# a go 1.20 module); github.com/alitto/pond/v2@v2.7.1 (a worker pool) and
# github.com/jellydator/ttlcache/v3@v3.4.1 (a cache with a janitor
# goroutine), whose package-level goroutines outlive the test that starts
# them; and suites that serve and dial on loopback:
# github.com/gorilla/websocket@v1.5.3 and golang.org/x/net's http2,
# websocket, netutil and nettest packages (http2's tests run in
# testing/synctest bubbles). REALSUITES_BASIC=1 runs the first four only.
# Each module is
# fetched through the module proxy (go mod download), copied to a
# temporary directory, made writable and tested there as the main module.
# Only the module proxy is needed from the network. Exit status: 0 when
# every test that passes plainly also passes under gopatch, 1 otherwise.
#
# Environment: REALSUITES_TIMEOUT, the go test -timeout of each side
# (default 120s; a test that hangs its hub fails at this timeout), which
# an argument module@version=timeout overrides for its suite, so that a
# suite slower than that plainly is not cut short (a list of packages
# after a colon, module@version:./a,./b, tests only those, relative to the
# module root, in place of ./...); REALSUITES_SEEDS, a
# -seeds list (1-5): each module's tests also run under gopatch test
# -seeds -allow-leaks, random schedules on the virtual clock, and a
# failing seed fails the script (seedskip below lists the tests skipped
# there, and why); REALSUITES_KEEP=1 keeps the work directory and prints its
# path.
set -euo pipefail

source "$(dirname "$0")/lib.sh" REALSUITES
timeout=${REALSUITES_TIMEOUT:-120s}

if [[ $# -eq 0 ]]; then
	xsync=$(awk '$1 == "golang.org/x/sync" { print $2 }' "$root/go.mod")
	if [[ -z $xsync ]]; then
		xsync=$(go list -m -f '{{.Version}}' golang.org/x/sync@latest)
	fi
	set -- "golang.org/x/sync@$xsync" "github.com/sourcegraph/conc@v0.3.0" \
		"golang.org/x/time@v0.16.0" "github.com/golang/groupcache@v0.0.0-20241129210726-2c02b8208cf8"
	if [[ ${REALSUITES_BASIC:-} != 1 ]]; then
		# Package-level state that outlives the test that made it: a pool
		# whose workers a later test waits on, a cache whose janitor
		# goroutine runs across tests.
		set -- "$@" "github.com/alitto/pond/v2@v2.7.1" "github.com/jellydator/ttlcache/v3@v3.4.1"
		# Servers and clients over loopback sockets: net, net/http and
		# crypto/tls rewritten, internal/poll's waits hooked. Only the x/net
		# packages that serve and dial; its http2 suite is slow plainly.
		set -- "$@" "github.com/gorilla/websocket@v1.5.3" \
			"golang.org/x/net@v0.63.0:./http2,./websocket,./netutil,./nettest=300s"
	fi
fi

echo "building gopatch from $root" >&2
(cd "$root" && go build -o "$work/bin/gopatch" ./cmd/gopatch)
gopatch=$work/bin/gopatch

# summarize (scripts/summarize) reads the go test -json streams of both
# sides and prints the figures.
(cd "$root" && go build -o "$work/bin/summarize" ./scripts/summarize)

# Under -seeds, greenlets that outlive their test are allowed: the suites
# are not written leak-free (idle HTTP keep-alive connections, a pool a
# test never waits for), and testdata/bugs and test_seeds_leaks.txtar test
# the leak check. A test that the schedules show to assume one timing of
# its own is skipped there, with the evidence:
declare -A seedskip=(
	# It assumes the test goroutine submits its third task before the
	# pool's worker has run the second, which cancels the context: with a
	# 10 ms sleep between the two submits it fails natively the same way
	# (Expected uint64(3) but was uint64(2)); gopatch shrinks seed 1's
	# failing schedule to that one preemption.
	# And TestTaskGroupWaitShouldNotDeadlock...WithQueuedTasks reads
	# CanceledTasks as soon as group.Wait returns, but the group's wait
	# group is Done before the pool's worker counts the canceled task:
	# with a 10 ms sleep before that count it fails natively the same way
	# (Expected uint64(1) but was uint64(0)); seed 7 of 1-20 takes that
	# order (shrunk to 4 preemptions).
	["github.com/alitto/pond/v2"]='^(TestResultPoolSubmitContextCanceled|TestTaskGroupWaitShouldNotDeadlockWhenPoolContextCanceledWithQueuedTasks)$'
	# It races the client connection's readLoop against go
	# cs.doRequest: when readLoop takes the server's HTTP/1.1 reply before
	# doRequest has opened stream 1, the error is errClientConnNotEstablished,
	# not the one the test wants. Network latency makes the other order
	# likely natively; seed 1 takes this one (shrunk to a preemption).
	["golang.org/x/net"]='^TestTransportFailureErrorForHTTP1Response$'
)
# A suite whose tests cannot run twice in one process runs its seeds in a
# process each (-batch=1), with the evidence:
declare -A seedflags=(
	# TestGetDupSuppressString and ...Proto leave the key they fetch in
	# their group's package-level cache, so a second run of either finds
	# it there, never reads the value its test sends, and the send blocks
	# for good: natively, go test -count=2 hangs in the second
	# TestGetDupSuppressProto the same way. gopatch test -seeds says so
	# ("fails after seeds 2 ran in the same test binary, and passes
	# alone") once a seed runs faster than a batch's second.
	["github.com/golang/groupcache"]='-batch=1'
)

status=0
for arg in "$@"; do
	# module@version, then :pkg,pkg for some of its packages only, then
	# =timeout for a suite of its own pace.
	mv=${arg%%=*}
	suitetimeout=$timeout
	if [[ $arg == *=* ]]; then
		suitetimeout=${arg#*=}
	fi
	pkgs=(./...)
	if [[ $mv == *:* ]]; then
		IFS=, read -r -a pkgs <<<"${mv#*:}"
		mv=${mv%%:*}
	fi
	if ! src=$(copy_module "$mv"); then
		status=1
		continue
	fi
	echo "testing $mv ${pkgs[*]} in $src (-timeout=$suitetimeout)" >&2
	# Both sides may fail; the figures say how.
	(cd "$src" && go test -json -count=1 -timeout="$suitetimeout" "${pkgs[@]}" >"$src.plain.json" 2>"$src.plain.err") || true
	(cd "$src" && "$gopatch" test -json -count=1 -timeout="$suitetimeout" "${pkgs[@]}" >"$src.gopatch.json" 2>"$src.gopatch.err") || true
	if ! "$work/bin/summarize" "$mv" "$src.plain.json" "$src.gopatch.json"; then
		status=1
		if [[ -s $src.gopatch.err ]]; then
			echo "  gopatch stderr (last lines):"
			tail -n 5 "$src.gopatch.err" | sed 's/^/    /'
		fi
	fi
	if [[ -n ${REALSUITES_SEEDS:-} ]]; then
		skip=()
		if [[ -n ${seedskip[${mv%@*}]:-} ]]; then
			skip=(-skip "${seedskip[${mv%@*}]}")
			echo "  seeds:   skipping ${seedskip[${mv%@*}]} (a timing assumption of the test's own; see seedskip)"
		fi
		flags=()
		if [[ -n ${seedflags[${mv%@*}]:-} ]]; then
			read -r -a flags <<<"${seedflags[${mv%@*}]}"
			echo "  seeds:   with ${flags[*]} (see seedflags)"
		fi
		if (cd "$src" && "$gopatch" test -seeds="$REALSUITES_SEEDS" -allow-leaks "${skip[@]}" "${flags[@]}" -timeout="$suitetimeout" "${pkgs[@]}" >"$src.seeds.out" 2>&1); then
			grep '^gopatch: ok ' "$src.seeds.out" | sed 's/^gopatch: /  seeds:   /'
		else
			status=1
			echo "  seeds:   a seed failed (the tests that failed, then the last lines):"
			grep -E -- '--- FAIL|^panic: |timed out' "$src.seeds.out" | head -n 10 | sed 's/^/    /'
			tail -n 8 "$src.seeds.out" | sed 's/^/    /'
		fi
	fi
done
exit $status

#!/usr/bin/env bash
# seeds.sh measures how many schedules a second gopatch test -seeds runs
# on a small test (bench/seeds: three greenlets, a channel, a mutex, a
# WaitGroup and a timer), beside testing/synctest running the same body a
# bubble a run, in one script: issue 10 asks for 20,000 schedules a second
# on this machine. Both sides are whole test binary runs of N iterations;
# gopatch's figure is the one its summary line prints, which counts from
# its first seed to its last, the binaries' starts included.
#
# Usage: bench/seeds.sh [seeds (100000)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
work=$(mktemp -d "${TMPDIR:-/tmp}/gopatch-seeds.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/gopatch" ./cmd/gopatch)
mkdir -p "$work/mod"
cp "$root/bench/seeds/seeds_test.go" "$work/mod/"
printf 'module example.com/seedsbench\n\ngo 1.26\n' >"$work/mod/go.mod"
cd "$work/mod"
go test -c -o "$work/native.test" .
"$work/gopatch" test -seeds=1 -run '^TestSchedule$' . >/dev/null # builds once

echo "schedules of one small test: $n runs each, three runs a side, interleaved"
# synctest runs at the machine's GOMAXPROCS and at 1, which gopatch test
# -seeds gives its binaries (see seedEnv in cmd/gopatch): the ratio is
# against the faster of the two.
bubbles() {
	local start end
	start=$(date +%s.%N)
	env "$@" "$work/native.test" -test.run '^TestSynctest$' -test.count="$n" >/dev/null
	end=$(date +%s.%N)
	awk -v n="$n" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", n / (b - a) }'
}
for i in 1 2 3; do
	sr=$(bubbles GOMAXPROCS="$(nproc)")
	s1=$(bubbles GOMAXPROCS=1)
	gr=$("$work/gopatch" test -seeds=1-"$n" -run '^TestSchedule$' . | sed -n 's/.* passed; \([0-9]*\) schedules\/s.*/\1/p')
	awk -v s="$sr" -v s1="$s1" -v g="$gr" 'BEGIN {
		best = (s1 > s ? s1 : s)
		printf "  synctest %6d bubbles/s (GOMAXPROCS=1: %6d)   gopatch -seeds %6d schedules/s   ratio %.2fx   %s\n",
			s, s1, g, g / best, (g >= 20000 ? "(>= 20,000: met)" : "(>= 20,000: not met)") }'
done

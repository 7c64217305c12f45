#!/bin/bash
# compare.sh runs gopatch's benchmarks (go test -bench ./bench) and their
# gevent equivalents (bench.py) in one go, and prints each gopatch figure
# beside gevent's and beside its Go baseline, with its target.
#
# Usage: bench/gevent/compare.sh [-count N] [-benchtime D] [-bench REGEXP]
# (defaults: -count 5 -benchtime 1s -bench .). The raw results stay in the
# directory it names at the end, for benchstat.
set -euo pipefail

count=5 benchtime=1s bench=.
while [ $# -gt 0 ]; do
	case "$1" in
	-count) count=$2; shift 2 ;;
	-benchtime) benchtime=$2; shift 2 ;;
	-bench) bench=$2; shift 2 ;;
	*) echo "usage: $0 [-count N] [-benchtime D] [-bench REGEXP]" >&2; exit 2 ;;
	esac
done

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."

# gevent comes from Debian, for Debian's own interpreter: not whatever
# python3 comes first on PATH (pyenv's has no gevent and no apt package).
py=/usr/bin/python3
if ! "$py" -c 'import gevent' 2>/dev/null; then
	echo "compare.sh: installing python3-gevent" >&2
	if ! apt-get install -y python3-gevent >&2; then
		apt-get update >&2
		apt-get install -y python3-gevent >&2
	fi
fi

out=$(mktemp -d /tmp/gopatch-bench.XXXXXX)

# The two sides take turns, one run each, so that a spell of load on this
# shared machine falls on both rather than on whichever ran then.
for i in $(seq "$count"); do
	echo "== $i/$count: go test -bench '$bench' -benchtime $benchtime ./bench" >&2
	go test ./bench -run '^$' -bench "$bench" -count 1 -benchtime "$benchtime" | tee -a "$out/go.txt" >&2
	echo "== $i/$count: bench.py -bench '$bench' -benchtime $benchtime" >&2
	"$py" "$here/bench.py" -bench "$bench" -count 1 -benchtime "$benchtime" | tee -a "$out/gevent.txt" >&2
done
echo
"$py" "$here/table.py" "$out/go.txt" "$out/gevent.txt"
echo
echo "raw results: $out/go.txt $out/gevent.txt"
echo "  all impls of one benchmark: benchstat -col /impl -ignore cpu -filter .name:Switch $out/go.txt $out/gevent.txt"

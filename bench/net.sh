#!/usr/bin/env bash
# net.sh measures sockets on one hub against native Go, in one run: the
# TCP echo of bench/net/echo (100 connections, 64-byte messages; Go at
# GOMAXPROCS=1, a hub's one thread) in messages per second and CPU, and the
# heap and stacks per connection of bench/net/conns (thousands of open
# connections). Both programs are built with go build and with a gopatch
# built from this checkout. Loopback only; each run ends by itself.
#
# Usage: bench/net.sh [messages per connection (2000)] [connections (9500)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
per=${1:-2000}
conns=${2:-9500}
work=$(mktemp -d "${TMPDIR:-/tmp}/gopatch-net.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/gopatch" ./cmd/gopatch)
# The programs build as a module of their own, as a user's would, with
# the rt copy and the caches a user's build gets.
mkdir -p "$work/mod"
cp -r "$root/bench/net/echo" "$root/bench/net/conns" "$work/mod/"
printf 'module example.com/netbench\n\ngo 1.26\n' >"$work/mod/go.mod"
cd "$work/mod"
go build -o "$work/echo.native" ./echo
go build -o "$work/conns.native" ./conns
"$work/gopatch" build -o "$work/echo.gopatch" ./echo
"$work/gopatch" build -o "$work/conns.gopatch" ./conns

# rate runs a program and prints its messages per second and its CPU
# seconds (user + system).
rate() {
	local cpu
	cpu=$({ /usr/bin/time -f '%U %S' "$@" >"$work/out"; } 2>&1 | tail -1)
	echo "$(awk '{ print $(NF-1) }' "$work/out") $(echo "$cpu" | awk '{ print $1 + $2 }')"
}
echo "echo: $per messages on each of 100 connections, three runs each, interleaved"
for i in 1 2 3; do
	read -r nr nc < <(rate env GOMAXPROCS=1 "$work/echo.native" "$per")
	read -r gr gc < <(rate "$work/echo.gopatch" "$per")
	awk -v nr="$nr" -v nc="$nc" -v gr="$gr" -v gc="$gc" 'BEGIN {
		printf "  go %.0f msg/s (%.2fs cpu)  gopatch %.0f msg/s (%.2fs cpu)  rate %.2fx  cpu/msg %.2fx\n",
			nr, nc, gr, gc, gr / nr, gc / nc }'
done
echo "conns: $conns connections open at once"
echo "  go:      $("$work/conns.native" "$conns")"
echo "  gopatch: $("$work/conns.gopatch" "$conns")"

#!/usr/bin/env bash
# net.sh measures sockets on one hub against native Go, in one run. Each
# server (bench/net/echo, bench/net/conns: goroutine per connection,
# natively at GOMAXPROCS=1 and under gopatch) answers the same native Go
# client, in a process of its own at GOMAXPROCS=1, and only the server's
# CPU and memory are counted: the TCP echo's messages a second (100
# connections, 64-byte messages) and server CPU a message, the same echo
# with client and server in one process (the client rewritten too), and
# the memory held for each of thousands of open connections. Both programs
# are built with go build and with a gopatch built from this checkout.
# Loopback only; each run ends by itself.
#
# Usage: bench/net.sh [messages per connection (2000)] [connections (10000)] [echo pairs (7)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
per=${1:-2000}
conns=${2:-10000}
pairs=${3:-7}
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

ulimit -n 20000 2>/dev/null || true

# serve starts a server (the rest of the line, with "serve N" added)
# under time, and sets spid to its process and addr to the address it
# listens on, once it does.
serve() {
	local n=$1
	shift
	rm -f "$work/addr" "$work/cpu"
	/usr/bin/time -f '%U %S' -o "$work/cpu" "$@" serve "$n" >"$work/addr" &
	spid=$!
	for _ in $(seq 200); do
		if [ -s "$work/addr" ]; then
			addr=$(head -1 "$work/addr")
			return 0
		fi
		sleep 0.05
	done
	echo "net.sh: $* did not come up" >&2
	return 1
}

# served runs the native client against a server (the rest of the line)
# and prints the messages a second and the server's CPU seconds (user +
# system).
served() {
	local rate
	serve 100 "$@"
	rate=$(env GOMAXPROCS=1 "$work/echo.native" dial "$addr" "$per" | awk '{ print $(NF-1) }')
	wait "$spid"
	echo "$rate $(awk '{ print $1 + $2 }' "$work/cpu")"
}

# together runs the echo with client and server in one process, and
# prints its messages a second and CPU seconds.
together() {
	local cpu
	cpu=$({ /usr/bin/time -f '%U %S' "$@" "$per" >"$work/out"; } 2>&1 | tail -1)
	echo "$(awk '{ print $(NF-1) }' "$work/out") $(echo "$cpu" | awk '{ print $1 + $2 }')"
}

# ratio prints one line of a comparison: messages a second and CPU
# microseconds a message of each side, and gopatch's against Go's.
ratio() {
	awk -v nr="$1" -v nc="$2" -v gr="$3" -v gc="$4" -v m="$((100 * per))" 'BEGIN {
		printf "  go %.0f msg/s (%.2f us cpu/msg)  gopatch %.0f msg/s (%.2f us)  rate %.2fx  cpu/msg %.2fx\n",
			nr, nc / m * 1e6, gr, gc / m * 1e6, gr / nr, gc / nc }'
}

# median prints the median of its arguments, numbers.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# On a shared machine one pair of runs is a noisy figure: native Go's
# server against itself, run after run, differed by up to 9% in a pair,
# and from 53k to 91k msg/s within a minute. So the echo runs in pairs,
# each side first in turn, and the figure is the median of the pairs'
# ratios.
echo "echo: one Go client (GOMAXPROCS=1), 100 connections x $per messages; server CPU; $pairs pairs of runs, interleaved"
rates=() cpus=()
for i in $(seq "$pairs"); do
	if ((i % 2)); then
		served env GOMAXPROCS=1 "$work/echo.native" >"$work/n"
		served "$work/echo.gopatch" >"$work/g"
	else
		served "$work/echo.gopatch" >"$work/g"
		served env GOMAXPROCS=1 "$work/echo.native" >"$work/n"
	fi
	read -r nr nc <"$work/n"
	read -r gr gc <"$work/g"
	ratio "$nr" "$nc" "$gr" "$gc"
	rates+=("$(awk -v a="$gr" -v b="$nr" 'BEGIN { print a / b }')")
	cpus+=("$(awk -v a="$gc" -v b="$nc" 'BEGIN { print a / b }')")
done
printf '  median of the pairs: rate %.2fx (target >= 0.9x)  cpu/msg %.2fx (target <= 1.1x)\n' \
	"$(median "${rates[@]}")" "$(median "${cpus[@]}")"
echo "echo, client and server in one process (the client rewritten too); the process's CPU"
for i in 1 2 3; do
	read -r nr nc < <(together env GOMAXPROCS=1 "$work/echo.native")
	read -r gr gc < <(together "$work/echo.gopatch")
	ratio "$nr" "$nc" "$gr" "$gc"
done
echo "conns: $conns connections open at once from one Go client; the server's memory"
for side in native gopatch; do
	run=("$work/conns.$side")
	[ "$side" = native ] && run=(env GOMAXPROCS=1 "${run[@]}")
	serve "$conns" "${run[@]}"
	"$work/conns.native" dial "$addr" "$conns"
	wait "$spid"
	printf '  %-8s %s\n' "$side:" "$(tail -1 "$work/addr")"
done

#!/usr/bin/env bash
# http.sh measures HTTP serving with wrk, every side in one run: an
# unchanged net/http hello-world server (bench/http/hello) natively at
# GOMAXPROCS=1 and 2, under gopatch on one hub and with -workers 2, against gunicorn -k
# gevent with one and two workers and gevent's pywsgi (bench/http/app.py),
# then a slow handler (50 ms) under 1,000 connections, Go against gopatch,
# by the median of three runs' p99 latency. It installs wrk, gunicorn
# and python3-gevent from Debian when they are missing. Loopback only;
# each run ends by itself.
#
# Usage: bench/http.sh [seconds a run (10)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-10}
py=/usr/bin/python3 # Debian's, which has python3-gevent (not pyenv's)
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v gunicorn >/dev/null || need+=(gunicorn)
"$py" -c 'import gevent' 2>/dev/null || need+=(python3-gevent)
if [ ${#need[@]} -gt 0 ]; then
	echo "http.sh: installing ${need[*]}" >&2
	apt-get install -y "${need[@]}" >&2 || { apt-get update >&2 && apt-get install -y "${need[@]}" >&2; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gopatch-http.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
(cd "$root" && go build -o "$work/gopatch" ./cmd/gopatch)
# A module of its own, as a user's server is (see bench/net.sh).
mkdir -p "$work/mod"
cp -r "$root/bench/http/hello" "$work/mod/"
printf 'module example.com/httpbench\n\ngo 1.26\n' >"$work/mod/go.mod"
(cd "$work/mod" && go build -o "$work/hello.native" ./hello && "$work/gopatch" build -o "$work/hello.gopatch" ./hello)

port=18400
# serve starts a server (the rest of the line, with ADDR replaced by its
# address) and waits until it answers.
serve() {
	port=$((port + 1))
	local addr=127.0.0.1:$port
	"${@//ADDR/$addr}" >/dev/null 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do
		curl -s -o /dev/null "http://$addr/" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "http.sh: $* did not come up" >&2
	return 1
}
stop() { kill "${pids[-1]}" 2>/dev/null || true; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

# rate prints a hello-world run's requests a second.
rate() {
	wrk -t2 -c100 -d"${secs}s" "http://127.0.0.1:$port/" | awk '/Requests\/sec/ { print int($2) }'
}
# p99 prints a slow run's 99th-percentile latency, in ms.
p99() {
	wrk -t2 -c1000 -d"${secs}s" --timeout 10s --latency "http://127.0.0.1:$port/slow" |
		awk '$1 == "99%" { v = $2; if (v ~ /us$/) v /= 1000; else if (v ~ /ms$/) v += 0; else if (v ~ /s$/) v *= 1000; print v }'
}
ulimit -n 20000 2>/dev/null || true

declare -A rps
run() {
	local name=$1
	shift
	serve "$@"
	rps[$name]=$(rate)
	stop
	printf '  %-22s %8s req/s\n' "$name" "${rps[$name]}"
}
echo "hello world: wrk -t2 -c100 -d${secs}s"
run "go GOMAXPROCS=1" env GOMAXPROCS=1 "$work/hello.native" ADDR
run "go GOMAXPROCS=2" env GOMAXPROCS=2 "$work/hello.native" ADDR
run "gopatch one hub" "$work/hello.gopatch" ADDR
run "gopatch -workers 2" env -C "$work/mod" "$work/gopatch" run -workers 2 -bind ADDR ./hello ADDR
run "gunicorn gevent -w 1" gunicorn -k gevent -w 1 -b ADDR --chdir "$root/bench/http" app:app
run "gunicorn gevent -w 2" gunicorn -k gevent -w 2 -b ADDR --chdir "$root/bench/http" app:app
run "gevent pywsgi" "$py" "$root/bench/http/app.py" ADDR

# A single run's p99 moved by a third from one run to the next on this
# machine: three interleaved runs a side, and the median of each.
echo "slow handler (50 ms): wrk -t2 -c1000 -d${secs}s, p99 latency, three runs a side, interleaved"
gos=() gps=()
for _ in 1 2 3; do
	serve env GOMAXPROCS=1 "$work/hello.native" ADDR
	gos+=("$(p99)")
	stop
	serve "$work/hello.gopatch" ADDR
	gps+=("$(p99)")
	stop
done
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
go99=$(median "${gos[@]}")
gp99=$(median "${gps[@]}")
printf '  %-22s %8s ms  (runs: %s)\n' "go GOMAXPROCS=1" "$go99" "${gos[*]}" "gopatch one hub" "$gp99" "${gps[*]}"

echo "ratios (targets in parentheses)"
awk -v g1="${rps["go GOMAXPROCS=1"]}" -v g2="${rps["go GOMAXPROCS=2"]}" -v gp="${rps["gopatch one hub"]}" \
	-v gw2="${rps["gopatch -workers 2"]}" -v gu1="${rps["gunicorn gevent -w 1"]}" \
	-v gu2="${rps["gunicorn gevent -w 2"]}" -v ws="${rps["gevent pywsgi"]}" -v go99="$go99" -v gp99="$gp99" 'BEGIN {
	printf "  gopatch / go GOMAXPROCS=1      %5.2fx  (>= 0.8)\n", gp / g1
	printf "  gopatch / gunicorn gevent -w 1 %5.2fx  (>= 4)\n", gp / gu1
	printf "  gopatch -workers 2 / gunicorn -w 2 %5.2fx  (>= 3)\n", gw2 / gu2
	printf "  gopatch -workers 2 / go GOMAXPROCS=2 %5.2fx  (>= 0.9)\n", gw2 / g2
	printf "  gopatch / gevent pywsgi        %5.2fx\n", gp / ws
	printf "  gunicorn -w 2 / -w 1           %5.2fx\n", gu2 / gu1
	printf "  slow p99 gopatch / go          %5.2fx  (<= 1.2)\n", gp99 / go99
}'

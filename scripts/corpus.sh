#!/usr/bin/env bash
# corpus.sh vets third-party modules plainly and under gopatch vet and
# fails when gopatch's result differs from plain go vet's, printing how long
# each side took and how much of gopatch's time is its own rewrite.
#
# Usage: scripts/corpus.sh module@version ...
#
# Each module is fetched through the module proxy (go mod download),
# copied to a temporary directory, made writable and vetted there as the
# main module (its dependencies downloaded first, untimed), with a gopatch
# built from this checkout: first `go vet ./...`, then `gopatch vet ./...`
# from an empty .gopatch, so nothing is reused from its cache. The go
# command gopatch runs is a wrapper that times each `go vet` it makes and
# passes everything else through, so gopatch's own share (loading,
# type-checking and rewriting the packages, preparing .gopatch) is its
# total less the go vet of the rewritten code.
#
# The results differ when gopatch vet prints a line plain vet does not
# (a build or type error, a finding, gopatch's own failure), when a line
# names a gopatchrt identifier, when a finding of plain vet is missing, or
# when the exit codes differ. Positions are compared relative to the
# module root: rewritten code carries line directives to the user's files.
# Exit status: 0 when every module's results are the same, 1 otherwise, 2
# on a usage error.
#
# Environment: CORPUS_KEEP=1 keeps the work directory (each module's copy
# and both sides' output) and prints its path.
set -euo pipefail

if [[ $# -eq 0 ]]; then
	echo "usage: scripts/corpus.sh module@version ..." >&2
	exit 2
fi

source "$(dirname "$0")/lib.sh" CORPUS

echo "building gopatch from $root" >&2
(cd "$root" && go build -o "$work/bin/gopatch" ./cmd/gopatch)
gopatch=$work/bin/gopatch

# The go wrapper gopatch finds first on its PATH: it appends the seconds of
# each go vet to $CORPUS_VET_TIMES.
mkdir -p "$work/gowrap"
cat >"$work/gowrap/go" <<WRAP
#!/usr/bin/env bash
if [[ \${1:-} == vet ]]; then
	start=\$EPOCHREALTIME
	rc=0
	$(command -v go) "\$@" || rc=\$?
	awk -v a="\$start" -v b="\$EPOCHREALTIME" 'BEGIN { printf "%.3f\\n", b - a }' >>"\$CORPUS_VET_TIMES"
	exit \$rc
fi
exec $(command -v go) "\$@"
WRAP
chmod +x "$work/gowrap/go"

# timed OUT DIR CMD... runs CMD in DIR with its output in the file OUT and
# sets rc to its exit code and secs to the seconds it took.
timed() {
	local out=$1 dir=$2 start=$EPOCHREALTIME
	shift 2
	rc=0
	(cd "$dir" && "$@") >"$out" 2>&1 || rc=$?
	secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
}

# lines prints the lines of go vet output file $1 that say something about
# the code, paths made relative to directory $2, sorted: it drops the
# "# package" headers, which name packages and not findings.
lines() {
	sed -e "s#$2/##g" -e 's#^\(vet: \)\{0,1\}\./#\1#' "$1" | grep -v '^#' | LC_ALL=C sort -u || true
}

status=0
for mv in "$@"; do
	if ! src=$(copy_module "$mv"); then
		status=1
		continue
	fi
	loc=$(find "$src" -name '*.go' -type f -print0 | xargs -0 cat | wc -l)
	echo "vetting $mv in $src" >&2
	# Downloads are not timed: both sides need the same modules.
	(cd "$src" && go mod download) >&2

	timed "$src.plain.out" "$src" go vet ./...
	plainRC=$rc plainSecs=$secs
	: >"$src.vettimes"
	CORPUS_VET_TIMES=$src.vettimes PATH=$work/gowrap:$PATH timed "$src.gopatch.out" "$src" "$gopatch" vet ./...
	patchRC=$rc patchSecs=$secs
	vetSecs=$(awk '{ s += $1 } END { printf "%.1f", s }' "$src.vettimes")
	ownSecs=$(awk -v a="$patchSecs" -v b="$vetSecs" 'BEGIN { printf "%.1f", a - b }')

	lines "$src.plain.out" "$src" >"$src.plain.lines"
	lines "$src.gopatch.out" "$src" >"$src.gopatch.lines"
	extra=$(LC_ALL=C comm -13 "$src.plain.lines" "$src.gopatch.lines")
	missing=$(LC_ALL=C comm -23 "$src.plain.lines" "$src.gopatch.lines")
	named=$(grep gopatchrt "$src.gopatch.lines" || true)

	printf '%s (%d lines of Go)\n' "$mv" "$loc"
	printf '  plain vet:    %6s s (exit %d, %d lines)\n' "$plainSecs" "$plainRC" "$(wc -l <"$src.plain.lines")"
	printf '  gopatch vet:  %6s s (exit %d, %d lines)\n' "$patchSecs" "$patchRC" "$(wc -l <"$src.gopatch.lines")"
	printf '    gopatch:    %6s s of it (load, type-check, rewrite, prepare .gopatch)\n' "$ownSecs"
	printf '    go vet:     %6s s of it (of the rewritten code)\n' "$vetSecs"
	same=true
	if [[ -n $named ]]; then
		same=false
		echo "  lines naming gopatchrt:"
		sed 's/^/    /' <<<"$named" | head -n 20
	fi
	if [[ -n $extra ]]; then
		same=false
		echo "  only under gopatch vet:"
		sed 's/^/    /' <<<"$extra" | head -n 20
	fi
	if [[ -n $missing ]]; then
		same=false
		echo "  only under plain vet:"
		sed 's/^/    /' <<<"$missing" | head -n 20
	fi
	if [[ $plainRC != "$patchRC" ]]; then
		same=false
		echo "  exit codes differ: plain $plainRC, gopatch $patchRC"
	fi
	if $same; then
		echo "  same result"
	else
		status=1
	fi
done
exit $status

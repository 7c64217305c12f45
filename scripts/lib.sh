# lib.sh holds what the scripts that test third-party modules share: a
# work directory that goes away (or stays, when $1_KEEP=1), and a writable
# copy of a module from the module proxy. Source it; it sets root and work.
#
#   source "$(dirname "$0")/lib.sh" REALSUITES

root=$(cd "$(dirname "$0")/.." && pwd)
export GOTOOLCHAIN=local GOWORK=off GOFLAGS=-mod=mod

lib_prefix=${1:?lib.sh: name the variable prefix of the script}
work=$(mktemp -d "${TMPDIR:-/tmp}/${lib_prefix,,}.XXXXXX")
lib_cleanup() {
	local keep=${lib_prefix}_KEEP
	if [[ ${!keep:-} == 1 ]]; then
		echo "work directory kept: $work" >&2
	else
		chmod -R u+w "$work" 2>/dev/null || true
		rm -rf "$work"
	fi
}
trap lib_cleanup EXIT

# copy_module MODULE@VERSION prints the path of a writable copy, under
# $work/src, of the module as the module proxy serves it, or fails.
copy_module() {
	local mv=$1 dir src
	dir=$(go mod download -json "$mv" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
	if [[ -z $dir ]]; then
		echo "go mod download $mv: no Dir" >&2
		return 1
	fi
	src=$work/src/${mv//[\/@]/_}
	mkdir -p "$src"
	cp -R "$dir/." "$src"
	chmod -R u+w "$src"
	echo "$src"
}

#!/bin/sh
# The bad-input corpus: every tests/bad/NAME/ is an edit of the shipped
# example that `dossier build` must refuse.  A case holds
#   content/..., templates/...  files that replace or add files in a copy
#   remove                      optional: paths to delete, one a line
#                               (relative to the copy root)
#   prepare                     optional: a sh script run in the copy, for
#                               inputs too big or too odd to commit
#   expected                    the exact stderr, paths relative to the copy
# The example is built once into T/out; each case then runs
# `cd T && dossier build` on a fresh copy holding that out/, and must exit 2
# within 10 s with exactly the expected stderr and nothing on stdout, leave
# T/out byte for byte as it was and no staging folder behind.
# `sh tests/e2e/bad-input.sh NAME...` runs only the named cases.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
root=$PWD
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok bad-input: $1"; }
bad() { echo "FAIL bad-input: $1"; fails=$((fails + 1)); }

# Every entry below a folder: kind and name; for files and links also size,
# modification time and inode.  Each case's out/ is a hard-linked copy of
# the example's, so an untouched file keeps all three, while replacing it
# (a new inode) or writing into it (a new mtime) shows.
tree_sum() {
	(cd "$1" && find . \( -type d -printf '%y %p\n' \) -o -printf '%y %p %l %s %T@ %i\n' | LC_ALL=C sort) | sha256sum
}

fresh() { # $1: folder to create as a copy of the example with its built out/
	rm -rf "$1"
	mkdir -p "$1"
	cp -R content templates "$1/"
	cp -al "$t/base/out" "$1/out"
}

mkdir -p "$t/base"
cp -R content templates "$t/base/"
if ! (cd "$t/base" && "$D" build --quiet) > "$t/log" 2>&1; then
	bad "the example does not build: $(cat "$t/log")"
	exit 1
fi
before=$(tree_sum "$t/base/out")

# A byte-order mark is fine (not a bad input): a metrics file starting with one builds.
fresh "$t/bom"
printf '\357\273\277' | cat - "$t/bom/content/metrics/2026-10.yaml" > "$t/bom/x" && mv "$t/bom/x" "$t/bom/content/metrics/2026-10.yaml"
if (cd "$t/bom" && timeout 10 "$D" build --quiet) > "$t/log" 2>&1; then ok "(a BOM is accepted)"; else bad "BOM: $(cat "$t/log")"; fi

if [ $# -gt 0 ]; then cases=$*; else cases=$(cd tests/bad && ls); fi
n=0
for name in $cases; do
	c=$root/tests/bad/$name
	[ -f "$c/expected" ] || { bad "$name: no expected file"; continue; }
	n=$((n + 1))
	w=$t/case
	fresh "$w"
	for part in content templates; do
		[ -d "$c/$part" ] && cp -R -P "$c/$part" "$w/"
	done
	if [ -f "$c/remove" ]; then
		while IFS= read -r p; do [ -n "$p" ] && rm -rf "${w:?}/$p"; done < "$c/remove"
	fi
	if [ -f "$c/prepare" ]; then
		(cd "$w" && sh "$c/prepare") || { bad "$name: prepare failed"; continue; }
	fi
	(cd "$w" && timeout 10 "$D" build) > "$t/stdout" 2> "$t/stderr"; rc=$?
	why=
	[ $rc = 124 ] && why="$why timed out;"
	[ $rc -ge 128 ] && why="$why crashed (status $rc);"
	[ $rc = 2 ] || why="$why exit $rc, not 2;"
	cmp -s "$t/stderr" "$c/expected" || why="$why stderr differs:
$(diff "$c/expected" "$t/stderr" | head -20)
"
	[ -s "$t/stdout" ] && why="$why stdout not empty: $(head -c 300 "$t/stdout");"
	[ "$(tree_sum "$w/out")" = "$before" ] || why="$why out/ changed;"
	ls -a "$w/out" | grep -q '\.new-' && why="$why staging folder left behind;"
	if [ -z "$why" ]; then ok "$name"; else bad "$name:$why"; fi
done
[ "$n" -gt 0 ] || bad "no cases"
[ $fails = 0 ]

#!/bin/sh
# The bad-input corpus: every tests/bad/NAME/ is an edit of the shipped
# example that `dossier build` must refuse.  A case holds
#   content/..., templates/...  files that replace or add files in a copy
#   remove                      optional: paths to delete, one a line
#                               (relative to the copy root)
#   prepare                     optional: a sh script run in the copy, for
#                               inputs too big or too odd to commit
#   expected                    the exact stderr, paths relative to the copy
# Each case runs in a fresh copy, `cd COPY && dossier ...`, and must exit 2
# within 10 s (60 s for an AddressSanitizer build, several times slower:
# tmpl-partial-fan-out's 20,000,000 template steps took 17 s under ASan on
# the loaded machine, 4 s plainly) with exactly the expected stderr and
# nothing on stdout.
#
# Two ways, chosen by where the error comes from:
# - `dossier check` first.  It runs the whole in-memory pipeline that
#   `build` runs before writing anything (load, derive, render every
#   document), so an error found there is build's error, word for word, and
#   no file can have been written yet.  Most cases end here, in well under
#   a second.
# - When check finds nothing wrong, the error lies beyond it (typesetting,
#   attachments, the package itself): the case runs a full `dossier build`
#   over a copy of the example's built out/, which it must leave byte for
#   byte as it was, with no staging folder behind.
# `sh tests/e2e/bad-input.sh --build` runs every case as a full build;
# `sh tests/e2e/bad-input.sh [--build] NAME...` runs only the named cases.
# Cases run $(nproc) at a time; their lines are printed in name order.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
export D
if [ -z "${BAD_INPUT_CASE:-}" ]; then	# a case has it from the run (xargs below)
	limit=10
	grep -q __asan_init "$D" && limit=60
	export limit
fi
root=$PWD
if [ "${BAD_INPUT_CASE:-}" ]; then	# one case, run by xargs below
	t=$BAD_INPUT_T
else
	t=$(mktemp -d)
	trap 'rm -rf "$t"' EXIT
fi
fails=0
ok() { echo "ok bad-input: $1"; }
bad() { echo "FAIL bad-input: $1"; fails=$((fails + 1)); }
all_build=0
[ "${1:-}" = --build ] && { all_build=1; shift; }

# Every entry below a folder: kind and name; for files and links also size,
# modification time and inode.  Each case's out/ is a hard-linked copy of
# the example's, so an untouched file keeps all three, while replacing it
# (a new inode) or writing into it (a new mtime) shows.
tree_sum() {
	(cd "$1" && find . \( -type d -printf '%y %p\n' \) -o -printf '%y %p %l %s %T@ %i\n' | LC_ALL=C sort) | sha256sum
}

# The example, built once, for the cases that need a build.  Built lazily
# under a lock, since cases run in parallel.
base_out() {
	mkdir "$t/base.lock" 2>/dev/null || {
		while [ ! -e "$t/base.done" ]; do sleep 0.1; done
		return
	}
	mkdir -p "$t/base"
	cp -R content templates "$t/base/"
	if (cd "$t/base" && "$D" build --quiet) > "$t/base.log" 2>&1; then
		tree_sum "$t/base/out" > "$t/base.sum"
	else
		echo "the example does not build: $(cat "$t/base.log")" > "$t/base.err"
	fi
	touch "$t/base.done"
}

# run_case NAME: prints the case's one line (ok or FAIL with why).
run_case() {
	name=$1 c=$root/tests/bad/$1 w=$t/case-$1
	[ -f "$c/expected" ] || { echo "FAIL bad-input: $name: no expected file"; return; }
	mkdir -p "$w"
	cp -R "$root/content" "$root/templates" "$w/"
	for part in content templates; do
		[ -d "$c/$part" ] && cp -R -P "$c/$part" "$w/"
	done
	if [ -f "$c/remove" ]; then
		while IFS= read -r p; do [ -n "$p" ] && rm -rf "${w:?}/$p"; done < "$c/remove"
	fi
	if [ -f "$c/prepare" ]; then
		(cd "$w" && sh "$c/prepare") > "$w.prep" 2>&1 || { echo "FAIL bad-input: $name: prepare failed: $(cat "$w.prep")"; return; }
	fi
	how=check
	if [ $all_build = 0 ]; then
		(cd "$w" && timeout $limit "$D" check) > "$w.stdout" 2> "$w.stderr"; rc=$?
		[ $rc = 0 ] || [ $rc = 1 ] && how=build	# check passed: the error lies beyond it
	else
		how=build
	fi
	if [ $how = build ]; then
		base_out
		[ -e "$t/base.err" ] && { echo "FAIL bad-input: $name: $(cat "$t/base.err")"; return; }
		cp -al "$t/base/out" "$w/out"
		(cd "$w" && timeout $limit "$D" build) > "$w.stdout" 2> "$w.stderr"; rc=$?
	fi
	why=
	[ $rc = 124 ] && why="$why timed out;"
	[ $rc -ge 128 ] && why="$why crashed (status $rc);"
	[ $rc = 2 ] || why="$why exit $rc, not 2;"
	cmp -s "$w.stderr" "$c/expected" || why="$why stderr differs:
$(diff "$c/expected" "$w.stderr" | head -20)
"
	[ -s "$w.stdout" ] && why="$why stdout not empty: $(head -c 300 "$w.stdout");"
	if [ $how = build ]; then
		[ "$(tree_sum "$w/out")" = "$(cat "$t/base.sum")" ] || why="$why out/ changed;"
		ls -a "$w/out/.dossier-cache" | grep -q '^stage-\|^trash-\|^journal$' && why="$why staging folder left behind;"
	fi
	if [ -z "$why" ]; then echo "ok bad-input: $name ($how)"; else echo "FAIL bad-input: $name ($how):$why"; fi
	rm -rf "$w"
}

if [ "${BAD_INPUT_CASE:-}" ]; then
	all_build=$BAD_INPUT_BUILD
	run_case "$BAD_INPUT_CASE" > "$t/res-$BAD_INPUT_CASE.part" 2>&1
	mv "$t/res-$BAD_INPUT_CASE.part" "$t/res-$BAD_INPUT_CASE"
	exit 0
fi

# A byte-order mark is fine (not a bad input): a metrics file starting with one builds.
mkdir -p "$t/bom"
cp -R content templates "$t/bom/"
printf '\357\273\277' | cat - "$t/bom/content/metrics/2026-10.yaml" > "$t/bom/x" && mv "$t/bom/x" "$t/bom/content/metrics/2026-10.yaml"
if (cd "$t/bom" && timeout $limit "$D" check) > "$t/log" 2> "$t/err"; [ $? -le 1 ] && [ ! -s "$t/err" ]; then
	ok "(a BOM is accepted)"
else
	bad "BOM: $(cat "$t/err")"
fi

if [ $# -gt 0 ]; then cases=$*; else cases=$(cd tests/bad && ls); fi
echo "$cases" | tr ' ' '\n' | grep . | \
	BAD_INPUT_T=$t BAD_INPUT_BUILD=$all_build xargs -P "$(nproc)" -I{} env BAD_INPUT_CASE={} sh "$0"
n=0
for name in $cases; do
	n=$((n + 1))
	if [ -s "$t/res-$name" ]; then cat "$t/res-$name"
	else echo "FAIL bad-input: $name: no result: $(cat "$t/res-$name.part" 2>&1)"; fi
done
fails=$((fails + $(for name in $cases; do cat "$t/res-$name" 2>/dev/null || echo FAIL; done | grep -c '^FAIL')))
[ "$n" -gt 0 ] || bad "no cases"
[ $fails = 0 ]

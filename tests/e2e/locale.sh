#!/bin/sh
# The same bytes in any locale: the example package, `dossier pdf`, its
# --layout dump, `check` and `diff` under es_AR.UTF-8 (decimal comma,
# Spanish month names, its own collation) and ja_JP.UTF-8 (Japanese month
# and day names, another collation) against the C locale.  Before
# the fix every PDF failed under a decimal-comma locale, because Cairo's
# tag parser and librsvg read the numbers we print in the user's locale.
# `make deps` generates both; without one this test fails (a skip would
# pass without testing anything).
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok locale: $1"; }
bad() { echo "FAIL locale: $1"; fails=$((fails + 1)); }
export SOURCE_DATE_EPOCH=1790812800

for L in es_AR.UTF-8 ja_JP.UTF-8; do
	if ! locale -a 2>/dev/null | grep -qix "${L%%.*}.utf-\{0,1\}8"; then
		bad "the $L locale is not installed (make deps generates it)"
		exit 1
	fi
done
# The locales really differ from C, or this test proves nothing.
[ "$(LC_ALL=es_AR.UTF-8 locale decimal_point 2>/dev/null)" = "," ] && ok "es_AR.UTF-8 has a decimal comma" \
	|| bad "es_AR.UTF-8 has no decimal comma: $(LC_ALL=es_AR.UTF-8 locale decimal_point 2>&1)"
[ "$(LC_ALL=ja_JP.UTF-8 date -d 2026-10-01 +%B)" = "10月" ] && ok "ja_JP.UTF-8 names months in Japanese" \
	|| bad "ja_JP.UTF-8 month name: $(LC_ALL=ja_JP.UTF-8 date -d 2026-10-01 +%B 2>&1)"

LC_ALL=C "$D" build --quiet --out "$t/c" > "$t/c.log" 2>&1 || bad "C build: $(cat "$t/c.log")"
for L in es_AR.UTF-8 ja_JP.UTF-8; do
	if LC_ALL=$L "$D" build --quiet --out "$t/$L" > "$t/$L.log" 2>&1; then
		ok "the example builds under $L"
	else
		bad "build under $L: $(head -5 "$t/$L.log")"
	fi
	# (but for .dossier-cache/stamps/: file identities, inode and mtime, which differ between any two folders)
	if diff -r -x stamps "$t/c" "$t/$L" > "$t/diff" 2>&1; then
		ok "OUT under $L is byte-identical to C's (package, zip, readiness, CHANGES, cache)"
	else
		bad "OUT differs under $L: $(head -5 "$t/diff")"
	fi
	LC_ALL=$L "$D" verify "$t/$L/bsp-application" > /dev/null 2>&1 && ok "verify under $L" || bad "verify under $L"

	el=tests/pdf/elements.md
	LC_ALL=C "$D" pdf "$el" -o "$t/c.pdf" 2> "$t/err" || bad "pdf under C: $(cat "$t/err")"
	if LC_ALL=$L "$D" pdf "$el" -o "$t/$L.pdf" 2> "$t/err"; then ok "dossier pdf under $L"
	else bad "dossier pdf under $L: $(head -3 "$t/err")"; fi
	cmp -s "$t/c.pdf" "$t/$L.pdf" && ok "dossier pdf under $L: same bytes" || bad "dossier pdf under $L: the PDFs differ"
	LC_ALL=C "$D" pdf --layout "$el" > "$t/c.layout" 2>&1
	LC_ALL=$L "$D" pdf --layout "$el" > "$t/$L.layout" 2>&1
	cmp -s "$t/c.layout" "$t/$L.layout" && ok "pdf --layout under $L: same text" \
		|| bad "pdf --layout differs: $(diff "$t/c.layout" "$t/$L.layout" | head -5)"

	for cmd in check "diff --out $t/c"; do
		LC_ALL=C "$D" $cmd > "$t/c.txt" 2>&1; rc1=$?
		LC_ALL=$L "$D" $cmd > "$t/$L.txt" 2>&1; rc2=$?
		if [ $rc1 = $rc2 ] && cmp -s "$t/c.txt" "$t/$L.txt"; then ok "$cmd under $L: same output and status"
		else bad "$cmd under $L: exit $rc2 (C: $rc1): $(diff "$t/c.txt" "$t/$L.txt" | head -5)"; fi
	done

	# A located error reads the same (its numbers are not localised either).
	mkdir -p "$t/bad-$L" && cp -R content templates "$t/bad-$L/"
	sed -i 's/^\(uptime_percent: \).*/\1 99.9x/' "$t/bad-$L/content/metrics/2026-10.yaml"
	(cd "$t/bad-$L" && LC_ALL=C "$D" build --out "$t/bad-$L/o1") > "$t/c.txt" 2>&1; rc1=$?
	(cd "$t/bad-$L" && LC_ALL=$L "$D" build --out "$t/bad-$L/o2") > "$t/$L.txt" 2>&1; rc2=$?
	if [ $rc1 = 2 ] && [ $rc2 = 2 ] && cmp -s "$t/c.txt" "$t/$L.txt"; then ok "a bad value under $L: the same located error"
	else bad "bad value under $L: exit $rc2/$rc1: $(cat "$t/$L.txt" "$t/c.txt" | head -4)"; fi
done
[ $fails = 0 ]

#!/bin/sh
# Page filling: no page of the example package is more than 20% blank,
# except the last page of a document and a page before a top-level heading
# (h1 or h2).  Measured on `dossier pdf --layout` of every document of the
# built package by tests/pdf/page_fill.py.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$D" build --quiet --out "$t/out" || { echo "FAIL fill: build"; exit 1; }
n=0
for md in $(cd "$t/out/bsp-application" && find . -name "*.md" | sed "s,^\./,," | sort); do
	f=$t/out/bsp-application/$md
	"$D" pdf --layout "$f" > "$t/$(echo "$md" | tr / _).layout" || { echo "FAIL fill: $md"; exit 1; }
	n=$((n + 1))
done
if python3 tests/pdf/page_fill.py 0.20 "$t"/*.layout > "$t/fill.out"; then
	echo "ok fill: no page of the $n documents more than 20% blank"
else
	sed "s|$t/||; s|^|FAIL fill: |" "$t/fill.out"
	exit 1
fi

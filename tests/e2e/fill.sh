#!/bin/sh
# Page filling, over every example under tests/fixtures/:
# - no page is more than 20% blank, except the last page of a document, a
#   page before a top-level heading (h1 or h2) and a page before a page
#   that starts with a figure (which may not pass the heading after it);
# - no document of more than one page ends on a page less than 25% full
#   (issue 23, item 3; on 634a42d six documents of the two examples did,
#   the growth plan's last page 4% full).
# Measured on `dossier pdf --layout` (with the theme) of every document of
# the built package by tests/pdf/page_fill.py.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
for fx in tests/fixtures/*/; do
	name=$(basename "$fx")
	mkdir -p "$t/$name"
	"$D" build --quiet --content "$fx" --templates templates --out "$t/$name/out" \
		|| { echo "FAIL fill: $name: build"; fails=$((fails + 1)); continue; }
	n=0
	for md in $(cd "$t/$name/out/bsp-application" && find . -name "*.md" | sed "s,^\./,," | sort); do
		f=$t/$name/out/bsp-application/$md
		"$D" pdf --layout --theme templates/theme.yaml "$f" > "$t/$name/$(echo "$md" | tr / _).layout" \
			|| { echo "FAIL fill: $name: $md"; exit 1; }
		n=$((n + 1))
	done
	if python3 tests/pdf/page_fill.py 0.20 "$t/$name"/*.layout > "$t/fill.out"; then
		echo "ok fill: $name: no page of the $n documents more than 20% blank"
	else
		sed "s|$t/||; s|^|FAIL fill: |" "$t/fill.out"
		fails=$((fails + 1))
	fi
	if python3 tests/pdf/page_fill.py --last 0.25 "$t/$name"/*.layout > "$t/last.out"; then
		echo "ok fill: $name: every document's last page at least 25% full"
	else
		grep under "$t/last.out" | sed "s|^|FAIL fill: $name: |"
		fails=$((fails + 1))
	fi
done
[ "$fails" -eq 0 ]

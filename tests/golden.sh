#!/bin/sh
# Golden files: for every example under tests/fixtures/NAME/ (a content
# folder), the package's Markdown and readiness.md against tests/golden/NAME/.
# The examples are the tool's own: a team that edits content/ for its company
# keeps these passing (the `content` suite only checks that content/ builds).
# `make golden-update` rewrites them for review with git diff.
set -eu
DOSSIER=${DOSSIER:-./dossier}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pass=0 fail=0
for fx in tests/fixtures/*/; do
	name=$(basename "$fx")
	gold=tests/golden/$name
	if ! "$DOSSIER" build --quiet --content "$fx" --templates templates --out "$out/$name" 2> "$out/err"; then
		echo "FAIL golden: the example $name does not build: $(cat "$out/err")"
		fail=$((fail + 1))
		continue
	fi
	if [ "${1:-}" = "--update" ]; then
		rm -rf "$gold"
		mkdir -p "$gold"
		(cd "$out/$name" && find bsp-application -name '*.md' | sort) | while read -r f; do
			mkdir -p "$gold/$(dirname "$f")"
			cp "$out/$name/$f" "$gold/$f"
		done
		cp "$out/$name/readiness.md" "$gold/readiness.md"
		echo "golden: updated $gold/ (review with git diff)"
		continue
	fi
	for f in $(cd "$gold" && find . -name '*.md' | sort); do
		if [ "$f" = ./readiness.md ]; then got="$out/$name/readiness.md"; else got="$out/$name/$f"; fi
		if [ -f "$got" ] && cmp -s "$gold/$f" "$got"; then
			pass=$((pass + 1))
			echo "ok golden: $name/$f"
		else
			fail=$((fail + 1))
			echo "FAIL golden: $name/$f differs:"
			if [ -f "$got" ]; then diff -u "$gold/$f" "$got" | head -20; else echo "  (missing)"; fi
		fi
	done
	# A document the package has and the golden files don't is a failure too.
	for f in $(cd "$out/$name" && find bsp-application -name '*.md' | sort); do
		[ -f "$gold/$f" ] || { echo "FAIL golden: $name/$f has no golden file (make golden-update)"; fail=$((fail + 1)); }
	done
done
[ "${1:-}" = "--update" ] && [ "$fail" = 0 ] && exit 0
echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]

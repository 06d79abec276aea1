#!/bin/sh
# Golden files: the example package's Markdown (and readiness.md) against
# tests/golden/.  `make golden-update` rewrites them for review with git diff.
set -eu
DOSSIER=${DOSSIER:-./dossier}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$DOSSIER" build --quiet --out "$out" 2> "$out.err" || { echo "FAIL golden: the example does not build: $(cat "$out.err")"; rm -f "$out.err"; exit 1; }
rm -f "$out.err"
if [ "${1:-}" = "--update" ]; then
	rm -rf tests/golden/bsp-application
	mkdir -p tests/golden
	(cd "$out" && find bsp-application -name '*.md' | sort) | while read -r f; do
		mkdir -p "tests/golden/$(dirname "$f")"
		cp "$out/$f" "tests/golden/$f"
	done
	cp "$out/readiness.md" tests/golden/readiness.md
	echo "golden: updated tests/golden/ (review with git diff)"
	exit 0
fi
pass=0 fail=0
for f in $(cd tests/golden && find . -name '*.md' | sort); do
	if [ "$f" = ./readiness.md ]; then got="$out/readiness.md"; else got="$out/$f"; fi
	if [ -f "$got" ] && cmp -s "tests/golden/$f" "$got"; then
		pass=$((pass + 1))
		echo "ok golden: $f"
	else
		fail=$((fail + 1))
		echo "FAIL golden: $f differs:"
		if [ -f "$got" ]; then diff -u "tests/golden/$f" "$got" | head -20; else echo "  (missing)"; fi
	fi
done
# A document the package has and the golden files don't is a failure too.
for f in $(cd "$out" && find bsp-application -name '*.md' | sort); do
	[ -f "tests/golden/$f" ] || { echo "FAIL golden: $f has no golden file (make golden-update)"; fail=$((fail + 1)); }
done
echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]

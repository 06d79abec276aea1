#!/bin/sh
# The spreadsheet read back with openpyxl (Debian's python3-openpyxl), and
# byte-identical across two builds.
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$D" build --quiet --out "$t/a" || { echo "FAIL xlsx: build"; exit 1; }
"$D" build --quiet --out "$t/b" || { echo "FAIL xlsx: build"; exit 1; }
/usr/bin/python3 tests/xlsx/check.py "$t/a/bsp-application" content || exit 1
if cmp -s "$t/a/bsp-application/business/client-metrics.xlsx" "$t/b/bsp-application/business/client-metrics.xlsx"; then
	echo "ok xlsx: byte-identical across builds"
else
	echo "FAIL xlsx: differs between builds"; exit 1
fi

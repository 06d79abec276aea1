#!/bin/sh
# The spreadsheet read back with openpyxl (Debian's python3-openpyxl), and
# byte-identical across two builds; kept when what it shows did not change.
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$D" build --quiet --out "$t/a" 2> "$t/err" || { echo "FAIL xlsx: build: $(cat "$t/err")"; exit 1; }
"$D" build --quiet --out "$t/b" 2> "$t/err" || { echo "FAIL xlsx: build: $(cat "$t/err")"; exit 1; }
/usr/bin/python3 tests/xlsx/check.py "$t/a/bsp-application" content || exit 1
if cmp -s "$t/a/bsp-application/business/client-metrics.xlsx" "$t/b/bsp-application/business/client-metrics.xlsx"; then
	echo "ok xlsx: byte-identical across builds"
else
	echo "FAIL xlsx: differs between builds"; exit 1
fi

# A spreadsheet program (gnumeric's ssconvert; `make deps` installs it) opens
# the workbook and, recalculating its formulas, gets the seed's cost table.
if command -v ssconvert > /dev/null; then
	ssconvert -S --export-type=Gnumeric_stf:stf_csv "$t/a/bsp-application/business/client-metrics.xlsx" "$t/sheet-%s.csv" > "$t/ss.log" 2>&1 \
		|| { echo "FAIL xlsx: ssconvert cannot open it: $(cat "$t/ss.log")"; exit 1; }
	got=$(sed -n 12,15p "$t/sheet-Cost analysis.csv" | cut -d, -f1-4 | tr '\n' ' ')
	[ "$got" = "10000,600,400,200 50000,3000,1800,1200 100000,6000,3500,2500 500000,30000,15000,15000 " ] \
		&& echo "ok xlsx: gnumeric recalculates the cost table to the seed's figures" \
		|| { echo "FAIL xlsx: recalculated cost table: $got"; exit 1; }
else
	echo "FAIL xlsx: ssconvert is not installed (make deps installs gnumeric)"; exit 1
fi

# Written again only when what it shows changed: a case-study edit keeps the
# file (inode and mtime); a snapshot edit writes it again, the bytes a fresh
# build writes; a copy tampered in place (size and mtime kept) is not kept.
cp -r content "$t/c"
X=bsp-application/business/client-metrics.xlsx
B() { "$D" build --quiet --content "$t/c" --out "$t/o" 2> "$t/err" || { echo "FAIL xlsx: build: $(cat "$t/err")"; exit 1; }; }
B
before=$(stat -c '%i %Y' "$t/o/$X")
sleep 1
cs=$(ls "$t"/c/case-studies/*.md | head -1)
sed -i '0,/ the / s// THE /' "$cs"; B
[ "$(stat -c '%i %Y' "$t/o/$X")" = "$before" ] && cmp -s "$t/o/$X" "$t/a/$X" \
	&& echo "ok xlsx: a case-study edit keeps the spreadsheet (inode, mtime, bytes)" \
	|| { echo "FAIL xlsx: case-study edit: $(stat -c '%i %Y' "$t/o/$X") was $before"; exit 1; }
snap=$(ls "$t"/c/metrics/*.yaml | sort | tail -1)
sed -i 's/^messages: .*/messages: 47000/' "$snap"; B
"$D" build --quiet --content "$t/c" --out "$t/fresh" 2> "$t/err" || { echo "FAIL xlsx: fresh build: $(cat "$t/err")"; exit 1; }
! cmp -s "$t/o/$X" "$t/a/$X" && cmp -s "$t/o/$X" "$t/fresh/$X" \
	&& echo "ok xlsx: a snapshot edit writes it again, as a fresh build does" \
	|| { echo "FAIL xlsx: snapshot edit"; exit 1; }
cp -p "$t/o/$X" "$t/ref.xlsx"
printf 'X' | dd of="$t/o/$X" bs=1 seek=300 conv=notrunc status=none
touch -r "$t/ref.xlsx" "$t/o/$X"
sed -i '0,/ THE / s// the /' "$cs"; B
cmp -s "$t/o/$X" "$t/fresh/$X" && echo "ok xlsx: a spreadsheet tampered in place is written again" \
	|| { echo "FAIL xlsx: tampered spreadsheet kept"; exit 1; }

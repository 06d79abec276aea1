#!/bin/bash
# The smaller ones of issue 22 (class 8):
#   1. a semicolon-separated clients export (Excel in es/pt/de) is refused
#      naming the separator; with Excel's first line "sep=;" it is read;
#   2. a control character in a CSV cell is refused at its line and column;
#   3. `check --json` is valid UTF-8 when a file name is not (Latin-1);
#   4. `--final` refuses a supplied "original" dossier made (its PDF Creator
#      is dossier: the package's own stand-in copied in) or one carrying the
#      DRAFT mark (a draft printed to PDF), and accepts one from elsewhere;
#   5. `dossier month` refuses to go past 9999-12; after a month whose
#      clients came from a CSV it writes no `clients: []` (which would make
#      the build refuse the next CSV), and after a YAML list its comment
#      says "or remove this line and drop" the CSV;
#   6. a case study shows an image beside it (content/case-studies/img/):
#      the image is in the package beside the case study, in the manifest
#      and in the zip, and the PDF shows it; a missing one is an error
#      located in the case study, not in OUT; an image whose name is a
#      private person's is refused.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok smaller: $1"; }
bad() { echo "FAIL smaller: $1"; fails=$((fails + 1)); }
fresh() {	# a project copy at $t/$1
	rm -rf "$t/$1"; mkdir -p "$t/$1"; cp -R content templates "$t/$1/"; touch "$t/$1/dossier.yaml"
}
# The October clients as a CSV with separator $2 and a first line $3 (may be empty).
clients_csv() {
	python3 - "$1/content/metrics/2026-10.yaml" "$2" "$3" <<'PY'
import re, sys, yaml
path, sep, first = sys.argv[1], sys.argv[2], sys.argv[3]
d = yaml.safe_load(open(path))
s = open(path).read()
s = re.sub(r'(?ms)^clients:\n(?:[ -].*?\n)*', '', s)
open(path, 'w').write(s)
with open(path.replace('.yaml', '.clients.csv'), 'w') as f:
    if first:
        f.write(first + '\n')
    f.write(sep.join(['id', 'industry', 'city', 'messages']) + '\n')
    for c in d['clients']:
        f.write(sep.join([c['id'], c['industry'], '"%s"' % c['city'], str(c['messages'])]) + '\n')
PY
}

# 1. Separators.
fresh semi; clients_csv "$t/semi" ';' ''
(cd "$t/semi" && "$D" check) > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "content/metrics/2026-10.clients.csv:1:1: error: the first row must be a header naming the columns (id, industry, city, messages), separated by commas; this file separates them with semicolons (as a spreadsheet does in some languages): save it with commas, or make its first line sep=;" ] \
	&& ok "a semicolon export: refused, naming the separator" || bad "semicolons: exit $rc: $(cat "$t/err")"
fresh sep; clients_csv "$t/sep" ';' 'sep=;'
(cd "$t/sep" && "$D" check) > "$t/out" 2> "$t/err"; rc=$?
[ $rc = 1 ] && [ ! -s "$t/err" ] && ok "with Excel's first line sep=; the export is read" || bad "sep=;: exit $rc: $(cat "$t/err")"
fresh sepbad; clients_csv "$t/sepbad" ';' 'sep=;'
sed -i '4s/;\([0-9]*\)$/;4x7/' "$t/sepbad/content/metrics/2026-10.clients.csv"
(cd "$t/sepbad" && "$D" check) > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "^content/metrics/2026-10.clients.csv:4:[0-9]*: error: column 'messages' must be" "$t/err" \
	&& ok "after sep=;, cells are located on the file's own lines" || bad "sep=; location: $(cat "$t/err")"

# 2. A control character in a cell.
fresh ctl; clients_csv "$t/ctl" ',' ''
sed -i '3s/,/,\x07/' "$t/ctl/content/metrics/2026-10.clients.csv"
grep -q $'\x07' "$t/ctl/content/metrics/2026-10.clients.csv" || bad "no control character planted"
(cd "$t/ctl" && "$D" check) > /dev/null 2> "$t/err"; rc=$?
col=$(sed -n 3p "$t/ctl/content/metrics/2026-10.clients.csv" | awk -F'\a' '{ print length($1) + 1 }')
[ $rc = 2 ] && [ "$(cat "$t/err")" = "content/metrics/2026-10.clients.csv:3:$col: error: invalid text: control character U+0007; a cell holds text, tabs and line breaks only" ] \
	&& ok "a control character in a cell: refused at its line and column" || bad "control character: exit $rc: $(cat "$t/err")"

# 3. check --json with a file name that is not UTF-8.
fresh json
printf -- '---\ntitle: x\n---\n' > "$t/json/content/case-studies/caf"$'\xe9'".MD"
(cd "$t/json" && "$D" check --json) > "$t/json.out" 2> "$t/err"
python3 - "$t/json.out" <<'PY' && ok "check --json is valid UTF-8 with a Latin-1 file name, which it names" || bad "json: $(head -c 300 "$t/json.out" | od -c | head -5)"
import json, sys
raw = open(sys.argv[1], 'rb').read()
d = json.loads(raw.decode('utf-8'))
assert any('caf\ufffd.MD' in w for w in d['warnings']), d['warnings']
PY

# 4. --final and supplied documents dossier made.
fresh fin
printf 'triggers:\n  whatsapp_ai_clients: 80\n  monthly_messages: 40000\n' > "$t/fin/content/triggers.yaml"
mkdir -p "$t/fin/content/attachments"
# An original from another program (tests/pdf/mkpdf.py: Helvetica, no Creator).
python3 tests/pdf/mkpdf.py "$t/original.pdf" "Certificate of incorporation|Signed original"
for a in legal-entity-docs financial-statements security-audit-report; do cp "$t/original.pdf" "$t/fin/content/attachments/$a.pdf"; done
(cd "$t/fin" && "$D" check --final) > /dev/null 2> "$t/err"; rc=$?
[ $rc = 0 ] && ok "check --final: ready with originals a scanner made" || bad "originals: exit $rc: $(cat "$t/err")"
# The package's own stand-in, copied in as if it were the original.
rm "$t/fin/content/attachments/financial-statements.pdf"
(cd "$t/fin" && "$D" build --quiet 2> /dev/null)
cp "$t/fin/out/bsp-application/company/financial-statements.pdf" "$t/standin.pdf"
cp "$t/standin.pdf" "$t/fin/content/attachments/financial-statements.pdf"
(cd "$t/fin" && "$D" build --final) > /dev/null 2> "$t/err"; rc=$?
[ $rc = 1 ] && grep -qF "  - Financial Statements: content/attachments/financial-statements.pdf was made by dossier (its PDF Creator is dossier), not an original: supply the document itself" "$t/err" \
	&& ok "--final refuses a supplied PDF that dossier made" || bad "dossier-made attachment: exit $rc: $(cat "$t/err")"
# A draft page printed to PDF by another program: the Creator is not
# dossier's, the DRAFT mark is on the page.
python3 tests/pdf/mkpdf.py "$t/fin/content/attachments/financial-statements.pdf" \
	"Draft — not for submission|Statement of financial position"
(cd "$t/fin" && "$D" check --final) > "$t/out" 2> "$t/err"; rc=$?
[ $rc = 1 ] && grep -qF -- "- [ ] Financial Statements: content/attachments/financial-statements.pdf carries the DRAFT mark on page 1, not an original: supply the document itself" "$t/out" \
	&& ok "--final refuses a supplied PDF that carries the DRAFT mark" || bad "draft-marked attachment: exit $rc: $(grep -i financial "$t/out") $(cat "$t/err")"

# 5. dossier month.
fresh m9
cp "$t/m9/content/metrics/2026-10.yaml" "$t/m9/content/metrics/9999-12.yaml"
sed -i 's/^month: .*/month: "9999-12"/' "$t/m9/content/metrics/9999-12.yaml"
(cd "$t/m9" && "$D" month) > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "dossier month: the latest snapshot is 9999-12: there is no month after it (months are written YYYY-MM)" ] \
	&& [ ! -e "$t/m9/content/metrics/10000-01.yaml" ] && ok "month after 9999-12: refused, nothing written" || bad "9999-12: exit $rc: $(cat "$t/err") $(ls "$t/m9/content/metrics" | tail -2)"
fresh mcsv; clients_csv "$t/mcsv" ',' ''
(cd "$t/mcsv" && "$D" month) > "$t/out" 2> "$t/err" || bad "month after a CSV month: $(cat "$t/err")"
f=$t/mcsv/content/metrics/2026-11.yaml
if grep -q '^clients:' "$f"; then
	bad "month wrote a clients list although October's came from a CSV: $(grep -n clients "$f")"
else
	grep -qx '# clients: none yet: drop 2026-11.clients.csv beside this file, as last month' "$f" \
		&& ok "after a CSV month: no clients: [] line, a comment saying to drop the CSV" || bad "comment: $(grep -n clients "$f")"
fi
cp "$t/mcsv/content/metrics/2026-10.clients.csv" "$t/mcsv/content/metrics/2026-11.clients.csv"
(cd "$t/mcsv" && "$D" check) > /dev/null 2> "$t/err"
grep -q "not both\|both" "$t/err" && bad "the CSV dropped in is refused: $(cat "$t/err")" || ok "the CSV dropped in next month is taken as it is"
fresh myaml
(cd "$t/myaml" && "$D" month) > /dev/null 2> "$t/err" || bad "month: $(cat "$t/err")"
grep -q '^clients: *\[\] *# none yet: list them, or remove this line and drop 2026-11.clients.csv beside this file$' "$t/myaml/content/metrics/2026-11.yaml" \
	&& ok "after a YAML list: clients: [], its comment says to remove the line for a CSV" || bad "yaml comment: $(grep -n clients "$t/myaml/content/metrics/2026-11.yaml")"

# 6. A case study with an image beside it.
fresh img
cs=$(cd "$t/img/content/case-studies" && grep -l '^order: 1$' *.md)
mkdir -p "$t/img/content/case-studies/img"
python3 -c '
import struct, zlib, sys
w, h = 40, 20
raw = b"".join(b"\x00" + bytes([200, 60, 30]) * w for _ in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
' > "$t/img/content/case-studies/img/team.png"
printf '\n![The team at work](img/team.png)\n' >> "$t/img/content/case-studies/$cs"
(cd "$t/img" && "$D" build --quiet) 2> "$t/err"; rc=$?
doc=$(cd "$t/img/out/bsp-application" && grep -l 'img/team.png' business/case-studies/*.md | head -1)
dir=$(dirname "$doc")
[ $rc = 0 ] && [ -n "$doc" ] && cmp -s "$t/img/content/case-studies/img/team.png" "$t/img/out/bsp-application/$dir/img/team.png" \
	&& ok "the image is in the package beside the case study ($dir/img/team.png)" || bad "image not in the package: exit $rc: $(cat "$t/err")"
grep -q "path=\"$dir/img/team.png\"" "$t/img/out/bsp-application/manifest.xml" && ok "the image is in the manifest" || bad "manifest: $(grep -c path= "$t/img/out/bsp-application/manifest.xml")"
unzip -l "$t/img/out/bsp-application.zip" | grep -q "bsp-application/$dir/img/team.png\|$dir/img/team.png" && ok "the image is in the zip" || bad "zip: $(unzip -l "$t/img/out/bsp-application.zip" | grep png)"
pdfimages -list "$t/img/out/bsp-application/${doc%.md}.pdf" 2> /dev/null | grep -q ' 40 *20 ' && ok "the case study's PDF shows it" || bad "PDF: $(pdfimages -list "$t/img/out/bsp-application/${doc%.md}.pdf" 2>&1 | head -5)"
"$D" verify "$t/img/out/bsp-application" > /dev/null && ok "verify accepts the package with the image" || bad "verify"
printf '\n![Missing](img/missing.png)\n' >> "$t/img/content/case-studies/$cs"
line=$(grep -n 'img/missing.png' "$t/img/content/case-studies/$cs" | cut -d: -f1)
(cd "$t/img" && "$D" build --quiet) > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "content/case-studies/$cs:$line:1: error: image 'img/missing.png': no such file content/case-studies/img/missing.png" ] \
	&& ok "a missing image: an error located in the case study" || bad "missing image: exit $rc: $(cat "$t/err")"
sed -i '$d' "$t/img/content/case-studies/$cs"; sed -i '$d' "$t/img/content/case-studies/$cs"
sed -i 's/^order: 1$/order: 1\nprivate:\n  - {name: "Ana Gómez", alias: "the owner"}/' "$t/img/content/case-studies/$cs"
cp "$t/img/content/case-studies/img/team.png" "$t/img/content/case-studies/img/ana-gomez.png"
printf '\n![Portrait](img/ana-gomez.png)\n' >> "$t/img/content/case-studies/$cs"
(cd "$t/img" && "$D" build --quiet) > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "content/case-studies/$cs:[0-9]*:[0-9]*: error: image 'img/ana-gomez.png' names a private person (Ana Gómez): rename the file" "$t/err" \
	&& ok "an image named after a private person: refused" || bad "private image name: exit $rc: $(cat "$t/err")"
[ $fails = 0 ]

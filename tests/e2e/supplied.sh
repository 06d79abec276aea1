#!/bin/sh
# Supplied originals in dossier.pdf: PDFs in content/attachments/ are copied
# into the package byte for byte and drawn page by page into dossier.pdf at
# their document's place (vectors, text kept), with a bookmark and a linked
# contents entry; the running header and footer only where the page leaves
# the margin free; a damaged PDF is a warning and stays "supplied separately".
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok supplied: $1"; }
bad() { echo "FAIL supplied: $1"; fails=$((fails + 1)); }
export SOURCE_DATE_EPOCH=1790812800

src=tests/fixtures/campotech
[ -d "$src" ] || src=content
cp -r "$src" "$t/c"
mkdir -p "$t/c/attachments"
# Financial statements typeset by dossier itself: text in the footer margin.
printf '# Audited Financial Statements 2025\n\nStatement of financial position, audited by Quintana & Partners.\n\nZebra-striped sentence of the statements.\n' > "$t/fs.md"
"$D" pdf "$t/fs.md" -o "$t/c/attachments/financial-statements.pdf" || bad "making the statements"
# An audit report from another program: Letter paper, nothing in the margins.
python3 tests/pdf/mkpdf.py "$t/c/attachments/security-audit-report.pdf" \
	"Security audit by Kestrel Labs|Penetration test: no critical findings" \
	"Second page of the audit|Remediation closed in March"
# A damaged PDF.
printf '%%PDF-1.4\nnot really\n' > "$t/c/attachments/legal-entity-docs.pdf"

"$D" build --content "$t/c" --templates templates --out "$t/out" --quiet 2> "$t/err"; rc=$?
[ $rc = 0 ] && ok "builds with supplied PDFs" || bad "build: $rc $(cat "$t/err")"
grep -q "legal-entity-docs.pdf: warning: not a readable PDF (.*); the dossier lists it as supplied separately" "$t/err" \
	&& ok "a damaged PDF is a warning" || bad "damaged PDF: $(cat "$t/err")"
P=$t/out/bsp-application
for f in company/financial-statements.pdf technical/security-audit-report.pdf company/legal-entity-docs.pdf; do
	cmp -s "$t/c/attachments/${f#*/}" "$P/$f" || bad "$f is not a byte-for-byte copy"
done
ok "the package keeps byte-for-byte copies"
qpdf --check "$P/dossier.pdf" > "$t/qpdf" 2>&1 && ok "dossier.pdf: qpdf --check" || bad "qpdf: $(tail -3 "$t/qpdf")"

qpdf --json=2 "$P/dossier.pdf" > "$t/d.json"
python3 - "$t/d.json" "$P/dossier.pdf" > "$t/py" 2>&1 <<'PY' && ok "pages, text, bookmarks, contents links and furniture" || bad "$(cat "$t/py")"
import json, subprocess, sys
j = json.load(open(sys.argv[1]))
pdf = sys.argv[2]
def text(p, layout=False):
    args = ["pdftotext"] + (["-layout"] if layout else []) + ["-f", str(p), "-l", str(p), pdf, "-"]
    return subprocess.run(args, capture_output=True, text=True).stdout
n = len(j["pages"])
marks = {}
def walk(items):
    for o in items:
        marks[o["title"]] = o["destpageposfrom1"]
        walk(o["kids"])
walk(j["outlines"])
fs, audit = marks["Financial Statements"], marks["Security Audit Report"]
# The supplied pages at their places, their words in the text layer.
assert "Zebra-striped sentence of the statements." in text(fs), text(fs)
assert "Security audit by Kestrel Labs" in text(audit), text(audit)
assert "Remediation closed in March" in text(audit + 1), text(audit + 1)
# The contents: a page number for each, and a link to each document.
toc = text(2, True)
for title, page in (("Financial Statements", fs), ("Security Audit Report", audit)):
    line = [l for l in toc.splitlines() if title in l][0]
    assert line.split()[-1] == str(page), (title, line, page)
assert "supplied separately: company/legal-entity-docs.pdf" in " ".join(toc.split()), toc
objs = j["qpdf"][1]
contents = objs["obj:" + j["pages"][1]["object"]]["value"]
dests = [objs["obj:" + a]["value"].get("/Dest") for a in contents.get("/Annots", [])]
# Parts in package order: overview 1, legal 2, statements 3, overview 4, audit 5.
assert "u:part-3" in dests and "u:part-5" in dests and "u:part-2" not in dests, dests
docs = [l for l in toc.splitlines() if l.strip() and l.split()[-1].isdigit() and "Page " not in l]
assert len(dests) == len(docs), (len(dests), len(docs), dests)
# Furniture: the audit's pages leave the margins free, so the footer (and
# on its second page the running header) is there; the statements carry
# their own footer in the margin, so the dossier's stays off that page.
assert "Page %d of %d" % (audit + 1, n) in text(audit + 1), text(audit + 1)
assert "Security Audit Report" in text(audit + 1), text(audit + 1)	# running header
assert "Page %d of %d" % (fs, n) not in text(fs), text(fs)
assert "Page 1 of 1" in text(fs)
PY

# A changed original makes a new dossier.pdf.
python3 tests/pdf/mkpdf.py "$t/c/attachments/security-audit-report.pdf" "Re-audited by Osprey Security"
"$D" build --content "$t/c" --templates templates --out "$t/out" --quiet 2> /dev/null
pdftotext "$P/dossier.pdf" - | grep -q "Re-audited by Osprey Security" \
	&& ok "a changed original is drawn again" || bad "dossier.pdf kept the old original"

[ $fails = 0 ]

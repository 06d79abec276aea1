#!/bin/sh
# The tagged PDF's structure tree, as `pdfinfo -struct-text` shows it:
# every block kind of tests/pdf/tags.md in source order with its text
# (golden tests/pdf/tags.struct); a paragraph, a code block and a table cut
# by page breaks stay one element each, with no page furniture inside; a
# floated figure's place in the tree; the example's uptime report and
# dossier.pdf (Parts, the contents as TOC/TOCI, a supplied original as one
# Figure).
#
# poppler 22's -struct-text stops an element's text at the first
# ActualText span: Cairo writes one for a ligature (fi, ff, fl) and the
# device one for an emoji or task box (shown as the two faint full
# stops, ".."), so tags.md avoids ligatures; pdftotext reads the text whole.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok tags: $1"; }
bad() { echo "FAIL tags: $1"; fails=$((fails + 1)); }
export SOURCE_DATE_EPOCH=1790812800

valid() {	# FILE WHAT
	if qpdf --check "$1" > "$t/qpdf.out" 2>&1; then ok "$2: qpdf --check"
	else bad "$2: qpdf --check: $(tail -3 "$t/qpdf.out")"; fi
}

# Questions about a struct-text dump: the tree as (depth, line) pairs.
tree() {	# FILE PYTHON-EXPRESSIONS... ; each must hold
	python3 - "$@" <<'EOF'
import sys
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
nodes = []			# [depth, label, parent index, children]
stack = []
for l in lines:
    d = (len(l) - len(l.lstrip(" "))) // 2
    label = l.strip()
    if label.startswith("/"):	# an attribute of the element above ("TH:")
        continue
    label = label.rstrip(":")
    while stack and nodes[stack[-1]][0] >= d:
        stack.pop()
    nodes.append([d, label, stack[-1] if stack else -1, []])
    if stack:
        nodes[stack[-1]][3].append(len(nodes) - 1)
    stack.append(len(nodes) - 1)
def kind(i):
    return nodes[i][1].split(" (")[0]
def text(i):
    """All the text under node i, in order."""
    out = []
    for c in nodes[i][3]:
        out.append(nodes[c][1].strip('"') if nodes[c][1].startswith('"') else text(c))
    return "".join(out)
def elems(k):
    return [i for i in range(len(nodes)) if kind(i) == k]
def children(i):
    return [kind(c) for c in nodes[i][3]]
def having(k, s):
    """The elements of kind k whose text holds s."""
    return [i for i in elems(k) if s in text(i)]
alltext = "".join(n[1] for n in nodes if n[1].startswith('"'))
for expr in sys.argv[2:]:
    if not eval(expr):
        print("does not hold:", expr)
        sys.exit(1)
EOF
}

# ---- every block kind, in source order ---------------------------------
"$D" pdf tests/pdf/tags.md -o "$t/tags.pdf" --company "Acme Tools" 2> "$t/err" \
	|| bad "tags.md: $(cat "$t/err")"
valid "$t/tags.pdf" tags.md
python3 tests/pdf/struct_text.py "$t/tags.pdf" > "$t/tags.struct" 2>&1
if diff -u tests/pdf/tags.struct "$t/tags.struct" > "$t/diff"; then
	ok "tags.md: the tree is tests/pdf/tags.struct (H1-H3, P, Link, L/LI/Lbl/LBody, Table/TR/TH/TD, Figure with caption, BlockQuote, Code)"
else
	bad "tags.md: tree differs from tests/pdf/tags.struct: $(head -40 "$t/diff")"
fi
pdfinfo "$t/tags.pdf" | grep -q '^Tagged: *yes' && ok "tags.md: Tagged: yes" \
	|| bad "not tagged: $(pdfinfo "$t/tags.pdf")"

# ---- page breaks and furniture -------------------------------------------
# A paragraph longer than a page, a 60-row table and a 90-line code block:
# each is cut by page breaks.
{
	printf '# Long Report\n\nShort opening paragraph.\n\nLONGPARA'
	i=0; while [ $i -lt 700 ]; do printf ' word%d' $i; i=$((i + 1)); done
	printf ' ENDPARA\n\n| Name | Value |\n|---|---|\n'
	i=0; while [ $i -lt 60 ]; do printf '| row%d | val%d |\n' $i $i; i=$((i + 1)); done
	printf '\n```\n'
	i=0; while [ $i -lt 90 ]; do printf 'codeline%d\n' $i; i=$((i + 1)); done
	printf '```\n\nThe end.\n'
} > "$t/long.md"
"$D" pdf "$t/long.md" -o "$t/long.pdf" --company "Furniture Company" 2> "$t/err" \
	|| bad "long.md: $(cat "$t/err")"
valid "$t/long.pdf" long.md
python3 tests/pdf/struct_text.py "$t/long.pdf" > "$t/long.struct" 2>&1
pages=$(pdfinfo "$t/long.pdf" | awk '/^Pages:/ { print $2 }')
[ "${pages:-0}" -ge 4 ] && ok "long.md: $pages pages" || bad "long.md: $pages pages"
pdftotext "$t/long.pdf" - | grep -q "Page 2 of $pages" && ok "long.md: footers are drawn" \
	|| bad "no footer in the text"
tree "$t/long.struct" \
	'len(having("P", "LONGPARA")) == 1' \
	'len(elems("P")) == 3' \
	'children(having("P", "LONGPARA")[0]).count("Span") >= 2' \
	'text(nodes[having("P", "LONGPARA")[0]][3][1]).startswith("word")' \
	'len(elems("Table")) == 1 and len(elems("TR")) == 61 and len(elems("TH")) == 2' \
	'len(elems("Code")) == 1 and "codeline0" in text(elems("Code")[0]) and "codeline89" in text(elems("Code")[0])' \
	'children(elems("Code")[0]).count("Span") >= 2' \
	'"Page " not in alltext and "Furniture Company" not in alltext' \
	'alltext.count("Long Report") == 1' \
	&& ok "long.md: the cut paragraph, table and code block are one element each (page pieces as Spans), header row once, no footer, running header or page number inside" \
	|| bad "long.md: $(cat "$t/long.struct" | head -30)"
# The table's header row is drawn again on the next page, but it is in
# the tree once.
[ "$(pdftotext "$t/long.pdf" - | grep -c '^Name$')" -ge 2 ] && ok "long.md: the header row is repeated on the page" \
	|| bad "header not repeated"

# ---- empty cells -------------------------------------------------------------
# An empty cell draws nothing, yet is a cell of its row in the tree, also
# when it ends the document (after the last thing drawn).
printf '# Empty cells\n\n| A | B | C |\n|---|---|---|\n| 1 |  | 3 |\n|  | x |  |\n' > "$t/empty.md"
"$D" pdf "$t/empty.md" -o "$t/empty.pdf" 2> "$t/err" || bad "empty.md: $(cat "$t/err")"
python3 tests/pdf/struct_text.py "$t/empty.pdf" > "$t/empty.struct" 2>&1
tree "$t/empty.struct" \
	'len(elems("TR")) == 3 and all(len(nodes[i][3]) == 3 for i in elems("TR"))' \
	'[text(i) for i in elems("TD")] == ["1", "", "3", "", "x", ""]' \
	&& ok "empty.md: every row has its 3 cells in the tree, empty ones too, the last cell of the document included" \
	|| bad "empty.md: $(cat "$t/empty.struct")"

# ---- a floated figure ------------------------------------------------------
# Three paragraphs fill most of page 1; the chart does not fit there and
# waits for the top of page 2.  The paragraph after it does not fit page 1
# whole, so it follows the figure (a figure never lands inside a
# paragraph), and the tree has the figure where the pages show it.
{
	printf '# Float\n\n'
	for p in 0 1 2; do
		printf 'Para%d' $p
		i=0; while [ $i -lt 130 ]; do printf ' word%d' $i; i=$((i + 1)); done
		printf '.\n\n'
	done
	printf '![Chart caption here](img/chart.svg)\n\n'	# beside it: never by absolute path
	for p in 3 4 5; do
		printf 'Para%d' $p
		i=0; while [ $i -lt 150 ]; do printf ' word%d' $i; i=$((i + 1)); done
		printf '.\n\n'
	done
} > "$t/float.md"
mkdir -p "$t/img" && cp tests/pdf/img/chart.svg "$t/img/"
"$D" pdf "$t/float.md" -o "$t/float.pdf" 2> "$t/err" || bad "float.md: $(cat "$t/err")"
"$D" pdf "$t/float.md" --layout > "$t/float.layout" 2>&1
valid "$t/float.pdf" float.md
python3 tests/pdf/struct_text.py "$t/float.pdf" > "$t/float.struct" 2>&1
if grep -q "^page 2: image .*chart.svg" "$t/float.layout" &&
   ! grep -q "^page 1: text .*'Para3" "$t/float.layout" &&
   grep -q "^page 2: text .*'Para3" "$t/float.layout"; then
	ok "float.md: the chart floated to page 2; Para3, which page 1 cannot hold whole, follows it"
else
	bad "float.md: layout changed; the test needs a new filler: $(grep -n "image\|'Para" "$t/float.layout")"
fi
tree "$t/float.struct" \
	'[kind(c) for c in nodes[0][3]] == ["H1", "P", "P", "P", "Figure", "P", "P", "P"]' \
	'"Para2" in text(nodes[0][3][3]) and "Chart caption here" in text(nodes[0][3][4]) and "Para3" in text(nodes[0][3][5])' \
	&& ok "float.md: the figure in the tree where the pages show it, between Para2 and Para3" \
	|| bad "float.md: $(cut -c1-60 "$t/float.struct")"

# ---- tables Cairo writes as a lone /K ------------------------------------
# A table of one row, and a table alone in a quote: Cairo 1.16 writes an
# element with one child as "/K N 0 R", not an array.  Each still gets its
# rows in THead (and TBody).
printf '# T\n\n| A | B |\n|---|---|\n\n> | X | Y |\n> |---|---|\n> | 1 | 2 |\n' > "$t/lone.md"
"$D" pdf "$t/lone.md" -o "$t/lone.pdf" 2> "$t/err" || bad "lone.md: $(cat "$t/err")"
python3 tests/pdf/struct_text.py "$t/lone.pdf" > "$t/lone.struct" 2>&1
tree "$t/lone.struct" \
	'[children(i) for i in elems("Table")] == [["THead"], ["THead", "TBody"]]' \
	'children(elems("BlockQuote")[0]) == ["Table"]' \
	&& ok "lone.md: a one-row table and a table alone in a quote have THead (and TBody)" \
	|| bad "lone.md: $(cat "$t/lone.struct")"

# ---- the example package -------------------------------------------------
src=tests/fixtures/campotech
cp -r "$src" "$t/c"
mkdir -p "$t/c/attachments"
python3 tests/pdf/mkpdf.py "$t/c/attachments/security-audit-report.pdf" \
	"Security audit by Kestrel Labs|Penetration test: no critical findings" \
	"Second page of the audit|Remediation closed in March"
"$D" build --content "$t/c" --templates templates --out "$t/out" --quiet 2> "$t/err" \
	|| bad "build: $(cat "$t/err")"
P=$t/out/bsp-application
valid "$P/technical/uptime-report.pdf" uptime-report.pdf
python3 tests/pdf/struct_text.py "$P/technical/uptime-report.pdf" > "$t/up.struct" 2>&1
tree "$t/up.struct" \
	'text(elems("H1")[0]) == "Uptime and Reliability Report"' \
	'"Summary" in [text(i) for i in elems("H2")]' \
	'len(elems("Table")) >= 2' \
	'[text(i) for i in elems("TH")][:2] == ["Measure", "Value"]' \
	'any(text(i) == "Uptime, last 30 days (October 2026)" for i in elems("TD"))' \
	'"Page " not in alltext' \
	&& ok "uptime-report.pdf: headings, tables with TH and TD, no page numbers in the tree" \
	|| bad "uptime-report.pdf: $(head -40 "$t/up.struct")"
valid "$P/dossier.pdf" dossier.pdf
# Issue 23: the example's dossier.pdf at most 420 KB (it was 765,587 bytes
# before object streams and one copy of each image).
size=$(wc -c < "$P/dossier.pdf")
[ "$size" -le 420000 ] && ok "dossier.pdf: $size bytes, at most 420 KB" \
	|| bad "dossier.pdf: $size bytes, over 420 KB"
python3 tests/pdf/struct_text.py "$P/dossier.pdf" > "$t/dossier.struct" 2>&1
tree "$t/dossier.struct" \
	'len(elems("TOC")) == 1 and len(elems("TOCI")) >= 10' \
	'any(text(i).startswith("Uptime and Reliability Report") for i in elems("TOCI"))' \
	'any(children(i) == ["Link", "Span"] and text(nodes[i][3][0]).endswith("Uptime and Reliability Report") for i in elems("TOCI"))' \
	'len(elems("Part")) >= 10' \
	'any(text(nodes[i][3][0]).startswith("Uptime and Reliability Report") for i in elems("Part"))' \
	'len([i for i in elems("Part") if children(i) == ["Figure"] and "Security audit by Kestrel Labs" in text(i) and "Remediation closed in March" in text(i)]) == 1' \
	&& ok "dossier.pdf: the contents as TOC/TOCI (the title inside its Link, then the page number), a Part per document, the supplied audit as one Figure with its text" \
	|| bad "dossier.pdf: $(grep -v '^ *"' "$t/dossier.struct" | head -40)"
# Each link annotation is in the tree once, in a Link element.
qpdf --qdf --object-streams=disable "$P/dossier.pdf" "$t/dossier.qdf"
annots=$(grep -a -c '/Subtype /Link' "$t/dossier.qdf")
objs=$(grep -c '^ *Object [0-9]* 0$' "$t/dossier.struct")
[ "$annots" -gt 20 ] && [ "$annots" = "$objs" ] && ok "dossier.pdf: $annots link annotations, each in one Link element" \
	|| bad "dossier.pdf: $annots link annotations, $objs in the tree"

# PDF/UA-1 (and PDF/A-2's identification) in every PDF of the package:
# /Lang, DisplayDocTitle, XMP with pdfuaid and dc:title, /Alt on each
# Figure, /Scope on each TH, rows in THead/TBody, /Tabs /S and described
# links, all content tagged or an artifact (running head, footer, page
# numbers, draft band, repeated header rows), no footer in the tree.  The
# supplied audit is the company's own file, kept byte for byte.
if r=$(python3 tests/pdf/pdfua.py $(find "$P" -name '*.pdf' ! -name security-audit-report.pdf | sort)); then
	ok "PDF/UA: $(echo "$r" | tail -1)"
else
	bad "PDF/UA: $(echo "$r" | head -10)"
fi
# The same for tags.md and for long.md, whose table header is repeated on
# each page it continues on.
if r=$(python3 tests/pdf/pdfua.py "$t/long.pdf" "$t/tags.pdf"); then
	ok "PDF/UA: long.md, tags.md: $(echo "$r" | tail -1)"
else
	bad "PDF/UA: long.md, tags.md: $(echo "$r" | head -10)"
fi

echo "tags: $fails failed"
[ $fails = 0 ]

#!/bin/sh
# dossier pdf: every element typeset and checked with poppler-utils and qpdf
# (text in reading order, metadata, embedded fonts, structure, outline,
# links), long and wide tables, determinism, located errors, the combined
# PDF, and "nothing lost" over every CommonMark and GFM spec example.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok pdf: $1"; }
bad() { echo "FAIL pdf: $1"; fails=$((fails + 1)); }
SPEC=tests/vendor/commonmark-spec
export SOURCE_DATE_EPOCH=1790812800	# 2026-10-01 00:00:00 UTC

# Structure shared by every PDF we make: valid, fonts embedded.
valid() {	# FILE WHAT
	if qpdf --check "$1" > "$t/qpdf.out" 2>&1; then ok "$2: qpdf --check"
	else bad "$2: qpdf --check: $(tail -3 "$t/qpdf.out")"; fi
	if pdffonts "$1" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }'
	then ok "$2: every font embedded"
	else bad "$2: fonts not embedded: $(pdffonts "$1")"; fi
}

# ---- one document with every element ----------------------------------
el=tests/pdf/elements.md
if "$D" pdf "$el" -o "$t/el.pdf" --company "CampoTech S.A.S." 2> "$t/err"; then
	ok "elements typeset"
else
	bad "elements: $(cat "$t/err")"
fi
valid "$t/el.pdf" elements
info=$(pdfinfo "$t/el.pdf")
echo "$info" | grep -q '^Title: *Platform Technical Overview 📊$' && ok "title from the first heading" \
	|| bad "title: $(echo "$info" | grep Title)"
echo "$info" | grep -q '^Author: *CampoTech S.A.S.$' && ok "author" || bad "author: $info"
echo "$info" | grep -q '^CreationDate: *Thu Oct  1 00:00:00 2026 UTC' && ok "creation date from SOURCE_DATE_EPOCH" \
	|| bad "date: $(echo "$info" | grep CreationDate)"
echo "$info" | grep -q '^Pages: *2$' && ok "two pages" || bad "pages: $(echo "$info" | grep Pages)"
echo "$info" | grep -q 'Page size: *595.27[0-9]* x 841.89 pts (A4)' && ok "A4 by default" || bad "size: $info"

pdftotext "$t/el.pdf" "$t/el.txt"
# Reading order: these appear in the text in this order.
python3 - "$t/el.txt" <<'EOF' && ok "text in reading order" || bad "reading order"
import sys
text = open(sys.argv[1], encoding="utf-8").read()
want = ["Platform Technical Overview", "every element", "struck", "inline code",
        "link to Meta", "Asociación Tecnológica de Córdoba, Muñoz, Ibáñez",
        "1. Company Overview", "Mission: connecting", "Headquarters: Córdoba",
        "Office: Nueva Córdoba district", "Team size: 24", "Preparation", "Review",
        "Readiness checklist", "Registered legal entity", "Security audit",
        "Quoted guidance", "A second quoted paragraph", "Message flow",
        "Customer → CampoTech", "curl -X POST", "2. Platform Statistics",
        "Metric", "Active organizations", "Jun", "Oct", "Monthly messages, June to October",
        "Company logo", "Security and Compliance", "Level five heading",
        "Level six heading", "The end."]
pos = 0
for w in want:
    k = text.find(w, pos)
    if k < 0:
        sys.exit("missing or out of order: %r" % w)
    pos = k + len(w)
EOF
# The long code line is wrapped, not clipped: its last characters are there.
grep -q '"body":"hello"}}' "$t/el.txt" && ok "long code line wrapped, not clipped" || bad "code clipped"
# Table rows read across with -layout, and right alignment holds.
pdftotext -layout "$t/el.pdf" - | grep -Eq 'Monthly messages +61,200 +50,000\+ +met' \
	&& ok "table rows" || bad "table rows: $(pdftotext -layout "$t/el.pdf" - | grep Monthly)"
pdftotext -layout "$t/el.pdf" - | grep -q 'Page 1 of 2' && ok "footer Page N of M" || bad "footer"

# Outline and link annotations, from qpdf's JSON.
qpdf --json=2 "$t/el.pdf" > "$t/el.json"
python3 - "$t/el.json" <<'EOF' && ok "outline from headings, URI and internal links" || bad "qpdf json"
import json, sys
j = json.load(open(sys.argv[1]))
def walk(items, depth=0):
    for o in items:
        yield depth, o["title"], o.get("destpageposfrom1")
        yield from walk(o["kids"], depth + 1)
outline = list(walk(j["outlines"]))
assert outline[0][:2] == (0, "Platform Technical Overview 📊"), outline[0]
assert (1, "2. Platform Statistics", 1) in outline, outline
assert (1, "Security and Compliance", 2) in outline, outline
objs = j["qpdf"][1]
links = [v["value"] for k, v in objs.items()
         if isinstance(v, dict) and isinstance(v.get("value"), dict)
         and v["value"].get("/Subtype") == "/Link"]
uris = [l["/A"]["/URI"] for l in links if "/A" in l]
assert any("partner-directory" in u for u in uris), uris
assert any("developers.facebook.com" in u for u in uris), uris
assert any("/Dest" in l for l in links), "no internal link"
EOF

# The layout itself, as a golden file (UPDATE=1 rewrites it after an
# intended change; review the diff).
gold=tests/pdf/elements.layout
(cd tests/pdf && "$D" pdf --layout --company "CampoTech S.A.S." elements.md) > "$t/el.layout"
if [ "${UPDATE:-}" = 1 ]; then cp "$t/el.layout" "$gold"; fi
if diff -u "$gold" "$t/el.layout" > "$t/layout.diff"; then ok "layout matches $gold"
else bad "layout differs from $gold: $(head -20 "$t/layout.diff")"; fi

# Deterministic: the same input gives the same bytes.
"$D" pdf "$el" -o "$t/el2.pdf" --company "CampoTech S.A.S." && cmp -s "$t/el.pdf" "$t/el2.pdf" \
	&& ok "two runs give identical bytes" || bad "output differs between runs"

# Letter paper, standard input, standard output.
(cd tests/pdf && "$D" pdf - -o "$t/stdin.pdf" --paper letter --title "From stdin" < elements.md) 2> "$t/err" \
	&& pdfinfo "$t/stdin.pdf" | grep -q 'Page size: *612 x 792 pts (letter)' \
	&& pdfinfo "$t/stdin.pdf" | grep -q '^Title: *From stdin$' \
	&& ok "stdin, --paper letter, --title" || bad "stdin/letter: $(cat "$t/err")"
printf '# To stdout\n' | "$D" pdf - | head -c 5 | grep -q '%PDF-' && ok "- writes to stdout" || bad "stdout"
cp "$el" "$t/copy.md"; cp -r tests/pdf/img "$t/img"
"$D" pdf "$t/copy.md" && [ -s "$t/copy.pdf" ] && ok "default output name IN.pdf" || bad "default output"

# ---- errors -------------------------------------------------------------
printf 'Intro.\n\n![Chart](missing/chart.png)\n' > "$t/noimg.md"
"$D" pdf "$t/noimg.md" -o "$t/noimg.pdf" 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "noimg.md:3:1: error: image 'missing/chart.png': " "$t/err" && [ ! -e "$t/noimg.pdf" ] \
	&& ok "missing image is a located error, no PDF written" || bad "missing image: $rc $(cat "$t/err")"
"$D" pdf --draft "$t/noimg.md" -o "$t/noimg.pdf" 2> "$t/err"; rc=$?
[ $rc = 0 ] && grep -q "noimg.md:3:1: warning: image" "$t/err" \
	&& pdftotext "$t/noimg.pdf" - | grep -q 'missing image: missing/chart.png' \
	&& ok "--draft draws a placeholder" || bad "draft: $rc $(cat "$t/err")"
# An image from outside the document's folder, by absolute path or
# file:// URL, is refused by the typesetter itself and never read: an error,
# no PDF; in a draft a warning and the placeholder (issue 22).
cp tests/pdf/img/logo.png "$t/logo.png"
for url in "$t/logo.png" "file://$t/logo.png"; do
	printf 'Intro.\n\n![Team](%s)\n' "$url" > "$t/abs.md"
	rm -f "$t/abs.pdf"
	"$D" pdf "$t/abs.md" -o "$t/abs.pdf" 2> "$t/err"; rc=$?
	[ $rc = 2 ] && [ "$(cat "$t/err")" = "$t/abs.md:3:1: error: image '$url' is an absolute path or a file:// URL: images are read only relative to the document" ] \
		&& [ ! -e "$t/abs.pdf" ] && ok "image '${url%%/tmp*}...': refused, no PDF" \
		|| bad "absolute image $url: $rc $(cat "$t/err")"
	"$D" pdf --draft "$t/abs.md" -o "$t/abs.pdf" 2> "$t/err"; rc=$?
	[ $rc = 0 ] && grep -q "abs.md:3:1: warning: image '$url' is an absolute path" "$t/err" \
		&& pdftotext "$t/abs.pdf" - | grep -q "missing image: $url" \
		&& [ "$(pdfimages -list "$t/abs.pdf" | wc -l)" = 2 ] \
		&& ok "image '${url%%/tmp*}...' in a draft: a warning and the placeholder, the file not read" \
		|| bad "absolute image in a draft $url: $rc $(cat "$t/err")"
done
printf 'Intro\nsee [x](#nope) and [y](#intro).\n\n# Intro\n' > "$t/dead.md"
"$D" pdf "$t/dead.md" -o "$t/dead.pdf" 2> "$t/err"; rc=$?
[ $rc = 0 ] && [ "$(sed "s|$t/||" "$t/err")" = "dead.md:2:5: warning: link to '#nope': no heading has that anchor; the link is left out" ] \
	&& ok "a link to a missing heading is a located warning" || bad "dead link: $rc $(cat "$t/err")"
printf 'sizes:\n  body: huge\n' > "$t/theme.yaml"
"$D" pdf "$el" -o "$t/x.pdf" --theme "$t/theme.yaml" 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "theme.yaml:2:9: error: sizes.body must be a font size" "$t/err" \
	&& ok "bad theme value is a located error" || bad "theme: $rc $(cat "$t/err")"
"$D" pdf "$el" --paper a5 -o "$t/x.pdf" 2> /dev/null; [ $? = 2 ] && ok "unknown paper refused" || bad "paper a5"
"$D" pdf "$el" -o "$t/themed.pdf" --theme templates/theme.yaml --company "CampoTech S.A.S." 2> "$t/err" \
	&& cmp -s "$t/el.pdf" "$t/themed.pdf" \
	&& ok "templates/theme.yaml loads and equals the built-in defaults" || bad "templates/theme.yaml: $(cat "$t/err")"

# The layout's factors are theme keys (issue 20, item 7): each one set
# apart moves what it names, and a bad one is a located error.
printf 'spacing:\n  tight: -1\n' > "$t/theme.yaml"
"$D" pdf "$el" -o "$t/x.pdf" --theme "$t/theme.yaml" 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "theme.yaml:2:10: error: spacing.tight must be a number from 0 to 10" "$t/err" \
	&& ok "bad layout factor is a located error" || bad "factor: $rc $(cat "$t/err")"
(cd tests/pdf && "$D" pdf --layout elements.md) > "$t/f0.layout"
for kv in pages:figure_height:0.2:chart.svg spacing:after_heading:2:Message \
	  "pages:header:4:^page.2:.text.*'Platform" spacing:above_caption:12:Figure; do
	sec=${kv%%:*}; rest=${kv#*:}; key=${rest%%:*}; rest=${rest#*:}; val=${rest%%:*}; word=${rest#*:}
	printf '%s:\n  %s: %s\n' "$sec" "$key" "$val" > "$t/f.yaml"
	(cd tests/pdf && "$D" pdf --layout --theme "$t/f.yaml" elements.md) > "$t/f1.layout"
	a=$(grep -m1 "$word" "$t/f0.layout"); b=$(grep -m1 "$word" "$t/f1.layout")
	[ -n "$a" ] && [ "$a" != "$b" ] && ok "theme $sec.$key: $val moves '$word' ($a -> $b)" \
		|| bad "theme $sec.$key: '$word' did not move: $a"
done

# ---- image formats --------------------------------------------------------
# A JPEG goes in as its own bytes (DCTDecode), twice on one page included;
# a BMP (any gdk-pixbuf format) is decoded and drawn.
"$D" pdf tests/pdf/images.md -o "$t/img.pdf" 2> "$t/err" && valid "$t/img.pdf" images \
	|| bad "images: $(cat "$t/err")"
pdfimages -list "$t/img.pdf" | awk 'NR > 2 { print $4 "x" $5, $9 }' > "$t/img.list"
[ "$(cat "$t/img.list")" = "$(printf '64x40 jpeg\n16x10 image\n64x40 jpeg')" ] \
	&& ok "JPEG embedded as jpeg at 64x40, BMP decoded" || bad "image list: $(cat "$t/img.list")"
mkdir "$t/imgx" && pdfimages -j "$t/img.pdf" "$t/imgx/i" && cmp -s "$t/imgx/i-000.jpg" tests/pdf/img/photo.jpg \
	&& cmp -s "$t/imgx/i-002.jpg" tests/pdf/img/photo.jpg \
	&& ok "JPEG bytes in the PDF are the file's, unchanged" || bad "JPEG bytes re-encoded"
"$D" pdf --layout tests/pdf/images.md | grep -q ' image .* w=48\(\.0*\)\{0,1\} h=30' \
	&& ok "JPEG sized at 96 px per inch (64x40 px = 48x30 pt)" || bad "JPEG size: $("$D" pdf --layout tests/pdf/images.md | grep image)"
printf 'not an image\n' > "$t/fake.jpg"
printf 'Intro.\n\n![Photo](fake.jpg)\n' > "$t/fake.md"
"$D" pdf "$t/fake.md" -o "$t/fake.pdf" 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "fake.md:3:1: error: image 'fake.jpg': not a readable image (" "$t/err" && [ ! -e "$t/fake.pdf" ] \
	&& ok "unreadable image is a located error" || bad "fake image: $rc $(cat "$t/err")"

# ---- tables ------------------------------------------------------------
{
	printf '# Long table\n\n| Column A | Column B | Amount |\n|---|---|--:|\n'
	i=1; while [ $i -le 200 ]; do printf '| row %d | item %d | %d.00 |\n' $i $i $((i * 13)); i=$((i + 1)); done
	printf '\nAfter the table.\n'
} > "$t/long.md"
"$D" pdf "$t/long.md" -o "$t/long.pdf" && valid "$t/long.pdf" "200-row table"
n=$(pdfinfo "$t/long.pdf" | awk '/^Pages:/ { print $2 }')
miss=0; p=1
while [ $p -le "$n" ]; do
	pdftotext -f $p -l $p -layout "$t/long.pdf" - | grep -Eq 'Column A +Column B +Amount' || miss=$((miss + 1))
	p=$((p + 1))
done
[ "$n" -ge 4 ] && [ $miss = 0 ] && ok "200-row table: header on each of its $n pages" \
	|| bad "header missing on $miss of $n pages"
pdftotext "$t/long.pdf" - | grep -q 'row 200' && ok "200-row table: last row present" || bad "row 200"

{
	printf '| Col 1 | Col 2 | Col 3 | Col 4 | Col 5 | Col 6 |\n|---|---|---|---|---|---|\n'
	for r in 1 2 3 4 5 6; do
		printf '|'; for c in 1 2 3 4 5 6; do
			printf ' Cell %s.%s has a long explanation of the integration with https://graph.facebook.com/v19.0/messages and Supercalifragilisticexpialidocious words |' $r $c
		done; printf '\n'
	done
} > "$t/wide.md"
"$D" pdf "$t/wide.md" -o "$t/wide.pdf" && valid "$t/wide.pdf" "6-column table"
"$D" pdf --layout "$t/wide.md" | python3 -c '
import re, sys
bad = [l for l in sys.stdin if l.startswith("page ")
       and (lambda m: m and (float(m.group(1)) < 69.95 or float(m.group(1)) + float(m.group(2)) > 525.35))(
           re.search(r" x=([-\d.]+) y=[-\d.]+ w=([-\d.]+)", l))]
sys.exit(bad[0] if bad else 0)' && ok "6-column table of long text inside the margins" || bad "wide table crosses the margin"
pdftotext "$t/wide.pdf" - | tr -d '\n' | grep -q 'Cell 6.6' && ok "wide table: every cell present" || bad "wide cells"

# A header row taller than a page (here by <br>, in the fuzz finding by
# invalid UTF-8 and NUL bytes) once made every following row be cut into
# pieces of negative height without end (GBs of memory).  Now it is typeset
# in small memory, its text kept.
tall=fuzz/corpus/markdown/regress-table-tall-header.md
/usr/bin/time -f %M -o "$t/tall.rss" timeout 60 "$D" pdf "$tall" -o "$t/tall.pdf" 2> "$t/err"; rc=$?
rss=$(tail -1 "$t/tall.rss")
[ $rc = 0 ] && [ "$rss" -lt 300000 ] && pdftotext "$t/tall.pdf" - | grep -q '^3$' \
	&& ok "a header row taller than a page: typeset in $((rss / 1024)) MB, every row kept" \
	|| bad "tall header: exit $rc, $rss KB, $(head -3 "$t/err")"

# ---- footnotes ------------------------------------------------------------
# tests/pdf/footnotes.md: notes 1 and 2 cited on page 1, note 3 cited at
# the foot of page 1 and too long for it (its rest is carried to page 2),
# note 1 cited again and note 4 first cited on page 2; then a table row
# taller than the rest of page 2.
fn=tests/pdf/footnotes.md
(cd tests/pdf && "$D" pdf --layout footnotes.md) > "$t/fn.layout"
if [ "${UPDATE:-}" = 1 ]; then cp "$t/fn.layout" tests/pdf/footnotes.layout; fi
if diff -u tests/pdf/footnotes.layout "$t/fn.layout" > "$t/fn.diff"; then ok "layout matches tests/pdf/footnotes.layout"
else bad "layout differs from tests/pdf/footnotes.layout: $(head -20 "$t/fn.diff")"; fi
"$D" pdf "$fn" -o "$t/fn.pdf" 2> "$t/err" && valid "$t/fn.pdf" footnotes || bad "footnotes: $(cat "$t/err")"
for p in 1 2 3; do pdftotext -f $p -l $p "$t/fn.pdf" "$t/fn$p.txt"; done
grep -q '^1 Monthly messages, June to October' "$t/fn1.txt" && grep -q '^2 The audit report is a separate file\.' "$t/fn1.txt" \
	&& ok "footnotes on the page that cites them, numbered in order" || bad "notes 1, 2 not on page 1: $(tail -12 "$t/fn1.txt")"
grep -q 'Sentence 1 of the long note' "$t/fn1.txt" && ! grep -q 'Sentence 8' "$t/fn1.txt" \
	&& grep -q 'Sentence 8 of the long note' "$t/fn2.txt" && ! grep -q 'Sentence 1 of' "$t/fn2.txt" \
	&& ok "a note too long for its page starts there, its rest carried to the next page's foot" \
	|| bad "carried note: $(grep -c Sentence "$t/fn1.txt") lines on page 1"
grep -q '^4 A note first cited on the second page\.' "$t/fn2.txt" && ! grep -q 'first cited on the second' "$t/fn1.txt" \
	&& ok "a note first cited on page 2 is on page 2, after the carried one" || bad "note 4: $(tail -8 "$t/fn2.txt")"
pdftotext "$t/fn.pdf" - | grep -q '\[^' && bad "literal [^ in the text" || ok "no literal [^ in the text"
# A reference with no definition is printed as written (as on GitHub), with
# a warning at its line; code is not a reference.
printf 'Cited[^a].\n\nA missing note[^gone] and\nanother[^lost] here, `[^code]` not.\n\n[^a]: Defined.\n' > "$t/undef.md"
"$D" pdf "$t/undef.md" -o "$t/undef.pdf" 2> "$t/err"
[ "$(sed "s|$t/||" "$t/err")" = "undef.md:3: warning: footnote reference '[^gone]' has no definition; it is printed as written
undef.md:4: warning: footnote reference '[^lost]' has no definition; it is printed as written" ] \
	&& pdftotext "$t/undef.pdf" - | grep -q '^A missing note\[^gone\] and another\[^lost\] here' \
	&& ok "a reference with no definition: printed as written, a warning at its line" || bad "undefined reference: $(cat "$t/err")"
# Structure: each note is a Note element, inside the paragraph citing it.
python3 tests/pdf/struct_text.py "$t/fn.pdf" > "$t/fn.struct"
python3 - "$t/fn.struct" <<'EOF2' && ok "each footnote is a Note element in the paragraph that cites it" || bad "Note elements: $(grep -B2 -A3 Note "$t/fn.struct" | head -20)"
import re
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
# Each Note has an /ID (PDF/UA), which poppler shows as "Note <note-N>".
notes = [k for k, l in enumerate(lines) if re.fullmatch(r"Note <note-\d+> \(inline\)", l.strip())]
assert len(notes) == 4, len(notes)
for k, want in zip(notes, ("1Monthly messages", "2The audit report", "3Sentence 1", "4A note")):
    ind = len(lines[k]) - len(lines[k].lstrip())
    par = next(lines[j] for j in range(k - 1, -1, -1) if len(lines[j]) - len(lines[j].lstrip()) < ind)
    assert par.strip() == "P (block)", (want, par)
    # The note's text: the strings of its subtree (its number is the
    # text of the Link back to the reference).
    sub = []
    for l in lines[k + 1:]:
        if len(l) - len(l.lstrip()) <= ind:
            break
        if l.strip().startswith('"'):
            sub.append(l.strip().strip('"'))
    assert "".join(sub).startswith(want), (want, sub)
EOF2
# Two-way links: each reference → its note, each note's number → its
# first reference, on the right pages.
qpdf --json=2 "$t/fn.pdf" > "$t/fn.json"
python3 - "$t/fn.json" <<'EOF2' && ok "references link to their notes and the notes' numbers back, with destinations on the citing pages" || bad "footnote links"
import json, sys
j = json.load(open(sys.argv[1]))
objs = j["qpdf"][1]
pages = [p["object"] for p in j["pages"]]
def dests_of(page):
    v = objs["obj:" + page]["value"]
    return [objs["obj:" + a]["value"].get("/Dest") for a in v.get("/Annots", [])]
links = [dests_of(p) for p in pages]
want = {0: ["u:fn%3A1", "u:fn%3A2", "u:fn%3A3", "u:fnref%3A1", "u:fnref%3A2", "u:fnref%3A3"],
        1: ["u:fn%3A1", "u:fn%3A4", "u:fnref%3A4"]}
for p, ds in want.items():
    for d in ds:
        assert d in links[p], (p, d, links[p])
names = [v["value"]["/Names"] for v in objs.values()
         if isinstance(v, dict) and isinstance(v.get("value"), dict) and "/Names" in v["value"]
         and isinstance(v["value"]["/Names"], list)][0]
where = {names[k]: pages.index(names[k + 1][0]) for k in range(0, len(names), 2)}
for n, p in (("fn", 0), ("fnref", 0)):
    for k in (1, 2, 3):
        assert where["u:%s%%3A%d" % (n, k)] == p, (n, k, where)
assert where["u:fn%3A4"] == 1 and where["u:fnref%3A4"] == 1, where
EOF2
# The rows: the tall row starts on page 2 and continues on page 3 under
# the repeated header, its cell text in order.
python3 - "$t/fn.layout" <<'EOF2' && ok "a row taller than the rest of the page continues on the next under the repeated header" || bad "tall row: $(grep -E "tall|Item" "$t/fn.layout" | head -5)"
import re, sys
lay = open(sys.argv[1]).read().splitlines()
cell = [(int(l.split(":")[0][5:]), float(re.search(r" y=([\d.]+)", l).group(1)), int(re.search(r"line (\d+) of", l).group(1)))
        for l in lay if "of a tall cell" in l]
assert [c[2] for c in cell] == list(range(1, 61)), "order"
p2 = [c for c in cell if c[0] == 2]; p3 = [c for c in cell if c[0] == 3]
assert len(p2) >= 2 and len(p3) >= 2 and len(p2) + len(p3) == 60, (len(p2), len(p3))
head3 = [l for l in lay if l.startswith("page 3: text") and "'Item'" in l]
assert head3 and float(re.search(r" y=([\d.]+)", head3[0]).group(1)) < 90, head3
assert p3[0][1] < 105, p3[0]          # right under the repeated header
EOF2
# Wherever the page breaks, a split row keeps at least two lines of its
# cell on each page (else it moves whole), and a header is never left
# alone at a page foot.
for k in 24 25 26 27 28 29 30 31 32 33; do
	{ i=1; while [ $i -le $k ]; do printf 'Filler %d.\n\n' $i; i=$((i + 1)); done
	  printf '| Item | Detail |\n|---|---|\n| tall |'
	  i=1; while [ $i -le 9 ]; do printf ' row line %d<br>' $i; i=$((i + 1)); done
	  printf ' |\n| next | row |\n\n'
	  # Enough after the table that its last page is full anyway (a
	  # nearly empty last page would be filled, moving the row).
	  i=1; while [ $i -le 40 ]; do printf 'After %d.\n\n' $i; i=$((i + 1)); done; } > "$t/split.md"
	echo "=== $k fillers"; "$D" pdf --layout "$t/split.md"
done > "$t/split.layout"
python3 - "$t/split.layout" <<'EOF2' && ok "split rows keep two lines of a cell on each page; no header alone (10 break positions)" || bad "row split positions"
import re, sys
docs = open(sys.argv[1]).read().split("=== ")[1:]
assert len(docs) == 10, len(docs)
split = 0
for d in docs:
    lines = d.splitlines()
    pages = {}
    for l in lines:
        m = re.match(r"page (\d+): text .*'( row line \d+|Item|next)", l)
        if m:
            pages.setdefault(int(m.group(1)), []).append(m.group(2).strip())
    for p, got in pages.items():
        rows = [g for g in got if g.startswith("row line")]
        assert got != ["Item"], ("header alone", lines[0], p)
        assert len(rows) == 0 or len(rows) >= 2, (lines[0], p, got)
    split += len([p for p in pages.values() if any(g.startswith("row") for g in p)]) > 1
assert split >= 2, split        # some of the positions do split the row
EOF2

# ---- the reviewer's document ------------------------------------------------
# tests/pdf/reviewer.md has all that issue 13's "Done when" lists: footnotes,
# a JPEG, emoji, task lists, quotes, a wide table and a chart that does not
# fit the rest of its page.
rv=tests/pdf/reviewer.md
"$D" pdf "$rv" -o "$t/rv.pdf" 2> "$t/err" && valid "$t/rv.pdf" reviewer || bad "reviewer: $(cat "$t/err")"
(cd tests/pdf && "$D" pdf --layout reviewer.md) > "$t/rv.layout"
pdftotext "$t/rv.pdf" "$t/rv.txt"
pdftotext -f 1 -l 1 "$t/rv.pdf" "$t/rv1.txt"
grep -q 'volume1 grew' "$t/rv1.txt" && grep -q '^1 Monthly WhatsApp messages, June to October' "$t/rv1.txt" \
	&& grep -q '^2 An external security audit' "$t/rv1.txt" && grep -q 'volume pricing3' "$t/rv1.txt" \
	&& grep -q '^3 Per-message prices fall with volume' "$t/rv1.txt" \
	&& ok "reviewer: the footnotes on the page that cites them" || bad "reviewer footnotes: $(tail -6 "$t/rv1.txt")"
grep -q '\[^' "$t/rv.txt" && bad "reviewer: literal [^" || ok "reviewer: no literal [^"
pdfimages -list "$t/rv.pdf" | awk 'NR > 2 && $9 == "jpeg" { j++ } END { exit !j }' \
	&& ok "reviewer: pdfimages -list shows the JPEG as jpeg" || bad "reviewer jpeg: $(pdfimages -list "$t/rv.pdf")"
grep -q '^What a reviewer checks 📋$' "$t/rv.txt" && grep -q '^Volume and audit 💰$' "$t/rv.txt" \
	&& grep -q '^Readiness ✅$' "$t/rv.txt" \
	&& ok "reviewer: pdftotext finds the emoji in line" || bad "reviewer emoji: $(head -8 "$t/rv.txt")"
grep -q '^☑ Registered legal entity$' "$t/rv.txt" && grep -q '^☐ Security audit or ISO 27001 certification$' "$t/rv.txt" \
	&& ok "reviewer: task boxes read ☑ and ☐" || bad "reviewer tasks: $(grep -n 'legal entity\|ISO' "$t/rv.txt")"
grep -q 'CampoTech’s “verified” volume' "$t/rv.txt" && grep -q '^“We answer every customer within the hour,” says' "$t/rv.txt" \
	&& grep -q 'partner’s ‘quick check’ – a week – was done… on time' "$t/rv.txt" \
	&& ok "reviewer: curly quotes, apostrophes, dashes and ellipses" || bad "reviewer quotes: $(grep -n 'verified\|We answer\|quick' "$t/rv.txt")"
python3 - "$t/rv.layout" <<'EOF2' && ok "reviewer: the chart floats to the next page top, the text after it fills the page before" || bad "reviewer chart: $(grep -E "mrr|after the chart" "$t/rv.layout")"
import re, sys
lay = open(sys.argv[1]).read()
img = re.search(r"^page (\d+): image x=[\d.]+ y=([\d.]+) .*img/mrr\.svg'", lay, re.M)
after = re.search(r"^page (\d+): text .*'The paragraph after the chart", lay, re.M)
quarter = re.search(r"^page (\d+): text .*'What moved the revenue", lay, re.M)
assert img and after and quarter
assert int(after.group(1)) == int(quarter.group(1)) == int(img.group(1)) - 1, (after.group(1), img.group(1))
assert float(img.group(2)) == 74.0, img.group(2)
EOF2
python3 - "$t/rv.layout" <<'EOF2' && ok "reviewer: the six-column table stays inside the margins" || bad "reviewer table crosses the margin"
import re, sys
for l in open(sys.argv[1]):
    m = re.match(r"page \d+: (text|rect|line) x=([-\d.]+) y=[-\d.]+ (?:w=([-\d.]+))?", l)
    if m and m.group(3):
        assert float(m.group(2)) >= 69.95 and float(m.group(2)) + float(m.group(3)) <= 525.35, l
EOF2

# The structure tree (pdfinfo -struct-text): the element kinds, counted, with
# the chart's figure carrying its caption (and its /Alt, checked by
# tests/pdf/pdfua.py in tags.sh), a table's rows in THead and TBody, each TH
# with its /Scope attribute (an indented "/Scope /Column" line).
python3 tests/pdf/struct_text.py "$t/rv.pdf" > "$t/rv.struct" 2>&1
got=$(grep -v '^ *"\|Object' "$t/rv.struct" | sed 's/^ *//; s/ <note-[0-9]*>//; s/ (.*//; s/:$//' | LC_ALL=C sort | uniq -c | awk '{printf "%s %s, ", $2, $1}')
want='/Scope 6, BlockQuote 1, Document 1, Figure 2, H1 1, H2 5, L 2, LBody 7, LI 7, Lbl 7, Link 6, Note 3, P 18, Span 8, TBody 1, TD 18, TH 6, THead 1, TR 4, Table 1, '
[ "$got" = "$want" ] && grep -A1 '^ *Figure' "$t/rv.struct" | grep -q '"Figure 2\. Monthly recurring revenue, September 2025 to October 2026"' \
	&& ok "reviewer: pdfinfo -struct-text lists headings, paragraphs, list items, table cells, notes and figures with their numbered captions" \
	|| bad "reviewer structure: $got"

# ---- no text lost: a 1 MB paragraph ---------------------------------------
python3 -c '
import sys
w = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]
out, n, i = [], 0, 0
while n < 1000000:
    out.append("%s%d" % (w[i % 7], i)); n += len(out[-1]) + 1; i += 1
open(sys.argv[1], "w").write("# Long\n\n" + " ".join(out) + "\n")' "$t/para.md"
"$D" pdf "$t/para.md" -o "$t/para.pdf" 2> "$t/err" || bad "1 MB paragraph: $(head -3 "$t/err")"
python3 - "$t/para.md" "$t/para.pdf" <<'EOF' && ok "1 MB paragraph: every word in the PDF, in order" || bad "1 MB paragraph"
import re, subprocess, sys
src = open(sys.argv[1]).read().split()[2:]
txt = subprocess.run(["pdftotext", sys.argv[2], "-"], capture_output=True, text=True).stdout
got = [w for w in txt.split() if not re.fullmatch(r"Page|of|\d+|Long", w)]
if got != src:
    k = next((i for i, (a, b) in enumerate(zip(src, got)) if a != b), min(len(src), len(got)))
    sys.exit("%d words in, %d out; first difference at word %d" % (len(src), len(got), k))
EOF

# ---- page filling ----------------------------------------------------------
# A figure that does not fit the rest of the page floats to the next page's
# top while the paragraph after it fills this page; a rule is never the
# last thing on a page.
{
	printf '# Floats\n\n'
	i=1; while [ $i -le 28 ]; do printf 'Filler paragraph %d of the first page, one line.\n\n' $i; i=$((i + 1)); done
	printf '![Monthly messages](img/chart.svg)\n\nThe paragraph after the chart.\n\n'
	i=1; while [ $i -le 60 ]; do printf 'More text %d.\n\n' $i; i=$((i + 1)); done
} > tests/pdf/float.tmp.md
(cd tests/pdf && "$D" pdf --layout float.tmp.md) > "$t/float.layout"; rm -f tests/pdf/float.tmp.md
python3 - "$t/float.layout" <<'EOF' && ok "a figure that does not fit floats to the next page; the text after it fills this one" || bad "float: $(grep -E "image|after the chart" "$t/float.layout")"
import re, sys
lay = open(sys.argv[1]).read()
img = re.search(r"^page (\d+): image x=[\d.]+ y=([\d.]+)", lay, re.M)
after = re.search(r"^page (\d+): text .*'The paragraph after the chart\.'", lay, re.M)
assert img and after, "missing"
assert int(after.group(1)) == 1 and int(img.group(1)) == 2, (after.group(1), img.group(1))
assert float(img.group(2)) == 74.0, img.group(2)     # at the top of its page
EOF
{
	i=1; while [ $i -le 32 ]; do printf 'Line %d.\n\n' $i; i=$((i + 1)); done
	printf -- '---\n\nAfter the rule.\n'
} > "$t/rule.md"
"$D" pdf --layout "$t/rule.md" > "$t/rule.layout"
python3 - "$t/rule.layout" <<'EOF' && ok "a rule stays with what follows it" || bad "rule: $(grep -E "^page .: line" "$t/rule.layout" | head -5)"
import re, sys
lay = open(sys.argv[1]).read().splitlines()
rules = [l for l in lay if re.match(r"page \d+: line x=70.0 y=[\d.]+ w=455.3 h=0.0", l)
         and not 700 < float(re.search(r"y=([\d.]+)", l).group(1)) < 800
         and not float(re.search(r"y=([\d.]+)", l).group(1)) < 74]
after = [l for l in lay if "'After the rule.'" in l][0]
assert len(rules) == 1, rules
for r in rules:
    assert r.split(":")[0] == after.split(":")[0], (r, after)
EOF

# ---- emoji ---------------------------------------------------------------
printf '# 📊 Current State\n\n## 💰 Cost Analysis\n\n## 📋 Checklist\n' > "$t/emoji.md"
"$D" pdf "$t/emoji.md" -o "$t/emoji.pdf" && valid "$t/emoji.pdf" emoji
imgs=$(pdfimages -list "$t/emoji.pdf" | awk 'NR > 2 && $3 == "image"' | wc -l)
[ "$imgs" -ge 3 ] && ok "emoji headings draw their emoji ($imgs colour glyph images)" || bad "emoji: $imgs images"
pdftotext "$t/emoji.pdf" - | grep -q 'Cost Analysis' && ok "emoji heading text" || bad "emoji text"

# The text layer: emoji in line (they are pictures, their characters an
# ActualText span), task boxes as ☐/☑, curly quotes (never in code).
printf '# Text layer\n\nWe grew 💰 a lot 📋 today, "quoted" and it'"'"'s -- done... `"code"`\n\n- [ ] open task\n- [x] done task\n' > "$t/text.md"
"$D" pdf "$t/text.md" -o "$t/text.pdf" && pdftotext "$t/text.pdf" "$t/text.txt"
grep -q '^We grew 💰 a lot 📋 today, “quoted” and it’s – done… "code"$' "$t/text.txt" \
	&& ok "emoji, curly quotes, dashes and ellipses in line in the text layer; code untouched" \
	|| bad "text layer: $(head -3 "$t/text.txt")"
grep -q '^☐ open task$' "$t/text.txt" && grep -q '^☑ done task$' "$t/text.txt" \
	&& ok "task boxes extract as ☐ and ☑" || bad "task boxes: $(cat "$t/text.txt")"

# ---- combined PDF --------------------------------------------------------
"$D" pdf "$el" "$t/long.md" "$t/emoji.md" -o "$t/all.pdf" --company "CampoTech S.A.S." --title "Application" \
	2> "$t/err" && valid "$t/all.pdf" combined || bad "combined: $(cat "$t/err")"
pdftotext -f 1 -l 1 "$t/all.pdf" - | grep -q 'CampoTech S.A.S.' && ok "cover names the company" || bad "cover"
qpdf --json=2 --json-key=outlines "$t/all.pdf" > "$t/all.json"
python3 - "$t/all.json" "$t/all.pdf" <<'EOF' && ok "contents page numbers match the outline" || bad "contents"
import json, subprocess, sys
j = json.load(open(sys.argv[1]))
top = {o["title"]: o["destpageposfrom1"] for o in j["outlines"]}
assert top["Contents"] == 2, top
toc = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", sys.argv[2], "-"],
                     capture_output=True, text=True).stdout
for title in ("Platform Technical Overview", "Long table", "Current State"):
    key = [k for k in top if title in k][0]
    line = [l for l in toc.splitlines() if title in l][0]
    assert line.split()[-1] == str(top[key]), (title, line, top[key])
    # Each document starts on its own page: its title is on that page.
    page = subprocess.run(["pdftotext", "-f", str(top[key]), "-l", str(top[key]),
                           sys.argv[2], "-"], capture_output=True, text=True).stdout
    assert title in page, (title, top[key])
EOF

qpdf --json=2 "$t/all.pdf" | python3 -c '
import json, sys
j = json.load(sys.stdin)
objs = j["qpdf"][1]
page2 = objs["obj:" + j["pages"][1]["object"]]["value"]
dests = [objs["obj:" + a]["value"].get("/Dest") for a in page2.get("/Annots", [])]
sys.exit(0 if dests == ["u:part-1", "u:part-2", "u:part-3"] else dests)' \
	&& ok "contents entries link to their documents" || bad "contents links"

# ---- nothing lost: every spec example -------------------------------------
if [ -d "$SPEC" ]; then
	# With our own footnote examples (the GFM spec of cmark-gfm 0.29 has none).
	n=$(python3 tests/pdf/spec_words.py split "$SPEC/spec.txt" "$SPEC/gfm-spec.txt" \
		tests/pdf/footnote-examples.txt "$t/spec")
	if "$D" pdf --draft "$t"/spec/ex-*.md -o "$t/spec.pdf" 2> "$t/spec.err"; then
		ok "all $n spec examples typeset without error"
	else
		bad "spec examples: $(grep -v warning "$t/spec.err" | head -3)"
	fi
	pdftotext "$t/spec.pdf" "$t/spec.txt" 2> "$t/pdftotext.err"
	[ ! -s "$t/pdftotext.err" ] && ok "spec PDF reads cleanly" || bad "pdftotext: $(head -3 "$t/pdftotext.err")"
	if python3 tests/pdf/spec_words.py check "$t/spec" "$t/spec.txt" > "$t/words.out"; then
		ok "nothing lost: $(tail -1 "$t/words.out")"
	else
		bad "words lost: $(head -5 "$t/words.out")"
	fi
else
	bad "no $SPEC: the spec texts are part of the repository"
fi

[ $fails = 0 ]

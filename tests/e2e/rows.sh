#!/bin/sh
# Row splits (issue 23, item 5): a table of eight rows and a total in
# bold, after 0 to 39 lines of text, so that the page breaks at every row
# of it in turn: the page the total is on never holds it with one row
# alone; it carries at least two rows with it.  (On 4705ace the total
# and one row carry over alone at two of the forty positions.)
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
python3 - "$t" <<'PY'
import sys
for n in range(40):
    with open("%s/t%02d.md" % (sys.argv[1], n), "w") as f:
        f.write("# Rows\n\n")
        for k in range(n):
            f.write("Filler line %d of the text before the table, long enough to fill "
                    "one line of the column and a bit more.\n\n" % k)
        f.write("| Month | Revenue | Costs |\n|---|---:|---:|\n")
        for r in range(1, 9):
            f.write("| Row %d | %d | %d |\n" % (r, r * 100, r * 50))
        f.write("| **Total** | **3600** | **1800** |\n\nAfter the table.\n")
PY
for md in "$t"/t*.md; do
	"$D" pdf --layout "$md" > "${md%.md}.layout" || { echo "FAIL rows: $md"; exit 1; }
done
python3 - "$t"/t*.layout <<'PY' && echo "ok rows: a total never carries over with one row alone (40 break positions)"
import re, sys
bad = []
for path in sys.argv[1:]:
    pages = {}
    for line in open(path):
        m = re.match(r"page (\d+): text .*'(Row \d+|Total)'", line)
        if m:
            pages.setdefault(int(m.group(1)), []).append(m.group(2))
    on = [rows for rows in pages.values() if "Total" in rows]
    if len(pages) > 1 and on and len(on[0]) < 3:
        bad.append("FAIL rows: %s: %s" % (path.split("/")[-1], pages))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

# A row taller than the rest of the page continues on the next under the
# repeated header; there its first cell's first line is shown again, muted
# and outside the structure tree (issue 23, item 5), over the row's
# stripe.  A row that is not cut shows nothing more.
python3 - "$t/split.md" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("# Split rows\n\n")
    for k in range(30):
        f.write("Filler line %d of the text before the table, long enough to fill "
                "one line of the column and a bit more.\n\n" % k)
    f.write("| Month | Notes | Amount |\n|---|---|---:|\n| August 2025 | Short. | 800 |\n")
    f.write("| September 2025 | " + " ".join("Long note sentence number %d explains what "
            "happened that month in some detail." % i for i in range(40)) + " | 1,200 |\n")
    f.write("| October 2025 | Short. | 900 |\n\nAfter the table.\n")
PY
SOURCE_DATE_EPOCH=1790000000 "$D" pdf "$t/split.md" -o "$t/split.pdf" || { echo "FAIL rows: split.md"; exit 1; }
pdftotext -bbox "$t/split.pdf" "$t/split.html"
pdftoppm -r 144 "$t/split.pdf" "$t/split"
python3 tests/pdf/struct_text.py "$t/split.pdf" > "$t/split.struct" 2>/dev/null || pdfinfo -struct-text "$t/split.pdf" > "$t/split.struct"
python3 - "$t" <<'PY' && echo "ok rows: a row continued on a new page repeats its first cell, muted, outside the tree; an uncut row does not"
import glob, re, sys
t = sys.argv[1]
pages, bad = [], []
for page in re.findall(r"<page .*?</page>", open(t + "/split.html").read(), re.S):
    pages.append([(float(a), float(b), w) for a, b, w in
                  re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page)])
def lines(words, word):
    return sorted({round(y, 1) for x, y, w in words if w == word})
def ink(n, x0, y0):
    """Darkest grey (0-255) in the box of a word at (x0, y0) on page n."""
    data = open(glob.glob(t + "/split-%d.ppm" % n)[0], "rb").read()
    head = data.split(b"\n", 3)
    w, h = map(int, head[1].split())
    px = head[3]
    best = 255
    for y in range(int(y0 * 2) + 2, int(y0 * 2) + 20):
        for x in range(int(x0 * 2), int(x0 * 2) + 90):
            r, g, b = px[3 * (y * w + x):3 * (y * w + x) + 3]
            best = min(best, (r + g + b) // 3)
    return best
cut = [i for i, p in enumerate(pages) if lines(p, "September")]
if len(cut) != 2 or cut[1] != cut[0] + 1:
    bad.append("'September' on pages %s, want the page the row starts on and the next" % [c + 1 for c in cut])
else:
    first, cont = cut
    head = next(wd for wd in pages[cont] if wd[2] == "Notes")
    notes = sorted(y for x, y, w in pages[cont] if abs(x - head[0]) < 1 and y > head[1] + 1)
    sep = lines(pages[cont], "September")
    if not notes or abs(sep[0] - notes[0]) > 0.2:
        bad.append("on page %d 'September' at y %s, the row's first line at %s" % (cont + 1, sep, notes[:1]))
    x, y, _ = next(wd for wd in pages[first] if wd[2] == "September")
    x2, y2, _ = next(wd for wd in pages[cont] if wd[2] == "September")
    dark, muted = ink(first + 1, x, y), ink(cont + 1, x2, y2)
    if not muted > dark + 20:
        bad.append("the repeated first cell is not muted: darkest grey %d where the cell is %d" % (muted, dark))
    if not muted < 180:
        bad.append("the repeated first cell is not seen (under the row's ground?): darkest grey %d" % muted)
if sum(len(lines(p, "October")) for p in pages) != 1:
    bad.append("'October' (a row not cut) shown %d times" % sum(len(lines(p, "October")) for p in pages))
if open(t + "/split.struct").read().count("September 2025") != 1:
    bad.append("'September 2025' is in the structure tree %d times" % open(t + "/split.struct").read().count("September 2025"))
print("\n".join("FAIL rows: " + b for b in bad))
sys.exit(1 if bad else 0)
PY

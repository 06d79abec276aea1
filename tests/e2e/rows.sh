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

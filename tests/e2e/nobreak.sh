#!/bin/sh
# Words a line must not part (issue 23, item 6) and table columns that fit
# their short cells (item 4), in every example under tests/fixtures/:
# - every PDF's subtitle date ("31 October 2026", read from its Markdown)
#   stands whole on one line of `pdftotext`;
# - no month cell of the growth plan's and the uptime report's tables
#   wraps ("September" on one line, "2025" on the next);
# - a number and its unit ("500 ms"), a date, an emoji and its word, a
#   verdict mark and a short word after it ("❌ Not met.") stay on one line
#   at every width of a column that would part them.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok nobreak: $1"; }
bad() { echo "FAIL nobreak: $1"; fails=$((fails + 1)); }
MONTHS='January|February|March|April|May|June|July|August|September|October|November|December'

for fx in tests/fixtures/*/; do
	name=$(basename "$fx")
	out=$t/$name
	if ! "$D" build --quiet --content "$fx" --templates templates --out "$out" 2> "$t/err"; then
		bad "$name: build: $(head -3 "$t/err")"
		continue
	fi
	pkg=$out/bsp-application
	n=0 broken=
	for md in $(cd "$pkg" && find . -name '*.md' | sort); do
		pdf=$pkg/${md%.md}.pdf
		[ -f "$pdf" ] || continue
		date=$(sed -n '1,6p' "$pkg/$md" | grep -oE "[0-9]{1,2} ($MONTHS) [0-9]{4}" | head -1)
		[ -n "$date" ] || continue
		n=$((n + 1))
		pdftotext -enc UTF-8 "$pdf" - | grep -qF "$date" || broken="$broken $md"
	done
	if [ "$n" -gt 0 ] && [ -z "$broken" ]; then ok "$name: the subtitle date on one line in all $n PDFs"
	elif [ "$n" -eq 0 ]; then bad "$name: no subtitle with a date found"
	else bad "$name: the subtitle date is cut in:$broken"; fi
	# Table cells are text boxes of the layout (a chart's axis labels,
	# "Sep / 2025", are inside its picture).
	for doc in business/growth-plan technical/uptime-report; do
		[ -f "$pkg/$doc.md" ] || { bad "$name: no $doc.md"; continue; }
		"$D" pdf --layout --theme templates/theme.yaml "$pkg/$doc.md" > "$t/doc.layout" 2> /dev/null
		cells=$(grep -cE "^page [0-9]+: text .* '($MONTHS) [0-9]{4}'$" "$t/doc.layout")
		wrapped=$(grep -E "^page [0-9]+: text .* '(($MONTHS)|[0-9]{4})'$" "$t/doc.layout" | head -3 | tr '\n' ' ')
		if [ "$cells" -ge 3 ] && [ -z "$wrapped" ]; then ok "$name: $doc: $cells month cells, none wrapped"
		else bad "$name: $doc: $cells month cells; wrapped: $wrapped"; fi
	done
done

# The rules themselves: the same sentences after 1 to 40 words of filler,
# so that every glued group meets the end of a line somewhere.
python3 - "$t" <<'PY'
import sys
for k in range(1, 41):
    with open("%s/w%02d.md" % (sys.argv[1], k), "w") as f:
        s = "A reply within 500 ms on 31 October 2026 shows 📊 Charts as ❌ Not met. "
        f.write("ab " * k + s * 3 + "\n\n| Note |\n|---|\n| " + "ab " * (k % 9) + s + "|\n")
PY
cat > "$t/widths.py" <<'PY'
import re, subprocess, sys
want = ["500 ms", "31 October 2026", "Not met."]
bad = []
for path in sys.argv[1:]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True).stdout
    lines = [l.strip() for l in text.splitlines()]
    for w in want + ["📊 Charts", "❌ Not"]:
        n = sum(l.count(w) for l in lines)
        if n != 4:
            bad.append("%s: %r whole on a line %d times of 4" % (path, w, n))
print("\n".join(bad[:5]))
PY
made=0
for md in "$t"/w*.md; do
	"$D" pdf "$md" -o "${md%.md}.pdf" 2> /dev/null && made=$((made + 1))
done
res=$(python3 "$t/widths.py" "$t"/w*.pdf)
if [ "$made" -eq 40 ] && [ -z "$res" ]; then ok "glued words stay together after 1 to 40 words of filler"
else bad "glued words ($made PDFs): $res"; fi

[ "$fails" -eq 0 ]

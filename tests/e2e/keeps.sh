#!/bin/sh
# Keeps (issue 23, item 2), over every example under tests/fixtures/: in no
# PDF of the package is a heading or a lead-in line ending in a colon the
# last thing on a page (its text overleaf); read from `pdftotext` page by
# page, the headings from the documents' Markdown.  (On 634a42d the example
# has 5 such pages: "Trigger metrics", "Results", "... as follows:".)
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
cat > "$t/last.py" <<'PY'
import re, subprocess, sys
pkg, bad, pages = sys.argv[1], [], 0
for md in sys.argv[2:]:
    pdf = md[:-3] + ".pdf"
    heads = []
    for line in open(md, encoding="utf-8"):
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            h = re.sub(r"[*_`]", "", re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", m.group(1)))
            heads.append(" ".join(h.split()))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout
    texts = text.split("\f")[:-1]
    for n, page in enumerate(texts, 1):
        lines = [l.strip() for l in page.splitlines() if l.strip()]
        # The footer ends the page's text: the company, "Page N of M".
        if lines and re.match(r"^Page \d+ of \d+$", lines[-1]):
            lines = lines[:-2]
        if not lines:
            continue
        pages += 1
        last = lines[-1]
        if n < len(texts) and (last.endswith(":") or any(h == last or h.endswith(" " + last) for h in heads)):
            bad.append("%s page %d ends with %r" % (pdf[len(pkg) + 1:], n, last))
print("\n".join(bad))
print("%d pages" % pages, file=sys.stderr)
PY
for fx in tests/fixtures/*/; do
	name=$(basename "$fx")
	out=$t/$name
	if ! "$D" build --quiet --content "$fx" --templates templates --out "$out" 2> "$t/err"; then
		echo "FAIL keeps: $name: build: $(head -3 "$t/err")"
		fails=$((fails + 1))
		continue
	fi
	pkg=$out/bsp-application
	res=$(python3 "$t/last.py" "$pkg" $(find "$pkg" -name '*.md' | sort) 2> "$t/n")
	if [ -z "$res" ]; then echo "ok keeps: $name: no page of $(cat "$t/n") ends with a heading or a lead-in"
	else echo "$res" | sed "s/^/FAIL keeps: $name: /"; fails=$((fails + 1)); fi
done
[ "$fails" -eq 0 ]

#!/bin/bash
# make bench, part 2: typesetting speed of `dossier pdf` against the plain
# Pango+Cairo floor (bench/floor.c: raw text in paragraphs, no Markdown, as
# $FLOOR) and its peers on the same Markdown corpora (bench/make-corpus.py:
# 12 documents at scale 1 and at scale 10).  Peers run where installed: pandoc with the
# weasyprint engine, and Typst (fed by pandoc's typst writer when pandoc has
# one).  Prints pages, milliseconds per page, the ratio to dossier, and the
# share of the source's words found in each PDF's text (no loss of content).
# A benchmark, not a test: it never fails on speed.
set -u
D=${DOSSIER:-./dossier}
corpus=bench/corpus
mkdir -p "$corpus"
export SOURCE_DATE_EPOCH=1790000000

now_ms() { date +%s%3N; }

pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }

# Share of the words of the Markdown sources found in the PDFs' text.
words_found() { # dir-of-md dir-of-pdf
	/usr/bin/python3 - "$1" "$2" <<'PY'
import glob, os, re, subprocess, sys
src, out = sys.argv[1], sys.argv[2]
want = found = 0
for md in sorted(glob.glob(os.path.join(src, "*.md"))):
    pdf = os.path.join(out, os.path.basename(md)[:-3] + ".pdf")
    if not os.path.exists(pdf):
        continue
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout
    have = set(re.findall(r"\w{3,}", text))
    for w in set(re.findall(r"\w{3,}", re.sub(r"\]\([^)]*\)", "]", open(md, encoding="utf-8").read()))):
        want += 1
        found += w in have
print(f"{100.0 * found / max(want, 1):.1f}%")
PY
}

# run NAME OUTDIR COMMAND...: typeset every corpus file, one process each.
run() {
	local name=$1 dir=$2; shift 2
	local outdir="$corpus/out-$name-$dir"
	rm -rf "$outdir"; mkdir -p "$outdir"
	local t0 t1 n=0 ok=1
	t0=$(now_ms)
	for md in "$corpus/$dir"/*.md; do
		local pdf="$outdir/$(basename "${md%.md}").pdf"
		"$@" "$md" "$pdf" > /dev/null 2>&1 || ok=0
	done
	t1=$(now_ms)
	for pdf in "$outdir"/*.pdf; do n=$((n + $(pages "$pdf"))); done
	local ms=$((t1 - t0))
	echo "$name $dir $n $ms $ok $(words_found "$corpus/$dir" "$outdir")"
}

dossier_pdf() { "$D" pdf "$1" -o "$2"; }
floor_pdf() { "$FLOOR" "$1" "$2"; }
pandoc_weasy() { pandoc "$1" -f gfm -s --metadata title=Document --pdf-engine=weasyprint -o "$2"; }
typst_pdf() { pandoc "$1" -f gfm -t typst -s -o "$2.typ" && typst compile "$2.typ" "$2"; }

results=$(mktemp)
for spec in small:1 large:10; do
	dir=${spec%%:*} scale=${spec##*:}
	python3 bench/make-corpus.py "$corpus/$dir" --docs 12 --scale "$scale" > /dev/null
	run dossier "$dir" dossier_pdf >> "$results"
	if [ -x "${FLOOR:-}" ]; then
		run pango+cairo-floor "$dir" floor_pdf >> "$results"
	fi
	if command -v pandoc > /dev/null && command -v weasyprint > /dev/null; then
		run pandoc+weasyprint "$dir" pandoc_weasy >> "$results"
	else
		echo "pandoc+weasyprint $dir - - - -" >> "$results"
	fi
	if command -v typst > /dev/null && pandoc --list-output-formats 2>/dev/null | grep -qx typst; then
		run typst "$dir" typst_pdf >> "$results"
	else
		echo "typst $dir - - - -" >> "$results"
	fi
done

printf '%-18s %-6s %6s %9s %8s %9s %7s\n' tool corpus pages "total ms" "ms/page" "vs dossier" words
awk '
	$3 == "-" { printf "%-18s %-6s %6s %9s %8s %9s %7s\n", $1, $2, "-", "-", "-", "not installed", "-"; next }
	{ mpp = $4 / ($3 > 0 ? $3 : 1)
	  if ($1 == "dossier") base[$2] = mpp
	  ratio = (base[$2] > 0) ? sprintf("%.1fx", mpp / base[$2]) : "-"
	  printf "%-18s %-6s %6d %9d %8.1f %9s %7s%s\n", $1, $2, $3, $4, mpp, ratio, $6, ($5 == 1 ? "" : "  (some files failed)") }
' "$results"
rm -f "$results"

#!/bin/sh
# Numbered captions and cross-references as links (issue 23, item 8), over
# the example's package (tests/pdf/xrefs.py): each Markdown link to another
# document names a file of the package; in dossier.pdf its words link to
# the page that document starts on, in the document's own PDF to the other
# document's PDF beside it; every figure's caption is "Figure N." with N
# counting from 1 in each document; a theme's captions.label renames them
# and "" leaves them unnumbered.  (On 4705ace every check fails: captions
# were the bare alt text and cross-references italic words, no link.)
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok xrefs: $1"; }
bad() { echo "FAIL xrefs: $1"; fails=$((fails + 1)); }
if "$D" build --quiet --content tests/fixtures/campotech --templates templates --out "$t/out" 2> "$t/err"; then
	if python3 tests/pdf/xrefs.py "$t/out/bsp-application" > "$t/res"; then
		ok "$(tail -1 "$t/res"): each a link to its document, captions numbered"
	else
		sed 's/^/FAIL xrefs: /' "$t/res" | head -20; fails=$((fails + 1))
	fi
else
	bad "build: $(head -3 "$t/err")"
fi
# The theme names the label, or numbers nothing.
printf '# Two\n\nText.\n\n![A first chart](a.svg)\n\nMore.\n\n![A second chart](a.svg)\n' > "$t/two.md"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80"><rect width="200" height="80" fill="#ccc"/></svg>\n' > "$t/a.svg"
sed 's/^  label: .*/  label: "Abbildung"/' templates/theme.yaml > "$t/de.yaml"
sed 's/^  label: .*/  label: ""/' templates/theme.yaml > "$t/none.yaml"
"$D" pdf --theme "$t/de.yaml" "$t/two.md" -o "$t/de.pdf" && pdftotext "$t/de.pdf" - | tr '\n' ' ' > "$t/de.txt"
grep -q 'Abbildung 1\. A first chart.*Abbildung 2\. A second chart' "$t/de.txt" \
	&& ok "captions.label \"Abbildung\": 'Abbildung 1.', 'Abbildung 2.'" || bad "label: $(cat "$t/de.txt")"
"$D" pdf --theme "$t/none.yaml" "$t/two.md" -o "$t/none.pdf" && pdftotext "$t/none.pdf" - | tr '\n' ' ' > "$t/none.txt"
grep -q 'A first chart' "$t/none.txt" && ! grep -q 'Figure\|1\. A first' "$t/none.txt" \
	&& ok "captions.label \"\": the alt text alone" || bad "no label: $(cat "$t/none.txt")"
[ "$fails" -eq 0 ]

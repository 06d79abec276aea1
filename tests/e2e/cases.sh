#!/bin/sh
# Case studies keep their identity: CHANGES.md names them by source file and
# title when one is added in the middle and the others move; six case
# studies are a warning and leave the "3-5" readiness item unmet.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok cases: $1"; }
bad() { echo "FAIL cases: $1"; fails=$((fails + 1)); }

cp -R content templates "$t/"
cd "$t"
"$D" build --quiet 2> err || bad "first build: $(cat err)"
# A new case study at order 2; the ones at 2, 3, 4 move down; one is edited.
cs=content/case-studies
sed -i 's/^order: 4/order: 5/' $cs/electricidad-buenos-aires.md
sed -i 's/^order: 3/order: 4/' $cs/gas-mendoza.md
sed -i 's/^order: 2/order: 3/' $cs/climatizacion-rosario.md
sed -i '0,/minutes/s/minutes/minutes flat/' $cs/gas-mendoza.md
sed -e 's/^order: 1/order: 2/' -e 's/^title: .*/title: "Night calls answered for a locksmith"/' \
	$cs/plomeria-cordoba.md > $cs/cerrajeria-salta.md
"$D" build --quiet 2> err || bad "second build: $(cat err)"
cat > want <<'W'
## Case studies

- cerrajeria-salta.md, "Night calls answered for a locksmith" (Case Study 2): added
- climatizacion-rosario.md, "Getting through the summer peak for an HVAC company" (Case Study 2 → 3)
- gas-mendoza.md, "Safe, fast answers for a gas fitting team" (Case Study 3 → 4): edited
- electricidad-buenos-aires.md, "One shared inbox for an electrical contractor's dispatch team" (Case Study 4 → 5)

W
sed -n '/^## Case studies/,/^## Figures/p' out/CHANGES.md | sed '$d' > got
cmp -s want got && ok "CHANGES.md: the new one added, the others moved by file and title" || bad "CHANGES.md: $(diff want got)"
grep -q 'plomeria-cordoba.md' got && bad "an unchanged case study listed" || ok "an unmoved, unedited case study is not listed"

# The first case study moved to the end: it and the three after it moved,
# none edited (the separator "and" or "," in a list of them is no edit).
sed -i 's/^order: 1$/order: 9/' $cs/plomeria-cordoba.md
"$D" build --quiet 2> err || bad "third build: $(cat err)"
cat > want <<'W'
## Case studies

- cerrajeria-salta.md, "Night calls answered for a locksmith" (Case Study 2 → 1)
- climatizacion-rosario.md, "Getting through the summer peak for an HVAC company" (Case Study 3 → 2)
- gas-mendoza.md, "Safe, fast answers for a gas fitting team" (Case Study 4 → 3)
- electricidad-buenos-aires.md, "One shared inbox for an electrical contractor's dispatch team" (Case Study 5 → 4)
- plomeria-cordoba.md, "Quotes in two minutes for a plumbing company" (Case Study 1 → 5)

W
sed -n '/^## Case studies/,/^## Figures/p' out/CHANGES.md | sed '$d' > got
cmp -s want got && ok "CHANGES.md: the first moved to the end, every one moved and none edited" || bad "CHANGES.md after a move: $(diff want got)"
sed -i 's/^order: 9$/order: 1/' $cs/plomeria-cordoba.md

# A footnote in a case study: at the foot of the page citing it, in the
# case study's PDF and in dossier.pdf, linked both ways under the part's
# prefix; the package's Markdown keeps the GFM syntax.
printf '\nThe owner counts the calls.[^calls]\n\n[^calls]: Counted by the platform, not estimated.\n' >> $cs/gas-mendoza.md
"$D" build --quiet 2> err || bad "footnote build: $(cat err)"
note_page() {	# PDF: pages where the citing text and the note stand, or "none"
	n=$(pdfinfo "$1" | awk '/^Pages:/ { print $2 }'); p=1; found=none
	while [ $p -le "$n" ]; do
		pdftotext -f $p -l $p "$1" - > pg.txt
		grep -q 'The owner counts the calls\.1' pg.txt && grep -q '^1 Counted by the platform, not estimated\.$' pg.txt && found=$p
		p=$((p + 1))
	done
	echo $found
}
cspdf=$(grep -l 'counts the calls' $(find out -name 'case-study-*.md') | sed 's/\.md$/.pdf/')
[ -f "$cspdf" ] && [ "$(note_page "$cspdf")" != none ] && [ "$(note_page out/bsp-application/dossier.pdf)" != none ] \
	&& ! pdftotext out/bsp-application/dossier.pdf - | grep -q '\[^' \
	&& ok "a case study's footnote stands at the foot of the citing page, in its PDF and in dossier.pdf" \
	|| bad "case-study footnote: '$cspdf' $(note_page "$cspdf") / $(note_page out/bsp-application/dossier.pdf)"
qpdf --json=2 out/bsp-application/dossier.pdf | python3 -c '
import json, sys
j = json.load(sys.stdin)
links = [v["value"].get("/Dest") for v in j["qpdf"][1].values() if isinstance(v, dict)
         and isinstance(v.get("value"), dict) and v["value"].get("/Subtype") == "/Link"]
fn = sorted(d for d in links if d and "fn" in d)
sys.exit(0 if len(fn) == 2 and fn[0].endswith("-fn%3A1") and fn[1].endswith("-fnref%3A1") else fn)' \
	&& ok "dossier.pdf: the reference and the note link to each other" || bad "dossier.pdf footnote links"
grep -q '^\[^calls\]: Counted by the platform' $(find out -name 'case-study-*.md') \
	&& ok "the package's Markdown keeps the footnote as written" || bad "footnote in the Markdown"

# Six case studies: a warning at the sixth, and the readiness item unmet.
sed -e 's/^order: 1/order: 6/' -e 's/^title: .*/title: "A sixth story"/' $cs/plomeria-cordoba.md > $cs/sexta.md
"$D" check > out.md 2> err; rc=$?
[ "$(cat err)" = "content/case-studies/sexta.md:6:8: warning: 6 case studies: the application asks for 3-5, so this one (number 6 by order) and any after it leave the readiness item unmet" ] \
	&& ok "six case studies: a warning at the sixth" || bad "six: $(cat err)"
grep -qx -- '- \[ \] 3-5 customer success stories written: 6 case studies in content/case-studies/: the application asks for 3-5, keep the strongest five' out.md \
	&& [ $rc = 1 ] && ok "six case studies: the 3-5 item is unmet" || bad "six item: $rc $(grep 3-5 out.md)"
[ $fails = 0 ]

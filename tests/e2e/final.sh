#!/bin/sh
# Draft and final: the example (not ready, generated stand-ins) builds as a
# draft, its band ("Draft — not for submission") on every page of every PDF,
# every glyph at least 14 pt from the paper's edges, and status="draft" in the
# manifest; `check --final` and `build --final` name each unmet item.  With
# the triggers met and the originals supplied, `build --final` writes the
# package without the mark.  `check --json` says the same as JSON.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok final: $1"; }
bad() { echo "FAIL final: $1"; fails=$((fails + 1)); }

# Every page of every PDF under $1 has (yes) or lacks (no) the mark.
marks() {
	for f in $(find "$1" -name '*.pdf' | sort); do
		pages=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
		n=0
		for p in $(seq 1 "$pages"); do
			pdftotext -f "$p" -l "$p" "$f" - | grep -q "Draft — not for submission" && n=$((n + 1))
		done
		if [ "$2" = yes ] && [ "$n" != "$pages" ]; then echo "$f: the band on $n of $pages pages"; fi
		if [ "$2" = no ] && [ "$n" != 0 ]; then echo "$f: the band on $n pages"; fi
	done
}

R=$PWD
cp -R content templates "$t/"
cd "$t"
"$D" build --quiet 2> err || bad "draft build: $(cat err)"
m=$(marks out/bsp-application yes)
n=$(find out/bsp-application -name '*.pdf' | wc -l)
[ -z "$m" ] && [ "$n" -ge 15 ] && ok "the draft band on every page of all $n PDFs of the example" || bad "draft: $m"
# Printers cut 3-6 mm: the band, and every other word, stands inside the
# area they print, its words on one line at the top of the page.
for f in $(find out/bsp-application -name '*.pdf' | sort); do
	pdftotext -bbox "$f" "$t/$(echo "$f" | tr / _).bbox"
done
if e=$(python3 "$R/tests/pdf/edges.py" 14 "Draft — not for submission" "$t"/*.bbox); then
	ok "every word of every page at least 14 pt from the paper's edges, the band at the top ($(echo "$e" | tail -1))"
else
	bad "too near the edge: $(echo "$e" | head -5)"
fi
# The theme places the band and sets its size: 40 pt down, 12 pt text.
cp -R templates tpl2
sed -i 's/^  top: 14 /  top: 40 /; s/^  size: 10  /  size: 12  /' tpl2/theme.yaml
"$D" build --quiet --templates tpl2 --out out2 2> err || bad "build with the band moved: $(cat err)"
pdftotext -bbox -f 1 -l 1 out2/bsp-application/dossier.pdf - > band.bbox
y=$(grep -o 'yMin="[0-9.]*" xMax="[0-9.]*" yMax="[0-9.]*">Draft<' band.bbox | sed 's/yMin="\([0-9.]*\)".*yMax="\([0-9.]*\)".*/\1 \2/')
echo "$y" | awk '{ exit !($1 > 40 && $2 < 40 + 22 && $2 - $1 > 13) }' &&
	ok "the theme's draft.top and draft.size place and size the band (its word at y $y)" || bad "theme's band: '$y'"
grep -q '<manifest version="1" status="draft"' out/bsp-application/manifest.xml && ok 'manifest.xml says status="draft"' \
	|| bad "manifest: $(head -2 out/bsp-application/manifest.xml)"
xmllint --noout --schema templates/manifest.xsd out/bsp-application/manifest.xml 2> err && ok "the draft manifest is valid" || bad "xsd: $(cat err)"
grep -q '^Not final: 2 items unmet and 3 generated stand-ins' out/readiness.md && ok "readiness.md says why it is not final" \
	|| bad "readiness.md: $(tail -3 out/readiness.md)"

"$D" check --final > check.out 2> err; rc=$?
[ $rc = 1 ] && grep -qx '\*\*NOT READY (final): 5 of 11 items unmet\*\*' check.out \
	&& grep -qx -- '- \[ \] Legal Entity Documentation: generated summary stands in; supply content/attachments/legal-entity-docs.pdf before applying' check.out \
	&& ok "check --final counts each stand-in as unmet" || bad "check --final: $rc $(tail -14 check.out)"
"$D" check > /dev/null 2>&1; rc=$?
[ $rc = 1 ] && ok "plain check: still 1 (triggers unmet)" || bad "check: $rc"

before=$(find out -type f -printf '%p %s %T@ %i\n' | sort | sha256sum)
"$D" build --final > final.out 2> final.err; rc=$?
cat > want <<'W'
dossier build: --final: NOT READY (final): 5 of 11 items unmet; nothing written:
  - 100+ WhatsApp AI clients OR $2,000+/month in message costs: 87 clients, $1,873 in message costs in October 2026
  - Monthly message volume 50,000+: 46,820 in October 2026
  - Legal Entity Documentation: generated summary stands in; supply content/attachments/legal-entity-docs.pdf before applying
  - Financial Statements: generated summary stands in; supply content/attachments/financial-statements.pdf before applying
  - Security Audit Report: generated summary stands in; supply content/attachments/security-audit-report.pdf before applying
W
[ $rc = 1 ] && cmp -s want final.err && ok "build --final refuses, exit 1, naming each unmet item" \
	|| bad "build --final: $rc $(diff want final.err)"
[ "$(find out -type f -printf '%p %s %T@ %i\n' | sort | sha256sum)" = "$before" ] && ok "a refused --final build writes nothing" \
	|| bad "out/ changed"

"$D" check --json > json 2> err; rc=$?
python3 - json <<'PY' && ok "check --json: the verdict as JSON" || bad "json: $(head -c 600 json)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["company"] == "CampoTech" and d["month"] == "2026-10", d
assert d["ready"] is False and d["final"] is False, d
assert d["verdict"] == "NOT READY: 2 of 11 items unmet", d["verdict"]
assert d["triggers"][0] == {"metric": "Active WhatsApp AI clients", "current": 87, "target": 100,
                           "current_text": "87", "target_text": "100+", "met": False}, d["triggers"][0]
assert [i["item"] for i in d["items"] if i["standin"]] == ["Legal Entity Documentation", "Financial Statements", "Security Audit Report"]
assert d["warnings"] == [], d["warnings"]
PY
[ $rc = 1 ] && ok "check --json: exit 1 when not ready" || bad "json exit $rc"

# Final-ready: thresholds the example meets and the three originals supplied.
printf 'triggers:\n  whatsapp_ai_clients: 80\n  monthly_messages: 40000\n' > content/triggers.yaml
# Originals come from elsewhere: a PDF dossier typeset is refused by --final (tests/e2e/smaller.sh).
python3 "$DOSSIER_SRC/tests/pdf/mkpdf.py" orig.pdf "Certificate of incorporation|Signed original"
mkdir -p content/attachments
for a in legal-entity-docs financial-statements security-audit-report; do cp orig.pdf content/attachments/$a.pdf; done
"$D" check --final > check.out 2> err; rc=$?
[ $rc = 0 ] && grep -qx '\*\*READY (final): all 11 items met\*\*' check.out && ok "check --final: ready with the originals supplied" \
	|| bad "check --final: $rc $(tail -4 check.out) $(cat err)"
"$D" check --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["ready"] and d["final"], d' \
	&& ok "check --json: final true" || bad "json final"
"$D" build --final --quiet 2> err; rc=$?
[ $rc = 0 ] && ok "build --final passes" || bad "build --final: $rc $(cat err)"
m=$(marks out/bsp-application no)
[ -z "$m" ] && ok "no draft band on any page of the final package" || bad "final: $m"
grep -q '<manifest version="1" status="final"' out/bsp-application/manifest.xml && ok 'manifest.xml says status="final"' \
	|| bad "manifest: $(head -2 out/bsp-application/manifest.xml)"
cmp -s orig.pdf out/bsp-application/company/legal-entity-docs.pdf && ok "the supplied original is in the package as it is" || bad "original"
[ $fails = 0 ]

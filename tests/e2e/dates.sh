#!/bin/sh
# Dates that mean something (issue 21): a legal document's "Last updated" is
# its fact (compliance.privacy.updated, compliance.terms.updated,
# compliance.messaging.updated), not the snapshot month.  A new month's
# snapshot moves the footer's "generated from the company's records on"
# date and no "Last updated"; changing one fact moves that document's date
# only, in the Markdown and the PDF; without the fact the line is left out.
# On the session-start build every "Last updated" was the snapshot month's
# last day ("31 October 2026"), and moved to 30 November with a new month.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok dates: $1"; }
bad() { echo "FAIL dates: $1"; fails=$((fails + 1)); }
docs="privacy-policy terms-of-service messaging-guidelines"

# updated OUT DOC: the "Last updated" line of a compliance document, Markdown and PDF text.
updated() {
	md=$(grep -o '^\*Last updated: [^*]*\*$' "$1/bsp-application/compliance/$2.md")
	pdf=$(pdftotext -enc UTF-8 "$1/bsp-application/compliance/$2.pdf" - | tr -s ' \n' ' ' | grep -o 'Last updated: [0-9]* [A-Z][a-z]* [0-9]*')
	echo "$md | $pdf"
}
want='*Last updated: 18 August 2025* | Last updated: 18 August 2025'

cp -R content "$t/c"
"$D" build --quiet --content "$t/c" --out "$t/o1" 2> "$t/err" || bad "build: $(head -3 "$t/err")"
for d in $docs; do
	[ "$(updated "$t/o1" "$d")" = "$want" ] && ok "$d: Last updated 18 August 2025, its fact, in the Markdown and the PDF" \
		|| bad "$d: $(updated "$t/o1" "$d")"
done
grep -q "generated from the company's records on 31 October 2026" "$t/o1/bsp-application/compliance/privacy-policy.md" \
	|| bad "the October footer: $(tail -1 "$t/o1/bsp-application/compliance/privacy-policy.md")"

# A new snapshot month: the footer moves, the legal dates do not.
sed 's/^month: "2026-10"$/month: "2026-11"/; s/^  - date: 2026-10-/  - date: 2026-11-/' "$t/c/metrics/2026-10.yaml" > "$t/c/metrics/2026-11.yaml"
"$D" build --quiet --content "$t/c" --out "$t/o2" 2> "$t/err" || bad "build with November: $(head -3 "$t/err")"
grep -q "generated from the company's records on 30 November 2026" "$t/o2/bsp-application/compliance/privacy-policy.md" \
	&& ok "a November snapshot moves the footer to 30 November 2026" \
	|| bad "the November footer: $(tail -1 "$t/o2/bsp-application/compliance/privacy-policy.md")"
for d in $docs; do
	[ "$(updated "$t/o2" "$d")" = "$want" ] && ok "$d: still Last updated 18 August 2025 with a November snapshot" \
		|| bad "$d moved with the snapshot: $(updated "$t/o2" "$d")"
done

# The privacy policy's text changed: its fact moves its date, and only its.
sed -i '/^  privacy:$/,/^    updated:/s/^    updated: 2025-08-18$/    updated: 2026-11-20/' "$t/c/company.yaml"
"$D" build --quiet --content "$t/c" --out "$t/o3" 2> "$t/err" || bad "build: $(head -3 "$t/err")"
[ "$(updated "$t/o3" privacy-policy)" = '*Last updated: 20 November 2026* | Last updated: 20 November 2026' ] \
	&& ok "privacy-policy: compliance.privacy.updated 2026-11-20 gives Last updated 20 November 2026" \
	|| bad "privacy-policy after its fact changed: $(updated "$t/o3" privacy-policy)"
for d in terms-of-service messaging-guidelines; do
	[ "$(updated "$t/o3" "$d")" = "$want" ] && ok "$d: its own date kept" || bad "$d: $(updated "$t/o3" "$d")"
done

# Without the fact: no date at all rather than the snapshot month's.
sed -i '/^  privacy:$/,/^    updated:/{/^    updated:/d}' "$t/c/company.yaml"
"$D" build --quiet --content "$t/c" --out "$t/o4" 2> "$t/err" || bad "build without the date: $(head -3 "$t/err")"
if grep -q 'Last updated' "$t/o4/bsp-application/compliance/privacy-policy.md"; then
	bad "privacy-policy without compliance.privacy.updated: $(grep 'Last updated' "$t/o4/bsp-application/compliance/privacy-policy.md")"
else
	ok "privacy-policy without compliance.privacy.updated: no Last updated line"
fi
[ $fails = 0 ]

#!/bin/sh
# Charts end to end: every chart written as well-formed SVG with the expected
# series, linked from the Markdown, drawn as vectors (not bitmaps) in the
# PDFs, byte-identical on rebuild; and sensible charts, no crash, for one
# month of history, flat series, a month with zero messages and 60 months.
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$t"' EXIT
fails=0
ok() { echo "ok charts: $1"; }
bad() { echo "FAIL charts: $1"; fails=$((fails + 1)); }
CHARTS="messages clients mrr uptime latency cost savings"

# check_charts NAME PKG: every SVG present and well-formed, with a title;
# false (after saying why) when one is not.
check_charts() {
	cc=$fails
	for c in $CHARTS; do
		f="$2/charts/$c.svg"
		if [ ! -s "$f" ]; then bad "$1: no charts/$c.svg"; continue; fi
		xmllint --noout "$f" 2> "$t/xml" || bad "$1: $c.svg is not well-formed: $(head -3 "$t/xml")"
		grep -q '<title>[^<]' "$f" || bad "$1: $c.svg has no title"
	done
	[ "$fails" = "$cc" ]
}

# desc_has PKG CHART TEXT: the chart's <desc> says TEXT.
desc_has() {
	grep -o '<desc>.*</desc>' "$1/charts/$2.svg" | grep -qF "$3"
}

# 1. The example.
if "$D" build --quiet --out "$t/out" 2> "$t/err"; then ok "example builds"; else bad "example: $(cat "$t/err")"; fi
P="$t/out/bsp-application"
check_charts example "$P" && ok "seven well-formed SVGs"
desc_has "$P" messages "Messages (bars): 14 values" && desc_has "$P" messages "Projection (+" &&
	desc_has "$P" messages "Trigger: 50,000 messages a month (line at 50,000)" &&
	ok "messages: history, projection and trigger" || bad "messages desc: $(grep -o '<desc>.*</desc>' "$P/charts/messages.svg")"
desc_has "$P" clients "Trigger: 100 WhatsApp AI clients" && ok "clients: trigger from triggers.yaml" || bad "clients desc"
desc_has "$P" uptime "Trigger: 99.9% (line at 99.90%)" && ok "uptime: 99.9% line" || bad "uptime desc"
desc_has "$P" latency "Average (line)" && desc_has "$P" latency "95th percentile (line)" &&
	desc_has "$P" latency "Limit: 500 ms" && ok "latency: two series and the limit" || bad "latency desc"
desc_has "$P" cost "Via the current BSP (bars): 14 values" && desc_has "$P" cost "Direct (bars)" &&
	ok "cost: BSP and direct" || bad "cost desc"
desc_has "$P" savings "Savings (bars): 4 values, \$200 in 10k to \$15,000 in 500k." &&
	ok "savings: the cost analysis rows" || bad "savings desc: $(grep -o '<desc>.*</desc>' "$P/charts/savings.svg")"
# Bars are separate paths: at least 14 history + 12 projection bars.
n=$(grep -c '<path' "$P/charts/messages.svg")
[ "$n" -ge 26 ] && ok "messages: $n paths" || bad "messages: only $n paths"

# 2. Linked from the Markdown, relative, and every link resolves.
before=$fails
for doc in business/growth-plan technical/uptime-report technical/architecture-overview company/company-overview; do
	grep -q '](\.\./charts/[a-z]*\.svg)' "$P/$doc.md" || bad "$doc.md links no chart"
	for link in $(grep -o '](\.\./charts/[a-z]*\.svg)' "$P/$doc.md" | sed 's/^](//; s/)$//'); do
		[ -s "$P/$(dirname "$doc")/$link" ] || bad "$doc.md: $link does not resolve"
	done
done
for c in messages clients mrr cost savings; do
	grep -q "(../charts/$c.svg)" "$P/business/growth-plan.md" || bad "growth-plan lacks $c"
done
for c in uptime latency; do
	grep -q "(../charts/$c.svg)" "$P/technical/uptime-report.md" || bad "uptime-report lacks $c"
done
[ "$fails" = "$before" ] && ok "charts linked where a reviewer needs them"

# 3. In the PDFs as vector drawing, drawn by the chart code itself (not
# the SVG parsed back): line-to operators present, no bitmap in the uptime
# report (the growth plan's bitmaps are its heading emoji), and the charts'
# words are text a reader can search and copy.
before=$fails
imgs=$(pdfimages -list "$P/technical/uptime-report.pdf" 2>/dev/null | tail -n +3 | wc -l)
[ "$imgs" = 0 ] || bad "uptime-report.pdf has $imgs bitmap images"
for doc in business/growth-plan technical/uptime-report; do
	paths=$(qpdf --qdf --object-streams=disable "$P/$doc.pdf" - 2>/dev/null | grep -a -o ' l ' | wc -l)
	[ "$paths" -gt 20 ] || bad "$doc.pdf: only $paths line-to operators, charts not drawn?"
done
pdftotext "$P/business/growth-plan.pdf" "$t/gp.txt"
for words in "WhatsApp messages per month" "Trigger: 50,000 messages a month" "Projection (+8.8% a month)" \
	     "Monthly savings of direct access, by volume" "BSP overhead: \$1,200 a month" "125k"; do
	grep -qF "$words" "$t/gp.txt" || bad "growth-plan.pdf: the chart text '$words' is not text in the PDF"
done
pdftotext "$P/technical/uptime-report.pdf" "$t/ur.txt"
grep -qF "Trigger: 99.9%" "$t/ur.txt" && grep -qF "Webhook response time" "$t/ur.txt" \
	|| bad "uptime-report.pdf: chart text missing"
[ "$fails" = "$before" ] && ok "charts drawn as vectors with real text in the PDFs"

# 4. Deterministic.
"$D" build --quiet --out "$t/out2" 2> "$t/err" || bad "second build: $(cat "$t/err")"
if diff -r "$P/charts" "$t/out2/bsp-application/charts" > /dev/null; then ok "byte-identical charts"; else bad "charts differ between builds: $(diff -rq "$P/charts" "$t/out2/bsp-application/charts")"; fi

# 4b. Rebuilt after edits.  A chart whose drawing did not change is the
# previous build's file (inode and mtime kept), taken only while its bytes
# are the ones recorded; a chart whose data changed is drawn again, as a
# fresh build draws it.
ids() { for c in $CHARTS; do stat -c "$c %i %Y" "$1/charts/$c.svg"; done; }
cp -r content "$t/ed"
cs=$(ls "$t"/ed/case-studies/*.md | head -1)
E="$t/ed-out/bsp-application"
B() { "$D" build --quiet --content "$t/ed" --out "$t/ed-out" 2> "$t/err" || bad "edit build: $(cat "$t/err")"; }
B
before=$(ids "$E")
sleep 1
sed -i '0,/ the / s// THE /' "$cs"; B
[ "$(ids "$E")" = "$before" ] && diff -r "$P/charts" "$E/charts" > /dev/null \
	&& ok "a case-study edit keeps every chart file (inode, mtime, bytes)" || bad "case-study edit: $(ids "$E" | tr "\n" " ")"
while read -r key sha name; do
	[ "$(sha256sum < "$E/$name" | cut -d' ' -f1)" = "$sha" ] || bad "record of $name: $sha"
done < "$t/ed-out/.dossier-cache/charts"
[ "$(wc -l < "$t/ed-out/.dossier-cache/charts")" = 7 ] && ok "the build records each chart's digest" || bad "record: $(cat "$t/ed-out/.dossier-cache/charts")"
# Tampered in place, size and mtime kept: drawn again, not taken.
f="$E/charts/uptime.svg"
cp -p "$f" "$t/ref.svg"
printf 'X' | dd of="$f" bs=1 seek=200 conv=notrunc status=none
touch -r "$t/ref.svg" "$f"
sed -i '0,/ THE / s// the /' "$cs"; B
cmp -s "$f" "$P/charts/uptime.svg" && (cd "$E" && sha256sum -c --quiet SHA256SUMS) > /dev/null 2>&1 \
	&& ok "a chart file tampered in place is drawn again" || bad "tampered uptime.svg kept"
# The latest snapshot's messages: the charts that show them are drawn
# again (the bytes a fresh build draws), the others kept.
before=$(ids "$E" | grep -v -e '^messages ' -e '^cost ')
snap=$(ls "$t"/ed/metrics/*.yaml | sort | tail -1)
sed -i 's/^messages: .*/messages: 47000/' "$snap"; B
"$D" build --quiet --content "$t/ed" --out "$t/ed-fresh" 2> "$t/err" || bad "fresh build: $(cat "$t/err")"
! cmp -s "$E/charts/messages.svg" "$P/charts/messages.svg" && diff -r "$E/charts" "$t/ed-fresh/bsp-application/charts" > /dev/null \
	&& [ "$(ids "$E" | grep -v -e '^messages ' -e '^cost ')" = "$before" ] \
	&& ok "a snapshot edit draws messages and cost again, as a fresh build does, and keeps the other five" \
	|| bad "snapshot edit: $(diff -rq "$E/charts" "$t/ed-fresh/bsp-application/charts")"

# 5. Edge cases on content copies.
edge() { # name, content dir
	if "$D" build --quiet --content "$2" --out "$t/o-$1" 2> "$t/err"; then
		ok "$1 builds"
		check_charts "$1" "$t/o-$1/bsp-application" && ok "$1: seven well-formed SVGs"
	else
		bad "$1: $(head -3 "$t/err")"
	fi
}
# One month of history.
cp -r content "$t/one"
ls "$t/one/metrics" | grep -v 2026-10 | sed "s|^|$t/one/metrics/|" | xargs rm -f
rm -f "$t/one/financials.yaml"
edge one-month "$t/one"
desc_has "$t/o-one-month/bsp-application" messages "Messages (bars): 46,820 in October 2026." && ok "one month: one bar" || bad "one month desc"
# Flat series: every month the same figures as the latest.
cp -r content "$t/flat"
for f in "$t"/flat/metrics/*.yaml; do
	m=$(basename "$f" .yaml)
	sed -e '/^incidents:/,$d' -e "s/^month: .*/month: \"$m\"/" content/metrics/2026-10.yaml > "$f"
done
edge flat "$t/flat"
# A month with zero messages and zero cost.
cp -r content "$t/zero"
sed -i -e 's/^messages: .*/messages: 0/' -e 's/^message_cost: .*/message_cost: 0/' "$t/zero/metrics/2026-03.yaml"
edge zero-month "$t/zero"
# 60 months of history, growing, from November 2021.
cp -r content "$t/sixty"
rm -f "$t"/sixty/metrics/*.yaml "$t/sixty/financials.yaml"
python3 - "$t/sixty/metrics" <<'EOF'
import sys
for i in range(60):
    y, m = divmod(2021 * 12 + 10 + i, 12)
    g = 1.05 ** i
    with open(f"{sys.argv[1]}/{y}-{m + 1:02d}.yaml", "w") as f:
        f.write(f'month: "{y}-{m + 1:02d}"\nactive_organizations: {int(20 * g)}\n'
                f'whatsapp_ai_clients: {int(5 * g)}\nmessages: {int(2000 * g)}\n'
                f'message_cost: {int(80 * g)}\nuptime_percent: {99.8 + (i % 5) * 0.05:.2f}\n'
                f'webhook_avg_ms: {300 - i}\nwebhook_p95_ms: {700 - 3 * i}\n'
                f'delivery_success_percent: 99.5\nmrr: {int(1500 * g)}\n')
EOF
edge sixty-months "$t/sixty"
desc_has "$t/o-sixty-months/bsp-application" messages "Messages (bars): 60 values" && ok "60 months: 60 bars" || bad "60 months desc"

[ "$fails" = 0 ]

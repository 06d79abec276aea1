#!/bin/sh
# Per-message pricing (issue 24): the snapshots give their messages by
# Meta's pricing category, and the cost analysis prices each month at the
# rate card in force in that month (templates/rate-card.yaml), through the
# current provider, as a Tech Provider and as a Solution Partner.  Two rate
# periods in one year, one starting mid-month, with utility volume tiers, in
# a project's own rate card; the shipped card's October 2026 change (service
# messages charged) in its month; two markets; the rate card in another
# currency than the company's.  The flat model of the source guide is
# unchanged for a project that gives only flat rates: the guide's table.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
root=$PWD
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok rates: $1"; }
bad() { echo "FAIL rates: $1"; fails=$((fails + 1)); }
nb=$(printf '\302\240')

# The guide's flat model, as the example gives it: its four rows exactly.
"$D" build --quiet --content "$root/content" --out "$t/flat" 2> "$t/err" || bad "flat build: $(head -3 "$t/err")"
g=$t/flat/bsp-application/business/growth-plan.md
rows=$(grep -E '^\| [0-9,]+ \| \$' "$g" | cut -d'|' -f2-4 | tr -s ' ' | tr '\n' ';')
[ "$rows" = " 10,000 | \$600 | \$400 ; 50,000 | \$3,000 | \$1,800 ; 100,000 | \$6,000 | \$3,500 ; 500,000 | \$30,000 | \$15,000 ;" ] \
	&& ok "flat rates: the guide's table (10k -> \$400 ... 500k -> \$15,000)" || bad "flat table: $rows"
grep -q 'Rates from\|rate-card' "$g" && bad "flat: the per-message analysis shows" || ok "flat: no per-message analysis"

# with_categories DIR: the example with each month's messages by category
# (8% marketing, 40% utility, 2% authentication, the rest service).
with_categories() {
	cp -r "$root/content" "$1"
	for f in "$1"/metrics/*.yaml; do
		m=$(sed -n 's/^messages: //p' "$f")
		mk=$((m * 8 / 100)) ut=$((m * 40 / 100)) au=$((m * 2 / 100))
		sv=$((m - mk - ut - au))
		sed -i "s/^mrr:/messages_by_category: {marketing: $mk, utility: $ut, authentication: $au, service: $sv}\nmrr:/" "$f"
	done
	printf '  market: AR\n  provider: {name: Twilio, fee_per_message: 0.005, markup_percent: 10}\n  partner_discount_percent: 5\n' \
		>> "$1/pricing.yaml"
}

# 1. The shipped rate card: September 2026 at the rates from 1 July 2025
# (service not charged), October 2026 at those from 1 October 2026.
with_categories "$t/c1"
"$D" build --quiet --content "$t/c1" --out "$t/o1" 2> "$t/err" || bad "build: $(head -3 "$t/err")"
g=$t/o1/bsp-application/business/growth-plan.md
# September 2026, 43,070 messages: 3,445 × 0.0618 + 17,228 × 0.0289 + 861 × 0.0289 = 735.6731 at
# Meta's rates; through Twilio × 1.10 + 43,070 × 0.005 = 1,024.5904; saves 1,024.5904 − 735.6731
# = 288.9173 as a Tech Provider, 1,024.5904 − 0.95 × 735.6731 = 325.7012 as a Solution Partner.
grep -qxF '| September 2026 | 43,070 | $736 | $1,025 | $289 | $326 | 1 July 2025 |' "$g" \
	&& ok "September 2026 at the 1 July 2025 rates" || bad "September 2026: $(grep '^| September 2026' "$g")"
# October 2026, 46,820: 3,745 × 0.0618 + (18,728 + 936) × 0.026 + (23,411 − 1,000 free) × 0.026
# = 231.441 + 511.264 + 582.686 = 1,325.391; × 1.10 + 234.1 = 1,692.0301; saves 366.6391 and 432.9087.
grep -qxF '| October 2026 | 46,820 | $1,325 | $1,692 | $367 | $433 | 1 October 2026 |' "$g" \
	&& ok "October 2026 at the 1 October 2026 rates: service messages charged, 1,000 free" || bad "October 2026: $(grep '^| October 2026' "$g")"
grep -qF "| 1 October 2026 | Argentina | \$0.0618 | \$0.0260 | \$0.0260 | \$0.0260 |" "$g" && grep -qF '| 1 July 2025 | Argentina | $0.0618 | $0.0289 | $0.0289 | not charged |' "$g" \
	&& ok "both periods' rates shown" || bad "rate table: $(grep '| Argentina |' "$g")"
grep -q '^- Rates from 1 October 2026, Argentina: .*(read 4 December 2026)\. In this period the first 1,000 service messages a month for each phone number are not charged\.$' "$g" \
	&& ok "each period's source and the date it was read" || bad "sources: $(grep '^- Rates from 1 October' "$g" | cut -c1-120)"
grep -qF '1. **Cost savings:** ' "$g" && ! grep -q '30-50%' "$g" && ok "the savings claim is computed" || bad "claim: $(grep 'Cost savings' "$g")"
/usr/bin/python3 - "$t/o1/bsp-application/business/client-metrics.xlsx" <<'EOF' && ok "the spreadsheet: a row per month, October's figures" || bad "spreadsheet"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Cost analysis"]
rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] is not None and not isinstance(r[0], str)]
octo = rows[-1]
sys.exit(0 if len(rows) == 14 and octo[1] == 46820 and abs(octo[2] - 1325.391) < 1e-6 and abs(octo[3] - 1692.0301) < 1e-6 else 1)
EOF

# 2. A project's own rate card, two periods in 2026, the second from 15 July,
# with graduated utility tiers.  July: 14 days of 31 at the first rates, 17 at
# the second.
cp -r "$t/c1" "$t/c2"
mkdir -p "$t/c2-templates"
cat > "$t/c2-templates/rate-card.yaml" <<'EOF'
rate_card:
  currency: USD
  markets:
    - market: AR
      name: Argentina
      periods:
        - from: "2025-01-01"
          source: "made-up rates for a test"
          read: "2026-12-01"
          rates: {marketing: 0.05, utility: 0.02, authentication: 0.02, service: 0}
          tiers:
            utility: [{up_to: 10000, rate: 0.02}, {rate: 0.01}]
        - from: "2026-07-15"
          source: "made-up rates for a test, second period"
          read: "2026-12-01"
          rates: {marketing: 0.10, utility: 0.03, authentication: 0.03, service: 0}
EOF
"$D" build --quiet --content "$t/c2" --templates "$t/c2-templates" --out "$t/o2" 2> "$t/err" || bad "own card: $(head -3 "$t/err")"
g=$t/o2/bsp-application/business/growth-plan.md
# June 2026, 33,500: 2,680 × 0.05 + (10,000 × 0.02 + 3,400 × 0.01) + 670 × 0.02 = 134 + 234 + 13.4 = 381.4.
grep -q '^| June 2026 | 33,500 | \$381 | ' "$g" && ok "June: graduated utility tiers" || bad "June: $(grep '^| June 2026' "$g")"
# July 2026, 36,350 (2,908, 14,540, 727): first rates 145.4 + 245.4 + 14.54 = 405.34; second rates
# 290.8 + 436.2 + 21.81 = 748.81; 14/31 × 405.34 + 17/31 × 748.81 = 183.057 + 410.638 = 593.695.
grep -qE '^\| July 2026 \| 36,350 \| \$594 \| .* \| 1 January 2025 and 15 July 2026 \|$' "$g" \
	&& ok "July: each period for its days (14 and 17 of 31)" || bad "July: $(grep '^| July 2026' "$g")"
# August 2026, 39,660 (3,172, 15,864, 793): 317.2 + 475.92 + 23.79 = 816.91.
grep -qE '^\| August 2026 \| 39,660 \| \$817 \| .* \| 15 July 2026 \|$' "$g" && ok "August: the second period's rates" \
	|| bad "August: $(grep '^| August 2026' "$g")"
grep -qF '| 1 January 2025 | Argentina | $0.0500 | graduated: $0.0200 up to 10,000, then $0.0100 | $0.0200 | not charged |' "$g" \
	&& ok "tiers shown" || bad "tiers: $(grep '1 January 2025 | Argentina' "$g")"

# 3. Two markets, and the rate card in US dollars for a company in euros.
cp -r "$t/c2" "$t/c3"
cat >> "$t/c2-templates/rate-card.yaml" <<'EOF'
    - market: UY
      name: Uruguay
      periods:
        - from: "2025-01-01"
          source: "made-up"
          read: "2026-12-01"
          rates: {marketing: 0.07, utility: 0.01, authentication: 0.01, service: 0}
EOF
f=$t/c3/metrics/2026-10.yaml
sed -i '/^messages_by_category:/d' "$f"
printf 'messages_by_market:\n  - {market: AR, marketing: 1000, utility: 0, authentication: 0, service: 0}\n  - {market: UY, marketing: 100, utility: 2000, authentication: 0, service: 0}\n' >> "$f"
sed -i 's/^  currency: USD .*/  currency: EUR/' "$t/c3/company.yaml"
sed -i 's/^pricing:$/pricing:\n  quoted_in: USD\n  exchange_rates:\n    - {from: USD, rate: 0.8612, date: 2026-11-30, source: "European Central Bank reference rate"}/' "$t/c3/pricing.yaml"
"$D" build --quiet --content "$t/c3" --templates "$t/c2-templates" --out "$t/o3" 2> "$t/err" || bad "two markets: $(head -3 "$t/err")"
g=$t/o3/bsp-application/business/growth-plan.md
# October: AR 1,000 × 0.10 + UY (100 × 0.07 + 2,000 × 0.01) = 127 USD = €109.37 at 0.8612.
grep -qE '^\| October 2026 \| 3,100 \| €109 \| ' "$g" && ok "two markets, each at its rates, in euros" || bad "two markets: $(grep '^| October 2026' "$g")"
grep -qF "| 15 July 2026 | Argentina | €0.0861 (USD${nb}0.1000 at €0.8612 per USD; European Central Bank reference rate, 30 November 2026) |" "$g" \
	&& ok "the card's rates converted, the exchange rate beside each" || bad "converted rate: $(grep '15 July 2026 | Argentina' "$g" | cut -c1-160)"

# 4. Located errors.
e() {	# NAME DIR EXPECTED: check exits 2 with exactly one line
	"$D" check --content "$2" --templates "$t/c2-templates" > /dev/null 2> "$t/err"; rc=$?
	[ $rc = 2 ] && [ "$(cat "$t/err")" = "$3" ] && ok "$1" || bad "$1: exit $rc: $(cat "$t/err")"
}
cp -r "$t/c1" "$t/e1"; sed -i 's/^  market: AR$/  market: CL/' "$t/e1/pricing.yaml"
e "a market the rate card lacks" "$t/e1" "$t/e1/pricing.yaml:34:11: error: no market 'CL' in templates/rate-card.yaml (it has AR, UY): add its rates there"
cp -r "$t/c1" "$t/e2"; sed -i '/^  provider:/d' "$t/e2/pricing.yaml"
e "no provider" "$t/e2" "$t/e2/pricing.yaml:7:3: error: pricing.provider is needed: the snapshots give messages by category, and today's cost is Meta's rates plus what the current provider adds (name, fee_per_message, markup_percent)"
sed -i 's/"2025-01-01"/"2025-10-01"/' "$t/c2-templates/rate-card.yaml"
e "a month before the card's first period" "$t/c1" "$t/c1/metrics/2025-09.yaml:13:23: error: no rates for AR in templates/rate-card.yaml in September 2025: its first period starts on 1 October 2025"

cp -r "$t/c1" "$t/e3"
sed -i 's/^messages_by_category: {marketing: 3745,/messages_by_category: {marketing: 93745,/' "$t/e3/metrics/2026-10.yaml"
"$D" check --content "$t/e3" > /dev/null 2> "$t/err"
grep -qxF "$t/e3/metrics/2026-10.yaml:13:23: warning: messages_by_category adds up to 136,820 messages, more than the month's 46,820 (messages): update one of them" "$t/err" \
	&& ok "categories adding up to more than the month's messages: a located warning" || bad "categories sum: $(cat "$t/err")"

# 5. dossier month leaves each category to fill in.
mkdir -p "$t/m" && cp -r "$t/c1" "$t/m/content"
(cd "$t/m" && "$D" month --content content > "$t/month.out" 2> "$t/err")
grep -qF "content/metrics/2026-11.yaml:15: messages_by_category.utility (2026-10: 18728)" "$t/month.out" \
	&& grep -qE '^  utility: +# fill in \(2026-10: 18728\)$' "$t/m/content/metrics/2026-11.yaml" \
	&& ok "dossier month: each category to fill in" || bad "month: $(cat "$t/month.out" "$t/err" | head -20)"
[ $fails = 0 ]

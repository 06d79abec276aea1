#!/bin/sh
# Any currency (issue 21): the example with company.currency set to JPY, EUR
# and KWD, its per-message rates still quoted in US dollars and converted
# at an exchange rate the content gives.  The Markdown, the PDFs' text and
# the spreadsheet show the company's currency its own way (tests/currency/
# check.py): yen with no decimals and no '$', the euro and the dinar with
# their symbol or code and minor units; a converted rate only beside the
# price as quoted and the exchange rate, with its source and date.  The
# same bytes under another locale.  Content written with the old _usd keys
# gets one located error per key, naming the new one, and `dossier migrate`
# turns it into content that builds the example's package exactly.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
root=$PWD
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
nb=$(printf '\302\240')	# ICU puts a no-break space between an ISO code and the number
ok() { echo "ok currency: $1"; }
bad() { echo "FAIL currency: $1"; fails=$((fails + 1)); }

# in_currency DIR CODE RATE SOURCE: the example in CODE, rates quoted in USD.
in_currency() {
	cp -r "$root/content" "$1"
	sed -i "s/^  currency: USD .*/  currency: $2/" "$1/company.yaml"
	sed -i "s/^pricing:\$/pricing:\n  quoted_in: USD\n  exchange_rates:\n    - {from: USD, rate: $3, date: 2026-11-30, source: \"$4\"}/" "$1/pricing.yaml"
	# An overhead item that is not a whole amount: the minor units show.
	sed -i 's/^  bsp_overhead_monthly: 1200$/  bsp_overhead_monthly: 1212.5/' "$1/pricing.yaml"
	printf '    - label: "Bank charges"\n      amount: 12.5\n' > "$t/item"
	sed -i "/^  volumes:/e cat $t/item" "$1/pricing.yaml"
}

# check CODE SYMBOL MINOR RATE SOURCE RATE_TEXT
check() {
	in_currency "$t/c-$1" "$1" "$4" "$5"
	"$D" build --quiet --content "$t/c-$1" --out "$t/o-$1" 2> "$t/err-$1" \
		|| { bad "$1: build: $(head -3 "$t/err-$1")"; return; }
	/usr/bin/python3 "$root/tests/currency/check.py" "$t/o-$1/bsp-application" "$1" "$2" "$3" "$6" || fails=$((fails + 1))
}
check JPY '¥' 0 150.25 "Bank of Japan, Tokyo market closing rate" '¥150.25 per USD'
check EUR '€' 2 0.8612 "European Central Bank reference rate" '€0.8612 per USD'
check KWD 'KWD ' 3 0.3072 "Central Bank of Kuwait" 'KWD 0.3072 per USD'

# What a reader sees, exactly.
g=$t/o-JPY/bsp-application/business/growth-plan.md
grep -qF "Monthly message costs through the current BSP, at ¥9.01 (USD${nb}0.0600 at ¥150.25 per USD; Bank of Japan, Tokyo market closing rate, 30 November 2026) per message" "$g" \
	&& ok "JPY: the BSP rate converted, with the rate quoted and the exchange rate" || bad "JPY: BSP rate: $(grep -o 'at ¥[^ ]* ([^)]*) per message' "$g")"
grep -qF '| 10,000 | ¥90,150 | ¥60,100 | ¥30,050/month | 33.3% |' "$g" \
	&& ok "JPY: the cost table in whole yen (10,000 × USD 0.06 × 150.25)" || bad "JPY: cost row: $(grep '^| 10,000' "$g")"
grep -qF '| Bank charges | ¥12 |' "$g" && ok "JPY: no minor unit (12.5 rounds to ¥12)" || bad "JPY: $(grep 'Bank charges' "$g")"
grep -qF '| Bank charges | €12.50 |' "$t/o-EUR/bsp-application/business/growth-plan.md" \
	&& ok "EUR: cents where the amount has them" || bad "EUR: $(grep 'Bank charges' "$t/o-EUR/bsp-application/business/growth-plan.md")"
grep -qF "| Bank charges | KWD${nb}12.500 |" "$t/o-KWD/bsp-application/business/growth-plan.md" \
	&& ok "KWD: three decimals, the ISO code for a symbol" || bad "KWD: $(grep 'Bank charges' "$t/o-KWD/bsp-application/business/growth-plan.md")"
grep -qF "KWD${nb}0.01843 (USD${nb}0.0600 at KWD${nb}0.3072 per USD" "$t/o-KWD/bsp-application/business/growth-plan.md" \
	&& ok "KWD: a rate with 3 + 2 decimals" || bad "KWD rate: $(grep -o 'at KWD[^(]*(USD 0.0600[^)]*)' "$t/o-KWD/bsp-application/business/growth-plan.md" | head -1)"
grep -qF 'MRR ¥24,310' "$t/o-JPY/bsp-application/company/company-overview.md" \
	&& ok "JPY: MRR in yen in the overview" || bad "JPY: overview MRR: $(grep -o 'MRR [^ ]*' "$t/o-JPY/bsp-application/company/company-overview.md" | head -2)"

# The same bytes under a decimal-comma locale.
LC_ALL=es_AR.UTF-8 "$D" build --quiet --content "$t/c-JPY" --out "$t/o-JPY-es" 2> "$t/err" || bad "es_AR build: $(cat "$t/err")"
if diff -r -x .dossier-cache "$t/o-JPY/bsp-application" "$t/o-JPY-es/bsp-application" > /dev/null; then
	ok "JPY: the same package under es_AR.UTF-8"
else
	bad "JPY: es_AR.UTF-8 differs: $(diff -rq -x .dossier-cache "$t/o-JPY/bsp-application" "$t/o-JPY-es/bsp-application" | head -3)"
fi

# Prices in another currency without an exchange rate: one located error.
cp -r "$t/c-JPY" "$t/norate"
sed -i '/^  exchange_rates:/,/^    - {from: USD/d' "$t/norate/pricing.yaml"
"$D" check --content "$t/norate" > /dev/null 2> "$t/err"; rc=$?
want="$t/norate/pricing.yaml:7:14: error: the prices are quoted in USD and company.currency is JPY: add an exchange rate from USD under pricing.exchange_rates (from, rate, date, source)"
[ $rc = 2 ] && grep -qxF "$want" "$t/err" && ok "no exchange rate: located error" || bad "no exchange rate: $rc $(cat "$t/err")"

# Content of an older dossier: every amount key ended in _usd.
cp -r "$root/content" "$t/old"
sed -i '/^  currency: USD/d' "$t/old/company.yaml"
for f in "$t"/old/metrics/*.yaml; do sed -i -e 's/^message_cost:/message_cost_usd:/' -e 's/^mrr:/mrr_usd:/' "$f"; done
sed -i -e 's/^  bsp_per_message:/  bsp_per_message_usd:/' -e 's/^      rate:/      rate_usd:/' -e 's/^      amount:/      usd:/' \
	-e 's/^  bsp_overhead_monthly:/  bsp_overhead_monthly_usd:/' -e 's/^  metrics_cost_per_message:/  metrics_cost_per_message_usd:/' "$t/old/pricing.yaml"
sed -i 's/^  monthly_cost:/  monthly_cost_usd:/' "$t/old/triggers.yaml"
sed -i -e 's/^      revenue:/      revenue_usd:/' -e 's/^        \(infrastructure\|messaging\|payroll\|other\):/        \1_usd:/' "$t/old/financials.yaml"
"$D" check --content "$t/old" > /dev/null 2> "$t/err"; rc=$?
n=$(grep -c "was renamed" "$t/err")
keys=$(grep -rhoE '^ *[a-z_]+_usd:|^ *usd:' "$t/old" | wc -l)
[ $rc = 2 ] && [ "$n" = "$keys" ] && ok "old keys: one located error per key ($n)" || bad "old keys: exit $rc, $n messages for $keys keys"
grep -qxF "$t/old/metrics/2026-10.yaml:13:1: error: 'mrr_usd' was renamed 'mrr'; \`dossier migrate\` renames it, and every other renamed key, in place" "$t/err" \
	&& ok "old keys: the message names the new key, at the old one" || bad "old keys: $(grep mrr_usd "$t/err" | tail -1)"
grep -q "pricing.direct_tiers\[2\].rate_usd' was renamed 'rate'" "$t/err" && ok "old keys: inside lists too" || bad "old keys in lists: $(grep rate_usd "$t/err" | head -1)"
grep -q "required key 'mrr'" "$t/err" && bad "old keys: the new key reported missing as well" || ok "old keys: the new key is not reported missing as well"

cp -r "$t/old" "$t/dry"
"$D" migrate --dry-run --content "$t/dry" > "$t/dry.out" 2>&1 || bad "migrate --dry-run: $(tail -2 "$t/dry.out")"
diff -r "$t/old" "$t/dry" > /dev/null && ok "migrate --dry-run writes nothing" || bad "migrate --dry-run wrote"
"$D" migrate --content "$t/old" > "$t/mig.out" 2>&1 || bad "migrate: $(tail -2 "$t/mig.out")"
grep -qxF "dossier migrate: made $((keys + 1)) changes in 18 files" "$t/mig.out" && ok "migrate: every key renamed, currency added" || bad "migrate: $(tail -1 "$t/mig.out")"
grep -qxF "$t/old/metrics/2026-10.yaml:13:1: mrr_usd -> mrr" "$t/mig.out" && ok "migrate: each change printed, located" || bad "migrate output: $(grep 2026-10 "$t/mig.out")"
"$D" build --quiet --content "$t/old" --out "$t/o-old" 2> "$t/err" || bad "migrated build: $(head -3 "$t/err")"
"$D" build --quiet --content "$root/content" --out "$t/o-new" 2> "$t/err" || bad "example build: $(head -3 "$t/err")"
if diff -r -x .dossier-cache "$t/o-old/bsp-application" "$t/o-new/bsp-application" > /dev/null; then
	ok "migrated content builds the example's package, byte for byte"
else
	bad "migrated package differs: $(diff -rq -x .dossier-cache "$t/o-old/bsp-application" "$t/o-new/bsp-application" | head -3)"
fi
"$D" migrate --content "$t/old" > "$t/mig2.out" 2>&1
grep -qx "dossier migrate: nothing to change: the content is up to date" "$t/mig2.out" && ok "migrate twice: nothing to change" || bad "migrate twice: $(cat "$t/mig2.out")"

[ $fails = 0 ]

#!/bin/bash
# The public pages, OUT/site/public/: only what package.yaml's public: names
# (the privacy policy, terms of service, messaging guidelines and the
# security page) and .well-known/security.txt; no case study's title, no
# metric month, no draft wording in any of them; self-contained (no
# stylesheet, script, font or picture from another file); security.txt as
# RFC 9116 asks, from the content's facts and dated from the content; a
# template that shows a metric on a public page is an error at its line.
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$t"' EXIT
fails=0
ok() { echo "ok public: $1"; }
bad() { echo "FAIL public: $1"; fails=$((fails + 1)); }
cp -r content "$t/c"
cp -r templates "$t/tpl"
B=("$D" build --quiet --content "$t/c" --templates "$t/tpl")

"${B[@]}" --out "$t/out" 2> "$t/err" || bad "build: $(cat "$t/err")"
P="$t/out/site/public"
got=$(cd "$P" && find . -type f | sort | tr '\n' ' ')
want="./.well-known/security.txt ./messaging-guidelines.html ./privacy-policy.html ./security.html ./terms-of-service.html "
[ "$got" = "$want" ] && ok "public/ holds the 4 public pages and .well-known/security.txt, nothing else" ||
	bad "public/ holds: $got"

# Nothing private: the case studies' titles, the metric months, the draft mark.
leaks=
while IFS= read -r title; do
	grep -rlF -- "$title" "$P" > /dev/null && leaks+=" case study '$title';"
done < <(sed -n 's/^title: "\(.*\)"$/\1/p' "$t"/c/case-studies/*.md)
n=0
for f in "$t"/c/metrics/*.yaml; do
	m=$(basename "$f" .yaml)
	long=$(LC_ALL=C date -d "$m-01" '+%B %Y')
	n=$((n + 1))
	# A month as a label ("2026-10", "October 2026"); a date of a fact
	# (an audit on 2026-06-18) is not a metric month.
	grep -rlP -- "$m(?!-\d)|$long" "$P" > /dev/null && leaks+=" metric month $m ($(grep -rhoP -- ".{30}($m(?!-\d)|$long).{10}" "$P" | head -1));"
done
grep -rlE 'not for submission|DRAFT|not final|check --final' "$P" > /dev/null && leaks+=" draft wording;"
cs=$(ls "$t"/c/case-studies/*.md | wc -l)
[ -z "$leaks" ] && [ "$cs" -ge 1 ] && [ "$n" -ge 12 ] &&
	ok "no case study title ($cs), metric month ($n) or draft wording in public/" || bad "in public/:$leaks"
# ... while the same build's site has them (the grep finds what is there).
grep -rqF "$(sed -n 's/^title: "\(.*\)"$/\1/p' "$(ls "$t"/c/case-studies/*.md | head -1)")" "$t/out/site/business" &&
	grep -rq 'not for submission' "$t/out/site/index.html" && grep -rq "$(LC_ALL=C date -d "$(basename "$(ls "$t"/c/metrics/*.yaml | tail -1)" .yaml)-01" '+%B %Y')" "$t/out/site/business" &&
	ok "the rest of the site has them: the check finds what is there" || bad "the site lacks what the check looks for"

# Self-contained: the stylesheet inline; no script, no file from elsewhere.
ext=$(grep -lE '<link |<script|src="[^d]|@import|url\((["'\'']?)(https?:|//|\.\.)' "$P"/*.html)
[ -z "$ext" ] && [ "$(grep -c '<style>' "$P/privacy-policy.html")" = 1 ] &&
	ok "every page self-contained: its stylesheet inline, no script, no external file" || bad "not self-contained: $ext"
grep -q '<a href="terms-of-service.html"' "$P/privacy-policy.html" && ! grep -q 'href="\.\./' "$P"/*.html &&
	ok "the pages link to each other and to nothing outside public/" || bad "links: $(grep -o 'href="[^"]*"' "$P/privacy-policy.html" | sort -u | head)"
grep -q '<h1 id="security-at-campotech">Security at CampoTech</h1>' "$P/security.html" &&
	grep -q 'SOC 2 Type I' "$P/security.html" && grep -q 'Ciberguardia Austral' "$P/security.html" &&
	grep -q 'AES-256' "$P/security.html" && grep -q 'Upstash Inc.' "$P/security.html" &&
	grep -q 'São Paulo' "$P/security.html" && grep -q 'Monday to Saturday' "$P/security.html" &&
	grep -q 'seguridad@campotech.com.ar' "$P/security.html" &&
	ok "the security page: certifications, audits, encryption, sub-processors, residency, support hours, disclosure contact" ||
	bad "security page lacks a fact"
grep -q 'support.campotech\|Meta Business Solution Provider application' "$P"/*.html &&
	bad "the application's header line is on a public page" || ok "no application header on the public pages"

# security.txt (RFC 9116): Contact, Expires from the data's date, Preferred-Languages.
date=$(sed -n 's/^month: "\(.*\)"$/\1/p' "$(ls "$t"/c/metrics/*.yaml | tail -1)")
exp=$(date -u -d "$(date -u -d "$date-01 +1 month -1 day" +%F) +365 days" +%F)
printf 'Contact: mailto:seguridad@campotech.com.ar\nExpires: %sT23:59:59Z\nPreferred-Languages: es, en\n' "$exp" > "$t/want"
cmp -s "$t/want" "$P/.well-known/security.txt" && ok "security.txt: Contact, Expires ($exp: the data's date + 365 days), Preferred-Languages" ||
	bad "security.txt: $(diff "$t/want" "$P/.well-known/security.txt")"
sed -i 's/^    languages: \[es, en\]$/    languages: [es, en]\n    policy: "https:\/\/campotech.com.ar\/security-policy"\n    canonical: "https:\/\/campotech.com.ar\/.well-known\/security.txt"/' "$t/c/company.yaml"
"${B[@]}" --out "$t/out" 2> "$t/err" && grep -qx 'Canonical: https://campotech.com.ar/.well-known/security.txt' "$P/.well-known/security.txt" &&
	grep -qx 'Policy: https://campotech.com.ar/security-policy' "$P/.well-known/security.txt" &&
	grep -q 'The disclosure policy is at <a href="https://campotech.com.ar/security-policy">https://campotech.com.ar/security-policy</a>.' "$P/security.html" &&
	ok "Canonical and Policy when the content gives them" || bad "canonical/policy: $(cat "$t/err" "$P/.well-known/security.txt")"
sleep 1.1; touch "$t/c/company.yaml"
"${B[@]}" --force --out "$t/out2" && cmp -s "$P/.well-known/security.txt" "$t/out2/site/public/.well-known/security.txt" &&
	ok "the same security.txt from a later build: no clock in it" || bad "security.txt changed between builds"
python3 - "$t/c/company.yaml" <<'EOF'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r"  disclosure:\n(    .*\n)+", "", s)
open(p, "w").write(s)
EOF
"${B[@]}" --out "$t/out" 2> "$t/err" && [ ! -e "$P/.well-known/security.txt" ] && ! grep -q 'Reporting a vulnerability' "$P/security.html" &&
	ok "no disclosure contact: no security.txt, no reporting section" || bad "without disclosure: $(cat "$t/err"; ls -a "$P")"

# A metric on a public page is an error at the template, the build changes nothing.
cp -a "$t/out" "$t/before"
sed -i 's/^Questions about privacy go to/Uptime {{uptime.last_30d}}. Questions about privacy go to/' "$t/tpl/security.mustache"
"${B[@]}" --out "$t/out" 2> "$t/err"; rc=$?
l=$(grep -n '^Uptime {{uptime' "$t/tpl/security.mustache" | cut -d: -f1)
[ $rc = 2 ] && grep -q "^$t/tpl/security.mustache:$l:8: error: no value for 'uptime.last_30d'" "$t/err" &&
	grep -q "package.yaml:[0-9]*:[0-9]*: note: a public page sees only the data public.facts names" "$t/err" &&
	diff -r "$t/before/site" "$t/out/site" > /dev/null &&
	ok "a metric on a public page: a located error (exit 2), the site untouched" || bad "metric in public: rc=$rc $(cat "$t/err")"

echo "public: $fails failed"
[ "$fails" = 0 ]

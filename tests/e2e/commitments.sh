#!/bin/bash
# No promise without a fact (issue 21).  The CampoTech example with every
# commitment of templates/commitments.yaml removed from its company.yaml:
#   1. it still builds, as a draft;
#   2. no document (Markdown or PDF text) states any removed commitment: not
#      the removed text itself, nor the sentence a template built from a
#      removed true/false or number;
#   3. readiness.md lists each one as missing, with where it belongs;
#   4. `build --final` refuses (exit 1, nothing written) and names every one
#      as FILE:LINE:COL, the line being the map the fact belongs in.
# Then: all audits removed, no document says audits happen; one audit, the
# documents say one (no "Regular security audits:" over a list of one).
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
src=$PWD
t=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$t"' EXIT
fails=0
ok() { echo "ok commitments: $1"; }
bad() { echo "FAIL commitments: $1"; fails=$((fails + 1)); }

cp -R tests/fixtures/campotech "$t/content"
cp -R templates "$t/templates"
cd "$t" || exit 1

# The facts, and their removed values (strings, for the text check).
python3 - <<'PY' > facts.txt
import yaml
for c in yaml.safe_load(open("templates/commitments.yaml"))["commitments"]:
    print(c["fact"])
PY
n=$(wc -l < facts.txt)
[ "$n" -ge 30 ] && ok "$n commitment facts listed" || bad "only $n commitment facts in templates/commitments.yaml"

python3 - <<'PY'
import yaml, json
facts = [l.strip() for l in open("facts.txt")]
doc = yaml.safe_load(open("content/company.yaml"))
removed = {}
def walk(v, prefix=""):
    if isinstance(v, dict):
        for k, x in v.items():
            yield from walk(x, prefix + k + ".")
    elif isinstance(v, list):
        for x in v:
            yield from walk(x, prefix)
    elif isinstance(v, str):
        yield v
for f in facts:
    *parents, key = f.split(".")
    m = doc
    for p in parents:
        m = m.get(p, {}) if isinstance(m, dict) else {}
    if isinstance(m, dict) and key in m:
        removed[f] = m.pop(key)
json.dump({f: list(walk(v)) if not isinstance(v, (bool, int, float)) else [] for f, v in removed.items()},
          open("removed.json", "w"), default=str)
yaml.safe_dump(doc, open("content/company.yaml", "w"), allow_unicode=True, sort_keys=False, width=1000)
print(len(removed), file=open("nremoved", "w"))
PY
[ "$(cat nremoved)" = "$n" ] && ok "the example gives every one of them" || bad "the example gives $(cat nremoved) of $n commitments"

# 1. It builds, a draft.
if "$D" build --quiet 2> err; then ok "the example without commitments builds (a draft)"; else bad "build: $(cat err)"; fi
P=out/bsp-application
mkdir -p text
find "$P" -name '*.pdf' | while read -r pdf; do pdftotext -enc UTF-8 "$pdf" "text/$(basename "$pdf").txt"; done
cat $(find "$P" -name '*.md') | grep -v -- '- \[.\] Commitment: ' > all.md
cat text/*.txt | grep -v 'Commitment: ' | tr -s ' \n' ' ' > all.txt

# 2a. No removed text appears (each removed string, whitespace folded).
left=$(python3 - <<'PY'
import json, re
removed = json.load(open("removed.json"))
md = re.sub(r"\s+", " ", open("all.md", encoding="utf-8").read())
for fact, texts in removed.items():
    for s in texts:
        s = re.sub(r"\s+", " ", s.strip())
        if len(s) >= 12 and s in md:	# "30 days" is in other sentences too: 2b looks for those
            print(f"{fact}: {s[:60]}")
PY
)
[ -z "$left" ] && ok "no document holds the text of a removed commitment" || bad "still in the documents: $left"

# 2b. No sentence a template builds from a removed fact (the example's
# wording of each, as the documents said it with the facts given).  The
# draft's own list of what is missing ("Commitment: ...", in readiness.md
# and the growth plan's checklist) is left out of the search.
phrases=(
	"do not sell personal data" "use conversation content for advertising" "to train AI models"
	"that is part of our" "each bound by" "before adding a"
	"Last updated" "Fees are invoiced monthly" "overdue allow" "may export them"
	"liable for damage" "limited to the fees" "renew monthly" "days' notice"
	"WhatsApp numbers are released" "records opt-ins for it" "in proportion to their seriousness"
	"not involved in the decision" "monthly availability of" "publishes its uptime" "uptime in every 30-day period"
	"has a written post-mortem" "The client API answers" "| 409 |" "Idempotency key reused"
	"can arrange a reference call" "can arrange reference calls" "A minute counts as downtime" "a person at any time"
	"irreversibly anonymised" "pass it to that business" "material change" "Commitment of"
)
found=
for p in "${phrases[@]}"; do
	grep -qF -- "$p" all.md && found="$found [md] '$p'"
	grep -qF -- "$p" all.txt && found="$found [pdf] '$p'"
done
[ -z "$found" ] && ok "no document states a removed commitment (${#phrases[@]} sentences looked for, Markdown and PDF text)" \
	|| bad "stated without its fact:$found"

# 3. readiness.md lists each one, with where it belongs.
missing=
while read -r f; do grep -q "add $f at content/company.yaml:[0-9]*:[0-9]*$" out/readiness.md || missing="$missing $f"; done < facts.txt
[ -z "$missing" ] && ok "readiness.md lists all $n as missing, each with FILE:LINE:COL" || bad "not in readiness.md:$missing"
"$D" check > check.out 2>&1; rc=$?
[ $rc = 1 ] && grep -q "^\*\*NOT READY: $((n + 2)) of $((n + 11)) items unmet\*\*" check.out \
	&& ok "check: exit 1, the $n commitments unmet besides the 2 trigger items" || bad "check: $rc $(grep NOT check.out)"

# 4. --final refuses, naming each at the map it belongs in.
before=$(find out -type f -printf '%p %s %T@ %i\n' | sort | sha256sum)
"$D" build --final > /dev/null 2> final.err; rc=$?
[ $rc = 1 ] && ok "build --final: exit 1" || bad "build --final: exit $rc"
[ "$(find out -type f -printf '%p %s %T@ %i\n' | sort | sha256sum)" = "$before" ] && ok "the refused build wrote nothing" \
	|| bad "the refused build changed out/"
wrong=$(python3 - <<'PY'
import re, yaml
doc = yaml.safe_load(open("content/company.yaml"))
lines = open("content/company.yaml", encoding="utf-8").read().split("\n")
err = open("final.err", encoding="utf-8").read()
for f in (l.strip() for l in open("facts.txt")):
    m = re.search(r"^content/company\.yaml:(\d+):(\d+): missing commitment %s: " % re.escape(f), err, re.M)
    if not m:
        print(f"{f} (not named)")
        continue
    # the deepest map on the fact's path that the content still has
    node, deepest = doc, None
    for part in f.split(".")[:-1]:
        if not isinstance(node, dict) or part not in node:
            break
        node, deepest = node[part], part
    text = lines[int(m.group(1)) - 1]
    if not re.match(r"^\s*%s:" % re.escape(deepest), text) or len(text) - len(text.lstrip()) + 1 != int(m.group(2)):
        print(f"{f} (line {m.group(1)}:{m.group(2)} is '{text.strip()}', not '{deepest}:')")
PY
)
[ -z "$wrong" ] && ok "build --final names all $n with FILE:LINE:COL at the map each belongs in" || bad "--final:$wrong"

# All audits removed: no document says audits happen, every one says none yet.
cd "$src" || exit 1
cp -R tests/fixtures/campotech "$t/noaudit"
python3 - "$t/noaudit/company.yaml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r"(?m)^  audits:\n(    .*\n)+", "", s, count=1)
open(p, "w", encoding="utf-8").write(s)
PY
grep -q "^  audits:" "$t/noaudit/company.yaml" && bad "the audits are still in the copy"
if "$D" build --quiet --content "$t/noaudit" --out "$t/out-noaudit" 2> "$t/err"; then
	ok "the example without audits builds"
	claims=$(cat $(find "$t/out-noaudit/bsp-application" -name '*.md') | tr -s ' \n' ' ' \
		| grep -oiE "(yearly|regular|annual|every year|repeated)[a-z ,-]{0,30}audits?|audits? (are|is) (repeated|held|done|carried out)[^.]*" | sort -u)
	[ -z "$claims" ] && ok "no document claims audits happen (yearly, regular, annual, repeated)" \
		|| bad "documents still claim audits: $claims"
	for doc in technical/security-audit-report.md compliance/messaging-guidelines.md; do
		grep -q "no independent security audit yet\|has not yet had an independent security audit" \
			"$t/out-noaudit/bsp-application/$doc" && ok "$doc says there is no audit yet" || bad "$doc does not say there is none"
	done
else
	bad "the example without audits does not build: $(cat "$t/err")"
fi

# One audit: the heading over it is singular, the guidelines say "one", no cadence.
cp -R tests/fixtures/campotech "$t/oneaudit"
python3 - "$t/oneaudit/company.yaml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r"(?m)^(  audits:\n)    - date: 2025-04-22\n(      .*\n)+", r"\1", s, count=1)
open(p, "w", encoding="utf-8").write(s)
PY
grep -q "2025-04-22" "$t/oneaudit/company.yaml" && bad "the first audit is still in the copy"
if "$D" build --quiet --content "$t/oneaudit" --out "$t/out-oneaudit" 2> "$t/err"; then
	a=$t/out-oneaudit/bsp-application/technical/architecture-overview.md
	items=$(sed -n '/^- \*\*Independent security audit:\*\*$/,/^- \*\*\|^$/p' "$a" | grep -c '^  - ')
	[ "$items" = 1 ] && ! grep -qi 'regular security audit\|security audits:' "$a" \
		&& ok "one audit: 'Independent security audit:' heads a list of one, no 'Regular … audits:'" \
		|| bad "one audit in the architecture overview: $items items; $(grep -i 'security audit' "$a" | head -2)"
	grep -qF -- "- **Security:** TLS 1.3 in transit, encryption at rest, one independent security audit, on 2026-06-18; see the [Security Audit Report](../technical/security-audit-report.md)." \
		"$t/out-oneaudit/bsp-application/compliance/messaging-guidelines.md" && ok "one audit: the guidelines say one, with its date" \
		|| bad "one audit in the guidelines: $(grep 'Security:' "$t/out-oneaudit/bsp-application/compliance/messaging-guidelines.md")"
else
	bad "the example with one audit does not build: $(cat "$t/err")"
fi

[ $fails = 0 ]

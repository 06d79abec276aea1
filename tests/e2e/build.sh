#!/bin/sh
# build and check end to end on the shipped example and on edited copies:
# every document present and free of placeholders, check's verdict and exit
# status, located errors with exit 2, a failed build leaving out/ untouched,
# byte-identical rebuilds.
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok build: $1"; }
bad() { echo "FAIL build: $1"; fails=$((fails + 1)); }

# Snapshot of a tree: names and contents.
tree_sum() { (cd "$1" && find . -type f | sort | xargs sha256sum) | sha256sum; }

# 1. The example builds, with every document of package.yaml and no placeholder.
if "$D" build --out "$t/out" > "$t/log" 2>&1; then ok "example builds"; else bad "example build failed: $(cat "$t/log")"; fi
grep -q "^dossier: wrote [0-9]* documents ([0-9]* PDF pages; [0-9]* PDFs typeset, 0 unchanged) to $t/out/bsp-application in " "$t/log" && ok "summary line" || bad "summary line: $(cat "$t/log")"
for f in company/company-overview.md technical/architecture-overview.md technical/api-documentation.md \
	 technical/uptime-report.md business/growth-plan.md business/case-studies/case-study-1.md \
	 business/case-studies/case-study-3.md compliance/privacy-policy.md compliance/terms-of-service.md \
	 compliance/messaging-guidelines.md company/legal-entity-docs.md company/financial-statements.md \
	 technical/security-audit-report.md; do
	[ -s "$t/out/bsp-application/$f" ] || missing="${missing:-} $f"
done
[ -z "${missing:-}" ] && ok "every document present" || bad "missing:$missing"
if grep -rlE '\{\{|\}\}|\[X\]|\[year\]|\[number\]|_____|99\.X' "$t/out/bsp-application" --include='*.md'; then
	bad "placeholders left"
else
	ok "no placeholders"
fi
[ -s "$t/out/readiness.md" ] && ok "readiness.md beside the package" || bad "no readiness.md"
[ ! -e "$t/out/bsp-application/readiness.md" ] || bad "readiness.md inside the package"

# 2. Determinism: a second build gives the same bytes, whether its PDFs are
# typeset one at a time or by 8 threads at once (write/pdf.c's pool; before
# typeset/parse.c serialised cmark-gfm's parses, threads lost links from PDFs).
DOSSIER_THREADS=1 "$D" build --quiet --out "$t/out2" 2> "$t/err" || bad "second build: $(cat "$t/err")"
if diff -r -x stamps "$t/out" "$t/out2" > /dev/null; then ok "byte-identical rebuild"; else bad "rebuild differs: $(diff -rq -x stamps "$t/out" "$t/out2")"; fi
DOSSIER_THREADS=8 "$D" build --quiet --out "$t/out3" 2> "$t/err" || bad "third build: $(cat "$t/err")"
if diff -r -x stamps "$t/out2" "$t/out3" > /dev/null; then ok "8 threads give the bytes of 1"; else bad "8 threads differ from 1: $(diff -rq -x stamps "$t/out2" "$t/out3")"; fi
rm -rf "$t/out3"

# 3. check on the example: met and unmet rows, exit 1.
"$D" check > "$t/check" 2>&1; rc=$?
[ $rc = 1 ] && ok "check exits 1 when not ready" || bad "check exit $rc"
grep -q '| Active WhatsApp AI clients | 87 | 100+ | ❌ Not met |' "$t/check" && ok "unmet row" || bad "unmet row: $(head -20 "$t/check")"
grep -q '| Platform uptime (30 days) | 99.94% | 99.9%+ | ✅ Met |' "$t/check" && ok "met row" || bad "met row"
grep -q '^\*\*NOT READY: [0-9]* of [0-9]* items unmet\*\*$' "$t/check" && ok "verdict" || bad "verdict"

# 4. Content edited to meet every target: check exits 0.
cp -r content "$t/ready"
sed -i -e 's/^whatsapp_ai_clients: .*/whatsapp_ai_clients: 118/' -e 's/^messages: .*/messages: 61200/' \
	-e 's/^message_cost: .*/message_cost: 2450/' "$t/ready/metrics/2026-10.yaml"
"$D" check --content "$t/ready" > "$t/check2" 2>&1; rc=$?
[ $rc = 0 ] && ok "check exits 0 when ready" || bad "ready check exit $rc: $(tail -5 "$t/check2")"
grep -q '^\*\*READY: all [0-9]* items met\*\*$' "$t/check2" && ok "ready verdict" || bad "ready verdict"

# 5. Bad input: one located line, exit 2, previous package untouched.
before=$(tree_sum "$t/out")
expect_error() { # name, content dir, expected message (with $t/c/ stripped)
	"$D" build --content "$2" --out "$t/out" > "$t/stdout" 2> "$t/err"; rc=$?
	msg=$(sed "s|$t/c/||" "$t/err")
	if [ $rc = 2 ] && [ "$msg" = "$3" ]; then ok "$1"; else bad "$1: exit $rc, got: $msg"; fi
	[ "$(tree_sum "$t/out")" = "$before" ] || bad "$1: out/ changed"
	ls -a "$t/out/.dossier-cache" | grep -q '^stage-\|^trash-\|^journal$' && bad "$1: staging folder left behind"
}
fresh() { rm -rf "$t/c"; cp -r content "$t/c"; }

fresh; sed -i 's/^uptime_percent: .*/uptime_percent: 99.9x/' "$t/c/metrics/2026-10.yaml"
line=$(grep -n '^uptime_percent' "$t/c/metrics/2026-10.yaml" | cut -d: -f1)
expect_error "wrong type" "$t/c" "metrics/2026-10.yaml:$line:17: error: uptime_percent must be a percentage from 0 to 100, got \"99.9x\""

fresh; sed -i 's/^month: .*/month: "2026-09"/' "$t/c/metrics/2026-10.yaml"
line=$(grep -n '^month' "$t/c/metrics/2026-10.yaml" | cut -d: -f1)
expect_error "month against file name" "$t/c" "metrics/2026-10.yaml:$line:8: error: month '2026-09' does not match the file name 2026-10.yaml"

fresh; sed -i 's/^  mission:/  mision:/' "$t/c/company.yaml"
line=$(grep -n '^  mision' "$t/c/company.yaml" | cut -d: -f1)
grep -q '^company:' "$t/c/company.yaml"
cline=$(grep -n '^company:' "$t/c/company.yaml" | cut -d: -f1)
expect_error "unknown key with suggestion (and not also 'missing')" "$t/c" "company.yaml:$line:3: error: unknown key 'mision' in company (did you mean 'mission'?)"

fresh; printf 'month: "2026-11"\nmessages: [1,\n' > "$t/c/metrics/2026-11.yaml"
expect_error "YAML syntax error" "$t/c" "metrics/2026-11.yaml:3:1: error: YAML syntax: did not find expected node content while parsing a flow node"

fresh; rm "$t/c/metrics/2026-05.yaml"
expect_error "a month missing" "$t/c" "metrics/2026-06.yaml:4:8: error: no snapshot for 2026-05: monthly snapshots must be consecutive (the one before is 2026-04.yaml)"

# A template naming a value the content lacks: strict build fails at the tag.
cp -r templates "$t/tpl"
printf '{{<layout}}{{$body}}\nFounded by {{company.founder_name}}.\n{{/body}}{{/layout}}\n' > "$t/tpl/company-overview.mustache"
"$D" build --templates "$t/tpl" --out "$t/out" > /dev/null 2> "$t/err"; rc=$?
msg=$(sed "s|$t/tpl/||" "$t/err")
[ $rc = 2 ] && [ "$msg" = "company-overview.mustache:2:12: error: no value for 'company.founder_name'" ] \
	&& ok "strict: missing value" || bad "strict: exit $rc, got: $msg"
[ "$(tree_sum "$t/out")" = "$before" ] && ok "failed builds leave out/ untouched" || bad "out/ changed"

# 6. Usage.
"$D" --version | grep -q '^dossier [0-9]' && ok "--version" || bad "--version"
"$D" build --help | grep -q -- '--content' && ok "build --help" || bad "build --help"
"$D" frobnicate 2> "$t/err"; [ $? = 2 ] && grep -q "unknown command 'frobnicate'" "$t/err" && ok "unknown command" || bad "unknown command"
"$D" build --bogus 2> "$t/err"; [ $? = 2 ] && ok "unknown option exits 2" || bad "unknown option: $(cat "$t/err")"

[ $fails = 0 ]

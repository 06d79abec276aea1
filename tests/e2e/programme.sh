#!/bin/sh
# Meta's partner programme as data (issue 24), end to end, on the CampoTech example:
#   1. `check` shows the guide's route as before and the three Meta paths, each gate with
#      its value and target; `--path ID` exits by the path's gates (0, 1; 2 for no such
#      path); `check --json` validates against docs/check.schema.json.
#   2. A made-up path with a 3-day average gate, added by editing only the project's
#      templates/programme.yaml, is evaluated; a bad condition there is a located error.
#   3. A daily export (YYYY-MM.daily.csv) gives the 7-day average from the data; without
#      one the figure says it is estimated from the monthly total.
#   4. The AI-provider rule: the example's package never calls its assistant
#      general-purpose; a case study that does is warned of at its line and column.
#   5. OUT/app-review/: a written explanation and a shot list per permission, reviewer
#      instructions, data handling answers; not in the package or the zip; verification
#      documents checked (a 6 MB file, a .docx, a PDF without the legal name, four files).
#   6. Obligations: the content's dates in OUT/obligations.ics (python3-icalendar), a
#      warning 30 days before each, the same bytes from a rebuild and from --force.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
src=$PWD
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok programme: $1"; }
bad() { echo "FAIL programme: $1"; fails=$((fails + 1)); }

cp -R content templates "$t/"
cd "$t"
cp -R content pristine

# ---- 1. every path, its gates, values and targets --------------------------------------
"$D" check > check.out 2> check.err; rc=$?
[ $rc = 1 ] && grep -qx '\*\*NOT READY: 2 of 11 items unmet\*\*' check.out \
	&& grep -qx '| Active WhatsApp AI clients | 87 | 100+ | ❌ Not met |' check.out \
	&& ok "the guide's route reads as before: trigger table, checklist, verdict, exit 1" \
	|| bad "guide: rc=$rc $(head -20 check.out)"
[ ! -s check.err ] && ok "the example says nothing on stderr" || bad "stderr: $(cat check.err)"
cat > want <<'W'
| The application guide's route (`guide`, default) | 2 of 4 | ❌ Not met |
| Tech Provider (`tech-provider`) | 2 of 3 | ❌ Not met |
| Tech Partner (`tech-partner`) | 2 of 4 | ❌ Not met |
| Solution Partner (`solution-partner`) | 0 of 2 | ❌ Not met |
W
grep -E '^\| .*\(`[a-z-]+`(, default)?\) \| [0-9]+ of [0-9]+ \|' check.out > got
cmp -s want got && ok "the paths table: the guide's route and the three Meta paths" || bad "paths table: $(diff want got)"
for row in \
	'| Monthly message volume | 46,820 | 50,000+ | ❌ Not met |' \
	'| Platform uptime (30 days) | 99.94% | 99.9%+ | ✅ Met |' \
	'| 10+ active clients (each sent a message through the app in the last 30 days) | 87 | 10+ | ✅ Met |' \
	'| A high phone number quality rating | high | high | ✅ Met |' \
	'| App settings: a public privacy policy URL and an app category | meta.app.privacy_policy_url: https://campotech.com.ar/privacidad; meta.app.category: Business and pages | meta.app.privacy_policy_url: given; meta.app.category: given | ✅ Met |' \
	'| Meta Business Partner application submitted | meta.business_partner_application: not given | meta.business_partner_application: given | ❌ Not met |'
do
	grep -qxF "$row" check.out || bad "no row: $row"
done
ok "gates show their current value and target"
grep -q '^- Meta for Developers, WhatsApp Business Platform: Upgrading to a Tech Partner (the page itself was not available: .*one retrieved on 2026-07-01; .*), https://developers.facebook.com/docs/whatsapp/solution-providers/upgrade-to-tech-partner/ (read 2026-12-04)' check.out \
	&& ok "each path names its sources with URL and the date read" || bad "sources: $(grep -A3 '^Sources' check.out | head -8)"

"$D" check --path tech-partner > tp.out 2>&1; rc=$?
[ $rc = 1 ] && head -1 tp.out | grep -qx '### Tech Partner (`tech-partner`)' && grep -qx '\*\*NOT MET: 2 of 4 gates unmet\*\*' tp.out \
	&& ok "--path tech-partner: only that path, exit 1 (a gate unmet)" || bad "--path tech-partner: $rc $(cat tp.out)"
"$D" check --path tech-partnr > err.out 2>&1; rc=$?
[ $rc = 2 ] && [ "$(cat err.out)" = "dossier check: no path 'tech-partnr' in templates/programme.yaml (did you mean 'tech-partner'?)" ] \
	&& ok "--path with no such path: exit 2, did you mean" || bad "--path tech-partnr: $rc $(cat err.out)"

"$D" check --json > check.json; rc=$?
/usr/bin/python3 - "$src/docs/check.schema.json" check.json > json.out 2>&1 <<'PY' && ok "check --json validates against docs/check.schema.json, and the schema rejects a JSON without paths" || bad "json: $(cat json.out)"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
v.validate(doc)
assert [p["id"] for p in doc["paths"]] == ["guide", "tech-provider", "tech-partner", "solution-partner"], doc["paths"]
tp = doc["paths"][2]
gate = tp["gates"][1]
assert gate["terms"][0]["current_text"] == "1,510" and gate["terms"][0]["estimated"] is True, gate
assert gate["terms"][0]["target"] == 2500, gate
del doc["paths"]
assert not v.is_valid(doc)
PY

# ---- 2. a made-up path, by editing only the project's programme file ------------------
cat > path.yaml <<'Y'
  - id: made-up
    name: "A made-up path"
    summary: "A path this test adds, with a gate no path of the installation has."
    source: guide
    gates:
      - name: "1,600+ messages a day over the last 3 days"
        when: "avg(daily.messages, 3) >= 1600"

Y
# Added at the end of the file's list of paths, before `permissions:`.
/usr/bin/python3 -c 'p = "templates/programme.yaml"; s = open(p).read(); i = s.index("\npermissions:\n"); open(p, "w").write(s[:i] + "\n" + open("path.yaml").read() + s[i:])'
"$D" check --path made-up > mu.out 2>&1; rc=$?
grep -qxF '| 1,600+ messages a day over the last 3 days | 1,510 (estimated from the monthly total) | 1,600+ | ❌ Not met |' mu.out && [ $rc = 1 ] \
	&& ok "a made-up path with a 3-day average gate: evaluated, estimated without daily figures, exit 1" || bad "made-up: $rc $(cat mu.out)"
"$D" check --json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); p=[p for p in d["paths"] if p["id"]=="made-up"][0]; assert p["gates"][0]["terms"][0]["label"]=="messages a day (3-day average)", p' \
	&& ok "the made-up path is in check --json" || bad "made-up json"
cp templates/programme.yaml programme.good
sed -i 's/avg(daily.messages, 3) >= 1600/avg(daily.messages, 3) >= 1600 and nope(2)/' templates/programme.yaml
line=$(grep -n 'nope(2)' templates/programme.yaml | cut -d: -f1)
"$D" check > /dev/null 2> err.out; rc=$?
[ $rc = 2 ] && [ "$(cat err.out)" = "templates/programme.yaml:$line:51: error: unknown function nope(): the functions are avg, sum, min, max, count, present, if and met" ] \
	&& ok "a bad condition is a located error, exit 2" || bad "bad condition: $rc $(cat err.out)"
sed -i 's/      - name: "1,600+ messages/      - nmae: "1,600+ messages/' programme.good && cp programme.good templates/programme.yaml
"$D" check > /dev/null 2> err.out; rc=$?
grep -q "^templates/programme.yaml:$((line - 1)):9: error: unknown key 'nmae' in paths\[5\].gates\[1\] (did you mean 'name'?)" err.out && [ $rc = 2 ] \
	&& ok "a misspelt key in programme.yaml is a located error" || bad "misspelt key: $rc $(cat err.out)"
sed -i 's/      - nmae: "1,600+ messages/      - name: "1,600+ messages/' programme.good && cp programme.good templates/programme.yaml

# ---- 3. daily figures: measured from the export, else estimated -----------------------
/usr/bin/python3 - > content/metrics/2026-10.daily.csv <<'PY'
print("date,messages,calls")
for d in range(1, 32):
    print("2026-10-%02d,%d,%d" % (d, 1400 + 10 * d, d))
PY
"$D" check --path tech-partner > tp.out 2> err.out; rc=$?
grep -qF '| 2,500+ messages a day or 200+ calls a day (7-day average) | messages a day (7-day average): 1,680 (7-day average, 25–31 October 2026); calls a day (7-day average): 28 (7-day average, 25–31 October 2026) |' tp.out \
	&& ! grep -q 'estimated' tp.out && [ ! -s err.out ] \
	&& ok "with 2026-10.daily.csv: the 7-day average from the data (1,680 and 28), nothing estimated" || bad "daily: $(grep 2,500 tp.out) $(cat err.out)"
"$D" check --path made-up > mu.out 2>&1; rc=$?
grep -qxF '| 1,600+ messages a day over the last 3 days | 1,700 (3-day average, 29–31 October 2026) | 1,600+ | ✅ Met |' mu.out && [ $rc = 0 ] \
	&& ok "the made-up 3-day gate from the data: met, exit 0" || bad "made-up daily: $rc $(cat mu.out)"
printf 'date,messages,calls\n2026-10-01,100,0\n2026-11-01,100,0\n' > content/metrics/2026-10.daily.csv
"$D" check > /dev/null 2> err.out; rc=$?
[ $rc = 2 ] && [ "$(cat err.out)" = "content/metrics/2026-10.daily.csv:3:1: error: 2026-11-01 is not a day of October 2026: a month's daily figures hold its own days only" ] \
	&& ok "a day of another month in the daily export: located error" || bad "daily outside: $rc $(cat err.out)"
rm content/metrics/2026-10.daily.csv
"$D" check --path tech-partner > tp.out 2>&1
grep -qF 'messages a day (7-day average): 1,510 (estimated from the monthly total); calls a day (7-day average): no figure (no calls: the daily figures are estimated from the monthly total, which has none; a daily export has them)' tp.out \
	&& ! grep -q '(7-day average, ' tp.out \
	&& ok "without the export: estimated from the monthly total, never shown as a measured 7-day average" || bad "estimate: $(grep 2,500 tp.out)"

# The Tech Partner gates met: the steps dated, a busy month's export, exit 0.
cat >> content/meta.yaml <<'Y'
  business_verification: 2026-05-04
  app_review: 2026-05-20
  access_verification: 2026-06-02
Y
/usr/bin/python3 - > content/metrics/2026-10.daily.csv <<'PY'
print("date,messages,calls")
for d in range(1, 32):
    print("2026-10-%02d,%d,0" % (d, 1000 if d < 25 else 2600))
PY
sed -i 's/^messages: 46820/messages: 42200/; s/^message_cost: 1873/message_cost: 1688/' content/metrics/2026-10.yaml
"$D" check --path tech-partner > tp.out 2> err.out; rc=$?
[ $rc = 0 ] && grep -qx '\*\*MET: all 4 gates\*\*' tp.out && [ ! -s err.out ] \
	&& ok "--path tech-partner exits 0 once its four gates are met" || bad "tech-partner met: $rc $(cat tp.out err.out)"
rm -rf content && cp -R pristine content && cp programme.good templates/programme.yaml

# ---- 4. the AI-provider rule --------------------------------------------------------------
"$D" build --quiet 2> build.err || bad "build: $(cat build.err)"
pdftotext out/bsp-application/dossier.pdf dossier.txt
hits=$(cat dossier.txt $(find out/bsp-application out/app-review -name '*.md') | grep -ioE 'general[- ]purpose|answers? anything|any questions?|all-purpose' | sort -u)
[ -z "$hits" ] && [ ! -s build.err ] && ok "the example's package and kit nowhere call the assistant general-purpose" || bad "general-purpose in the package: $hits $(cat build.err)"
grep -q '^\*\*Scope of the WhatsApp AI assistant:\*\* for each client business, it answers the business' out/bsp-application/technical/architecture-overview.md \
	&& grep -q 'prepares quotes from the business' out/bsp-application/company/company-overview.md \
	&& ok "the documents state the assistant's scope (quotes, scheduling, follow-ups)" || bad "scope sentence missing"
cs=content/case-studies/gas-mendoza.md
printf '\nClient C now also runs a general-purpose AI assistant that can answer anything.\n' >> "$cs"
n=$(wc -l < "$cs")
"$D" check > /dev/null 2> err.out
cat > want <<W
$cs:$n:26: warning: "general-purpose" presents the AI assistant as general-purpose: the WhatsApp Business Solution Terms bar general-purpose AI assistants from 15 January 2026 (templates/ai-policy.yaml); describe the business tasks it performs for each client instead
$cs:$n:64: warning: "answer anything" presents the AI assistant as general-purpose: the WhatsApp Business Solution Terms bar general-purpose AI assistants from 15 January 2026 (templates/ai-policy.yaml); describe the business tasks it performs for each client instead
W
cmp -s want err.out && ok "a case study calling it general-purpose: warned of at its file, line and column" || bad "AI warning: $(diff want err.out)"
"$D" check --path tech-provider > tp.out 2>&1
grep -qF '| AI assistant presented as task-specific, with its scope stated | ai_policy.ok: false | ai_policy.ok: true | ❌ Not met |' tp.out \
	&& ok "the Tech Provider gate on the AI rule is unmet then" || bad "ai gate: $(grep 'AI assistant' tp.out)"
cp pristine/case-studies/gas-mendoza.md "$cs"
printf '\nIt is not a general-purpose assistant.\n' >> "$cs"
"$D" check > /dev/null 2> err.out
[ ! -s err.out ] && ok "\"not a general-purpose assistant\" is no finding" || bad "negation: $(cat err.out)"
cp pristine/case-studies/gas-mendoza.md "$cs"
/usr/bin/python3 - content/company.yaml <<'PY'
import sys, re
p = sys.argv[1]
s = open(p).read()
s, n = re.subn(r"\nai_assistant:\n(  .*\n|    .*\n)+", "\n", s)
assert n == 1
open(p, "w").write(s)
PY
"$D" check > /dev/null 2> err.out
grep -qx 'content/architecture.yaml:49:113: warning: the content describes an AI assistant, but company.yaml states no ai_assistant.scope: list the business tasks it performs for each client (the WhatsApp Business Solution Terms bar general-purpose AI assistants from 15 January 2026; templates/ai-policy.yaml)' err.out \
	&& ok "an AI assistant without a stated scope: warned of at its first mention" || bad "no scope: $(cat err.out)"
cp pristine/company.yaml content/company.yaml

# ---- 5. the App Review kit ----------------------------------------------------------------
kit=out/app-review
for f in whatsapp_business_messaging-justification.md whatsapp_business_messaging-shot-list.md \
	whatsapp_business_management-justification.md whatsapp_business_management-shot-list.md \
	reviewer-instructions.md data-handling.md business-verification.md; do
	[ -s "$kit/$f" ] || bad "no $kit/$f"
done
[ "$(ls $kit | wc -l)" = 7 ] && ok "app-review/: a justification and a shot list per permission, reviewer instructions, data handling, verification" \
	|| bad "kit: $(ls $kit)"
find out/bsp-application | grep -q app-review && bad "the kit is inside the package"
unzip -l out/bsp-application.zip | grep -q app-review && bad "the kit is in the zip"
grep -q app-review out/bsp-application/manifest.xml && bad "the kit is in the manifest"
ok "the kit is beside the package: not in it, its zip or its manifest"
grep -q '^### Service Professional AI Assistant$' $kit/whatsapp_business_messaging-justification.md \
	&& grep -q '^\*\*What Meta asks:\*\* "Explain what messaging functionality your app offers' $kit/whatsapp_business_messaging-justification.md \
	&& grep -q 'Templates are written in the dashboard' $kit/whatsapp_business_management-justification.md \
	&& ok "each justification answers Meta's question from the content's use cases" || bad "justification"
grep -qxF '| 3 | Create a message template: name, category, language and body, then submit it | Every field as it is filled in, and the category chosen |' $kit/whatsapp_business_management-shot-list.md \
	&& grep -q '^One screen recording per permission; do not submit a video that includes several permissions; a screenshot is not accepted' $kit/whatsapp_business_messaging-shot-list.md \
	&& ok "each shot list: the steps, what must be visible, one recording per permission" || bad "shot list"
grep -qxF '| OpenAI, L.L.C. | Language model for the AI assistant, without training on customer data | United States |' $kit/data-handling.md \
	&& grep -q '^- \*\*In transit:\*\* TLS 1.3$' $kit/data-handling.md \
	&& ok "data handling answers: processors, locations, security practices from the content" || bad "data handling"
grep -q '^\*\*Sign in:\*\* at https://app.campotech.com.ar' $kit/reviewer-instructions.md && ok "reviewer instructions from meta.yaml" || bad "reviewer"

mkdir -p content/verification
printf '%%PDF-1.4\n' | cat - /dev/zero | head -c 6000000 > content/verification/registro.pdf
printf 'PK\003\004 a Word document' > content/verification/estatuto.docx
printf '# Constancia de inscripción\n\nCAMPOTECH S.A.S. — CUIT 30-71784512-5\n' | "$D" pdf - -o content/verification/constancia.pdf
printf '# Factura\n\nOtra Empresa S.R.L.\n' | "$D" pdf - -o content/verification/factura.pdf
"$D" build --quiet 2> err.out
cat > want <<'W'
content/verification/estatuto.docx: warning: a Word document (.docx): Meta's business verification takes only PDF, JPEG and PNG files (templates/programme.yaml, verification.types)
content/verification/factura.pdf: warning: the legal name "CampoTech S.A.S." does not appear in its text: Meta matches the documents against the legal name exactly
content/verification/registro.pdf: warning: 6.0 MB, more than the 5 MB Meta takes for one document (templates/programme.yaml, verification.max_megabytes)
content/verification: warning: 4 documents: Meta takes at most 3 for business verification (templates/programme.yaml, verification.max_files)
W
cmp -s want err.out && ok "verification documents: a .docx, a 6 MB file, a PDF without the legal name and four files reported, located" \
	|| bad "verification: $(diff want err.out)"
grep -q '^| constancia.pdf | pdf | 0.0 MB | found | ✅ acceptable |$' $kit/business-verification.md \
	&& grep -q '^| estatuto.docx | other | 0.0 MB | not found | ❌ a Word document (.docx)' $kit/business-verification.md \
	&& grep -q '^| registro.pdf | pdf | 6.0 MB | .* | ❌ 6.0 MB, more than the 5 MB' $kit/business-verification.md \
	&& grep -q '^\*\*Not ready:\*\* 1 of 4 document(s) acceptable.$' $kit/business-verification.md \
	&& ok "business-verification.md: the checklist, file by file" || bad "checklist: $(grep '^|' $kit/business-verification.md)"
rm -rf content/verification

# ---- 6. obligations ---------------------------------------------------------------------------
/usr/bin/python3 - content/company.yaml content/meta.yaml <<'PY'
import sys
c, m = sys.argv[1], sys.argv[2]
s = open(c).read()
s = s.replace('      target: "first quarter of 2027"\n', '      target: "first quarter of 2027"\n      expires: 2026-11-20\n')
s = s.replace('all remediated by 2026-07-30 and verified by a retest."\n', 'all remediated by 2026-07-30 and verified by a retest."\n      valid_until: 2027-06-18\n')
open(c, "w").write(s)
open(m, "a").write("  app_review: 2025-11-10\n")
PY
"$D" build --quiet 2> err.out
l_cert=$(grep -n 'expires: 2026-11-20' content/company.yaml | cut -d: -f1)
l_rev=$(grep -n 'app_review: 2025-11-10' content/meta.yaml | cut -d: -f1)
cat > want <<W
content/meta.yaml:$l_rev:15: warning: Annual Data Use Checkup, with the data handling questions: 10 November 2026, 10 days after the end of the latest snapshot's month (31 October 2026)
content/company.yaml:$l_cert:16: warning: SOC 2 Type I certificate expires: 20 November 2026, 20 days after the end of the latest snapshot's month (31 October 2026)
W
cmp -s want err.out && ok "check warns 30 days before a date: the Data Use Checkup and a certificate, at their lines" || bad "obligation warnings: $(diff want err.out)"
grep -qxF '| 20 November 2026 | SOC 2 Type I certificate expires | due soon | the content'"'"'s own date |' out/readiness.md \
	&& grep -qxF '| 18 June 2027 | Security audit by Ciberguardia Austral S.R.L. (Penetration test of the web application, API, webhook endpoints and cloud configuration, plus a review of access control and secrets management) is no longer current | upcoming | the content'"'"'s own date |' out/readiness.md \
	&& ok "readiness.md lists the obligations with their dates" || bad "readiness obligations: $(grep -A8 '^## Obligations' out/readiness.md)"
/usr/bin/python3 - out/obligations.ics > ics.out 2>&1 <<'PY' && ok "obligations.ics parses with python3-icalendar; its events are the content's dates" || bad "ics: $(cat ics.out)"
import sys, datetime
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
want = {
    "Embedded Signup v2 is deprecated: integrations move to v4": datetime.date(2026, 10, 15),
    "Annual Data Use Checkup, with the data handling questions": datetime.date(2026, 11, 10),
    "SOC 2 Type I certificate expires": datetime.date(2026, 11, 20),
}
for name, day in want.items():
    assert events[name].decoded("DTSTART") == day, (name, events[name].decoded("DTSTART"))
audit = [e for n, e in events.items() if n.startswith("Security audit by")]
assert len(audit) == 1 and audit[0].decoded("DTSTART") == datetime.date(2027, 6, 18)
assert len(events) == 4, list(events)
stamp = events["SOC 2 Type I certificate expires"].decoded("DTSTAMP")
assert stamp == datetime.datetime(2026, 10, 31, 12, 0, tzinfo=datetime.timezone.utc), stamp
assert events["Annual Data Use Checkup, with the data handling questions"]["RRULE"]["FREQ"] == ["MONTHLY"]
assert events["Annual Data Use Checkup, with the data handling questions"]["RRULE"]["INTERVAL"] == [12]
alarms = list(events["SOC 2 Type I certificate expires"].walk("VALARM"))
assert alarms and alarms[0].decoded("TRIGGER") == -datetime.timedelta(days=30)
PY
cp out/obligations.ics ics.1
cp -R out/app-review kit.1
touch content/company.yaml
"$D" build --quiet 2> /dev/null
"$D" build --quiet --force --out out2 2> /dev/null
cmp -s ics.1 out/obligations.ics && cmp -s ics.1 out2/obligations.ics && diff -r kit.1 out/app-review > /dev/null && diff -r kit.1 out2/app-review > /dev/null \
	&& ok "obligations.ics and app-review/: the same bytes from a rebuild and from --force" || bad "not the same bytes"
cp -R pristine/. content/ && rm -rf content/verification
"$D" build --quiet 2> /dev/null
grep -c BEGIN:VEVENT out/obligations.ics | grep -qx 1 && ok "dates removed from the content leave the calendar" || bad "ics after removal: $(grep SUMMARY out/obligations.ics)"

[ $fails = 0 ]

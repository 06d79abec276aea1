#!/bin/sh
# dossier month and CSV exports: a new month from the example without copying
# a file by hand; clients and incidents from CSV give the same package as
# the YAML lists.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
root=$PWD
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok month: $1"; }
bad() { echo "FAIL month: $1"; fails=$((fails + 1)); }

# The same content with October's lists as CSV exports gives the same documents.
mkdir "$t/csv" "$t/yaml"
cp -R content templates "$t/yaml/"
cp -R content templates "$t/csv/"
python3 - "$t/csv/content/metrics/2026-10.yaml" <<'PY'
import sys, yaml
p = sys.argv[1]
d = yaml.safe_load(open(p))
text = open(p).read()
# The two lists go (each key and its indented or "-" lines); what follows them stays.
kept, skip = [], False
for line in text.split("\n"):
    if line.startswith(("incidents:", "clients:")):
        skip = True
        continue
    if skip and line.startswith((" ", "-")):
        continue
    skip = False
    kept.append(line)
open(p, "w").write("\n".join(kept))
with open(p[:-5] + ".clients.csv", "w", newline="") as f:
    f.write("messages,id,city,industry\r\n")
    for r in d["clients"]:
        f.write('%d,%s,"%s",%s\r\n' % (r["messages"], r["id"], r["city"].replace('"', '""'), r["industry"]))
with open(p[:-5] + ".incidents.csv", "w", newline="") as f:
    f.write("cause,date,minutes\n")
    for r in d["incidents"]:
        f.write('"%s",%s,%d\n' % (r["cause"].replace('"', '""'), r["date"], r["minutes"]))
PY
(cd "$t/yaml" && "$D" build --quiet) && (cd "$t/csv" && "$D" build --quiet) 2> "$t/err" || bad "CSV build: $(cat "$t/err")"
if diff -r -x '*.pdf' -x '*.zip' -x '*.xml' -x SHA256SUMS -x '*.xlsx' -x '.dossier-cache' "$t/yaml/out" "$t/csv/out" > "$t/diff"; then
	ok "CSV exports give the same documents as the YAML lists"
else
	bad "CSV differs: $(head -20 "$t/diff")"
fi

# November, from the October build of the example (so CHANGES.md compares).
cd "$t/yaml"

# The exports for November, dropped in before `dossier month`: a clients
# export from a spreadsheet (BOM, CRLF, its own column order, an extra
# column, a quoted city with a comma) and an incidents export with a cause
# spanning two lines.
python3 - <<'PY'
import yaml
d = yaml.safe_load(open("content/metrics/2026-10.yaml"))
rows = d["clients"] + [{"id": "C-%03d" % (200 + i), "industry": "Gas", "city": "Córdoba, Capital",
                        "messages": 300 + i} for i in range(10)]
with open("content/metrics/2026-11.clients.csv", "w", newline="") as f:
    f.write("\ufeffCity,Messages,ID,Industry,Plan\r\n")
    for r in rows:
        city = '"%s"' % r["city"] if "," in r["city"] else r["city"]
        f.write("%s,%d,%s,%s,pro\r\n" % (city, r["messages"], r["id"], r["industry"]))
PY
printf 'date,minutes,cause\n2026-11-09,13,"A database failover took longer than planned;\nwebhooks were queued and replayed."\n' \
	> content/metrics/2026-11.incidents.csv

"$D" month > month.out 2> month.err; rc=$?
[ $rc = 0 ] && [ ! -s month.err ] && ok "exit 0" || bad "exit $rc: $(cat month.err)"
f=content/metrics/2026-11.yaml
grep -qx 'month: "2026-11"' $f && ok "month: set" || bad "month: $(grep month: $f)"
grep -q '^active_organizations: 214 *# carried from 2026-10: 214$' $f && ok "stock figure carried with last month's value" \
	|| bad "carried: $(grep active_ $f)"
grep -q '^whatsapp_ai_clients: 97 *# rows in 2026-11.clients.csv; 2026-10: 87$' $f && ok "clients counted from the export" \
	|| bad "clients: $(grep whatsapp $f)"
grep -q '^messages: *# fill in (2026-10: 46820)$' $f && ok "measured figure left to fill in" || bad "messages: $(grep ^messages $f)"
grep -q '^incidents:\|^clients:' $f && bad "a list in YAML beside its CSV" || ok "lists left to the CSV files"
grep -q "2026-11.yaml:6: messages (2026-10: 46820)" month.out && ok "prints what to fill in, at the line" \
	|| bad "output: $(cat month.out)"

"$D" build --quiet > build.out 2> build.err; rc=$?
[ $rc = 2 ] && grep -q "^content/metrics/2026-11.yaml:6:10: error: required key 'messages' is empty$" build.err \
	&& ok "build refuses until filled in, at the line" || bad "unfilled build: $rc $(cat build.err)"

sed -i -e 's/^messages: .*/messages: 51230/' -e 's/^message_cost: .*/message_cost: 2049/' \
	-e 's/^uptime_percent: .*/uptime_percent: 99.97/' -e 's/^webhook_avg_ms: .*/webhook_avg_ms: 181/' \
	-e 's/^webhook_p95_ms: .*/webhook_p95_ms: 405/' -e 's/^delivery_success_percent: .*/delivery_success_percent: 99.7/' $f
"$D" build --quiet > build.out 2> build.err; rc=$?
[ $rc = 0 ] && ok "filled in: builds" || bad "build: $rc $(cat build.err)"
grep -q "Latest snapshot: October 2026 → November 2026" out/CHANGES.md && ok "CHANGES.md shows the new month" \
	|| bad "CHANGES.md: $(head -20 out/CHANGES.md)"
grep -rq "A database failover took longer than planned; webhooks were queued" out/bsp-application/technical/uptime-report.md \
	&& ok "the incident from CSV is in the uptime report" || bad "incident missing from uptime-report.md"
grep -q "2026-10-21" out/bsp-application/technical/uptime-report.md && n=$(grep -c "2026-10-21" out/bsp-application/technical/uptime-report.md) || n=0
[ "$n" = 1 ] && ok "October's incident listed once" || bad "October's incident listed $n times"

"$D" month 2026-11 > /dev/null 2> err; rc=$?
[ $rc = 2 ] && grep -q "2026-11.yaml: error: already exists" err && ok "never overwrites" || bad "overwrite: $rc $(cat err)"
"$D" month 2027-02 > /dev/null 2> err; rc=$?
[ $rc = 2 ] && grep -q "the next one is 2026-12" err && ok "refuses a gap" || bad "gap: $rc $(cat err)"
"$D" month 2026-13 > /dev/null 2> err; rc=$?
[ $rc = 2 ] && ok "refuses a bad month" || bad "2026-13: $rc"

# The README's sample exports load as they are.
mkdir "$t/samples"
cp -R "$root/content" "$root/templates" "$t/samples/"
cp "$root"/docs/samples/2026-11.*.csv "$t/samples/content/metrics/"
cd "$t/samples"
"$D" month > /dev/null 2> err || bad "month with the samples: $(cat err)"
sed -i -e 's/^messages: .*/messages: 2164/' -e 's/^message_cost: .*/message_cost: 87/' \
	-e 's/^uptime_percent: .*/uptime_percent: 99.97/' -e 's/^webhook_avg_ms: .*/webhook_avg_ms: 181/' \
	-e 's/^webhook_p95_ms: .*/webhook_p95_ms: 405/' -e 's/^delivery_success_percent: .*/delivery_success_percent: 99.7/' \
	content/metrics/2026-11.yaml
grep -q '^whatsapp_ai_clients: 3 ' content/metrics/2026-11.yaml && "$D" check > /dev/null 2> err; rc=$?
[ $rc = 1 ] && ok "the README's sample CSV files load (3 clients, 1 incident)" || bad "samples: exit $rc $(cat err)"
[ $fails = 0 ]

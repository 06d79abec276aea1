#!/bin/sh
# Consistency checks: silent on the shipped example; each trap of a monthly
# update is one located warning (an error with --strict).  Runs
# `dossier check`, which goes through load and derive without typesetting.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
root=$PWD
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok consist: $1"; }
bad() { echo "FAIL consist: $1"; fails=$((fails + 1)); }

fresh() { rm -rf "$t/w"; mkdir "$t/w"; cp -R "$root/content" "$root/templates" "$t/w/"; cd "$t/w"; }
# expect NAME EXPECTED-STDERR: check warns exactly that and still answers;
# --strict makes it an error (exit 2).
expect() {
	"$D" check > /dev/null 2> err; rc=$?
	if [ $rc = 1 ] && [ "$(cat err)" = "$2" ]; then ok "$1"; else bad "$1: exit $rc:
$(diff <(echo "$2") err)"; fi
	"$D" check --strict > /dev/null 2> err; rc=$?
	[ $rc = 2 ] && [ "$(cat err)" = "$(echo "$2" | sed 's/: warning: /: error: /')" ] && ok "$1 (--strict: exit 2)" \
		|| bad "$1 --strict: exit $rc $(cat err)"
}

fresh
"$D" check > /dev/null 2> err; rc=$?
[ $rc = 1 ] && [ ! -s err ] && ok "silent on the shipped example" || bad "example: $rc $(cat err)"

fresh; sed -i 's/^whatsapp_ai_clients: 87/whatsapp_ai_clients: 97/' content/metrics/2026-10.yaml
expect "clients listed against whatsapp_ai_clients" \
"content/metrics/2026-10.yaml:6:22: warning: whatsapp_ai_clients is 97, but 87 clients are listed (content/metrics/2026-10.yaml:19): update one of them"

fresh; sed -i 's/^uptime_percent: 99.94/uptime_percent: 99.97/' content/metrics/2026-10.yaml
expect "uptime against the incident minutes" \
"content/metrics/2026-10.yaml:9:17: warning: uptime_percent 99.97 does not match the incidents: 27 minutes of downtime in 31 days is 99.94% uptime (tolerance 0.01 points)"

fresh; sed -i 's/date: 2026-10-21/date: 2026-09-30/' content/metrics/2026-10.yaml
expect "an incident dated outside its month" \
"content/metrics/2026-10.yaml:15:11: warning: the incident of 2026-09-30 is listed in the snapshot of October 2026: an incident belongs to the month it happened in"

fresh; sed -i 's/^message_cost: 1873/message_cost: 2873/' content/metrics/2026-10.yaml
expect "message cost against messages × rate" \
"content/metrics/2026-10.yaml:8:15: warning: message_cost \$2,873 is +53% off 46,820 messages × \$0.0400 (pricing.metrics_cost_per_message) = \$1,873 (tolerance 5%)"

fresh; sed -i 's/^mrr: 24310/mrr: 243100/' content/metrics/2026-10.yaml
expect "a month-over-month jump (a digit too many)" \
"content/metrics/2026-10.yaml:13:6: warning: mrr jumped from 22,690 in September 2026 to 243,100 (×11): a typo? (checked beyond ×3 or ÷3)"

# November, as a team would start it from October, with the traps of the issue:
# October's incident copied, financials.yaml and company.yaml not updated.  (`dossier month`
# leaves quality_rating, line 13, to fill in: the copied incident starts on line 15.)
fresh
"$D" month > /dev/null 2>&1 || bad "month"
f=content/metrics/2026-11.yaml
sed -i -e 's/^messages: .*/messages: 51230/' -e 's/^message_cost: .*/message_cost: 2049/' \
	-e 's/^uptime_percent: .*/uptime_percent: 99.94/' -e 's/^webhook_avg_ms: .*/webhook_avg_ms: 181/' \
	-e 's/^webhook_p95_ms: .*/webhook_p95_ms: 405/' -e 's/^delivery_success_percent: .*/delivery_success_percent: 99.7/' \
	-e 's/^whatsapp_ai_clients: .*/whatsapp_ai_clients: 87/' -e '/^incidents:/d' -e '/^clients:/d' $f
sed -n '/^incidents:/,/^clients:/p' content/metrics/2026-10.yaml | sed '$d' >> $f
"$D" check > /dev/null 2> err; rc=$?
cat > want <<'W'
content/metrics/2026-11.yaml:15:11: warning: the incident of 2026-10-21 is also listed in the previous snapshot (content/metrics/2026-10.yaml:15): copied from last month? remove it here
content/financials.yaml:98:14: warning: financials.yaml ends at 2026-10, but the latest snapshot is November 2026: add 2026-11
content/company.yaml:54:8: warning: this text names October 2026, but the latest snapshot is November 2026: is it still true?
W
[ $rc = 0 ] && diff want err > /dev/null && ok "November: copied incident, financials and text of last month, each at its line" \
	|| bad "november: $rc $(diff want err)"
[ $fails = 0 ]

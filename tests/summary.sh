#!/bin/sh
# tests/summary.sh SUITE...: the counts of the suites tests/run.sh ran, one
# line each and a total: "N passed, N failed, N skipped".  A suite that
# exited non-zero without printing a FAIL line, or did not run at all,
# counts as one failure.  Exits 1 when anything failed.
set -u
: "${RESULTS:?}"
tp=0 tf=0 ts=0 bad=
for s in "$@"; do
	log=$RESULTS/$s.log
	if [ ! -f "$RESULTS/$s.rc" ]; then
		echo "$s: did not run"
		tf=$((tf + 1)) bad="$bad $s"
		continue
	fi
	read -r rc secs < "$RESULTS/$s.rc"
	if [ "$s" = unit ]; then
		# check's own summary: "NN%: Checks: N, Failures: N, Errors: N"
		line=$(sed -n 's/^[0-9]*%: Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\)$/\1 \2 \3/p' "$log")
		if [ -n "$line" ]; then
			read -r n nf ne <<-END
			$line
			END
			p=$((n - nf - ne)) f=$((nf + ne))
		else
			p=0 f=0
		fi
		sk=0
	else
		p=$(grep -c '^ok ' "$log")
		f=$(grep -c '^FAIL ' "$log")
		sk=$(grep -c '^SKIP ' "$log")
	fi
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "$s: FAIL: exit status $rc without a FAIL line"
		f=1
	fi
	[ "$f" = 0 ] || bad="$bad $s"
	printf '%-18s %4d passed, %d failed, %d skipped (%d s)\n' "$s:" "$p" "$f" "$sk" "$secs"
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + sk))
done
grep -h '^SKIP ' $(for s in "$@"; do echo "$RESULTS/$s.log"; done) 2>/dev/null
echo "tests: $tp passed, $tf failed, $ts skipped"
[ -z "$bad" ] || { echo "tests: failed:$bad"; exit 1; }

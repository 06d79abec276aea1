#!/bin/sh
# tests/run.sh SUITE: run one test suite, `unit`, `golden` or `e2e-NAME`
# (tests/e2e/NAME.sh), from the repository root with $DOSSIER set.  Its
# output goes to $RESULTS/SUITE.log and is printed in one piece when it
# ends, so suites run by `make -j` do not interleave; its exit status goes
# to $RESULTS/SUITE.rc.  Exits 0 either way: tests/summary.sh counts.
#
# Every suite prints one line per check: "ok ...", "FAIL ..." or
# "SKIP ...: reason" (a check that cannot run, and why).
set -u
suite=$1
: "${RESULTS:?}" "${DOSSIER:?}"
mkdir -p "$RESULTS"
log=$RESULTS/$suite.log
rm -f "$log" "$RESULTS/$suite.rc"
start=$(date +%s)
case $suite in
unit)	(cd tests && "../${UNIT:?}") > "$log" 2>&1 ;;
golden)	sh tests/golden.sh > "$log" 2>&1 ;;
e2e-*)	bash "tests/e2e/${suite#e2e-}.sh" > "$log" 2>&1 ;;
*)	echo "run.sh: unknown suite '$suite'" > "$log"; false ;;
esac
rc=$?
echo "$rc $(($(date +%s) - start))" > "$RESULTS/$suite.rc"
cat "$log"
exit 0

#!/bin/sh
# End-to-end tests: each tests/e2e/*.sh runs with $DOSSIER set and the
# repository root as its working directory.
set -u
DOSSIER=${DOSSIER:-./dossier}
export DOSSIER
pass=0 fail=0
for t in tests/e2e/*.sh; do
	if bash "$t"; then
		pass=$((pass + 1))
	else
		echo "e2e: FAILED $t"
		fail=$((fail + 1))
	fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]

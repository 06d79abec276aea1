#!/bin/sh
# tests/run.sh SUITE: run one test suite, `unit`, `golden` or `e2e-NAME`
# (tests/e2e/NAME.sh), from the repository root with $DOSSIER set.  Its
# output goes to $RESULTS/SUITE.log and is printed in one piece when it
# ends, so suites run by `make -j` do not interleave; its exit status goes
# to $RESULTS/SUITE.rc.  Exits 0 either way: tests/summary.sh counts.
#
# Every suite prints one line per check: "ok ...", "FAIL ..." or
# "SKIP ...: reason" (a check that cannot run, and why).
#
# The suites test the tool, not the user's company: golden builds the
# examples under tests/fixtures/, and each e2e suite runs in a scratch
# project whose content/ is a copy of the CampoTech example
# (tests/fixtures/campotech) and whose templates/ is a copy of the
# checkout's; every other top-level entry (tests/, Makefile, src/, ...) is
# linked in, and $DOSSIER_SRC names the checkout.  A team that edits
# content/ keeps them green; the `content` suite only checks that content/
# builds.
set -u
# The tools the tests use are Debian's, as `make deps` installs them
# (python3 with python3-yaml and python3-openpyxl among them): /usr/bin
# first, so that a python3 of pyenv or a virtualenv earlier in PATH is not
# taken (pyenv's shim alone costs about 0.35 s of CPU per call).
PATH=/usr/bin:/bin:$PATH
export PATH
suite=$1
: "${RESULTS:?}" "${DOSSIER:?}"
mkdir -p "$RESULTS"
log=$RESULTS/$suite.log
rm -f "$log" "$RESULTS/$suite.rc"
start=$(date +%s)
case $suite in
unit)	(cd tests && "../${UNIT:?}") > "$log" 2>&1 ;;
golden)	sh tests/golden.sh > "$log" 2>&1 ;;
content) out=$(mktemp -d)
	if "$DOSSIER" build --quiet --content content --templates templates --out "$out" > "$log.err" 2>&1
	then echo "ok content: content/ builds"; else echo "FAIL content: content/ does not build:"; cat "$log.err"; fi > "$log"
	rm -rf "$out" "$log.err" ;;
e2e-*)	root=$PWD sandbox=$(mktemp -d)
	for e in "$root"/* "$root"/.ci; do
		case ${e##*/} in
		content|templates|out) ;;
		*) [ -e "$e" ] && ln -s "$e" "$sandbox/${e##*/}" ;;
		esac
	done
	cp -R tests/fixtures/campotech "$sandbox/content"
	cp -R templates "$sandbox/templates"
	case $DOSSIER in /*) ;; *) DOSSIER=$root/$DOSSIER ;; esac
	(cd "$sandbox" && DOSSIER=$DOSSIER DOSSIER_SRC=$root bash "tests/e2e/${suite#e2e-}.sh") > "$log" 2>&1
	rc=$?
	rm -rf "$sandbox"
	(exit $rc) ;;
*)	echo "run.sh: unknown suite '$suite'" > "$log"; false ;;
esac
rc=$?
echo "$rc $(($(date +%s) - start))" > "$RESULTS/$suite.rc"
cat "$log"
exit 0

#!/bin/sh
# Lost output is never a success: `diff`, `verify` and `pdf --layout` exit 2
# with one message when standard output cannot be written (/dev/full: a
# full disk).
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok stdout: $1"; }
bad() { echo "FAIL stdout: $1"; fails=$((fails + 1)); }
msg="dossier: error: cannot write to standard output: No space left on device"

"$D" build --quiet --out "$t/out" || bad "build"
check() { # name, command...
	name=$1; shift
	"$@" > /dev/full 2> "$t/err"; rc=$?
	[ $rc = 2 ] && [ "$(cat "$t/err")" = "$msg" ] && ok "$name: exit 2 and a message" \
		|| bad "$name: exit $rc: $(cat "$t/err")"
}
check "diff" "$D" diff --out "$t/out"
check "verify" "$D" verify "$t/out/bsp-application"
check "pdf --layout" "$D" pdf --layout tests/pdf/elements.md
# The same commands to a writable stdout still succeed.
"$D" verify "$t/out/bsp-application" > /dev/null && "$D" diff --out "$t/out" > /dev/null \
	&& ok "to a writable stdout: exit 0" || bad "writable stdout"
[ $fails = 0 ]

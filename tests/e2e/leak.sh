#!/bin/sh
# Leak checking sees GObjects.  The test binary (build/dossier-test, hooks
# compiled in) leaks one PangoLayout during `dossier pdf` when
# DOSSIER_LEAK=pango-layout; the leak checker of the run must name it:
# - plain `make check`: valgrind's memcheck with tests/valgrind.supp reports
#   it "definitely lost", allocated by pango_layout_new;
# - `make check SANITIZE=1`: LeakSanitizer with tests/lsan.supp reports it
#   and the program exits non-zero.
# Without the hook, the same run is clean: the suppressions hide the
# libraries' one-time caches and nothing else.  Both with G_SLICE=always-malloc
# (GLib 2.74 hands GObjects out of GSlice's magazines, where no leak checker
# looks).  ./dossier has no such hook.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
DT=${DOSSIER_TEST:?DOSSIER_TEST names the test binary}
case $DT in /*) ;; *) DT=$PWD/$DT ;; esac
src=${DOSSIER_SRC:-$PWD}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok leak: $1"; }
bad() { echo "FAIL leak: $1"; fails=$((fails + 1)); }

if grep -q DOSSIER_LEAK "$D"; then bad "$D has the leak hook"; else ok "the installed binary has no leak hook"; fi
grep -q DOSSIER_LEAK "$DT" || bad "$DT has no leak hook: nothing below can fail"

printf '# A leak\n\nA paragraph with *emphasis* and a [link](https://example.com).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n' > "$t/doc.md"
export G_SLICE=always-malloc G_DEBUG=gc-friendly

# The report's record (blank-line separated) that holds both patterns.
record() {
	awk -v a="$2" -v b="$3" '
		/^==[0-9]+== $/ { if (index(r, a) && index(r, b)) print r; r = ""; next }
		{ r = r $0 "\n" }' "$1"
}

if grep -q __asan_init "$DT"; then
	# AddressSanitizer build: LeakSanitizer runs at exit.  The slow
	# unwinder, so that the report names pango_layout_new (the fast one
	# stops at g_malloc; see tests/lsan.supp).
	export ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0
	export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0"
	DOSSIER_LEAK=pango-layout "$DT" pdf "$t/doc.md" -o "$t/a.pdf" > "$t/out" 2> "$t/err"; rc=$?
	if [ $rc != 0 ] && grep -q 'ERROR: LeakSanitizer: detected memory leaks' "$t/err" &&
	   awk '/^Direct leak/ { d = 1 } /^$/ { d = 0 } d && /pango_layout_new/ { f = 1 } END { exit !f }' "$t/err"; then
		ok "LeakSanitizer reports the leaked PangoLayout (exit $rc, a direct leak from pango_layout_new)"
	else
		bad "LeakSanitizer missed the leaked PangoLayout: exit $rc: $(head -c 3000 "$t/err")"
	fi
	"$DT" pdf "$t/doc.md" -o "$t/b.pdf" > "$t/out" 2> "$t/err"; rc=$?
	[ $rc = 0 ] && [ ! -s "$t/err" ] && ok "without the hook, LeakSanitizer finds nothing" \
		|| bad "without the hook: exit $rc: $(head -c 3000 "$t/err")"
	DOSSIER_LEAK=pango-layout "$D" pdf "$t/doc.md" -o "$t/c.pdf" > "$t/out" 2> "$t/err"; rc=$?
	[ $rc = 0 ] && [ ! -s "$t/err" ] && ok "DOSSIER_LEAK does nothing to $D" \
		|| bad "$D with DOSSIER_LEAK: exit $rc: $(head -c 3000 "$t/err")"
else
	command -v valgrind > /dev/null || { bad "valgrind is not installed (make deps installs it)"; exit 1; }
	vg() {
		valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
			--suppressions="$src/tests/valgrind.supp" "$@"
	}
	DOSSIER_LEAK=pango-layout vg "$DT" pdf "$t/doc.md" -o "$t/a.pdf" > "$t/out" 2> "$t/vg"; rc=$?
	if [ $rc = 3 ] && grep -q 'ERROR SUMMARY: 1 errors' "$t/vg" &&
	   [ -n "$(record "$t/vg" 'definitely lost in loss record' 'pango_layout_new')" ]; then
		ok "valgrind reports the leaked PangoLayout (definitely lost, from pango_layout_new; the only error)"
	else
		bad "valgrind missed the leaked PangoLayout: exit $rc: $(grep -A30 'definitely lost in' "$t/vg" | head -60; grep 'ERROR SUMMARY' "$t/vg")"
	fi
	vg "$DT" pdf "$t/doc.md" -o "$t/b.pdf" > "$t/out" 2> "$t/vg"; rc=$?
	[ $rc = 0 ] && grep -q 'ERROR SUMMARY: 0 errors' "$t/vg" && ok "without the hook, valgrind finds nothing" \
		|| bad "without the hook: exit $rc: $(grep -A30 'definitely lost in\|Invalid\|uninitialised' "$t/vg" | head -80)"
fi
[ $fails = 0 ]

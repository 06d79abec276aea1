#!/bin/sh
# The tree's shape (issue 9), which otherwise holds only by inspection:
#   1. `ls src/*/` shows the stages: base load derive render typeset chart
#      write pipeline cli, and no source file sits at the top of src/.
#   2. No function is over 80 lines (its body, between a "{" and a "}" at
#      column 0) unless the comment directly above it starts with "Long:"
#      and says why.
#   3. No call cycle in src/typeset/: the graph "file -> files whose
#      symbols it uses", from `nm` of the objects of src/typeset/*.c beside
#      $DOSSIER (build/ or build/asan/), is acyclic and uses only the calls
#      docs/typesetting.md allows; of those files only the device
#      (pdf_device.c, pdf_pages.c) calls cairo_*.
#   4. Boxes are made (g_new0, g_memdup2 ...) only in layout_doc.c, the
#      lifecycle file.
#   5. Includes and calls between the stages go down the pipeline:
#      cli → pipeline → write → typeset, render → chart, derive, load →
#      base (a stage may skip levels; stages on one level use none of each
#      other), read from the #include lines of src/ and from `nm` of every
#      object beside $DOSSIER; so no include or call cycle between stage
#      folders.
#   6. Every message goes through diag (issue 20, item 6): no object of
#      src/ but base/diag.o writes to stderr (uses stderr, perror,
#      g_printerr, warn or err), from `nm` of the objects beside $DOSSIER.
#   7. Every writable variable of every object beside $DOSSIER (`objdump
#      -t`: .data, .bss and thread-local, a function's static included, not
#      the compiler's own such as __odr_asan.*; dossier-test's NAME-testing.o
#      counts as NAME.c) is named in its file's row of docs/hacking.md's
#      table "State that outlives a call", and every row names variables
#      that exist.
# Each check first shows on a made-up input that it can fail.
set -u
root=${DOSSIER_SRC:-.}
src=$root/src
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok shape: $1"; }
bad() { echo "FAIL shape: $1"; fails=$((fails + 1)); }

[ -d "$src" ] || { bad "no source tree at $src"; exit 1; }

# 1. Stage folders.
missing=
for stage in base load derive render typeset chart write pipeline cli; do
	ls "$src/$stage"/*.c > /dev/null 2>&1 || missing="$missing $stage"
done
[ -z "$missing" ] && ok "src/ has the stage folders base load derive render typeset chart write pipeline cli" \
	|| bad "src/ lacks the stage folders (or their .c files):$missing"
top=$(cd "$src" && ls -d ./*.c ./*.h 2>/dev/null)
[ -z "$top" ] && ok "no source file at the top of src/" || bad "source files at the top of src/, outside any stage: $top"

# 2. Long functions: "FILE NAME LINES" for each body over 80 lines that
# has no "/* Long: ..." comment ending on the line above its type line.  A
# function whose name is not at the start of a line is named "lineN", N
# the line of its "{", and has no excuse.
long_functions() {
	awk '
	FNR == 1 { incomment = cend = clong = start = excused = 0; name = "" }
	/^\/\*/ { incomment = 1; clong = /^\/\* Long:/ }
	incomment && /\*\// { cend = FNR; incomment = 0 }
	/^[a-z_][a-z0-9_]*\(/ { name = $0; sub(/\(.*/, "", name); excused = clong && cend == FNR - 2; start = 0 }
	/^\{/ { start = FNR; fname = name != "" ? name : "line" FNR; fexcused = excused }
	/^\}/ { if (start && FNR - start - 1 > 80 && !fexcused) printf "%s %s %d\n", FILENAME, fname, FNR - start - 1
		start = excused = 0; name = "" }
	' "$@"
}
body() { i=0; while [ $i -lt "$1" ]; do echo "	x++;"; i=$((i + 1)); done; }
{
	printf 'static int\nlong81(void)\n{\n'; body 81; printf '}\n\n'
	printf '/* Long: one case per kind; splitting it\n * would hide the table. */\nstatic int\nexcused81(void)\n{\n'; body 81; printf '}\n\n'
	printf '/* Not long for a reason. */\nstatic int\nplain81(int a,\n\tint b)\n{\n'; body 81; printf '}\n\n'
	printf '/* Long: but not directly above. */\nstatic int x;\nstatic int\nfar81(void)\n{\n'; body 81; printf '}\n\n'
	printf '/* Long: for the one above. */\nstatic int y;	/* a trailing comment */\nstatic int\ntrailing81(void)\n{\n'; body 81; printf '}\n\n'
	printf 'int\nfits80(void)\n{\n'; body 80; printf '}\n'
	printf '/* Long: a reason. */\nint\nexcused(void)\n{\n'; body 81; printf '}\n\nstatic int (*oneline(void))(void)\n{\n'; body 81; printf '}\n'
} > "$t/sample.c"
got=$(long_functions "$t/sample.c" | awk '{ printf "%s%s %s", sep, $2, $3; sep = ", " }')
[ "$got" = "long81 81, plain81 81, far81 81, trailing81 81, line611 81" ] && ok "the length check finds 81-line bodies without a Long: reason" \
	|| bad "the length check on a made-up file gives '$got', not 'long81 81, plain81 81, far81 81, trailing81 81, line611 81'"
found=$(cd "$src" && long_functions */*.c)
[ -z "$found" ] && ok "no function over 80 lines without a Long: reason above it" \
	|| bad "functions over 80 lines without a 'Long:' comment saying why: $(echo $found)"

# 3. Calls between the files of src/typeset/.  `calls OBJ...` prints
# "FROM TO" for each file whose defined symbols another uses; tsort fails
# on a cycle.
calls() {
	for o in "$@"; do
		f=$(basename "$o" .o)
		nm "$o" | awk -v f="$f" 'NF == 3 && $2 ~ /^[TDBRVWG]$/ { print "def", $3, f } NF == 2 && $1 == "U" { print "use", $2, f }'
	done | awk '$1 == "def" { def[$2] = $3 } $1 == "use" { use[$3 " " $2] = 1 }
		END { for (k in use) { split(k, p, " "); if ((p[2] in def) && def[p[2]] != p[1]) print p[1], def[p[2]] } }' | sort -u
}
# A made-up call cycle, compiled: a.c calls b.c, b.c calls c.c, c.c calls a.c.
mkdir "$t/cycle"
printf 'int b(int);\nint a(int x) { return x ? b(x - 1) : 0; }\n' > "$t/cycle/a.c"
printf 'int c(int);\nint b(int x) { return x ? c(x - 1) : 1; }\n' > "$t/cycle/b.c"
printf 'int a(int);\nint c(int x) { return x ? a(x - 1) : 2; }\n' > "$t/cycle/c.c"
if (cd "$t/cycle" && ${CC:-cc} -c a.c b.c c.c) 2> "$t/cc"; then
	calls "$t/cycle/a.o" "$t/cycle/b.o" "$t/cycle/c.o" > "$t/cycle/calls"
	if [ "$(tr '\n' ';' < "$t/cycle/calls")" != "a b;b c;c a;" ]; then
		bad "nm of made-up objects a -> b -> c -> a gives '$(tr '\n' ';' < "$t/cycle/calls")'"
	elif tsort "$t/cycle/calls" > /dev/null 2>&1; then
		bad "tsort takes the made-up call cycle a -> b -> c -> a for acyclic"
	else
		ok "a made-up call cycle between three objects (a -> b -> c -> a) is found"
	fi
else
	bad "cannot compile the made-up call cycle: $(cat "$t/cc")"
fi
case $D in */*) objdir=$(dirname "$D") ;; *) objdir=. ;; esac
[ -d "$objdir/typeset" ] || objdir=$objdir/build
objs= nobj= names=
for c in "$src"/typeset/*.c; do
	o=$objdir/typeset/$(basename "$c" .c).o
	names="$names $(basename "$c" .c)"
	[ -f "$o" ] && objs="$objs $o" || nobj="$nobj $o"
done
if [ -n "$nobj" ] || [ -z "$objs" ]; then
	bad "no objects of src/typeset/*.c beside $D:${nobj:- none in $objdir/typeset}"
else
	# shellcheck disable=SC2086
	calls $objs > "$t/calls"
	if [ "$(grep -c . "$t/calls")" -lt 10 ]; then
		bad "nm found $(grep -c . "$t/calls") calls between the files of src/typeset/; expected at least 10: $(cat "$t/calls")"
	elif tsort "$t/calls" > /dev/null 2> "$t/tsort"; then
		ok "no call cycle in src/typeset/ ($(grep -c . "$t/calls") calls between its files)"
	else
		bad "a call cycle in src/typeset/: $(cat "$t/tsort"); calls: $(tr '\n' ';' < "$t/calls")"
	fi
	# The allowed calls: the rows "| `X.c` | `Y.c`, ... |" of the table
	# in docs/typesetting.md.
	sed -n 's/^| `\([a-z_]*\)\.c` | \(.*\) |$/\1 \2/p' "$root/docs/typesetting.md" |
		awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^`[a-z_]*\.c`,?$/) { g = $i; gsub(/[`,]|\.c/, "", g); print $1, g } }' > "$t/allowed"
	rows=$(sed -n 's/^| `\([a-z_]*\)\.c` | .*/\1/p' "$root/docs/typesetting.md")
	undocumented=
	for n in $names; do
		echo "$rows" | grep -qx "$n" || undocumented="$undocumented $n.c"
	done
	[ -z "$undocumented" ] && ok "docs/typesetting.md says which files of src/typeset/ each one may call" \
		|| bad "docs/typesetting.md's table of calls has no row for:$undocumented"
	tsort "$t/allowed" > /dev/null 2>&1 && ok "the calls docs/typesetting.md allows go one way" \
		|| bad "docs/typesetting.md allows a call cycle: $(tr '\n' ';' < "$t/allowed")"
	stray=$(sort "$t/allowed" | comm -23 "$t/calls" -)
	[ -z "$stray" ] && ok "every call between files of src/typeset/ is one docs/typesetting.md allows" \
		|| bad "calls docs/typesetting.md does not allow (change the code, or the table if it is meant): $(echo "$stray" | tr '\n' ';')"
	# Layout never draws: of the typeset files, only the device
	# (pdf_device.c, pdf_pages.c) uses a cairo_* symbol.
	drawing=
	for o in $objs; do
		nm -u "$o" | grep -q ' cairo_' && drawing="$drawing $(basename "$o" .o)"
	done
	[ "$(echo $drawing)" = "pdf_device pdf_pages" ] && ok "only pdf_device.c and pdf_pages.c of src/typeset/ call cairo_*" \
		|| bad "the files of src/typeset/ that call cairo_* are:$drawing (only pdf_device pdf_pages may)"
fi

# 4. Boxes and footnotes are made in layout_doc.c only.
makes_box='(g_new0?|g_slice_new0?|g_slice_dup|g_memdup2?) *\( *layout_(box|note) *[,)]|sizeof *\( *layout_(box|note) *\)|layout_(box|note) *\* *[a-z_]+ *= *g_(memdup2?|malloc0?|new0?|slice_[a-z0-9]+|try_malloc0?) *\('
missed=
for line in 'layout_box *b = g_new0(layout_box, 1);' 'layout_box *c = g_memdup2(b, sizeof *b);' \
	'boxes[i] = g_malloc0(sizeof(layout_box));' '	layout_box *x = g_malloc(sizeof *x);' \
	'layout_note *n = g_new0(layout_note, 1);'; do
	printf '%s\n' "$line" | grep -qE "$makes_box" || missed="$missed [$line]"
done
for line in 'layout_note *n = layout_note_new(doc, 1);' 'layout_box *b = layout_box_new(LAYOUT_BOX_DEST, x, 0, 0, 0);' \
	'GPtrArray *boxes = layout_box_list_new();' 'layout_box **v = g_new0(layout_box *, n);'; do
	printf '%s\n' "$line" | grep -qE "$makes_box" && missed="$missed [not: $line]"
done
[ -z "$missed" ] && ok "the box pattern tells making a box from other allocations" \
	|| bad "the box pattern is wrong for:$missed"
found=$(cd "$src" && grep -nE "$makes_box" */*.c | grep -v '^typeset/layout_doc\.c:')
[ -z "$found" ] && ok "boxes and footnotes are made only in typeset/layout_doc.c" \
	|| bad "a box or footnote made outside typeset/layout_doc.c (use layout_box_new/_add/_copy, layout_note_new): $found"
grep -qE "$makes_box" "$src/typeset/layout_doc.c" && ok "typeset/layout_doc.c makes the boxes" \
	|| bad "typeset/layout_doc.c makes no box: is the pattern out of date?"

# 5. Stages use only the stages below them.  `stage_rank STAGE` is its
# level; `upward` keeps the lines "FROM TO ..." that do not go down.
stage_rank() {
	case $1 in
	base) echo 0 ;; load|derive|chart) echo 1 ;; render|typeset) echo 2 ;;
	write) echo 3 ;; pipeline) echo 4 ;; cli) echo 5 ;; *) echo 9 ;;
	esac
}
upward() {
	while read -r from to rest; do
		[ "$from" = "$to" ] && continue
		[ "$(stage_rank "$from")" -gt "$(stage_rank "$to")" ] || echo "$from $to $rest"
	done
}
# "FROM TO FILE" for each #include of another stage's header in a tree.
stage_includes() {
	(cd "$1" && grep -o '^#include "[a-z]*/[a-z0-9_]*\.h"' */*.c */*.h 2>/dev/null) |
		sed 's|^\([a-z]*\)/\([^:]*\):#include "\([a-z]*\)/.*|\1 \3 \1/\2|'
}
# "FROM TO SYMBOL" for each symbol an object uses that another stage's
# object defines; objects are STAGE/NAME.o.
stage_calls() {
	for o in "$@"; do
		st=$(basename "$(dirname "$o")")
		nm "$o" | awk -v s="$st" 'NF == 3 && $2 ~ /^[TDBRVWG]$/ { print "def", $3, s } NF == 2 && $1 == "U" { print "use", $2, s }'
	done | awk '$1 == "def" { def[$2] = $3 } $1 == "use" { use[$2 " " $3] = 1 }
		END { for (k in use) { split(k, p, " "); if ((p[1] in def) && def[p[1]] != p[2]) print p[2], def[p[1]], p[1] } }' | sort -u
}
# A made-up include cycle: render/a.h includes write/b.h, which includes
# pipeline/c.h, which includes render/a.h.
mkdir -p "$t/inc/render" "$t/inc/write" "$t/inc/pipeline" "$t/inc/base"
printf '#include "write/b.h"\n#include "base/d.h"\n' > "$t/inc/render/a.h"
printf '#include "pipeline/c.h"\n' > "$t/inc/write/b.h"
printf '#include "render/a.h"\n' > "$t/inc/pipeline/c.h"
: > "$t/inc/base/d.h"
got=$(stage_includes "$t/inc" | upward | cut -d' ' -f1,2 | sort | tr '\n' ';')
if [ "$got" != "render write;write pipeline;" ]; then
	bad "the include check on a made-up cycle render -> write -> pipeline -> render gives '$got'"
elif stage_includes "$t/inc" | cut -d' ' -f1,2 | tsort > /dev/null 2>&1; then
	bad "tsort takes the made-up include cycle render -> write -> pipeline -> render for acyclic"
else
	ok "a made-up include cycle between stages (render -> write -> pipeline -> render) is found"
fi
stage_includes "$src" > "$t/includes"
found=$(upward < "$t/includes")
[ "$(awk '$1 != $2' "$t/includes" | grep -c .)" -ge 20 ] || bad "found only $(awk '$1 != $2' "$t/includes" | grep -c .) includes between stages in $src"
[ -z "$found" ] && ok "every #include between stages goes down the pipeline ($(awk '$1 != $2 { print $1, $2 }' "$t/includes" | sort -u | grep -c .) pairs of stages)" \
	|| bad "includes that do not go down the pipeline (FROM TO FILE): $(echo "$found" | tr '\n' ';')"
cut -d' ' -f1,2 "$t/includes" | tsort > /dev/null 2>&1 && ok "no include cycle between stage folders" \
	|| bad "an include cycle between stage folders: $(cut -d' ' -f1,2 "$t/includes" | sort -u | tr '\n' ';')"
# A made-up call upwards, compiled: render/r.o calls write/w.o.
mkdir -p "$t/objs/render" "$t/objs/write"
printf 'int w(int);\nint r(int x) { return w(x); }\n' > "$t/objs/render/r.c"
printf 'int w(int x) { return x + 1; }\n' > "$t/objs/write/w.c"
if (cd "$t/objs/render" && ${CC:-cc} -c r.c) 2> "$t/cc" && (cd "$t/objs/write" && ${CC:-cc} -c w.c) 2>> "$t/cc"; then
	got=$(stage_calls "$t/objs/render/r.o" "$t/objs/write/w.o" | upward | tr '\n' ';')
	[ "$got" = "render write w;" ] && ok "a made-up call from render up to write is found" \
		|| bad "the call check on a made-up render -> write call gives '$got'"
else
	bad "cannot compile the made-up call: $(cat "$t/cc")"
fi
sobjs= nsobj=
for c in "$src"/*/*.c; do
	o=$objdir/$(basename "$(dirname "$c")")/$(basename "$c" .c).o
	[ -f "$o" ] && sobjs="$sobjs $o" || nsobj="$nsobj $o"
done
if [ -n "$nsobj" ]; then
	bad "no objects beside $D for:$nsobj"
else
	# shellcheck disable=SC2086
	stage_calls $sobjs > "$t/stagecalls"
	found=$(upward < "$t/stagecalls")
	[ "$(grep -c . "$t/stagecalls")" -ge 100 ] || bad "nm found only $(grep -c . "$t/stagecalls") calls between stages"
	[ -z "$found" ] && ok "every call between stages goes down the pipeline ($(grep -c . "$t/stagecalls") symbols)" \
		|| bad "calls that do not go down the pipeline (FROM TO SYMBOL): $(echo "$found" | tr '\n' ';')"
fi

# 6. Messages go through diag only.  A made-up object that prints to stderr
# is found first.
writes_stderr() {	# OBJECT...: each object, other than diag.o, writing to stderr
	for o in "$@"; do
		[ "$(basename "$o")" = diag.o ] && continue
		nm -u "$o" | awk '$2 ~ /^(stderr|perror|g_printerr|warnx?|errx?|verrx?|vwarnx?)$/ { print o, $2 }' o="$o"
	done
}
printf '#include <stdio.h>\nvoid w(void) { fprintf(stderr, "dossier: hello\\n"); }\n' > "$t/objs/write/p.c"
if (cd "$t/objs/write" && ${CC:-cc} -c p.c) 2> "$t/cc"; then
	got=$(writes_stderr "$t/objs/write/p.o" "$t/objs/write/w.o" | awk '{ print $2 }')
	[ "$got" = stderr ] && ok "a made-up fprintf(stderr) outside diag is found" \
		|| bad "the stderr check on a made-up fprintf(stderr) gives '$got'"
else
	bad "cannot compile the made-up fprintf: $(cat "$t/cc")"
fi
if [ -z "$nsobj" ]; then
	# shellcheck disable=SC2086
	found=$(writes_stderr $sobjs)
	[ -z "$found" ] && ok "no object but base/diag.o writes to stderr: every message goes through diag" \
		|| bad "objects that write to stderr past diag (OBJECT SYMBOL): $(echo "$found" | tr '\n' ';')"
fi

# 7. State: "FILE VAR" for each writable variable of each object (a
# function's static "once.2" is "once"), and the same from the table.
state_vars() {
	for o in "$@"; do
		f=src/$(basename "$(dirname "$o")")/$(basename "$o" .o | sed 's/-testing$//').c
		objdump -t "$o" | awk -v f="$f" 'NF >= 4 && $NF !~ /^(\.|__)/ && $(NF - 2) ~ /^\.(data|data\.rel|data\.rel\.local|bss|tbss|tdata)$/ {
			v = $NF; sub(/\.[0-9]+$/, "", v); print f, v }'
	done | sort -u
}
state_table() {
	awk '/^## State that outlives a call/ { on = 1; next } /^## / { on = 0 }
		on && /^\| `src\// { split($0, c, "|"); f = c[2]; gsub(/[ `]/, "", f); n = split(c[3], v, ","); for (i = 1; i <= n; i++) { x = v[i]; gsub(/[ `]/, "", x); print f, x } }' "$1" | sort -u
}
mkdir -p "$t/state/base"
printf 'static int kept;\nint counter = 1;\n_Thread_local char *mine;\nconst int fixed = 3;\nint f(void) { static int once; return kept + counter + once++ + fixed + !mine; }\n' > "$t/state/base/s.c"
if (cd "$t/state/base" && ${CC:-cc} -c s.c) 2> "$t/cc"; then
	got=$(state_vars "$t/state/base/s.o" | tr '\n' ';')
	[ "$got" = "src/base/s.c counter;src/base/s.c kept;src/base/s.c mine;src/base/s.c once;" ] \
		&& ok "objdump of a made-up object finds its writable variables (kept, counter, mine, a function's once; not a const)" \
		|| bad "the state check on a made-up object gives '$got'"
else
	bad "cannot compile the made-up state: $(cat "$t/cc")"
fi
printf '## State that outlives a call\n\n| File | State |\n|---|---|\n| `src/base/s.c` | `kept`, `once` |\n\n## Next\n| `src/x/y.c` | `z` |\n' > "$t/state/table.md"
got=$(state_table "$t/state/table.md" | tr '\n' ';')
[ "$got" = "src/base/s.c kept;src/base/s.c once;" ] && ok "the table of a made-up docs page is read" \
	|| bad "the state table of a made-up page gives '$got'"
if [ -z "$nsobj" ]; then
	# shellcheck disable=SC2086
	tobjs=
	for o in "$objdir"/*/*-testing.o; do
		[ -f "$src/$(basename "$(dirname "$o")")/$(basename "$o" -testing.o).c" ] && tobjs="$tobjs $o"
	done
	# shellcheck disable=SC2086
	state_vars $sobjs $tobjs > "$t/vars"
	state_table "$root/docs/hacking.md" > "$t/table"
	[ "$(grep -c . "$t/vars")" -ge 20 ] || bad "objdump found only $(grep -c . "$t/vars") variables in the objects beside $D"
	unnamed=$(comm -23 "$t/vars" "$t/table" | tr '\n' ';')
	stale=$(comm -13 "$t/vars" "$t/table" | tr '\n' ';')
	[ -z "$unnamed" ] && ok "docs/hacking.md names, with its reset, every variable that outlives a call ($(grep -c . "$t/vars") in $(cut -d' ' -f1 "$t/vars" | sort -u | grep -c .) files)" \
		|| bad "state docs/hacking.md's table 'State that outlives a call' does not name (write it down with its reset, or pass it down): $unnamed"
	[ -z "$stale" ] && ok "every variable docs/hacking.md's state table names exists" \
		|| bad "docs/hacking.md's state table names variables no object has: $stale"
fi

[ $fails = 0 ]

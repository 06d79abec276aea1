#!/bin/bash
# A build is atomic to the last file (pipeline/build.c):
# 1. a fault injected at every file operation of a build in turn (the test
#    binary's DOSSIER_FAIL_AT=N) leaves OUT byte for byte, inode for inode, as
#    it was, with no litter, and `dossier verify` accepts it; the walk ends at
#    the first N the build gets through, whose OUT is the new build entirely;
# 2. SIGTERM and SIGINT during a build: exit by the signal, OUT untouched, no
#    litter; SIGKILL: the products untouched, the staging folder in
#    OUT/.dossier-cache left, and the next build removes it;
# 2b. the process killed (SIGKILL, the test binary's DOSSIER_KILL_AT=N) at
#    every file operation in turn, the commit's renames among them: the next
#    build completes or removes what it left (its journal), and its OUT
#    equals a clean build's;
# 2c. SIGINT at every file operation in turn (DOSSIER_SIGNAL_AT=N): OUT as
#    it was, or the new build entire when the signal came during the commit;
# 3. two builds into one OUT take turns: --no-wait fails at once (exit 2,
#    message), without it the second waits (message) and both succeed;
# 4. a symbolic link where dossier writes is moved aside, never written
#    through: nothing outside OUT changes, and the message says where it went;
#    a file and a link of the user's elsewhere in OUT are kept;
# 5. OUT may not hold the content folder.
# A small package (two documents) keeps the walk short.
set -u
D=${DOSSIER:-./dossier}
DT=${DOSSIER_TEST:-build/dossier-test}
case $D in /*) ;; *) D=$PWD/$D ;; esac
case $DT in /*) ;; *) DT=$PWD/$DT ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok atomic: $1"; }
bad() { echo "FAIL atomic: $1"; fails=$((fails + 1)); }
[ -x "$DT" ] || { bad "no test binary $DT (make build/dossier-test)"; exit 1; }

# Kind, name, link target, size, mtime, inode and content of every entry.
tree_sum() {
	(cd "$1" && find . \( -type d -printf '%y %p %m\n' \) -o -printf '%y %p %l %s %T@ %i\n' | LC_ALL=C sort
	 cd "$1" && find . -type f | LC_ALL=C sort | xargs -r sha256sum) | sha256sum
}
# Staging and trash folders of a build (in OUT/.dossier-cache), or of an
# older dossier's (beside OUT).
litter() { { ls -a "$t/w"; ls -a "$t/w/out/.dossier-cache" 2> /dev/null; } | grep -c '\.dossier-new-\|^stage-\|^trash-'; }
products_sum() { (cd "$1" && find . \( -path './.dossier-cache/stage-*' -o -path './.dossier-cache/trash-*' \) -prune -o \( -type d -printf '%y %p %m\n' \) -o -printf '%y %p %l %s %T@ %i\n' | LC_ALL=C sort) | sha256sum; }

mkdir -p "$t/w"
cp -R content "$t/w/c1"
cp -R templates "$t/w/tpl"
cat > "$t/w/tpl/package.yaml" <<'EOF'
package: bsp-application
title: Atomic test
subject: Atomic test
spreadsheet: business/client-metrics.xlsx
documents:
  - path: company/company-overview.md
    template: company-overview.mustache
    title: Company Overview
  - path: technical/uptime-report.md
    template: uptime-report.mustache
    title: Uptime Report
EOF
cp -R "$t/w/c1" "$t/w/c2"
sed -i 's/^uptime_percent: .*/uptime_percent: 99.97/' "$t/w/c2/metrics/2026-10.yaml"
build() { "$1" build --quiet --content "$t/w/$2" --templates "$t/w/tpl" --out "$t/w/out" "${@:3}"; }
# In the background, so that $! is dossier itself (a function would be a subshell).
build_bg() { "$D" build --quiet --content "$t/w/$1" --templates "$t/w/tpl" --out "$t/w/out" --force 2> "$2" & }

build "$D" c1 || { bad "first build"; exit 1; }
"$D" verify "$t/w/out/bsp-application" > /dev/null || { bad "verify after the first build"; exit 1; }
before=$(tree_sum "$t/w/out")

# 1. Every file operation of a build fails in turn.
n=0 walked=0 broken=
while [ $n -lt 400 ]; do
	n=$((n + 1))
	DOSSIER_FAIL_AT=$n build "$DT" c2 > "$t/stdout" 2> "$t/err"; rc=$?
	[ $rc = 0 ] && break
	walked=$((walked + 1))
	why=
	[ $rc = 2 ] || why="$why exit $rc;"
	grep -q 'Input/output error\|DOSSIER_FAIL_AT' "$t/err" || why="$why no message: $(head -c 200 "$t/err");"
	# OUT the same, byte for byte, as when it was verified above: verify
	# could say nothing new, and is run only when OUT changed.
	[ "$(tree_sum "$t/w/out")" = "$before" ] || { why="$why OUT changed;"
		"$D" verify "$t/w/out/bsp-application" > /dev/null || why="$why verify failed;"; }
	[ "$(litter)" = 0 ] || why="$why litter;"
	[ -z "$why" ] || { broken="$broken
  operation $n:$why"; before=$(tree_sum "$t/w/out"); }
done
if [ -z "$broken" ] && [ $walked -ge 30 ]; then
	ok "each of the $walked file operations of a build, failed in turn, leaves OUT as it was"
else
	bad "fault walk ($walked operations):$broken"
fi
grep -q '| Platform uptime (30 days) | 99.97% |' "$t/w/out/readiness.md" && "$D" verify "$t/w/out/bsp-application" > /dev/null \
	&& ok "operation $n on, the build goes through: the new OUT entire" || bad "build after the walk"
"$D" build --quiet --content "$t/w/c2" --templates "$t/w/tpl" --out "$t/ref" \
	&& diff -r -x .dossier-cache -x CHANGES.md "$t/ref" "$t/w/out" > /dev/null \
	&& ok "the walk's last build equals a clean one" || bad "the walk's last build differs from a clean one"
DOSSIER_FAIL_AT=1 build "$D" c1 > /dev/null 2>&1 && ok "the installed binary has no fault hook" || bad "fault hook in ./dossier"

# 2. Signals.  A build is slowed down by typesetting every PDF again.
before=$(tree_sum "$t/w/out")
for sig in TERM INT; do
	build_bg c1 "$t/err"
	pid=$!
	for _ in $(seq 1 600); do [ "$(litter)" != 0 ] && break; sleep 0.05; done
	kill -$sig $pid
	wait $pid; rc=$?
	want=$((128 + $(kill -l $sig)))
	if [ $rc = $want ] && [ "$(tree_sum "$t/w/out")" = "$before" ] && [ "$(litter)" = 0 ] &&
	   grep -qx 'dossier: interrupted; the output folder is as it was' "$t/err"; then
		ok "SIG$sig: exit $rc, OUT untouched, no litter"
	else
		bad "SIG$sig: exit $rc (want $want), litter $(litter): $(cat "$t/err")"
	fi
done
build_bg c1 /dev/null
pid=$!
for _ in $(seq 1 600); do [ "$(litter)" != 0 ] && break; sleep 0.05; done
before_products=$(products_sum "$t/w/out")
kill -KILL $pid; wait $pid 2>/dev/null
[ "$(products_sum "$t/w/out")" = "$before_products" ] && [ "$(litter)" = 2 ] && ok "SIGKILL: the products untouched, the staging folder left in the cache" \
	|| bad "SIGKILL: litter $(litter)"
build "$D" c1 && [ "$(litter)" = 0 ] && ok "the next build removes a killed build's staging folder" || bad "litter kept: $(ls -a "$t/w")"

# 2b. Killed at every file operation in turn; the next build puts it right.
"$D" build --quiet --content "$t/w/c2" --templates "$t/w/tpl" --out "$t/ref2" 2> /dev/null
echo "mine" > "$t/w/out/notes.txt"
n=0 killed=0 broken=
while [ $n -lt 400 ]; do
	n=$((n + 1))
	build "$D" c1 --force 2> /dev/null || { broken="$broken
  before $n: the build into OUT failed"; break; }
	DOSSIER_KILL_AT=$n build "$DT" c2 --force > /dev/null 2>&1; rc=$?
	[ $rc = 0 ] && break
	killed=$((killed + 1))
	why=
	[ $rc = 137 ] || why="$why exit $rc;"
	build "$D" c2 > /dev/null 2> "$t/err" || why="$why the next build failed: $(head -c 200 "$t/err");"
	[ "$(litter)" = 0 ] || why="$why litter;"
	diff -r -x .dossier-cache -x CHANGES.md "$t/ref2" "$t/w/out" 2>&1 | grep -v '^Only in .*/out: notes.txt$' | grep -q . && why="$why differs from a clean build;"
	[ "$(cat "$t/w/out/notes.txt")" = mine ] || why="$why notes.txt lost;"
	[ -z "$why" ] || broken="$broken
  killed at $n:$why"
done
rm "$t/w/out/notes.txt"
if [ -z "$broken" ] && [ $killed -ge 30 ]; then
	ok "killed at each of the $killed file operations of a build in turn, the next build puts OUT right"
else
	bad "kill walk ($killed operations):$broken"
fi
build "$D" c1 2> /dev/null
before=$(tree_sum "$t/w/out")

# 2c. SIGINT at each file operation in turn (the test binary's
# DOSSIER_SIGNAL_AT=N), making the staging folder and the commit among them:
# exit 130, no litter, and OUT as it was, with the message; or, when the
# signal came during the commit, which it waits for, the new OUT entire.
n=0 signalled=0 broken=
while [ $n -lt 400 ]; do
	n=$((n + 1))
	DOSSIER_SIGNAL_AT=$n build "$DT" c2 --force > /dev/null 2> "$t/err"; rc=$?
	[ $rc = 0 ] && break
	signalled=$((signalled + 1))
	why=
	[ $rc = 130 ] || why="$why exit $rc;"
	[ "$(litter)" = 0 ] || why="$why litter;"
	if [ "$(tree_sum "$t/w/out")" = "$before" ]; then
		grep -qx 'dossier: interrupted; the output folder is as it was' "$t/err" || why="$why no message;"
	else
		diff -r -x .dossier-cache -x CHANGES.md "$t/ref2" "$t/w/out" > /dev/null || why="$why OUT neither as it was nor the new build;"
		build "$D" c1 2> /dev/null
		before=$(tree_sum "$t/w/out")
	fi
	[ -z "$why" ] || broken="$broken
  signalled at $n:$why"
done
if [ -z "$broken" ] && [ $signalled -ge 30 ]; then
	ok "SIGINT at each of the $signalled file operations of a build in turn: OUT as it was or the new one, no litter"
else
	bad "signal walk ($signalled operations):$broken"
fi

# 3. Two builds into one OUT.  The first holds OUT's lock (flock on the
# folder, as a build takes it) for 3 s: a real build of the example can end
# before the next one starts, and then nothing waits.
rm -f "$t/held"
flock "$t/w/out" -c "touch '$t/held'; sleep 3" &
pid=$!
for _ in $(seq 1 600); do [ -e "$t/held" ] && break; sleep 0.05; done
build "$D" c1 --no-wait 2> "$t/err2"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err2")" = "$t/w/out: error: another build is writing to this folder (--no-wait: not waiting for it)" ] \
	&& ok "--no-wait: exit 2 at once, with a message" || bad "--no-wait: exit $rc: $(cat "$t/err2")"
build "$D" c1 2> "$t/err3"; rc3=$?
wait $pid; rc1=$?
[ $rc1 = 0 ] && [ $rc3 = 0 ] && grep -qx "dossier: waiting for another build into $t/w/out to finish" "$t/err3" \
	&& grep -q '| Platform uptime (30 days) | 99.94% |' "$t/w/out/readiness.md" \
	&& "$D" verify "$t/w/out/bsp-application" > /dev/null \
	&& ok "the second build waits, says so, and goes last" || bad "waiting: $rc1 $rc3: $(cat "$t/err3")"

# 4. Links are replaced, never followed; the user's own files are kept.
mkdir -p "$t/elsewhere"
cp -R "$t/w/out/bsp-application" "$t/elsewhere/pkg"
echo "mine" > "$t/elsewhere/pkg/keep.txt"
echo "mine" > "$t/elsewhere/target.txt"
outside=$(tree_sum "$t/elsewhere")
rm -rf "$t/w/out/bsp-application"
ln -s "$t/elsewhere/pkg" "$t/w/out/bsp-application"
rm "$t/w/out/readiness.md"
ln -s "$t/elsewhere/target.txt" "$t/w/out/readiness.md"
ln -s "$t/elsewhere/target.txt" "$t/w/out/my-link"
echo "notes" > "$t/w/out/notes.txt"
build "$D" c2 2> "$t/err"; rc=$?
[ $rc = 0 ] && [ -d "$t/w/out/bsp-application" ] && [ ! -L "$t/w/out/bsp-application" ] && [ ! -L "$t/w/out/readiness.md" ] \
	&& ok "a linked package folder and readiness.md are replaced by real ones" || bad "links: exit $rc: $(cat "$t/err")"
[ "$(readlink "$t/w/out/moved-aside/bsp-application")" = "$t/elsewhere/pkg" ] && [ "$(readlink "$t/w/out/moved-aside/readiness.md")" = "$t/elsewhere/target.txt" ] \
	&& grep -qxF "dossier: $t/w/out/bsp-application was not written by dossier and is where it writes its folder: moved to $t/w/out/moved-aside/bsp-application" "$t/err" \
	&& grep -qxF "dossier: $t/w/out/readiness.md was not written by dossier and is where it writes its file: moved to $t/w/out/moved-aside/readiness.md" "$t/err" \
	&& ok "the links are moved aside, and the build says where" || bad "links moved aside: $(ls -l "$t/w/out/moved-aside" 2>&1; cat "$t/err")"
[ "$(tree_sum "$t/elsewhere")" = "$outside" ] && ok "nothing outside OUT changed" || bad "a link was written through"
[ "$(readlink "$t/w/out/my-link")" = "$t/elsewhere/target.txt" ] && [ "$(cat "$t/w/out/notes.txt")" = notes ] \
	&& ok "the user's file and link in OUT are kept" || bad "user's files lost"
"$D" verify "$t/w/out/bsp-application" > /dev/null && ok "verify accepts the package" || bad "verify"

# 5. OUT holding the content folder: refused, nothing written.
mkdir -p "$t/w/big/c"; cp -R "$t/w/c1/." "$t/w/big/c/"
"$D" build --content "$t/w/big/c" --templates "$t/w/tpl" --out "$t/w/big" 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "$t/w/big: error: the output folder must not hold the content folder: a build would read what it wrote" ] \
	&& [ "$(ls "$t/w/big")" = c ] && ok "OUT holding the content folder: refused" || bad "OUT holding content: exit $rc: $(cat "$t/err")"
[ $fails = 0 ]

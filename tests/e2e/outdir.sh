#!/bin/bash
# The output folder is the user's (issue 22, class 1; pipeline/commit.h):
# dossier replaces or removes only what its record says it wrote.
#   1. OUT filled with what is not dossier's - names with .tmp- and .new-,
#      files and a folder inside the package folder and inside its
#      subfolders, a FIFO, a socket, links, other owners and modes, a
#      tmpfs mounted in OUT and one in the package folder (root only), three
#      shells whose current folder is in OUT, a writer adding files during
#      the builds - then 20 builds, alternating two contents: every entry
#      is byte-, inode- and metadata-identical (type, inode, mode, owner,
#      size, mtime, content, link target), every file the writer made is
#      there, every shell is still in a live folder, the package verifies;
#   2. an entry of the user's where dossier writes (a folder where CHANGES.md
#      goes, a link where readiness.md goes) is moved aside, identical, and
#      the message says where;
#   3. a first build into a folder holding what dossier did not write is
#      refused, naming it, and changes nothing; with --force it builds and
#      moves what is in the way aside (the hand-made bsp-application/
#      cover-letter.txt and readiness.md of the issue), identical;
#   4. `--out .` from inside OUT, and an OUT that is itself a mount point;
#   5. an OUT inside the content folder (`--out content/case-studies`), or
#      holding it, is refused, also with --watch (which would rebuild for ever).
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do kill "$p" 2> /dev/null; done
	# Every mount under $t, wherever a build may have moved it, deepest first.
	awk -v t="$t" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount "$m"; done
	rm -rf "$t"
}
trap cleanup EXIT
fails=0
ok() { echo "ok outdir: $1"; }
bad() { echo "FAIL outdir: $1"; fails=$((fails + 1)); }
skip() { echo "SKIP outdir: $1"; }
root=no; [ "$(id -u)" = 0 ] && root=yes

# A small package (two documents) keeps 20 builds short.
cp -R content "$t/c1"
cp -R templates "$t/tpl"
cat > "$t/tpl/package.yaml" <<'EOF'
package: bsp-application
title: Output folder test
subject: Output folder test
spreadsheet: business/client-metrics.xlsx
documents:
  - path: company/company-overview.md
    template: company-overview.mustache
    title: Company Overview
  - path: technical/uptime-report.md
    template: uptime-report.mustache
    title: Uptime Report
EOF
cp -R "$t/c1" "$t/c2"
sed -i 's/^uptime_percent: .*/uptime_percent: 99.97/' "$t/c2/metrics/2026-10.yaml"
build() {	# OUT CONTENT [options]
	"$D" build --quiet --content "$t/$2" --templates "$t/tpl" --out "$1" "${@:3}"
}

# Type, inode, mode, owner, size, mtime, link target and SHA-256 of every
# entry under each path given (relative to OUT), one line each.
snapshot() {
	local out=$1; shift
	(cd "$out" && for p in "$@"; do
		find "$p" -printf '%p %y %i %m %u %g %s %T@ %l\n'
		find "$p" -type f -exec sha256sum {} +
	done) | LC_ALL=C sort
}

# 1. OUT full of things that are not dossier's.
O=$t/out
build "$O" c1 || { bad "first build"; exit 1; }
P=$O/bsp-application
echo "report" > "$O/report.tmp-2024.txt"
echo "vim" > "$O/.vimrc.new-laptop"
echo "old staging name" > "$O/.out.dossier-new-mine"
mkdir -p "$O/notes/deep"; echo "n" > "$O/notes/deep/n.txt"
echo "cover" > "$P/cover-letter.txt"
echo "mine" > "$P/company/mine.md"
mkdir -p "$P/extra/sub"; echo "x" > "$P/extra/sub/x.txt"
mkfifo "$O/fifo"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$O/sock"
ln -s /etc/hostname "$O/link-out"
ln -s bsp-application "$O/link-in"
chmod 0700 "$O/notes"; chmod 2750 "$O/notes/deep"; chmod 0444 "$O/report.tmp-2024.txt"
chmod 0600 "$P/cover-letter.txt"
if [ $root = yes ]; then
	chown 1234:5678 "$O/notes" "$O/report.tmp-2024.txt" "$P/cover-letter.txt"
	chown -h 4321:8765 "$O/link-out"
fi
touch -h -d '2001-02-03 04:05:06' "$O/report.tmp-2024.txt" "$O/notes" "$O/notes/deep" "$P/cover-letter.txt" "$P/extra" "$O/link-out"
user_entries=(report.tmp-2024.txt .vimrc.new-laptop .out.dossier-new-mine notes fifo sock link-out link-in
	      bsp-application/cover-letter.txt bsp-application/company/mine.md bsp-application/extra)
if [ $root = yes ]; then
	mkdir "$O/mnt" "$P/mnt2"
	if mount -t tmpfs -o size=1m,mode=0751 dossier-test "$O/mnt" && mount -t tmpfs -o size=1m dossier-test "$P/mnt2"; then
		mkdir -p "$O/mnt/folder/inner" "$P/mnt2/folder"
		echo "on tmpfs" > "$O/mnt/folder/inner/f.txt"; echo "on tmpfs" > "$P/mnt2/folder/g.txt"
		user_entries+=(mnt bsp-application/mnt2)
	else
		bad "cannot mount a tmpfs as root"
	fi
else
	skip "mounts in OUT: not root, cannot mount a tmpfs"
fi
before=$(snapshot "$O" "${user_entries[@]}")
owner_mode=$(stat -c '%u %g %a %i' "$O")
# Shells whose current folder is in OUT.
for d in "$O" "$P" "$P/company"; do
	(cd "$d" && exec sleep 600) &
	pids="$pids $!"
done
# A writer adding files, at OUT's top and in the package folder, all along.
# It stops when told, between two pairs of files (killed, it could leave a
# pair half written, which would count as lost).
(i=0; while [ ! -e "$t/stop" ]; do i=$((i + 1)); echo "w$i" > "$O/writer-$i.txt"; echo "w$i" > "$P/writer-$i.txt"; sleep 0.01; done) &
writer=$!
pids="$pids $writer"
failed_builds=
for i in $(seq 1 20); do
	c=c$((i % 2 + 1)); opt=
	[ $((i % 5)) = 0 ] && opt=--force
	build "$O" "$c" $opt 2> "$t/err" || failed_builds="$failed_builds $i($(head -c 200 "$t/err"))"
done
touch "$t/stop"; wait $writer 2> /dev/null
[ -z "$failed_builds" ] && ok "20 builds into an OUT full of the user's things" || bad "builds failed:$failed_builds"
after=$(snapshot "$O" "${user_entries[@]}")
if [ "$before" = "$after" ]; then
	ok "every entry of the user's is byte-, inode- and metadata-identical after 20 builds (${#user_entries[@]} entries)"
else
	bad "the user's entries changed: $(diff <(echo "$before") <(echo "$after") | head -10)"
fi
[ "$(stat -c '%u %g %a %i' "$O")" = "$owner_mode" ] && ok "OUT itself keeps its inode, owner and mode" || bad "OUT changed: $owner_mode -> $(stat -c '%u %g %a %i' "$O")"
lost=0 made=0
for f in "$O"/writer-*.txt; do
	n=${f##*/writer-}; n=${n%.txt}; made=$((made + 1))
	[ "$(cat "$f")" = "w$n" ] || lost=$((lost + 1))
	[ "$(cat "$P/writer-$n.txt" 2> /dev/null)" = "w$n" ] || lost=$((lost + 1))
done
[ $made -gt 20 ] && [ $lost = 0 ] && ok "each of the $((made * 2)) files written during the builds is there" || bad "writer: $lost of $((made * 2)) lost"
alive=0
for p in $pids; do
	[ "$p" = "$writer" ] && continue
	cwd=$(readlink "/proc/$p/cwd")
	case $cwd in *"(deleted)"*) ;; "$O"|"$P"|"$P/company") alive=$((alive + 1)) ;; esac
done
[ $alive = 3 ] && ok "the three shells in OUT are still in live folders" || bad "shells in deleted folders: $alive of 3 alive"
"$D" verify "$P" > "$t/verify" 2>&1; grep -v '^extra: \(cover-letter.txt\|company/mine.md\|extra/sub/x.txt\|mnt2/folder/g.txt\|writer-[0-9]*.txt\)$' "$t/verify" | grep -v '^verify: ' > "$t/verify.rest"
[ ! -s "$t/verify.rest" ] && ok "the package verifies, but for the user's files in it" || bad "verify: $(head -5 "$t/verify.rest")"
ls -a "$O/.dossier-cache" | grep -q '^stage-\|^trash-\|^journal$' && bad "litter in the cache: $(ls -a "$O/.dossier-cache")" || ok "no staging folder or journal left"

# 2. The user's things where dossier writes: moved aside, identical.
rm "$O/CHANGES.md"; mkdir "$O/CHANGES.md"; echo "my changes" > "$O/CHANGES.md/mine.txt"
rm "$O/readiness.md"; ln -s /etc/hostname "$O/readiness.md"
was=$(snapshot "$O" CHANGES.md readiness.md | sed 's# \./# #; s#^CHANGES.md#X#; s#^readiness.md#Y#')
build "$O" c1 2> "$t/err"; rc=$?
now=$(snapshot "$O/moved-aside" CHANGES.md readiness.md | sed 's#^CHANGES.md#X#; s#^readiness.md#Y#')
[ $rc = 0 ] && [ -f "$O/CHANGES.md" ] && [ -f "$O/readiness.md" ] && [ ! -L "$O/readiness.md" ] \
	&& ok "a folder where CHANGES.md goes and a link where readiness.md goes: the build goes through" || bad "in the way: exit $rc: $(cat "$t/err")"
[ "$was" = "$now" ] && ok "both moved to OUT/moved-aside/, identical" || bad "moved aside: $(diff <(echo "$was") <(echo "$now") | head -6)"
[ "$(cat "$t/err")" = "dossier: $O/CHANGES.md was not written by dossier and is where it writes its file: moved to $O/moved-aside/CHANGES.md
dossier: $O/readiness.md was not written by dossier and is where it writes its file: moved to $O/moved-aside/readiness.md" ] \
	&& ok "the message names where each went" || bad "messages: $(cat "$t/err")"
rm -f "$O/CHANGES.md"; mkdir "$O/CHANGES.md"; echo again > "$O/CHANGES.md/mine.txt"	# a second time
build "$O" c1 2> "$t/err"
[ "$(cat "$O/moved-aside~1/CHANGES.md/mine.txt")" = again ] && grep -q "moved to $O/moved-aside~1/CHANGES.md" "$t/err" \
	&& ok "a second time, beside the first: moved-aside~1" || bad "second move aside: $(cat "$t/err")"

# 3. A first build into a folder dossier did not write.
F=$t/first
mkdir -p "$F/bsp-application"
echo "my cover letter" > "$F/bsp-application/cover-letter.txt"
echo "my readiness" > "$F/readiness.md"
echo "keep" > "$F/other.txt"
first=$(snapshot "$F" .)
build "$F" c1 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "$F: error: the output folder holds files dossier did not write (bsp-application, other.txt, readiness.md); build into a new or empty folder, or add --force to build here (what is in the way of dossier's files is then moved to moved-aside/)" ] \
	&& ok "a first build into a folder of the user's: refused, naming what is there" || bad "first build: exit $rc: $(cat "$t/err")"
[ "$(snapshot "$F" .)" = "$first" ] && ok "refused: nothing changed" || bad "the refused build changed the folder"
was=$(snapshot "$F" bsp-application readiness.md other.txt)
build "$F" c1 --force 2> "$t/err"; rc=$?
now=$( (snapshot "$F/moved-aside" bsp-application readiness.md; snapshot "$F" other.txt) | LC_ALL=C sort)
[ $rc = 0 ] && "$D" verify "$F/bsp-application" > /dev/null && [ "$was" = "$now" ] \
	&& grep -qxF "dossier: $F/readiness.md was not written by dossier and is where it writes its file: moved to $F/moved-aside/readiness.md" "$t/err" \
	&& grep -qxF "dossier: $F/bsp-application was not written by dossier and is where it writes its folder: moved to $F/moved-aside/bsp-application" "$t/err" \
	&& ok "--force: built; the hand-made package folder and readiness.md moved aside, identical, and named" \
	|| bad "--force: exit $rc: $(cat "$t/err"); $(diff <(echo "$was") <(echo "$now") | head -4)"
E=$t/empty; mkdir -p "$E/.dossier-cache"
build "$E" c1 && ok "a folder holding only an empty cache folder is built into" || bad "empty folder with a cache folder"

# 4. --out . from inside OUT; OUT a mount point.
(cd "$O" && "$D" build --quiet --content "$t/c2" --templates "$t/tpl" --out . && [ "$(stat -c %i .)" = "$(stat -c %i "$O")" ] && ls > /dev/null) 2> "$t/err" \
	&& ok "--out . from inside OUT: the shell's folder is still OUT" || bad "--out .: $(cat "$t/err")"
if [ $root = yes ]; then
	mkdir "$t/mounted"
	if mount -t tmpfs -o size=20m dossier-test "$t/mounted"; then
		build "$t/mounted" c1 2> "$t/err" && build "$t/mounted" c2 2>> "$t/err" && "$D" verify "$t/mounted/bsp-application" > /dev/null \
			&& ok "an OUT that is a mount point is built into, twice" || bad "OUT a mount point: $(cat "$t/err")"
	else
		bad "cannot mount a tmpfs as root"
	fi
else
	skip "OUT a mount point: not root, cannot mount a tmpfs"
fi

# 5. OUT inside the content folder, or holding it.
cp -R "$t/c1" "$t/c3"
"$D" build --quiet --content "$t/c3" --templates "$t/tpl" --out "$t/c3/case-studies" 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "$t/c3/case-studies: error: the output folder must not be inside the content folder: a build would read what it wrote" ] \
	&& diff -r "$t/c1" "$t/c3" > /dev/null && ok "--out content/case-studies: refused, nothing written" || bad "OUT in content: exit $rc: $(cat "$t/err")"
timeout 10 "$D" build --watch --content "$t/c3" --templates "$t/tpl" --out "$t/c3/out" > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "$t/c3/out: error: the output folder must not be inside the content folder: a build would read what it wrote" ] \
	&& [ ! -e "$t/c3/out" ] && ok "--watch --out content/out: refused at once" || bad "--watch into content: exit $rc: $(cat "$t/err")"
mkdir "$t/holds"; cp -R "$t/c1" "$t/holds/content"
"$D" build --quiet --content "$t/holds/content" --templates "$t/tpl" --out "$t/holds" 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "$t/holds: error: the output folder must not hold the content folder: a build would read what it wrote" ] \
	&& [ "$(ls -A "$t/holds")" = content ] && ok "an OUT holding the content folder: refused, nothing written" || bad "OUT holds content: exit $rc: $(cat "$t/err"); $(ls -A "$t/holds")"
"$D" build --quiet --content "$t/c3" --templates "$t/tpl" --out "$t/tpl/out" 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "must not be inside the templates folder" "$t/err" && ok "OUT inside the templates folder: refused" || bad "OUT in templates: exit $rc: $(cat "$t/err")"
[ $fails = 0 ]

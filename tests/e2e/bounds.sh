#!/bin/bash
# Every read is bounded, and a build can be stopped (issue 22, class 7):
#   - `verify` on a manifest.xml or SHA256SUMS that is a FIFO, or a link to
#     /dev/zero, and `diff` on a FIFO CHANGES.md, fail at once (exit 2, the
#     file named) instead of hanging or reading until memory runs out;
#   - the CSV loader is linear: a 2 MB clients export (about 45,000 rows)
#     loads; the session-start binary counted every cell's position from
#     the first byte (0.7 MB took 17 s, 2 MB would take minutes);
#   - SIGTERM and SIGINT stop a build within a second in any phase (here:
#     loading a 14 MB export, and typesetting a 1 MB paragraph, one job of
#     seconds), exit by the signal, and leave OUT as it was.
# Each command runs under `timeout`, so a hang is a failure, not a stuck suite.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok bounds: $1"; }
bad() { echo "FAIL bounds: $1"; fails=$((fails + 1)); }
# Every entry; a folder's mtime left out (dossier's cache folder gets one
# when a staging folder is made and removed in it).
tree_sum() {
	(cd "$1" && find . \( -type d -printf '%y %p %m\n' \) -o -printf '%y %p %l %s %T@ %i %m\n' | LC_ALL=C sort
	 cd "$1" && find . -type f | LC_ALL=C sort | xargs -r sha256sum) | sha256sum
}

"$D" build --quiet --out "$t/out" || { bad "first build"; exit 1; }
pkg=$t/out/bsp-application

# verify and diff on files that are not regular files.
cp -R "$pkg" "$t/fifo-pkg"
rm "$t/fifo-pkg/manifest.xml"; mkfifo "$t/fifo-pkg/manifest.xml"
timeout 10 "$D" verify "$t/fifo-pkg" > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "$t/fifo-pkg/manifest.xml: error: cannot read the manifest: a FIFO, not a regular file" ] \
	&& ok "verify: a FIFO manifest.xml is an error" || bad "verify, FIFO manifest: exit $rc: $(cat "$t/err")"
rm "$t/fifo-pkg/manifest.xml"; ln -s /dev/zero "$t/fifo-pkg/manifest.xml"
timeout 10 "$D" verify "$t/fifo-pkg" > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "$t/fifo-pkg/manifest.xml: error: cannot read the manifest: a character device, not a regular file" ] \
	&& ok "verify: a manifest.xml linked to /dev/zero is an error" || bad "verify, /dev/zero manifest: exit $rc: $(cat "$t/err")"
rm "$t/fifo-pkg/manifest.xml"; cp "$pkg/manifest.xml" "$t/fifo-pkg/"
rm "$t/fifo-pkg/SHA256SUMS"; mkfifo "$t/fifo-pkg/SHA256SUMS"
timeout 10 "$D" verify "$t/fifo-pkg" > "$t/stdout" 2> "$t/err"; rc=$?
[ $rc = 1 ] && grep -qx 'missing: SHA256SUMS' "$t/stdout" \
	&& ok "verify: a FIFO SHA256SUMS is reported, not waited on" || bad "verify, FIFO SHA256SUMS: exit $rc: $(cat "$t/stdout" "$t/err")"
mkdir -p "$t/fifo-out"; mkfifo "$t/fifo-out/CHANGES.md"
timeout 10 "$D" diff --out "$t/fifo-out" > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "$t/fifo-out/CHANGES.md: error: cannot read: a FIFO, not a regular file" ] \
	&& ok "diff: a FIFO CHANGES.md is an error" || bad "diff, FIFO CHANGES.md: exit $rc: $(cat "$t/err")"

# A large clients export, in a copy of the project.
csv_project() {	# DIR BYTES: a project whose October clients come from a CSV of BYTES
	mkdir -p "$1"; cp -R content "$1/content"; cp dossier.yaml "$1/" 2>/dev/null || touch "$1/dossier.yaml"
	python3 - "$1/content/metrics/2026-10.yaml" "$2" <<'PY'
import sys, re
path, size = sys.argv[1], int(sys.argv[2])
s = open(path).read()
s = re.sub(r'(?ms)^clients:\n(?:[ -].*?\n)*', '', s)
open(path, 'w').write(s)
with open(path.replace('.yaml', '.clients.csv'), 'w') as f:
    f.write('id,industry,city,messages\n')
    n = 0
    while f.tell() < size:
        n += 1
        f.write(f'C-{n:06d},Electricidad,"Córdoba, Capital",{500 + n % 300}\n')
PY
}
csv_project "$t/csv2" 2000000
(cd "$t/csv2" && timeout 60 "$D" check > /dev/null 2> "$t/err"); rc=$?
grep -q "clients are listed (content/metrics/2026-10.clients.csv:1)" "$t/err" && [ $rc != 124 ] \
	&& ok "a 2 MB clients export loads (linear)" || bad "2 MB CSV: exit $rc: $(head -c 300 "$t/err")"

# Signals: each phase stops within a second, OUT as it was.
csv_project "$t/csv14" 14000000
cp -R "$t/out" "$t/sig-out"
before=$(tree_sum "$t/sig-out")
stop_at() {	# SIG WHAT WHEN [PROJECT]: signal a build after WHEN seconds, or once it stages
	local sig=$1 what=$2 after=$3 proj=${4:-$t/csv14}
	(cd "$proj" && exec "$D" build --quiet --force --out "$t/sig-out" 2> "$t/sig-err") &
	local pid=$!
	if [ "$after" = staging ]; then
		for _ in $(seq 1 1200); do ls "$t/sig-out/.dossier-cache" 2> /dev/null | grep -q '^stage-' && break; sleep 0.05; done
		sleep 0.3
	else
		sleep "$after"
	fi
	local sent=$(date +%s%N)
	kill -"$sig" $pid
	# Running until it ends (a zombie, not yet waited for, has ended).
	for _ in $(seq 1 250); do ps -o stat= -p $pid | grep -qv Z || break; sleep 0.02; done
	local ms=$((($(date +%s%N) - sent) / 1000000))
	kill -KILL $pid 2> /dev/null	# still running after 5 s: it ignored the signal
	wait $pid; local rc=$?
	local want=$((128 + $(kill -l "$sig")))
	# Within a second on an idle machine (docs/limits.md); 3 s leaves room
	# for a loaded one and for SANITIZE=1, and still tells a build that stops
	# from one that runs on (the session-start binary: killed after 5 s).
	if [ $rc = $want ] && [ $ms -lt 3000 ] && [ "$(tree_sum "$t/sig-out")" = "$before" ] &&
	   grep -qx 'dossier: interrupted; the output folder is as it was' "$t/sig-err"; then
		ok "SIG$sig while $what: stopped in $ms ms, exit $rc, OUT as it was"
	else
		bad "SIG$sig while $what: exit $rc (want $want) after $ms ms; OUT $([ "$(tree_sum "$t/sig-out")" = "$before" ] && echo same || echo changed): $(head -c 300 "$t/sig-err")"
	fi
}
stop_at TERM "loading a 14 MB CSV" 0.3
stop_at INT "loading a 14 MB CSV" 0.3
# Typesetting a 1 MB paragraph takes seconds (docs/limits.md), in one job.
mkdir -p "$t/long"; cp -R content "$t/long/content"; touch "$t/long/dossier.yaml"
cs=$(ls "$t"/long/content/case-studies/*.md | head -1)
python3 -c 'import sys; print(" ".join(["word%d" % (i % 997) for i in range(120000)]))' >> "$cs"
stop_at TERM "typesetting a 1 MB paragraph" staging "$t/long"
stop_at INT "typesetting a 1 MB paragraph" staging "$t/long"
[ $fails = 0 ]

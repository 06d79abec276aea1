#!/bin/bash
# Every read is bounded, and a build can be stopped (issue 22, class 7):
#   - `verify` on a manifest.xml or SHA256SUMS that is a FIFO, or a link to
#     /dev/zero, and `diff` on a FIFO CHANGES.md, fail at once (exit 2, the
#     file named) instead of hanging or reading until memory runs out;
#   - the CSV loader is linear: a 2 MB clients export (about 45,000 rows)
#     loads; the session-start binary counted every cell's position from
#     the first byte (0.7 MB took 17 s, 2 MB would take minutes);
# Each command runs under `timeout`, so a hang is a failure, not a stuck suite.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok bounds: $1"; }
bad() { echo "FAIL bounds: $1"; fails=$((fails + 1)); }
tree_sum() {
	(cd "$1" && find . -printf '%y %p %l %s %T@ %i %m\n' | LC_ALL=C sort
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

[ $fails = 0 ]

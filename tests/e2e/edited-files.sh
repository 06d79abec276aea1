#!/bin/sh
# Files a user can edit that are not content: the cache in OUT, and the
# things that are not bad input but must not crash or hang either.
# (Bad input proper is tests/bad/, run by bad-input.sh.)
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok edited-files: $1"; }
bad() { echo "FAIL edited-files: $1"; fails=$((fails + 1)); }

"$D" build --quiet --out "$t/out" > "$t/log" 2>&1 || bad "example build: $(cat "$t/log")"

# A forged typesetting cache: a valid checksum over page counts past an
# int (their sum overflowed: UBSan aborted).  It is damaged, not trusted.
c=$t/out/.dossier-cache/typeset
sed '$d' "$c" | awk 'NR == 1 { print; next } { $3 = "2147483647"; print }' > "$t/forged"
printf 'sha256 %s\n' "$(sha256sum < "$t/forged" | cut -d' ' -f1)" >> "$t/forged"
cp "$t/forged" "$c"
"$D" build --out "$t/out" > "$t/log" 2>&1; rc=$?
if [ $rc = 0 ] && grep -q "^$c: warning: typesetting cache is damaged or not dossier's; ignored (every PDF is typeset again)$" "$t/log" &&
   grep -q '^dossier: wrote [0-9]* documents ([0-9]* PDF pages; [0-9]* PDFs typeset, 0 unchanged)' "$t/log"; then
	ok "a forged cache with huge page counts is ignored with a warning"
else
	bad "forged cache: exit $rc: $(cat "$t/log")"
fi

# A cache that is a FIFO or /dev/zero: ignored, never read without end.
rm -f "$c" && mkfifo "$c"
timeout 60 "$D" build --out "$t/out" > "$t/log" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "^$c: warning: typesetting cache is damaged" "$t/log" && ok "a FIFO as the cache: a warning" \
	|| bad "FIFO cache: exit $rc: $(cat "$t/log")"
rm -f "$c" && ln -s /dev/zero "$c"
timeout 60 "$D" build --out "$t/out" > "$t/log" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "^$c: warning: typesetting cache is damaged" "$t/log" && ok "/dev/zero as the cache: a warning" \
	|| bad "/dev/zero cache: exit $rc: $(cat "$t/log")"
rm -f "$c"
s=$t/out/.dossier-cache/state
rm -f "$s" && ln -s /dev/zero "$s"
timeout 60 "$D" build --quiet --out "$t/out" > "$t/log" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "^$s: warning: build state is corrupt" "$t/log" && ok "/dev/zero as the build state: a warning" \
	|| bad "/dev/zero state: exit $rc: $(cat "$t/log")"

# dossier pdf and render read only regular files, bounded.
timeout 10 "$D" pdf /dev/zero -o "$t/z.pdf" > "$t/log" 2>&1; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/log")" = "/dev/zero: error: cannot read: a character device, not a regular file" ] \
	&& ok "dossier pdf /dev/zero: a located error" || bad "pdf /dev/zero: exit $rc: $(cat "$t/log")"
mkfifo "$t/fifo"
echo "a: 1" > "$t/d.yaml"
timeout 10 "$D" render --data "$t/d.yaml" "$t/fifo" > "$t/log" 2>&1; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/log")" = "$t/fifo: error: cannot read: a FIFO, not a regular file" ] \
	&& ok "dossier render FIFO: a located error" || bad "render FIFO: exit $rc: $(cat "$t/log")"
[ $fails = 0 ]

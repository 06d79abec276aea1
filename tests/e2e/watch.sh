#!/bin/bash
# build --watch: builds, shows an error when a file goes bad and keeps
# watching, rebuilds when it is fixed.  Bounded by timeout (generous: on a
# loaded machine one build of the example takes 20 s).
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cp -r content "$t/c"
timeout 180 "$D" build --watch --verbose --content "$t/c" --out "$t/out" > "$t/log" 2>&1 &
pid=$!
wait_for() { for _ in $(seq 1 600); do [ "$(grep -c "$1" "$t/log")" -ge "$2" ] && return 0; sleep 0.1; done; return 1; }
fails=0
wait_for '^dossier: watching' 1 || { echo "FAIL watch: no first build: $(cat "$t/log")"; fails=1; }
sed -i 's/^uptime_percent: .*/uptime_percent: 99.9x/' "$t/c/metrics/2026-10.yaml"
if wait_for 'error: uptime_percent must be a percentage' 1 && wait_for '^dossier: watching' 2; then
	echo "ok watch: an error is shown and watching goes on"
else
	echo "FAIL watch: $(cat "$t/log")"; fails=1
fi
sed -i 's/^uptime_percent: .*/uptime_percent: 99.95/' "$t/c/metrics/2026-10.yaml"
if wait_for '^dossier: wrote' 2; then echo "ok watch: rebuilt after the fix"; else echo "FAIL watch: no rebuild: $(cat "$t/log")"; fails=1; fi
grep -q '| Platform uptime (30 days) | 99.95% |' "$t/out/readiness.md" && echo "ok watch: the rebuild has the new figure" || { echo "FAIL watch: old figure"; fails=1; }
# --verbose: the time from the edit's write to the new output in place.
grep -q "^dossier: $t/c/metrics/2026-10.yaml: shown [0-9]* ms after it was written\$" "$t/log" \
	&& echo "ok watch: --verbose says how long after the write the edit was shown" \
	|| { echo "FAIL watch: no timing line: $(grep shown "$t/log")"; fails=1; }
# A later build in the running process (layouts, theme and threads kept
# from the build before) writes the bytes a fresh process writes.
cs=$(ls "$t"/c/case-studies/*.md | sort | head -1)
shown_md() { grep -l "$1" "$t/out/bsp-application/business/case-studies/"*.md 2>/dev/null | head -1; }
# until_built TEST: until TEST holds of OUT and then no build has begun for
# a second (a loaded machine may split one save into two builds).
until_built() {
	for _ in $(seq 1 600); do
		if eval "$1"; then
			local was
			was=$(wc -l < "$t/log"); sleep 1
			[ "$(wc -l < "$t/log")" = "$was" ] && return 0
		else
			sleep 0.1
		fi
	done
	return 1
}
builds=$(grep -c '^dossier: wrote' "$t/log")
sed -i '0,/ the / s// THE /' "$cs"
if until_built '[ -n "$(shown_md THE)" ]'; then
	"$D" build --quiet --force --content "$t/c" --out "$t/fresh" 2> "$t/fresh.err" || echo "FAIL watch: fresh build: $(cat "$t/fresh.err")"
	differ=$(cd "$t/out/bsp-application" && find . -type f | sort | while read -r f; do cmp -s "$f" "$t/fresh/bsp-application/$f" || echo "$f"; done)
	n=$(cd "$t/out/bsp-application" && find . -type f | wc -l)
	if [ -z "$differ" ] && [ "$n" -gt 20 ]; then
		echo "ok watch: after an edit the package ($n files) is the one a fresh build makes"
	else
		echo "FAIL watch: files differ from a fresh build: $differ"; fails=1
	fi
	tail -n +1 "$t/log" | grep '^dossier: wrote' | tail -n +$((builds + 1)) | grep -Eq '; [1-9] PDFs? typeset, [0-9]+ unchanged' \
		&& echo "ok watch: only the PDFs that show the edit are typeset again" \
		|| { echo "FAIL watch: $(tail -3 "$t/log")"; fails=1; }
else
	echo "FAIL watch: no rebuild after a case-study edit: $(tail -5 "$t/log")"; fails=1
fi
# A save through a hidden temporary file renamed into place (gedit, many
# editors) is seen under the file's own name.
sed 's/ THE / the /' "$cs" > "$(dirname "$cs")/.tmp-save" && mv "$(dirname "$cs")/.tmp-save" "$cs"
if until_built '[ -z "$(shown_md THE)" ]'; then echo "ok watch: a hidden temporary file renamed onto a file is an edit"
else echo "FAIL watch: no build after a save through a hidden temporary file: $(tail -3 "$t/log")"; fails=1; fi
kill $pid 2>/dev/null; wait $pid 2>/dev/null
[ $fails = 0 ]

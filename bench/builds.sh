#!/bin/bash
# make bench, part 1: `dossier build` of the shipped example (content/ and
# templates/ copied to a temporary folder; nothing outside the repository is
# read), four cases, each timed BENCH_RUNS times (default 5), alternating
# so that every case sees the same load; medians of wall-clock and CPU
# (user + system) time.
#   full          OUT emptied before each build
#   no-change     nothing edited since a build that changed nothing
#   snapshot      the latest metrics snapshot's message count edited
#   case-study    one word of a case study edited
# and, in a running `build --watch --verbose`, the same case-study edit:
# the time from the file's write to the new output in place, as --watch
# prints it ("shown N ms after it was written").
# A benchmark, not a test: it never fails on speed.
set -u
D=$(realpath "${DOSSIER:-./dossier}")
N=${BENCH_RUNS:-5}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cp -r content "$t/c"
cp -r templates "$t/tpl"
B=("$D" build --quiet --content "$t/c" --templates "$t/tpl" --out "$t/out")
build() { "${B[@]}"; }
snap=$(ls "$t"/c/metrics/*.yaml | sort | tail -1)
cs=$(ls "$t"/c/case-studies/*.md | sort | head -1)
msgs=$(awk '/^messages: / { print $2; exit }' "$snap")

# time_ms CMD...: prints "WALL_MS CPU_MS" of one run.
time_ms() {
	/usr/bin/time -f '%e %U %S' -o "$t/time" "$@" > /dev/null 2>&1
	awk '{ printf "%d %d\n", $1 * 1000 + 0.5, ($2 + $3) * 1000 + 0.5 }' "$t/time"
}

declare -A wall cpu
build; build; build	# a steady OUT to start from
for i in $(seq "$N"); do
	rm -rf "$t/out"
	read -r w c < <(time_ms "${B[@]}"); wall[full]+="$w "; cpu[full]+="$c "
	build > /dev/null	# steady again (CHANGES.md now compares equal states)
	read -r w c < <(time_ms "${B[@]}"); wall[no-change]+="$w "; cpu[no-change]+="$c "
	sed -i "s/^messages: .*/messages: $((msgs + i % 2))/" "$snap"
	read -r w c < <(time_ms "${B[@]}"); wall[snapshot]+="$w "; cpu[snapshot]+="$c "
	if [ $((i % 2)) = 1 ]; then sed -i '0,/ the / s// THE /' "$cs"; else sed -i '0,/ THE / s// the /' "$cs"; fi
	read -r w c < <(time_ms "${B[@]}"); wall[case-study]+="$w "; cpu[case-study]+="$c "
done

# build --watch: the case-study edit, BENCH_RUNS times, in one process.
"$D" build --watch --verbose --content "$t/c" --templates "$t/tpl" --out "$t/wout" > "$t/wlog" 2>&1 &
wpid=$!
trap 'kill $wpid 2>/dev/null; rm -rf "$t"' EXIT
seen() { grep -c '^dossier: watching' "$t/wlog"; }
for _ in $(seq 600); do [ "$(seen)" -ge 1 ] && break; sleep 0.1; done
for i in $(seq "$N"); do
	n=$(seen)
	if [ $((i % 2)) = 1 ]; then sed -i '0,/ the / s// THE /' "$cs"; else sed -i '0,/ THE / s// the /' "$cs"; fi
	for _ in $(seq 600); do [ "$(seen)" -gt "$n" ] && break; sleep 0.05; done
	sleep 0.3	# a pause, as between two saves
done
kill $wpid 2>/dev/null; wait $wpid 2>/dev/null
wall[watch]=$(grep -o 'shown [0-9]* ms' "$t/wlog" | awk '{ printf "%s ", $2 }')

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "dossier build of the example, $N runs each, medians ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '%-12s %9s %9s   %s\n' case "wall ms" "CPU ms" "runs (wall ms)"
for k in full no-change snapshot case-study; do
	printf '%-12s %9s %9s   %s\n' "$k" "$(echo "${wall[$k]}" | median)" "$(echo "${cpu[$k]}" | median)" "${wall[$k]}"
done
printf '%-12s %9s %9s   %s\n' "watch" "$(echo "${wall[watch]}" | median)" "-" "${wall[watch]}"

echo "command: dossier build --quiet --content C --templates T --out O (full: O emptied first;"
echo "         snapshot: messages of $(basename "$snap") edited; case-study: one word of $(basename "$cs") edited)"
echo "watch: the case-study edit in a running 'dossier build --watch --verbose', from the write to the"
echo "       new output in place (its 'shown N ms after it was written' line)"
read -r w c < <(time_ms "$D" --version)
echo "floor: dossier --version (process start-up, dynamic loading) $w ms wall, $c ms CPU"

#!/bin/sh
# Files that look like content but are not read - a case study named *.MD,
# hidden files, editors' backups, lock, auto-save and swap files, a
# Company.yaml or triggers.yml - each get one warning naming the file and
# why.  The build still succeeds (exit 0, with --strict too: --strict makes
# consistency warnings errors, nothing else), and what is built is what it
# was without them.  Hidden files that do not look like content (.DS_Store,
# .gitkeep) and a case study's images get no word.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok not-read: $1"; }
bad() { echo "FAIL not-read: $1"; fails=$((fails + 1)); }

mkdir "$t/p"
cp -R content templates "$t/p/"
(cd "$t/p" && "$D" build --quiet --out "$t/clean") > "$t/log" 2>&1 || bad "example build: $(cat "$t/log")"

cs=content/case-studies m=content/metrics
(cd "$t/p" &&
	cp $cs/gas-mendoza.md $cs/extra.MD &&
	cp $cs/gas-mendoza.md $cs/.draft.md &&
	cp $cs/gas-mendoza.md $cs/gas-mendoza.md~ &&
	cp $cs/gas-mendoza.md $cs/gas-mendoza.md.bak &&
	cp $cs/gas-mendoza.md "$cs/#gas-mendoza.md#" &&
	ln -s user@host.1234 $cs/.#gas-mendoza.md &&
	printf 'b0VIM 9.0' > $cs/.gas-mendoza.md.swp &&
	touch $cs/.DS_Store $cs/photo.png &&
	cp $m/2026-10.yaml $m/.2026-10.yaml &&
	cp $m/2026-10.yaml $m/2026-10.yaml~ &&
	cp $m/2026-10.yaml "$m/#2026-10.yaml#" &&
	printf 'b0VIM 9.0' > $m/.2026-10.yaml.swp &&
	touch $m/.gitkeep &&
	cp content/company.yaml content/company.yaml.orig &&
	cp content/pricing.yaml content/Pricing.yaml &&
	cp content/triggers.yaml content/triggers.yml &&
	touch content/notes.txt) || bad "setting up the files"
cat > "$t/expected" <<'EXP'
content/Pricing.yaml: warning: not read: the file read is pricing.yaml (names are exact)
content/company.yaml.orig: warning: not read: a backup copy of company.yaml
content/triggers.yml: warning: not read: the file read is triggers.yaml (names are exact)
content/metrics/#2026-10.yaml#: warning: not read: an editor's auto-save file for 2026-10.yaml
content/metrics/.2026-10.yaml: warning: not read: a hidden file (its name starts with '.')
content/metrics/.2026-10.yaml.swp: warning: not read: an editor's swap file for 2026-10.yaml
content/metrics/2026-10.yaml~: warning: not read: a backup copy of 2026-10.yaml
content/case-studies/#gas-mendoza.md#: warning: not read: an editor's auto-save file for gas-mendoza.md
content/case-studies/.#gas-mendoza.md: warning: not read: an editor's lock file for gas-mendoza.md
content/case-studies/.draft.md: warning: not read: a hidden file (its name starts with '.')
content/case-studies/.gas-mendoza.md.swp: warning: not read: an editor's swap file for gas-mendoza.md
content/case-studies/extra.MD: warning: not read: case studies are read from *.md files, in lower case
content/case-studies/gas-mendoza.md.bak: warning: not read: a backup copy of gas-mendoza.md
content/case-studies/gas-mendoza.md~: warning: not read: a backup copy of gas-mendoza.md
EXP

(cd "$t/p" && "$D" build --quiet --out "$t/out") > "$t/stdout" 2> "$t/stderr"; rc=$?
if [ $rc = 0 ] && cmp -s "$t/stderr" "$t/expected" && [ ! -s "$t/stdout" ]; then
	ok "build: one warning per file not read, exit 0"
else
	bad "build: exit $rc: $(diff "$t/expected" "$t/stderr")"
fi
if diff -r -x .dossier-cache "$t/clean" "$t/out" > "$t/diff"; then
	ok "the package is the one built without those files"
else
	bad "the package differs: $(head -20 "$t/diff")"
fi

(cd "$t/p" && "$D" build --quiet --strict --force --out "$t/out") > "$t/stdout" 2> "$t/stderr"; rc=$?
[ $rc = 0 ] && cmp -s "$t/stderr" "$t/expected" && ok "build --strict: the same warnings, exit 0" \
	|| bad "build --strict: exit $rc: $(diff "$t/expected" "$t/stderr")"

(cd "$t/p" && "$D" check) > "$t/stdout" 2> "$t/stderr"; rc=$?
[ $rc = 1 ] && cmp -s "$t/stderr" "$t/expected" && ok "check: the same warnings (exit 1: the example is not ready)" \
	|| bad "check: exit $rc: $(diff "$t/expected" "$t/stderr")"

# dossier month lists the metrics folder: the same words for what it skips.
grep '^content/metrics/' "$t/expected" > "$t/expected-month"
(cd "$t/p" && "$D" month) > "$t/stdout" 2> "$t/stderr"; rc=$?
[ $rc = 0 ] && cmp -s "$t/stderr" "$t/expected-month" && [ -f "$t/p/content/metrics/2026-11.yaml" ] &&
	ok "month: the metrics folder's warnings, 2026-11.yaml written" \
	|| bad "month: exit $rc: $(diff "$t/expected-month" "$t/stderr")"

# A name that is not an editor's leftover is still an error in metrics/.
(cd "$t/p" && rm content/metrics/2026-11.yaml && touch content/metrics/notes~ && "$D" check) > "$t/stdout" 2> "$t/stderr"; rc=$?
[ $rc = 2 ] && grep -qx "content/metrics/notes~: error: a metrics file is named after its month, YYYY-MM.yaml (like 2026-10.yaml)" "$t/stderr" \
	&& ok "a stray file in metrics/ is still an error" || bad "stray in metrics: exit $rc: $(cat "$t/stderr")"
[ $fails = 0 ]

#!/bin/bash
# dossier init never loses a file (issue 22, class 2):
#   - `dossier init ""` (an unset variable in a script) is refused, exit 2,
#     and the project around it keeps its content byte for byte;
#   - `dossier init .` in a project, and init into any folder with something
#     in it, are refused, naming the folder; nothing is written;
#   - init into a new folder, into an empty one, and through a link to an
#     empty one, writes dossier.yaml and content/.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok init: $1"; }
bad() { echo "FAIL init: $1"; fails=$((fails + 1)); }
sum() { (cd "$1" && find . -printf '%y %p %s %T@ %i\n' | LC_ALL=C sort; find . -type f -exec cat {} +) | sha256sum; }

"$D" init "$t/p" > /dev/null 2>&1 && [ -f "$t/p/dossier.yaml" ] && [ -f "$t/p/content/company.yaml" ] \
	&& ok "init into a new folder" || bad "init into a new folder"
echo "name: Mine" >> "$t/p/content/company.yaml"
before=$(sum "$t/p")

(cd "$t/p" && "$D" init "") > "$t/out" 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "dossier init: the folder name is empty (an unset variable?); name the folder of the new project" ] \
	&& [ ! -s "$t/out" ] && ok "init \"\": refused, exit 2" || bad "init \"\": exit $rc: $(cat "$t/out" "$t/err")"
[ "$(sum "$t/p")" = "$before" ] && ok "init \"\": the project is as it was" || bad "init \"\" changed the project"

(cd "$t/p/content" && "$D" init ..) > "$t/out" 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "..: error: the folder exists and is not empty; init makes a new project in a new or empty folder" ] \
	&& [ "$(sum "$t/p")" = "$before" ] && ok "init .. from inside a project: refused, nothing written" || bad "init ..: exit $rc: $(cat "$t/err")"

mkdir -p "$t/one"; echo mine > "$t/one/notes.txt"
"$D" init "$t/one" > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(ls "$t/one")" = notes.txt ] && ok "a folder holding one file: refused" || bad "folder with a file: exit $rc"
echo mine > "$t/file"
"$D" init "$t/file" > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "$t/file: error: exists and is not a folder; init makes a new project in a new or empty folder" ] \
	&& [ "$(cat "$t/file")" = mine ] && ok "a file: refused" || bad "init on a file: exit $rc: $(cat "$t/err")"

mkdir "$t/empty" "$t/target"; ln -s "$t/target" "$t/link"
"$D" init "$t/empty" > /dev/null 2>&1 && [ -f "$t/empty/content/company.yaml" ] && ok "init into an empty folder" || bad "empty folder"
"$D" init "$t/link" > /dev/null 2>&1 && [ -f "$t/target/dossier.yaml" ] && ok "init through a link to an empty folder" || bad "link to an empty folder"
[ $fails = 0 ]

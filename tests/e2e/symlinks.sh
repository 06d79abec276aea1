#!/bin/bash
# One symbolic-link policy (issue 22, class 6; docs/limits.md): a link in the
# content or templates folder is followed when it leads to something inside
# that folder, and refused, located, when it leads out; the loader, the
# up-to-date check and --watch agree; discovery works on the physical path.
#   1. a case study, company.yaml or a folder of the content linked to a file
#      or folder outside: exit 2, the file named, OUT as it was;
#   2. a template partial linked to a secret file outside the templates
#      folder: exit 2, the partial named, the secret in no output;
#   3. content/case-studies a link to a folder inside the content folder:
#      builds; an edit made through the folder it leads to is seen by the
#      next build (not "nothing changed") and by --watch;
#   4. from proj/link -> ../other/sub, where proj is a project and other is
#      not: "not in a dossier project", nothing read or written in other/;
#   5. --watch keeps seeing a folder deleted and restored.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
wpid=
trap '[ -n "$wpid" ] && kill "$wpid" 2> /dev/null; rm -rf "$t"' EXIT
fails=0
ok() { echo "ok symlinks: $1"; }
bad() { echo "FAIL symlinks: $1"; fails=$((fails + 1)); }
tree_sum() { (cd "$1" && find . -printf '%y %p %l %s %T@ %i\n' | LC_ALL=C sort; find . -type f -exec cat {} +) | sha256sum; }

mkdir -p "$t/p"; cp -R content "$t/p/content"; cp -R templates "$t/p/templates"; touch "$t/p/dossier.yaml"
P=$t/p
(cd "$P" && "$D" build --quiet) || { bad "first build"; exit 1; }
before=$(tree_sum "$P/out")
mkdir -p "$t/outside"
cs=$(cd "$P/content/case-studies" && ls *.md | head -1)

# 1. Content linked out of the content folder.
refused() {	# WHAT FILE: a build refuses FILE (as named from the project), OUT as it was
	(cd "$P" && "$D" build --quiet) > /dev/null 2> "$t/err"; rc=$?
	if [ $rc = 2 ] && grep -qF "$2: error: cannot read: a symbolic link leads out of the content folder, to $3; dossier reads only files inside it" "$t/err" &&
	   [ "$(tree_sum "$P/out")" = "$before" ]; then
		ok "$1: refused at $2, OUT as it was"
	else
		bad "$1: exit $rc: $(head -c 400 "$t/err")"
	fi
}
mv "$P/content/case-studies/$cs" "$t/outside/$cs"; ln -s "$t/outside/$cs" "$P/content/case-studies/$cs"
refused "a case study linked to a file outside" "content/case-studies/$cs" "$t/outside/$cs"
rm "$P/content/case-studies/$cs"; mv "$t/outside/$cs" "$P/content/case-studies/$cs"
mv "$P/content/company.yaml" "$t/outside/company.yaml"; ln -s "$t/outside/company.yaml" "$P/content/company.yaml"
refused "company.yaml linked to a file outside" "content/company.yaml" "$t/outside/company.yaml"
rm "$P/content/company.yaml"; mv "$t/outside/company.yaml" "$P/content/company.yaml"
mv "$P/content/case-studies" "$t/outside/cases"; ln -s "$t/outside/cases" "$P/content/case-studies"
refused "content/case-studies linked to a folder outside" "content/case-studies/$cs" "$t/outside/cases/$cs"
rm "$P/content/case-studies"; mv "$t/outside/cases" "$P/content/case-studies"

# 2. A partial linked to a secret.
printf '[default]\naws_secret_access_key = SECRET-d0ss13r-TEST\n' > "$t/outside/credentials"
ln -sf "$t/outside/credentials" "$P/templates/address.mustache"
(cd "$P" && "$D" build --quiet) > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -qF "templates/address.mustache: error: cannot read: a symbolic link leads out of the templates folder, to $t/outside/credentials; dossier reads only files inside it" "$t/err" \
	&& ok "a partial linked to a secret outside: refused at the partial" || bad "partial link: exit $rc: $(head -c 400 "$t/err")"
grep -rqa 'SECRET-d0ss13r' "$P/out" && bad "the secret reached OUT" || ok "the secret is in no output"
[ "$(tree_sum "$P/out")" = "$before" ] && ok "OUT as it was" || bad "OUT changed"
rm "$P/templates/address.mustache"; cp templates/address.mustache "$P/templates/address.mustache"

# 3. A linked folder inside the content folder: followed everywhere.
mv "$P/content/case-studies" "$P/content/stories"; ln -s stories "$P/content/case-studies"
(cd "$P" && "$D" build --quiet) 2> "$t/err" && ok "content/case-studies a link to content/stories: builds" || bad "inner link: $(cat "$t/err")"
sed -i '0,/ the / s// THE-LINKED-EDIT /' "$P/content/stories/$cs"
(cd "$P" && "$D" build) > "$t/out1" 2> "$t/err"
grep -q '^dossier: wrote' "$t/out1" && grep -rq 'THE-LINKED-EDIT' "$P/out/bsp-application/business/case-studies/" \
	&& ok "an edit made in the folder the link leads to is built (not 'nothing changed')" || bad "edit through the link: $(cat "$t/out1" "$t/err")"
(cd "$P" && timeout 120 "$D" build --watch --quiet) > "$t/wlog" 2>&1 &
wpid=$!
sleep 3
sed -i 's/THE-LINKED-EDIT/THE-WATCHED-EDIT/' "$P/content/stories/$cs"
for _ in $(seq 1 300); do grep -rq 'THE-WATCHED-EDIT' "$P/out/bsp-application/business/case-studies/" 2> /dev/null && break; sleep 0.1; done
grep -rq 'THE-WATCHED-EDIT' "$P/out/bsp-application/business/case-studies/" && ok "--watch sees an edit in the folder the link leads to" || bad "--watch missed the edit: $(cat "$t/wlog")"
kill $wpid; wait $wpid 2> /dev/null; wpid=
rm "$P/content/case-studies"; mv "$P/content/stories" "$P/content/case-studies"

# 4. Discovery on the physical path.
mkdir -p "$t/other/sub"; cp -R content "$t/other/content"
ln -s ../other/sub "$P/link"
(cd "$P/link" && "$D" build) > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "not in a dossier project" "$t/err" && [ ! -e "$t/other/out" ] \
	&& ok "from proj/link -> ../other/sub: not in a project (other has no dossier.yaml), nothing written" \
	|| bad "discovery through a link: exit $rc, other/out $([ -e "$t/other/out" ] && echo written || echo absent): $(head -c 300 "$t/err")"
touch "$t/other/dossier.yaml"
(cd "$P/link" && "$D" build --quiet) 2> "$t/err" && [ -d "$t/other/out/bsp-application" ] \
	&& ok "once other is a project, its own content and out are used" || bad "other as a project: $(head -c 300 "$t/err")"

# 5. --watch and a folder deleted and restored.
cp -R "$P/content/case-studies" "$t/backup"
(cd "$P" && timeout 120 "$D" build --watch --quiet) > "$t/wlog" 2>&1 &
wpid=$!
sleep 3
# Each step's build done before the next (a build under way would read the
# edit anyway).
rm -rf "$P/content/case-studies"; sleep 4
cp -R "$t/backup" "$P/content/case-studies"; sleep 4
sed -i '0,/ the / s// THE-RESTORED-EDIT /' "$P/content/case-studies/$cs"
for _ in $(seq 1 300); do grep -rq 'THE-RESTORED-EDIT' "$P/out/bsp-application/business/case-studies/" 2> /dev/null && break; sleep 0.1; done
grep -rq 'THE-RESTORED-EDIT' "$P/out/bsp-application/business/case-studies/" && ok "--watch sees an edit in a folder deleted and restored" || bad "--watch lost the restored folder: $(tail -5 "$t/wlog")"
kill $wpid; wait $wpid 2> /dev/null; wpid=
[ $fails = 0 ]

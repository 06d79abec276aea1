#!/bin/bash
# make install, dossier init and an installed dossier outside the checkout:
#   - make install PREFIX=P (a binary compiled for P, in a build folder of its
#     own, so the checkout's ./dossier is not touched) puts P/bin/dossier and
#     P/share/dossier/;
#   - P/bin/dossier init NEW, then `dossier build` in NEW/content prints one
#     located error for each fact the skeleton leaves empty, and exits 2;
#   - P/bin/dossier init --example EX builds outside the checkout, finding
#     its project from a folder below it, with the installed templates; a
#     template in EX/templates/ replaces the installed one (build --verbose
#     says which file each document came from);
#   - make uninstall PREFIX=P leaves P empty.
set -u
src=${DOSSIER_SRC:-$PWD}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok install: $1"; }
bad() { echo "FAIL install: $1"; fails=$((fails + 1)); }
unset DOSSIER_DATADIR

P=$t/prefix
mkdir -p "$P"
# The checkout's plain objects are reused (copied with their times, their
# dependency files pointed at the copies), so only what PREFIX changes is
# compiled again: cli/project.o, then the link. Without them (a tree built
# only with SANITIZE=1) everything is compiled, at -O0.
opt=-O0
if [ -f "$src/build/cli/main.o" ]; then
	opt=
	mkdir -p "$t/build"
	for d in "$src"/build/*/; do
		case ${d%/} in */asan|*/gen|*/tests|*/test-results|*/fuzz) continue ;; esac
		cp -a "${d%/}" "$t/build/"
	done
	find "$t/build" -name '*.d' -exec sed -i "s#^build/#$t/build/#" {} +
fi
# The installed binary is always the plain one: under `make check
# SANITIZE=1` the outer make's MAKEFLAGS would pass SANITIZE=1 on.
if env -u MAKEFLAGS -u MAKELEVEL make -s -C "$src" install PREFIX="$P" BUILD="$t/build" DOSSIER="$t/build/dossier" ${opt:+OPT=$opt} \
	> "$t/make.log" 2>&1; then
	ok "make install PREFIX=..."
else
	bad "make install: $(tail -5 "$t/make.log")"
	exit 1
fi
[ -x "$P/bin/dossier" ] && [ -f "$P/share/dossier/templates/package.yaml" ] \
	&& [ -f "$P/share/dossier/templates/skeleton/company.yaml" ] && [ -f "$P/share/dossier/example/company.yaml" ] \
	&& ok "binary, templates, skeleton and example installed" || bad "installed files missing: $(cd "$P" && find . | head)"
# The documentation, where the manual and the skeleton say it is.
DOC=$P/share/doc/dossier
want=$(cd "$src/docs" && find . -type f | sort)
[ -f "$DOC/README.md" ] && [ "$(cd "$DOC" && find . -type f ! -name README.md | sort)" = "$want" ] \
	&& ! grep -q '](docs/' "$DOC/README.md" \
	&& ok "README.md and docs/ installed in PREFIX/share/doc/dossier/ (README's links work there)" \
	|| bad "documentation: $(ls "$DOC" 2>&1 | head -5)"
man=$(find "$P/share/man" -name dossier.1)
grep -q "^\.Pa $DOC/ :$" "$man" && ! grep -q /usr/local/share/doc "$man" \
	&& ok "the installed manual names PREFIX/share/doc/dossier/" || bad "manual: $(grep -n 'share/doc' "$man")"
ref=$(grep -o "$DOC/[a-z-]*\.md" "$P/share/dossier/templates/skeleton/company.yaml" | head -1)
[ -n "$ref" ] && [ -f "$ref" ] && ! grep -q /usr/local/share/doc "$P/share/dossier/templates/skeleton/company.yaml" \
	&& ok "the skeleton names an installed file: $ref" || bad "skeleton names '$ref'"

# A new project: every empty fact is one located error, exit 2.
cd "$t" || exit 1
"$P/bin/dossier" init new > "$t/init.log" 2>&1 && [ -f new/dossier.yaml ] && [ -f new/content/company.yaml ] \
	&& ok "init makes dossier.yaml and content/" || bad "init: $(cat "$t/init.log")"
grep -q "$DOC/data-model.md" new/content/company.yaml && ok "the new project's company.yaml points at the installed data model" \
	|| bad "company.yaml points at: $(grep -n 'data-model' new/content/company.yaml)"
(cd new/content && "$P/bin/dossier" build) > "$t/out" 2> "$t/err"; rc=$?
[ $rc = 2 ] && ok "the skeleton's build exits 2" || bad "the skeleton's build exits $rc"
n=$(wc -l < "$t/err")
located=$(grep -cE '^\.\./content/[a-z/0-9-]+\.(yaml|md):[0-9]+:[0-9]+: error: ' "$t/err")
[ "$n" -gt 100 ] && [ "$located" = "$n" ] && ok "$n errors, each located in a content file" \
	|| bad "$located of $n error lines are located: $(grep -vE '^\.\./content/.*:[0-9]+:[0-9]+: error: ' "$t/err" | head -3)"
dups=$(cut -d: -f1,2 "$t/err" | sort | uniq -d | head -3)
[ -z "$dups" ] && ok "one error per line: each missing fact once" || bad "two errors on one line: $dups"
# Each error points at a line whose value is empty.
wrong=0
while IFS=: read -r file line _; do
	text=$(sed -n "${line}p" "new/content/${file#../content/}")
	value=$(printf '%s' "$text" | sed -e 's/#.*//' -e 's/^[[:space:]]*-//' -e 's/^[[:space:]]*[a-z0-9_]*:/:/' -e 's/^://' -e 's/[[:space:]]//g')
	[ -z "$value" ] || { wrong=$((wrong + 1)); echo "  $file:$line: $text"; }
done < "$t/err"
[ $wrong = 0 ] && ok "every error points at an empty value" || bad "$wrong errors point at a filled value"
# Every empty value of the skeleton is reported, but the ones the schema makes optional.
empty=$(cd new/content && COMMITMENTS=$P/share/dossier/templates/commitments.yaml python3 - $(find . -name '*.yaml' -o -name '*.md' | sort) <<'PY' | LC_ALL=C sort
import os, re, sys
optional = {"province", "postal_code", "drills", "up_to", "detail", "provider", "region", "framework", "bsp_per_message"}
# Commitments are optional for a draft: `check` lists them, the build does not stop.
optional |= {l.split(".")[-1].strip() for l in open(os.environ["COMMITMENTS"], encoding="utf-8")
             if l.strip().startswith("- fact:")}
optional |= {"target", "contractual", "status_page", "measured", "status", "meaning"}
for f in sys.argv[1:]:
    lines = open(f, encoding="utf-8").read().split("\n")
    def indent(s):
        return len(s) - len(s.lstrip(" -"))
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)(- *)?(([a-z0-9_]+):)?\s*(#.*)?$", line)
        if not m or not (m.group(2) or m.group(3)):
            continue
        if m.group(4) in optional:
            continue
        nxt = next((l for l in lines[i + 1:] if l.strip() and not l.strip().startswith("#")), "")
        if m.group(3) and (indent(nxt) > indent(line) or
                           (nxt.lstrip().startswith("-") and len(nxt) - len(nxt.lstrip()) >= len(m.group(1)))):
            continue   # a map or a list opens here
        print("../content/%s:%d" % (f[2:], i + 1))
PY
)
reported=$(cut -d: -f1,2 "$t/err" | LC_ALL=C sort)
unreported=$(comm -23 <(printf '%s\n' "$empty") <(printf '%s\n' "$reported") | head -5)
[ -z "$unreported" ] && ok "no empty fact goes unreported" || bad "not reported: $unreported"
grep -q "company.yaml:[0-9]*:[0-9]*: error: company.tax_id: required key 'label' is empty" "$t/err" \
	&& ok "the tax ID's label is asked for" || bad "no error for company.tax_id.label"

# The example, outside the checkout, from a folder below the project.
"$P/bin/dossier" init --example ex > /dev/null 2>&1
mkdir -p ex/notes
(cd ex/notes && "$P/bin/dossier" build --quiet) > "$t/out" 2> "$t/err"; rc=$?
[ $rc = 0 ] && [ -f ex/out/bsp-application/dossier.pdf ] && ok "init --example builds outside the checkout" \
	|| bad "the example does not build (exit $rc): $(head -3 "$t/err")"
(cd ex && "$P/bin/dossier" check > /dev/null 2>&1); rc=$?
[ $rc = 1 ] && ok "check finds the project too (not ready: exit 1)" || bad "check exits $rc"

# A project template replaces the installed one; --verbose names the files.
mkdir -p ex/templates
printf '{{<layout}}{{$body}}\nOur own words for {{{company.name}}}.\n{{/body}}{{/layout}}\n' > ex/templates/growth-plan.mustache
(cd ex/content && "$P/bin/dossier" build --verbose) > "$t/out" 2> "$t/err"; rc=$?
# Each document's line names its template, then the partials it used.
grep -q "^dossier: business/growth-plan.md from \.\./templates/growth-plan.mustache, .*$P/share/dossier/templates/layout.mustache" "$t/err" \
	&& grep -q "^dossier: company/company-overview.md from $P/share/dossier/templates/company-overview.mustache\(, \|$\)" "$t/err" \
	&& grep -q "^Our own words for CampoTech.$" ex/out/bsp-application/business/growth-plan.md \
	&& ok "a project template overrides the installed one, and --verbose says so" \
	|| bad "override (exit $rc): $(grep growth-plan "$t/err") $(head -2 "$t/err")"

# Outside any project, the build says how to make one.
mkdir -p "$t/nowhere" && (cd "$t/nowhere" && "$P/bin/dossier" build) > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "not in a dossier project.*dossier init DIR" "$t/err" \
	&& ok "outside a project: exit 2 and a hint" || bad "outside a project (exit $rc): $(cat "$t/err")"
"$P/bin/dossier" init ex > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "^ex: error: the folder exists and is not empty" "$t/err" \
	&& ok "init refuses a folder that is not empty" || bad "init into ex (exit $rc): $(cat "$t/err")"

env -u MAKEFLAGS -u MAKELEVEL make -s -C "$src" uninstall PREFIX="$P" BUILD="$t/build" DOSSIER="$t/build/dossier" > "$t/make.log" 2>&1
left=$(cd "$P" && find . -mindepth 1 | head -5)
[ -z "$left" ] && ok "make uninstall leaves the prefix empty" || bad "left after uninstall: $left"

[ $fails = 0 ]

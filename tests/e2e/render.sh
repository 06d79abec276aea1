#!/bin/sh
# dossier render: spec behaviour by default, --strict errors, partials from a folder, usage errors.
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok render: $1"; }
bad() { echo "FAIL render: $1"; fails=$((fails + 1)); }

printf 'name: Muñoz & Hijos\nitems: [a, b]\n' > "$t/data.yaml"
printf 'Hello {{name}}! {{&name}} {{#items}}<{{.}}>{{/items}}{{missing}}.\n{{> part}}' > "$t/t.mustache"
mkdir "$t/p"; printf 'from the partial\n' > "$t/p/part.mustache"
out=$("$D" render --data "$t/data.yaml" --partials "$t/p" "$t/t.mustache")
[ "$out" = "Hello Muñoz &amp; Hijos! Muñoz & Hijos <a><b>.
from the partial" ] && ok "renders as the spec says" || bad "got: $out"

"$D" render --strict --data "$t/data.yaml" --partials "$t/p" "$t/t.mustache" > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(sed "s|$t/||" "$t/err")" = "t.mustache:1:54: error: no value for 'missing'" ] \
	&& ok "--strict names the missing value" || bad "strict: exit $rc: $(cat "$t/err")"

printf '{{#a}}never closed' | "$D" render --data "$t/data.yaml" - > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "error: unclosed section 'a'" "$t/err" && ok "syntax error from stdin" || bad "syntax: $rc $(cat "$t/err")"

"$D" render "$t/t.mustache" > /dev/null 2> "$t/err"; rc=$?
[ $rc = 2 ] && ok "missing --data is a usage error" || bad "no --data: exit $rc"
"$D" render --help | grep -q -- '--strict' && ok "--help" || bad "--help"
[ $fails = 0 ]

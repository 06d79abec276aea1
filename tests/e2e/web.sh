#!/bin/bash
# The web edition in a real browser: every page of OUT/site/ (the public
# pages included) opened in Debian's Chromium through playwright-core
# (tests/web/pages.js): a screenshot of screen and print each, no console
# error, no failed request, no request leaving file://, and no serious or
# critical axe-core violation.  SHOTS=DIR keeps the screenshots there (to
# look at them); otherwise they go with the temporary folder.  Needs
# node_modules/ (make deps runs npm ci) and /usr/bin/chromium: without
# them it fails, never skips.
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok web: $1"; }
bad() { echo "FAIL web: $1"; fails=$((fails + 1)); }
shots=${SHOTS:-$t/shots}
mkdir -p "$shots"

[ -x /usr/bin/chromium ] || bad "no /usr/bin/chromium (make deps installs Debian's chromium)"
[ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] ||
	bad "no node_modules/playwright-core or axe-core (make deps runs npm ci)"
if "$D" build --quiet --content content --templates templates --out "$t/out" 2> "$t/err"; then
	ok "the example builds"
else
	bad "build: $(cat "$t/err")"
fi
[ "$fails" = 0 ] && { NODE_PATH=$PWD/node_modules node tests/web/pages.js "$t/out/site" "$shots" || fails=$((fails + 1)); }
echo "web: $fails failed"
[ "$fails" = 0 ]

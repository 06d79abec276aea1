#!/bin/bash
# Incremental builds: a no-change rebuild typesets and rewrites nothing; one
# edited snapshot re-typesets only what shows it; a theme change re-typesets
# every PDF; a damaged cache or a tampered PDF is never trusted; --force.
#
# The builds see a private fontconfig configuration holding only the fonts
# the theme uses (DejaVu, Noto Color Emoji).  A PDF's record covers the
# installed fonts, rightly (a new font can change fontconfig's fallback), so
# a font package installed on the machine while this test ran (gnumeric
# brings fonts-urw-base35) made the next build typeset every PDF: that was
# the flake "tampered: 16 PDFs typeset, 0 unchanged".  On failure the
# build's --verbose log says which PDFs were typeset.
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok incremental: $1"; }
bad() { echo "FAIL incremental: $1"; fails=$((fails + 1)); }
stamps() { (cd "$t/out/bsp-application" && find . -type f -printf '%p %i %T@\n' | sort); }
zipid() { stat -c '%i %Y %s' "$t/out/bsp-application.zip"; }
summary() { grep -o '[0-9]* PDFs\{0,1\} typeset, [0-9]* unchanged' "$t/log"; }
log() { echo "$(summary)"; sed 's/^/  | /' "$t/log"; }

mkdir -p "$t/fc"
for fam in "DejaVu Serif" "DejaVu Sans" "DejaVu Sans Mono" "Noto Color Emoji"; do
	f=$(fc-match -f '%{file}' "$fam")
	case $f in *DejaVu*|*Noto*) dirname "$f" ;; *) bad "no font for $fam (make deps installs it): $f" ;; esac
done | sort -u | sed 's|.*|<dir>&</dir>|' > "$t/fc/dirs"
cat > "$t/fc/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
$(cat "$t/fc/dirs")
<cachedir>$t/fc/cache</cachedir>
</fontconfig>
EOF
export FONTCONFIG_FILE="$t/fc/fonts.conf"

cp -r content "$t/c"; cp -r templates "$t/tpl"
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1 || bad "first build: $(cat "$t/log")"
n=$(ls "$t"/out/bsp-application/*/*.pdf "$t"/out/bsp-application/*/*/*.pdf "$t"/out/bsp-application/dossier.pdf | wc -l)
[ "$(summary)" = "$n PDFs typeset, 0 unchanged" ] && ok "first build typesets all $n PDFs" || bad "first: $(log)"

before=$(stamps) zbefore=$(zipid)
sleep 1
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
[ "$(summary)" = "0 PDFs typeset, $n unchanged" ] && ok "no-change rebuild typesets nothing" || bad "no-change: $(log)"
[ "$(stamps)" = "$before" ] && ok "no-change rebuild rewrites no file (inode and mtime kept)" || bad "files rewritten: $(diff <(echo "$before") <(stamps) | head -5)"
[ "$(zipid)" = "$zbefore" ] && grep -q '^dossier: unchanged bsp-application.zip$' "$t/log" \
	&& ok "no-change rebuild keeps the zip" || bad "zip rewritten: $zbefore -> $(zipid)"

# The zip stores what is compressed already and deflates the rest.
unzip -v "$t/out/bsp-application.zip" | grep -E '\.(pdf|xlsx)$' | grep -v ' Stored ' && bad "a PDF or xlsx deflated again" || ok "PDFs and the spreadsheet stored"
unzip -v "$t/out/bsp-application.zip" | grep -E '\.(md|svg|xml)$' | grep -q ' Stored ' && bad "text stored" || ok "text deflated"

# A zip changed behind dossier's back is written again.
printf 'x' >> "$t/out/bsp-application.zip"
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
unzip -tq "$t/out/bsp-application.zip" > /dev/null && ok "a tampered zip is written again" || bad "tampered zip kept"
zbefore=$(zipid)

# Nothing changed since a build that changed nothing: nothing is loaded or
# written, the summary says so, and every file keeps its inode and mtime.
"$D" build --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
before=$(stamps) zbefore=$(zipid)
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "^dossier: nothing changed: [0-9]* documents ([0-9]* PDF pages; 0 PDFs typeset, $n unchanged) in $t/out/bsp-application in " "$t/log" \
	&& ! grep -q 'building\|typeset ' "$t/log" && ok "up to date: nothing loaded or written" || bad "up to date: $(cat "$t/log")"
[ "$(stamps)" = "$before" ] && [ "$(zipid)" = "$zbefore" ] && ok "up to date: every file as it was" || bad "up to date rewrote files"
# ... and each kind of change is noticed, and named with --verbose.
reason() { "$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1; grep '^dossier: building: ' "$t/log"; }
touch "$t/c/company.yaml"
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
grep -q "^dossier: nothing changed: " "$t/log" && ok "a content file touched but not changed is no change (its bytes decide)" || bad "content touch: $(cat "$t/log")"
printf '# edited\n' >> "$t/c/company.yaml"
[ "$(reason)" = "dossier: building: $t/c/company.yaml changed" ] && ok "an edited content file is noticed" || bad "content edit: $(cat "$t/log")"
"$D" build --content "$t/c" --templates "$t/tpl" --out "$t/out" > /dev/null 2>&1
printf '\n' >> "$t/tpl/theme.yaml"
[ "$(reason)" = "dossier: building: $t/tpl/theme.yaml changed" ] && ok "an edited template is noticed" || bad "template: $(cat "$t/log")"
"$D" build --content "$t/c" --templates "$t/tpl" --out "$t/out" > /dev/null 2>&1
touch "$t/c/case-studies/new-note.txt"
[ "$(reason)" = "dossier: building: $t/c/case-studies/new-note.txt is new" ] && ok "a new file is noticed" || bad "new file: $(cat "$t/log")"
rm "$t/c/case-studies/new-note.txt"
"$D" build --content "$t/c" --templates "$t/tpl" --out "$t/out" > /dev/null 2>&1
# A business verification document added to content/verification/: the
# folder is listed through base/file.h, so the record has it (it was listed
# past the record, and the build said "nothing changed").
mkdir -p "$t/c/verification" && printf '%%PDF-1.4\n' > "$t/c/verification/registry.pdf"
"$D" build --content "$t/c" --templates "$t/tpl" --out "$t/out" > /dev/null 2>&1
"$D" build --content "$t/c" --templates "$t/tpl" --out "$t/out" > /dev/null 2>&1
cp "$t/c/verification/registry.pdf" "$t/c/verification/tax-id.pdf"
[ "$(reason)" = "dossier: building: $t/c/verification/tax-id.pdf is new" ] \
	&& grep -q '^| tax-id.pdf |' "$t/out/app-review/business-verification.md" \
	&& ok "a business verification document added is noticed and listed" || bad "verification document: $(cat "$t/log")"
rm -r "$t/c/verification"
"$D" build --content "$t/c" --templates "$t/tpl" --out "$t/out" > /dev/null 2>&1
"$D" build --content "$t/c" --templates "$t/tpl" --out "$t/out" > /dev/null 2>&1
rm "$t/out/bsp-application/charts/mrr.svg"
[ "$(reason)" = "dossier: building: $t/out/bsp-application/charts/mrr.svg was removed since the last build" ] \
	&& [ -s "$t/out/bsp-application/charts/mrr.svg" ] && ok "a deleted output is noticed and made again" || bad "deleted output: $(cat "$t/log")"
"$D" build --content "$t/c" --templates "$t/tpl" --out "$t/out" > /dev/null 2>&1
printf 'x' >> "$t/out/readiness.md"
[ "$(reason)" = "dossier: building: $t/out/readiness.md changed since the last build" ] && ! grep -q 'x$' "$t/out/readiness.md" \
	&& ok "an edited output is noticed and made again" || bad "edited output: $(cat "$t/log")"
SOURCE_DATE_EPOCH=1790812800 "$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
grep -q '^dossier: building: env SOURCE_DATE_EPOCH changed$' "$t/log" && ok "SOURCE_DATE_EPOCH is an input" || bad "SDE: $(cat "$t/log")"
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > /dev/null 2>&1
zbefore=$(zipid)

# One incident's wording: the uptime report and the combined PDF only.
sed -i 's/cause: "An edge runtime/cause: "An Edge runtime/' "$t/c/metrics/2026-10.yaml"
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
got=$(grep '^dossier: typeset' "$t/log" | awk '{print $3}' | sort | tr '\n' ' ')
[ "$got" = "dossier.pdf technical/uptime-report.pdf " ] && ok "an edited snapshot re-typesets only what shows it" || bad "re-typeset: $got: $(log)"
[ "$(zipid)" != "$zbefore" ] && unzip -p "$t/out/bsp-application.zip" bsp-application/technical/uptime-report.md | grep -q 'An Edge runtime' \
	&& ok "the zip is written again with the edit" || bad "zip not updated"
# Written again by copying the unchanged files' deflated entries from the
# previous zip: the same bytes as a zip made from scratch (--force).
"$D" build --quiet --force --content "$t/c" --templates "$t/tpl" --out "$t/forced" > /dev/null 2>&1
cmp -s "$t/out/bsp-application.zip" "$t/forced/bsp-application.zip" \
	&& ok "the rewritten zip is the zip a --force build makes" || bad "zip differs from a --force build's"

# A theme change re-typesets every PDF.
printf '\n# a comment changes the bytes of the theme\n' >> "$t/tpl/theme.yaml"
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
[ "$(summary)" = "$n PDFs typeset, 0 unchanged" ] && ok "a theme change re-typesets every PDF" || bad "theme: $(log)"

# A truncated cache: a warning, then a full build.
head -c 100 "$t/out/.dossier-cache/typeset" > "$t/trunc" && mv "$t/trunc" "$t/out/.dossier-cache/typeset"
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "^$t/out/.dossier-cache/typeset: warning: typesetting cache is damaged or not dossier's; ignored (every PDF is typeset again)$" "$t/log" \
	&& [ "$(summary)" = "$n PDFs typeset, 0 unchanged" ] && ok "a truncated cache is ignored with a warning" || bad "truncated cache: $(cat "$t/log")"

# A PDF changed behind dossier's back is typeset again, not trusted.
printf 'x' >> "$t/out/bsp-application/company/company-overview.pdf"
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
[ "$(summary)" = "1 PDF typeset, $((n - 1)) unchanged" ] && ok "a tampered PDF is typeset again (and \"1 PDF\", singular)" || bad "tampered: $(log)"
# Tampered with its size, mtime and inode kept, found when a build runs
# (its bytes are checked before reuse): typeset again, and the
# manifest names the new PDF's digest (the digest made when it was written,
# not one remembered from the old file).
P="$t/out/bsp-application"
f="$P/company/company-overview.pdf"
cp -p "$f" "$t/ref"
printf 'X' | dd of="$f" bs=1 seek=100 conv=notrunc status=none
touch -r "$t/ref" "$f"
printf 'x' >> "$t/out/readiness.md"	# a build runs (the PDF's identity did not change)
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
[ "$(summary)" = "1 PDF typeset, $((n - 1)) unchanged" ] && cmp -s "$f" "$t/ref" \
	&& (cd "$P" && sha256sum -c --quiet SHA256SUMS) > /dev/null 2>&1 \
	&& grep -q "$(sha256sum < "$f" | cut -d' ' -f1)" "$P/manifest.xml" \
	&& ok "a PDF tampered in place (same size and mtime) is typeset again, and the manifest names its digest" \
	|| bad "same-size tamper: $(log)"

# A Markdown file kept from the previous build only while it holds the
# bytes this build makes: one tampered in place (size and mtime kept) is
# written again.
m="$P/company/legal-entity-docs.md"
cp -p "$m" "$t/ref.md"
printf 'X' | dd of="$m" bs=1 seek=10 conv=notrunc status=none
touch -r "$t/ref.md" "$m"
printf 'x' >> "$t/out/readiness.md"
"$D" build --quiet --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
cmp -s "$m" "$t/ref.md" && (cd "$P" && sha256sum -c --quiet SHA256SUMS) > /dev/null 2>&1 \
	&& ok "a Markdown file tampered in place is written again" || bad "tampered Markdown kept: $(cat "$t/log")"

"$D" build --verbose --force --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
[ "$(summary)" = "$n PDFs typeset, 0 unchanged" ] && ok "--force typesets everything" || bad "force: $(log)"

# A document that shows a chart through a reference-style image
# (`![x][ref]` and a `[ref]: ../charts/mrr.svg` line): the PDF is made
# again when the chart changes, as it is for an inline image.  The typesetter
# records each image it loads; a regular expression over the Markdown once
# found only inline images, and this PDF stayed as it was (--verbose said
# "unchanged", verify passed) while a --force build gave other bytes.
cat > "$t/tpl/company-overview.mustache" <<'EOF2'
{{<layout}}{{$body}}
Revenue by month:

![Monthly recurring revenue][mrr]

[mrr]: ../charts/mrr.svg
{{/body}}{{/layout}}
EOF2
"$D" build --quiet --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
P="$t/out/bsp-application"
cp "$P/company/company-overview.pdf" "$t/old-overview.pdf"
snap=$(ls "$t"/c/metrics/*.yaml | sort | tail -1)
sed -i 's/^mrr: \([0-9]*\)/mrr: 1\1/' "$snap"
"$D" build --verbose --content "$t/c" --templates "$t/tpl" --out "$t/out" > "$t/log" 2>&1
"$D" build --quiet --force --content "$t/c" --templates "$t/tpl" --out "$t/forced" > /dev/null 2>&1
grep -q '^dossier: typeset   company/company-overview.pdf' "$t/log" \
	&& cmp -s "$P/company/company-overview.pdf" "$t/forced/bsp-application/company/company-overview.pdf" \
	&& ok "a chart shown by reference changed: its PDF is typeset again, the bytes a --force build gives" \
	|| bad "reference-style image: $(grep company-overview.pdf "$t/log")"
# The old PDF put back behind dossier's back: verify says so.
rm "$P/company/company-overview.pdf" && cp "$t/old-overview.pdf" "$P/company/company-overview.pdf"
"$D" verify "$P" > "$t/log" 2>&1; rc=$?
[ $rc = 1 ] && grep -q '^modified: company/company-overview.pdf$' "$t/log" \
	&& ok "verify fails on the old PDF put back" || bad "verify on the old PDF (exit $rc): $(cat "$t/log")"
[ $fails = 0 ]

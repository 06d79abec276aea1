#!/bin/sh
# Text in every script, as the reader of a PDF sees it (issue 22, class 5).
# - With the fonts `make deps` installs (fonts-noto-core, fonts-noto-cjk),
#   Devanagari, Thai, Japanese and Arabic are set in real fonts, no warning.
# - With fonts that lack a script (a fontconfig that knows only DejaVu),
#   each such script is a warning at its line naming the package to install,
#   in `dossier pdf` and in a build; under `build --final` an error, and OUT
#   is left as it was.
# - A paragraph's direction is its document's: an Arabic company name at
#   the start of an English paragraph leaves it left to right and
#   left-aligned, and a number after the name stays after it (the name is
#   isolated); a document written in Arabic is set right to left.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
src=$PWD
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok scripts: $1"; }
bad() { echo "FAIL scripts: $1"; fails=$((fails + 1)); }
export SOURCE_DATE_EPOCH=1790812800

# A fontconfig that knows only DejaVu (Latin, Greek, Cyrillic, Arabic, Hebrew).
dejavu=$(fc-list : file | grep -m1 -o '^.*/DejaVuSerif\.ttf' | xargs -r dirname)
mkdir -p "$t/fc"
cat > "$t/fc/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>$dejavu</dir>
  <cachedir>$t/fc/cache</cachedir>
</fontconfig>
EOF

# ---- every script in real glyphs ------------------------------------------
cat > "$t/scripts.md" <<'EOF'
# Scripts

Hindi: मालिक राहुल शर्मा ने कहा कि जवाब दो मिनट में आता है।

Thai: คุณสมชายบอกว่าใบเสนอราคาพร้อมภายในสองนาที

Japanese: 田中太郎さんは言いました。

Arabic: قال المالك إن العرض يصل خلال دقيقتين.
EOF
if "$D" pdf "$t/scripts.md" -o "$t/scripts.pdf" 2> "$t/err" && [ ! -s "$t/err" ]; then
	ok "Devanagari, Thai, Japanese, Arabic: typeset without a warning"
else
	bad "with the fonts of make deps: $(cat "$t/err")"
fi
fonts=$(pdffonts "$t/scripts.pdf")
for f in NotoSansDevanagari NotoSansThai NotoSerifCJK DejaVuSans; do
	case $fonts in *"$f"*) ok "$f embedded" ;; *) bad "$f not embedded: $fonts" ;; esac
done
pdftotext "$t/scripts.pdf" - | grep -q 'राहुल शर्मा' && pdftotext "$t/scripts.pdf" - | grep -q 'คุณสมชาย' \
	&& ok "the text layer holds the Devanagari and Thai text" || bad "text layer: $(pdftotext "$t/scripts.pdf" -)"

# ---- a script no font has: warned, naming the package ---------------------
FONTCONFIG_FILE=$t/fc/fonts.conf "$D" pdf "$t/scripts.md" -o "$t/dv.pdf" 2> "$t/err"; rc=$?
cat > "$t/want" <<EOF
$t/scripts.md:3: warning: no installed font draws Devanagari text (first 'म', U+092E): it would print as boxes; install fonts-noto-core (make deps installs it)
$t/scripts.md:5: warning: no installed font draws Thai text (first 'ค', U+0E04): it would print as boxes; install fonts-noto-core (make deps installs it)
$t/scripts.md:7: warning: no installed font draws Han text (first '田', U+7530): it would print as boxes; install fonts-noto-cjk (make deps installs it)
$t/scripts.md:7: warning: no installed font draws Hiragana text (first 'さ', U+3055): it would print as boxes; install fonts-noto-cjk (make deps installs it)
EOF
[ $rc = 0 ] && cmp -s "$t/want" "$t/err" && ok "fonts limited to DejaVu: a located warning per script, naming the package" \
	|| bad "DejaVu only: $rc $(diff "$t/want" "$t/err")"
# What the page shows: Pango draws a character no font has as a box with
# its hex code, and the text layer then holds the codes ("02 9E 03 9E").
# Without the fonts the page has those boxes (so this check can see them);
# with them, none, and the glyphs come from the Noto fonts.
hexrun='[0-9A-F]{2} [0-9A-F]{2} [0-9A-F]{2} [0-9A-F]{2}'
pdftotext "$t/dv.pdf" - | grep -Eq "^Hindi: $hexrun" && pdftotext "$t/dv.pdf" - | grep -Eq "^Thai: $hexrun" \
	&& ! pdffonts "$t/dv.pdf" | grep -q Noto \
	&& ok "without the fonts the page has hex boxes for Devanagari and Thai (the control)" \
	|| bad "DejaVu only, text layer: $(pdftotext "$t/dv.pdf" - | head -4)"
pdftotext "$t/scripts.pdf" - | grep -Eq "$hexrun" \
	&& bad "hex boxes with the fonts of make deps: $(pdftotext "$t/scripts.pdf" - | grep -E "$hexrun")" \
	|| ok "with the fonts of make deps: no hex box on the page"

# In a build: a case study in Hindi and Thai.
cp -R "$src/content" "$src/templates" "$t/"
mkdir "$t/p" && mv "$t/content" "$t/templates" "$t/p/"
cd "$t/p"
printf '\n%s\n\n%s\n' 'मालिक ने कहा कि जवाब दो मिनट में आता है।' 'เจ้าของบอกว่าใบเสนอราคาพร้อมภายในสองนาที' \
	>> content/case-studies/plomeria-cordoba.md
"$D" build --quiet 2> err || bad "build with the fonts: $(cat err)"
[ ! -s err ] && ok "a case study in Hindi and Thai builds without a warning" || bad "warnings: $(cat err)"
FONTCONFIG_FILE=$t/fc/fonts.conf "$D" build --quiet --force 2> err; rc=$?
md=out/bsp-application/business/case-studies/case-study-1.md
line=$(grep -n 'मालिक' $md | cut -d: -f1)
[ $rc = 0 ] && grep -qx "$md:$line: warning: no installed font draws Devanagari text (first 'म', U+092E): it would print as boxes; install fonts-noto-core (make deps installs it)" err \
	&& grep -q "$md:$((line + 2)): warning: no installed font draws Thai text" err \
	&& ok "a build without the fonts warns at the package's Markdown, naming script and package" \
	|| bad "build without fonts: $rc $(cat err)"

# Final-ready (as tests/e2e/final.sh makes it): --final refuses instead.
printf 'triggers:\n  whatsapp_ai_clients: 80\n  monthly_messages: 40000\n' > content/triggers.yaml
mkdir -p content/attachments
python3 "$src/tests/pdf/mkpdf.py" orig.pdf "Signed original"
for a in legal-entity-docs financial-statements security-audit-report; do cp orig.pdf content/attachments/$a.pdf; done
"$D" build --final --quiet 2> err || bad "build --final with the fonts: $(cat err)"
before=$(find out -printf '%p %s %T@ %i\n' | sort | sha256sum)
FONTCONFIG_FILE=$t/fc/fonts.conf "$D" build --final --quiet 2> err; rc=$?
[ $rc = 2 ] && grep -q "case-study-1.md:$line: error: no installed font draws Devanagari text" err \
	&& [ "$(find out -printf '%p %s %T@ %i\n' | sort | sha256sum)" = "$before" ] \
	&& ok "build --final without the fonts: an error, exit 2, OUT as it was" \
	|| bad "--final without fonts: $rc $(cat err)"
cd "$t"

# ---- direction --------------------------------------------------------------
# Words of the first body line (the one below the heading) as "xMin xMax word".
words() {
	pdftotext -bbox "$1" - | python3 -c '
import re, sys
ws = re.findall(r"<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\"[^>]*>([^<]*)</word>", sys.stdin.read())
tops = []                                # lines: words whose tops are within 3 pt
for _, y, _, _ in ws:
    if not any(abs(float(y) - t) < 3 for t in tops):
        tops.append(float(y))
want = sorted(tops)[int(sys.argv[1])]
for x0, y, x1, w in ws:
    if abs(float(y) - want) < 3:
        print(x0, x1, w)' "$2"
}
cat > ltr.md <<'EOF'
# Revenue

شركة النور للسباكة 46,820 messages were answered in October.
EOF
"$D" pdf ltr.md -o ltr.pdf 2> err || bad "ltr: $(cat err)"
words ltr.pdf 1 > w
python3 - w <<'PY' && ok "an English paragraph that starts with an Arabic name: left to right, left-aligned, the number after the name" || bad "direction: $(cat w)"
import sys
ws = [l.split() for l in open(sys.argv[1])]
x = {w: (float(a), float(b)) for a, b, w in ws}
left = min(float(a) for a, b, w in ws)
arabic = [v for w, v in x.items() if any('\u0600' <= c <= '\u06ff' for c in w)]
assert abs(left - 70) < 1, left                          # starts at the left margin
assert x["46,820"][0] > max(b for a, b in arabic), x     # the number after the name
assert x["messages"][0] > x["46,820"][1], x
assert x["October."][1] < 400, x                         # ends with its sentence, at the right
PY
cat > rtl.md <<'EOF'
# الإيرادات

أجابت شركة النور للسباكة على 46,820 رسالة في أكتوبر، بزيادة 12% عن سبتمبر.
EOF
"$D" pdf rtl.md -o rtl.pdf 2> err || bad "rtl: $(cat err)"
words rtl.pdf 1 > w
python3 - w <<'PY' && ok "a document written in Arabic: right to left, right-aligned" || bad "rtl document: $(cat w)"
import sys
ws = [l.split() for l in open(sys.argv[1])]
right = max(float(b) for a, b, w in ws)
left = min(float(a) for a, b, w in ws)
assert abs(right - (595.2756 - 70)) < 1.5, right        # ends at the right margin
assert left > 150, left                                  # a short line: not at the left
PY

[ $fails = 0 ]

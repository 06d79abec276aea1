#!/bin/bash
# The web edition, OUT/site/: a page per document and an index, every link
# resolving, every chart and diagram an inline SVG with its title and
# description (site-check.py); what the Markdown holds reaches the page
# (footnotes, task lists, tables, a link to another document, raw HTML
# shown as text, as the PDF shows it); the same bytes from an incremental
# build as from --force after an edit, and in another locale; a page
# whose bytes did not change is the previous file.
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$t"' EXIT
fails=0
ok() { echo "ok site: $1"; }
bad() { echo "FAIL site: $1"; fails=$((fails + 1)); }
B=("$D" build --quiet --content "$t/c" --templates templates)

cp -r content "$t/c"
cs=$(grep -l '^order: 1$' "$t"/c/case-studies/*.md)
# A case study with what the templates do not use: a footnote, a task
# list, a link to another document of the package, raw HTML and a table.
cat >> "$cs" <<'EOF'

## Notes for the web

The figures above were measured over six months.[^m] The policy that governs the data is the
[privacy policy](../../compliance/privacy-policy.md#1-who-is-responsible), and the
[spreadsheet](../client-metrics.xlsx) has the months.

- [x] Assistant live
- [ ] Second location

<script>alert("not run")</script>

| Step | Minutes |
|---|--:|
| Quote | 2 |

[^m]: From the company's own booking records.
EOF
if "${B[@]}" --out "$t/out" 2> "$t/err"; then ok "the example with an extended case study builds"; else bad "build: $(cat "$t/err")"; fi
python3 tests/e2e/site-check.py "$t/out" || fails=$((fails + 1))

page="$t/out/site/business/case-studies/case-study-1.html"
grep -q '<section class="footnotes"' "$page" && grep -q 'href="#fn-m"' "$page" &&
	ok "a footnote: its reference links to its note" || bad "footnote: $(grep -c footnote "$page")"
grep -q '<input type="checkbox" disabled checked id="task-1"> <label for="task-1">Assistant live</label>' "$page" &&
	grep -q '<input type="checkbox" disabled id="task-2"> <label for="task-2">Second location</label>' "$page" &&
	ok "a task list: checkboxes labelled by their items, checked as written" ||
	bad "task list: $(grep -n checkbox "$page")"
grep -q 'href="../../compliance/privacy-policy.html#1-who-is-responsible"' "$page" &&
	ok "a link to another document goes to its page" || bad "link: $(grep -o '<a href="[^"]*privacy[^"]*"' "$page")"
grep -q 'href="../../../bsp-application/business/client-metrics.xlsx"' "$page" &&
	ok "a link to a file of the package goes to the package beside the site" ||
	bad "file link: $(grep -o '<a href="[^"]*xlsx"' "$page")"
grep -q '&lt;script&gt;alert(&quot;not run&quot;)&lt;/script&gt;' "$page" && ! grep -q '<script>alert' "$page" &&
	ok "raw HTML in the Markdown is shown as text, never run" || bad "raw HTML: $(grep -n 'not run' "$page")"
grep -q '<th scope="col">Step</th>' "$page" && grep -q '<th scope="col" align="right">Minutes</th>' "$page" &&
	ok "table headers are <th scope=\"col\">, alignment kept" || bad "th: $(grep -n '<th' "$page" | head -3)"

# The growth plan: its six charts inline, the draft band, the PDF link.
gp="$t/out/site/business/growth-plan.html"
n=$(grep -c '<svg xmlns="http://www.w3.org/2000/svg"' "$gp")
[ "$n" = 6 ] && ok "the growth plan shows its 6 charts inline" || bad "growth plan: $n inline SVGs"
grep -q '<p class="mark" role="note">Draft — not for submission</p>' "$gp" &&
	ok "a draft's pages carry the PDFs' DRAFT band" || bad "no draft band"
grep -q '<a class="pdf" href="../../bsp-application/business/growth-plan.pdf">PDF</a>' "$gp" &&
	ok "each page links to its PDF" || bad "PDF link: $(grep -o 'class="pdf"[^>]*' "$gp")"
grep -q '^	--color-accent: #1b66a6;' "$t/out/site/style.css" && grep -q '@media print' "$t/out/site/style.css" &&
	ok "style.css: the theme's colours, and print rules" || bad "style.css: $(head -5 "$t/out/site/style.css")"
[ ! -e "$t/out/bsp-application/site" ] && ! unzip -l "$t/out/bsp-application.zip" | grep -q 'site/\|\.html' &&
	ok "the site is outside the package and its zip" || bad "the site is in the package or zip"

# Incremental equals --force, after an edit of a case study and of the theme.
sed -i 's/six plumbers/seven plumbers/' "$cs"
"${B[@]}" --out "$t/out" && "${B[@]}" --force --out "$t/force" 2> "$t/err" || bad "rebuild: $(cat "$t/err")"
grep -q 'seven plumbers' "$t/out/site/business/case-studies/case-study-1.html" &&
	diff -r "$t/out/site" "$t/force/site" > "$t/diff" && ok "after a case-study edit: incremental site = --force site, byte for byte" ||
	bad "after an edit: $(head -5 "$t/diff")"
cp templates/theme.yaml "$t/theme-tpl.yaml"
mkdir -p "$t/tpl" && cp -r templates/. "$t/tpl/" && sed -i 's/^  accent: "#1b66a6"/  accent: "#2b7a3d"/' "$t/tpl/theme.yaml"
"$D" build --quiet --content "$t/c" --templates "$t/tpl" --out "$t/out" &&
	"$D" build --quiet --content "$t/c" --templates "$t/tpl" --force --out "$t/force2" || bad "theme rebuild"
grep -q -- '--color-accent: #2b7a3d;' "$t/out/site/style.css" && diff -r "$t/out/site" "$t/force2/site" > "$t/diff" &&
	ok "after a theme edit: the stylesheet follows, incremental = --force" || bad "theme: $(head -5 "$t/diff")"

# An unchanged page is the previous file (same inode); a changed one is new.
"${B[@]}" --out "$t/keep" && ino() { stat -c %i "$t/keep/site/$1"; }
a=$(ino company/company-overview.html) b=$(ino business/case-studies/case-study-1.html)
sed -i 's/seven plumbers/eight plumbers/' "$cs"
"${B[@]}" --out "$t/keep"
[ "$a" = "$(ino company/company-overview.html)" ] && [ "$b" != "$(ino business/case-studies/case-study-1.html)" ] &&
	ok "a page whose bytes did not change is kept (same inode); the edited one is new" ||
	bad "inodes: $a/$(ino company/company-overview.html) $b/$(ino business/case-studies/case-study-1.html)"

# The same bytes in another locale.
if locale -a 2>/dev/null | grep -qix 'es_AR.utf-\{0,1\}8'; then
	LC_ALL=es_AR.UTF-8 "${B[@]}" --force --out "$t/es" && diff -r "$t/keep/site" "$t/es/site" > "$t/diff" &&
		ok "es_AR.UTF-8: the same bytes" || bad "locale: $(head -5 "$t/diff")"
else
	bad "no es_AR.UTF-8 locale (make deps generates it)"
fi

echo "site: $fails failed"
[ "$fails" = 0 ]

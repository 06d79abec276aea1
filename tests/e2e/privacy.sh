#!/bin/sh
# The privacy scan in every script, as a user meets it: ordinary prose in
# many languages builds (tests/privacy/prose.txt, 200 sentences with times,
# dots, "at", versions, dates with times, amounts, tickets and addresses of
# servers, in the seven scripts below too); names declared private with an
# alias are replaced, in Japanese, Chinese, Thai, Arabic, Hebrew, Hindi and
# Latin text (inside words, behind prefixes, in links, wrapped over lines),
# in every case study and in company.yaml,
# so that the real name reaches neither the package's Markdown nor its PDFs.
# The refusals, each with its located message, are the tests/bad/privacy-*
# cases.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok privacy: $1"; }
bad() { echo "FAIL privacy: $1"; fails=$((fails + 1)); }

cp -R content templates "$t/"
prose=$PWD/tests/privacy/prose.txt
cd "$t"
cs=content/case-studies

# 1. Ordinary prose: every sentence of the corpus, one paragraph each, in a
# case study and in a front matter value; no finding, the build passes.
cp $cs/plomeria-cordoba.md keep.md
{ printf '\n## In other words\n\n'; sed 's/$/\n/' "$prose"; } >> $cs/plomeria-cordoba.md
line=$(sed -n '1p' "$prose" | sed 's/"/\\"/g')
sed -i "s/^summary: .*/summary: \"$line\"/" $cs/plomeria-cordoba.md
if "$D" build --quiet 2> err; then
	ok "200 sentences of prose in 20 languages: no finding, the build passes"
else
	bad "prose refused: $(head -5 err)"
fi
[ "$(wc -l < "$prose")" = 200 ] && ok "the prose corpus has 200 sentences" || bad "prose corpus: $(wc -l < "$prose") lines"
cp keep.md $cs/plomeria-cordoba.md

# 2. Aliases, in every script and everywhere in the package.
sed -i 's/^order: 1$/order: 1\nprivate:\n  - {name: "田中太郎", alias: "顧客A社の担当者"}\n  - {name: "أحمد", alias: "العميل"}\n  - {name: "Ana Gómez", alias: "the owner"}\n  - {name: "张伟", alias: "客户甲"}\n  - {name: "สมชาย", alias: "ลูกค้า"}\n  - {name: "דוד", alias: "הלקוח"}\n  - {name: "राहुल शर्मा", alias: "मालिक"}/' \
	$cs/plomeria-cordoba.md
printf '\n%s\n\n%s\n\n%s\n' '田中太郎さんは、見積もりが2分で届くと言いました。' \
	'قال المالك وأحمد إن العرض يصل خلال دقيقتين.' \
	'The owner, **ANA** _Gomez_, agrees; so does Ana Gó&shy;mez'"'"'s partner.' >> $cs/plomeria-cordoba.md
# Chinese and Thai names inside words, Hebrew behind the prefix ו, Hindi
# as words; a Latin name in a link's text and title, and wrapped by a hard
# line break.
printf '\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n' '负责人张伟先生说，报价两分钟内即可完成。' \
	'คุณสมชายบอกว่าใบเสนอราคาพร้อมภายในสองนาที' 'הבעלים ודוד אמרו שהצעת המחיר מוכנה תוך שתי דקות.' \
	'राहुल शर्मा ने कहा कि जवाब दो मिनट में आता है।' \
	'[Ana Gómez](https://example.com/team) said so; see [the page](https://example.com "ANA GOMEZ").' \
	'Ana  
Gómez wrote the reply herself.' >> $cs/plomeria-cordoba.md
# Another case study and company.yaml name them too, undeclared there.
printf '\n%s\n' 'Like 田中太郎さん in Córdoba, this team switched on the assistant.' >> $cs/gas-mendoza.md
sed -i 's/^  mission: "Connecting service professionals with customers in Argentina"$/  mission: "Connecting service professionals like Ana Gómez with customers in Argentina"/' \
	content/company.yaml
if "$D" build --quiet 2> err; then
	ok "names with an alias: the build passes"
else
	bad "aliases refused: $(head -5 err)"
fi
pkg=out/bsp-application
md=$pkg/business/case-studies/case-study-1.md
grep -q '顧客A社の担当者さんは、見積もり' $md && ok "Japanese: the name joined to さんは is replaced by its alias" \
	|| bad "Japanese alias: $(grep -n '見積もり' $md)"
grep -q 'قال المالك والعميل إن' $md && ok "Arabic: the name after the prefix و is replaced, the prefix kept" \
	|| bad "Arabic alias: $(grep -n 'قال' $md)"
grep -q "The owner, the owner, agrees; so does the owner's partner." $md \
	&& ok "Latin: case, accents, emphasis and a soft hyphen inside the name, each replaced" \
	|| bad "Latin alias: $(grep -n 'agrees' $md)"
grep -q '负责人客户甲先生说' $md && ok "Chinese: the name inside a sentence without spaces is replaced" \
	|| bad "Chinese alias: $(grep -n '先生说' $md)"
grep -q 'คุณลูกค้าบอกว่า' $md && ok "Thai: the name joined to คุณ and บอกว่า is replaced" \
	|| bad "Thai alias: $(grep -n 'บอกว่า' $md)"
grep -q 'הבעלים והלקוח אמרו' $md && ok "Hebrew: the name after the prefix ו is replaced, the prefix kept" \
	|| bad "Hebrew alias: $(grep -n 'אמרו' $md)"
grep -q '^मालिक ने कहा कि' $md && ok "Hindi: the name is replaced" || bad "Hindi alias: $(grep -n 'ने कहा' $md)"
grep -q '^\[the owner\](https://example.com/team) said so; see \[the page\](https://example.com "the owner")\.$' $md \
	&& ok "Latin: the name in a link's text and in its title is replaced, the link kept" \
	|| bad "link alias: $(grep -n 'said so' $md)"
grep -q '^the owner wrote the reply herself\.$' $md && ok "Latin: the name wrapped by a hard line break is replaced" \
	|| bad "wrapped alias: $(grep -n 'wrote the reply' $md)"
grep -q 'Like 顧客A社の担当者さん in Córdoba' $pkg/business/case-studies/case-study-3.md \
	&& ok "a name declared in one case study takes its alias in another" \
	|| bad "other case study: $(grep -n 'Like' $pkg/business/case-studies/case-study-3.md)"
grep -q 'professionals like the owner with' $pkg/company/company-overview.md \
	&& ok "a name declared in a case study takes its alias in company.yaml's text" \
	|| bad "company.yaml: $(grep -n 'professionals' $pkg/company/company-overview.md)"
leaks=
for f in $(find $pkg -name '*.md' -o -name '*.pdf'); do
	case $f in *.pdf) txt=$(pdftotext -q "$f" - | tr -d '\n\f') ;; *) txt=$(tr -d '\n' < "$f") ;; esac
	for n in 田中太郎 أحمد 'Ana Gómez' 'ANA' 张伟 สมชาย דוד 'राहुल' 'शर्मा'; do
		case $txt in *"$n"*) leaks="$leaks $f:$n" ;; esac
	done
done
[ -z "$leaks" ] && ok "no real name in any Markdown file or PDF of the package" || bad "names reached the package:$leaks"

[ $fails = 0 ]

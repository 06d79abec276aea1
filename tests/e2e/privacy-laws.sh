#!/bin/bash
# Any privacy law's vocabulary (issue 21): the documents that name roles,
# rights or the authority speak the law the content chooses
# (compliance.privacy.framework, templates/privacy-laws/).
#   1. The Brazilian example speaks the LGPD's terms; the law's requirement
#      to publish the encarregado's name is a readiness item when missing.
#   2. The Japanese example builds without a word on stderr; its privacy
#      policy (Markdown and PDF text) has none of the GDPR's words, names its
#      representative director (APPI art. 32), and its names and address
#      are as the company writes them.
#   3. Without a framework: neutral wording that names no framework.
#   4. Every shipped vocabulary gives a policy with its own terms and rights,
#      cites its sources, and names its law in the overview's checklist.
#   5. A project's own vocabulary (templates/privacy-laws/ of the project)
#      is used like a shipped one.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
root=$PWD
t=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$t"' EXIT
fails=0
ok() { echo "ok privacy-laws: $1"; }
bad() { echo "FAIL privacy-laws: $1"; fails=$((fails + 1)); }
has() { grep -qF -- "$2" "$1"; }

# 1. Marcaí: the LGPD.
"$D" build --quiet --content tests/fixtures/marcai --out "$t/m" 2> "$t/err" || bad "marcai: $(cat "$t/err")"
pp=$t/m/bsp-application/compliance/privacy-policy.md
missing=
for s in "The controller (controlador) for the data" "processes the data on its behalf as operator (operador)" \
	"Our data protection officer (encarregado), Rafael Teixeira, can be reached" "service providers (sub-operators)" \
	"The national data protection authority is" "confirmation that your data is processed (art. 18, I)" \
	"You may also complain to the national data protection authority"; do
	has "$pp" "$s" || missing="$missing '$s'"
done
[ -z "$missing" ] && ok "marcai: the privacy policy speaks the LGPD (controlador, operador, encarregado, art. 18)" || bad "marcai: missing$missing"
grep -qiE "supervisory authority|sub-processor" "$pp" && bad "marcai: GDPR words in an LGPD policy" || ok "marcai: no GDPR-only words (supervisory authority, sub-processor)"
has "$t/m/bsp-application/company/company-overview.md" "Privacy compliance documentation (LGPD): [Privacy Policy](../compliance/privacy-policy.md)" \
	&& ok "marcai: the overview's checklist names the LGPD" || bad "marcai: $(grep -i 'compliance documentation' "$t/m/bsp-application/company/company-overview.md")"
cp -R tests/fixtures/marcai "$t/m-noofficer"
sed -i '/^    officer: "Rafael Teixeira"$/d' "$t/m-noofficer/company.yaml"
"$D" check --content "$t/m-noofficer" > "$t/check" 2>&1; rc=$?
[ $rc = 1 ] && grep -qE "^- \[ \] Commitment: what LGPD requires the privacy policy to publish: not given: add compliance.privacy.officer at $t/m-noofficer/company.yaml:[0-9]+:[0-9]+$" "$t/check" \
	&& ok "marcai without the encarregado's name: check lists what the LGPD requires published, located" || bad "no officer: $rc $(grep officer "$t/check")"

# 2. Naminori: the APPI, names and address as the company writes them.
"$D" build --content tests/fixtures/naminori --out "$t/n" > /dev/null 2> "$t/err"; rc=$?
[ $rc = 0 ] && [ ! -s "$t/err" ] && ok "naminori builds without an error or a warning" || bad "naminori: $rc $(head -3 "$t/err")"
N=$t/n/bsp-application
pdftotext -enc UTF-8 "$N/compliance/privacy-policy.pdf" "$t/n-pp.txt"
for f in "$N/compliance/privacy-policy.md" "$t/n-pp.txt"; do
	w=$(grep -oiE "data controller|processor|data protection officer|data processing agreement" "$f" | sort -u | tr '\n' ' ')
	[ -z "$w" ] && ok "naminori: no GDPR word in $(basename "$f")" || bad "naminori: GDPR words in $(basename "$f"): $w"
done
has "$N/compliance/privacy-policy.md" "Naminori K.K. is represented by 波乗 太郎 (Taro Naminori), Representative Director (代表取締役)." \
	&& ok "naminori: the representative director is named (APPI art. 32(1)(i))" || bad "naminori: no representative"
has "$N/compliance/privacy-policy.md" "The business operator handling personal information (個人情報取扱事業者) for the data of our own customers' accounts is Naminori K.K. (株式会社ナミノリ), 〒530-0001, 大阪府大阪市北区梅田1丁目2番3号 ナミノリビル5階, Japan." \
	&& ok "naminori: the APPI's role, the full legal name and the address in Japanese order" || bad "naminori: $(sed -n '/^The business operator/p' "$N/compliance/privacy-policy.md")"
has "$N/company/legal-entity-docs.md" "| Legal name | 株式会社ナミノリ |" && has "$N/company/legal-entity-docs.md" "| Legal name in Latin script | Naminori K.K. |" \
	&& has "$N/company/legal-entity-docs.md" "| Corporate Number (法人番号) | 5120001098765 |" \
	&& ok "naminori: the registered name and its Latin form in the legal-entity table, the number's label from content" \
	|| bad "naminori: legal entity table: $(grep '^| Legal\|法人番号' "$N/company/legal-entity-docs.md")"
grep -q "Tax ID" "$N/company/legal-entity-docs.md" "$N/company/company-overview.md" && bad "naminori: a 'Tax ID' label the content never gave" \
	|| ok "naminori: no 'Tax ID' label"
has "$N/compliance/terms-of-service.md" "contract between the Client and Naminori K.K. (株式会社ナミノリ), Corporate Number (法人番号) 5120001098765, with registered office at 〒530-0001, 大阪府大阪市北区梅田1丁目2番3号 ナミノリビル5階, Japan" \
	&& ok "naminori: the terms name the party in both forms, at its address as written" || bad "naminori: terms party: $(grep 'contract between' "$N/compliance/terms-of-service.md")"
foot=$(tail -1 "$N/compliance/privacy-policy.md")
case $foot in *"Naminori K.K., 〒530-0001, 大阪府大阪市北区梅田1丁目2番3号 ナミノリビル5階, Japan ·"*) ok "naminori: the footer shows the whole address, in the company's order" ;;
	*) bad "naminori: footer: $foot" ;; esac
grep -q "株式会社ナミノリ's\|(Naminori K.K.)'s" "$N"/*/*.md && bad "naminori: a possessive on the registered name" || ok "naminori: running text uses the Latin form"
has "$N/compliance/terms-of-service.md" "**Support hours:** Every day, 09:00 to 21:00" && ! grep -q "available Every day" "$N"/*/*.md \
	&& ok "naminori: support hours stand as a label, not spliced into a sentence" || bad "naminori: support hours: $(grep -h 'Every day' "$N"/*/*.md | head -2)"
grep -q "figures in this application" "$N/compliance/terms-of-service.md" && bad "naminori: the reviewer's business_model is in the terms" \
	|| ok "naminori: the terms' fees are the terms' own fact, not the reviewer's business model"
has "$N/company/company-overview.md" "Privacy compliance documentation (APPI)" && ok "naminori: the overview's checklist names the APPI" \
	|| bad "naminori: $(grep -i 'compliance documentation' "$N/company/company-overview.md")"

# 3. No framework: neutral wording.
cp -R tests/fixtures/marcai "$t/m-none"
sed -i '/^    framework: lgpd$/d' "$t/m-none/company.yaml"
"$D" build --quiet --content "$t/m-none" --out "$t/mn" 2> "$t/err" || bad "neutral: $(cat "$t/err")"
pn=$t/mn/bsp-application/compliance/privacy-policy.md
has "$pn" "The responsible party for the data of our own customers' accounts is" \
	&& has "$pn" "We use these service providers, each bound by a written agreement:" \
	&& ok "neutral: the roles in plain words" || bad "neutral: $(grep -m2 'responsible\|We use these' "$pn")"
w=$(grep -oE "controlador|operador|encarregado|sub-operator|sub-processor|supervisory authority|national data protection authority|you have the right to:|art\. 18" "$pn" | sort -u | tr '\n' ' ')
[ -z "$w" ] && ok "neutral: no framework's terms, no law's list of rights" || bad "neutral: $w"
has "$t/mn/bsp-application/company/company-overview.md" "Privacy compliance documentation: [Privacy Policy](../compliance/privacy-policy.md)" \
	&& ok "neutral: the overview's checklist names no framework" || bad "neutral: $(grep -i 'compliance documentation' "$t/mn/bsp-application/company/company-overview.md")"

# 3b. A law that names no officer (Ley 25.326): the company's own title for
# whoever answers privacy requests, when it gives one; plain words otherwise.
cp -R tests/fixtures/campotech "$t/c-title"
"$D" build --quiet --content "$t/c-title" --out "$t/ct" 2> /dev/null
has "$t/ct/bsp-application/compliance/privacy-policy.md" "Our data protection officer can be reached at privacidad@campotech.com.ar." \
	&& has "$t/ct/app-review/data-handling.md" "Privacy requests and questions: privacidad@campotech.com.ar (the data protection officer)." \
	&& ok "campotech: the officer by the company's own title (officer_title), in the policy and the App Review answers" \
	|| bad "officer_title: $(grep -h 'privacidad@' "$t/ct/bsp-application/compliance/privacy-policy.md" "$t/ct/app-review/data-handling.md" | head -3)"
sed -i '/^    officer_title:/d' "$t/c-title/company.yaml"
"$D" build --quiet --content "$t/c-title" --out "$t/cn" 2> /dev/null
has "$t/cn/bsp-application/compliance/privacy-policy.md" "Questions and requests about personal data go to privacidad@campotech.com.ar." \
	&& has "$t/cn/app-review/data-handling.md" "Privacy requests and questions: privacidad@campotech.com.ar." \
	&& ! grep -q 'Our data protection officer' "$t/cn/bsp-application/compliance/privacy-policy.md" \
	&& ok "campotech without officer_title: the policy and the App Review answers name no officer of their own (the content's rights text still may)" \
	|| bad "no officer_title: $(grep -hi 'officer' "$t/cn/bsp-application/compliance/privacy-policy.md" "$t/cn/app-review/data-handling.md" | head -3)"

# 4. Every vocabulary: sources, its terms and rights in a policy, its name in the checklist.
for v in "$root"/templates/privacy-laws/*.yaml; do
	id=$(basename "$v" .yaml)
	[ "$id" = none ] && continue
	grep -q "^    url: \"https://" "$v" && grep -q "^    read: 20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]$" "$v" \
		|| bad "$id: no source with its URL and the date it was read"
	cp -R tests/fixtures/marcai "$t/m-$id"
	sed -i "s/^    framework: lgpd\$/    framework: $id/" "$t/m-$id/company.yaml"
	"$D" build --quiet --content "$t/m-$id" --out "$t/o-$id" 2> "$t/err" || { bad "$id: $(cat "$t/err")"; continue; }
	python3 - "$v" "$t/o-$id/bsp-application" <<'PY' || fails=$((fails + 1))
import sys, yaml
v = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
pkg = sys.argv[2]
pp = open(pkg + "/compliance/privacy-policy.md", encoding="utf-8").read()
ov = open(pkg + "/company/company-overview.md", encoding="utf-8").read()
name = sys.argv[1].rsplit("/", 1)[1][:-5]
want = [v["terms"]["controller"], v["terms"]["acts_for"], v["terms"]["recipients"], v["terms"]["authority"],
        v["terms"]["basis_heading"], "Privacy compliance documentation (%s)" % v["short"]]
want += ["- " + r for r in v.get("rights", [])]
if v["terms"].get("officer"):
    want.append("Our " + v["terms"]["officer"])
lost = [w for w in want if w not in pp and w not in ov]
if lost:
    print("FAIL privacy-laws: %s: not in the policy or the overview: %s" % (name, lost))
    sys.exit(1)
print("ok privacy-laws: %s: its terms, its %d rights and its name in the documents, sources cited" % (name, len(v.get("rights", []))))
PY
done

# 5. A project's own vocabulary.
mkdir -p "$t/proj/templates/privacy-laws"
cp -R tests/fixtures/marcai "$t/proj/content"
cat > "$t/proj/templates/privacy-laws/pdpa-th.yaml" <<'EOF'
law: "Thailand's Personal Data Protection Act B.E. 2562 (2019)"
short: PDPA
sources:
  - title: "Personal Data Protection Act B.E. 2562 (2019)"
    url: "https://www.pdpc.or.th/"
    read: 2026-12-04
terms:
  controller: "data controller (ผู้ควบคุมข้อมูลส่วนบุคคล)"
  acts_for: "processes the data on its behalf as data processor"
  agreement: "data processing agreement"
  an_agreement: "a data processing agreement"
  recipient: "data processor"
  recipients: "data processors"
  authority: "Personal Data Protection Committee"
  basis_heading: "Legal framework and legal basis"
rights:
  - "access your data (s. 30)"
complaints: true
publish_representative: false
EOF
sed -i 's/^    framework: lgpd$/    framework: pdpa-th/' "$t/proj/content/company.yaml"
"$D" build --quiet --content "$t/proj/content" --templates "$t/proj/templates:$root/templates" --out "$t/proj/out" 2> "$t/err" \
	&& has "$t/proj/out/bsp-application/compliance/privacy-policy.md" "The data controller (ผู้ควบคุมข้อมูลส่วนบุคคล) for the data" \
	&& has "$t/proj/out/bsp-application/compliance/privacy-policy.md" "- access your data (s. 30)" \
	&& ok "a project's own vocabulary (templates/privacy-laws/pdpa-th.yaml) is used" || bad "project vocabulary: $(cat "$t/err")"

[ $fails = 0 ]

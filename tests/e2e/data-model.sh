#!/bin/sh
# docs/data-model.md says which documents state each fact, as the templates
# do; every commitment is stated by some document; free text is shown only
# in the documents the schema says it is written for (tests/data-model.py).
# Then the check is shown to fail: the reviewer's business model pasted
# into the terms, and a fact added to a template, are both caught.
set -u
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
bad() { echo "FAIL data-model: $1"; fails=$((fails + 1)); }
python3 tests/data-model.py --check || fails=$((fails + 1))

cp -R templates "$t/templates"
cp docs/data-model.md "$t/data-model.md"
sed -i 's/^## 4. Fees$/## 4. Fees\n\n{{{company.business_model}}}/' "$t/templates/terms-of-service.mustache"
out=$(python3 tests/data-model.py --check "$t/templates" "$t/data-model.md")
case $out in *"company.business_model is written for company-overview but shown in terms-of-service"*)
	echo "ok data-model: the business model (written for the reviewer) pasted into the terms is caught" ;;
	*) bad "business_model in the terms not caught: $out" ;; esac
cp -R templates "$t/t2"
sed -i 's/^## Summary$/## Summary\n\n{{{company.legal_type}}}/' "$t/t2/growth-plan.mustache"
out=$(python3 tests/data-model.py --check "$t/t2" "$t/data-model.md")
case $out in *FAIL*) echo "ok data-model: a fact newly shown by a template is caught until the table says so" ;;
	*) bad "a template change went unnoticed: $out" ;; esac
[ $fails = 0 ]

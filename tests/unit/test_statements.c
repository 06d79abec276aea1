/* test_statements.c - the forms documents state facts in (derive/statements.c)
 * and the commitments given and missing (derive/commitments.c). */
#include <check.h>
#include <string.h>

#include "derive/commitments.h"
#include "derive/statements.h"
#include "load/yaml.h"

static val *
tree(const char *text)
{
	val *v = yaml_load_string("company.yaml", text, strlen(text));
	ck_assert_ptr_nonnull(v);
	return v;
}

static const char *
str(const val *root, const char *path)
{
	const val *v = val_path(root, path);
	ck_assert_msg(v && v->kind == VAL_STRING, "%s is not a string", path);
	return v->str;
}

START_TEST(dates_written_out)
{
	g_autofree char *a = statements_date_long("2025-08-18");
	ck_assert_str_eq(a, "18 August 2025");
	ck_assert_ptr_null(statements_date_long("2025-02-30"));
	ck_assert_ptr_null(statements_date_long("18/08/2025"));
	ck_assert_ptr_null(statements_date_long(NULL));
}
END_TEST

START_TEST(names_and_addresses)
{
	g_autoptr(val) t = tree(
		"company:\n"
		"  legal_name: \"株式会社ナミノリ\"\n"
		"  legal_name_latin: \"Naminori K.K.\"\n"
		"  tax_id: {label: \"Corporate Number (法人番号)\"}\n"
		"  address:\n"
		"    lines: [\"〒530-0001\", \"大阪府大阪市北区梅田1丁目2番3号\", Japan]\n"
		"    city: Osaka\n"
		"    country: Japan\n"
		"compliance: {privacy: {dpo_email: a@b.jp}}\n");
	derive_statements(t);
	ck_assert_str_eq(str(t, "company.legal_name_text"), "Naminori K.K.");
	ck_assert_str_eq(str(t, "company.legal_name_full"), "Naminori K.K. (株式会社ナミノリ)");
	ck_assert_str_eq(str(t, "company.tax_id.heading"), "Corporate Number (法人番号)");
	ck_assert_str_eq(str(t, "company.address.text"), "〒530-0001, 大阪府大阪市北区梅田1丁目2番3号, Japan");
	ck_assert_str_eq(str(t, "compliance.privacy.controller_text"),
			 "Naminori K.K. (株式会社ナミノリ), 〒530-0001, 大阪府大阪市北区梅田1丁目2番3号, Japan");

	g_autoptr(val) old = tree(
		"company:\n"
		"  legal_name: \"Acme S.A.\"\n"
		"  tax_id: {kind: \"Tax ID\", label: CUIT}\n"
		"  address: {street: \"Calle 1\", postal_code: X5000, city: Córdoba, province: Córdoba, country: Argentina}\n");
	derive_statements(old);
	ck_assert_str_eq(str(old, "company.legal_name_text"), "Acme S.A.");
	ck_assert_str_eq(str(old, "company.legal_name_full"), "Acme S.A.");
	ck_assert_str_eq(str(old, "company.tax_id.heading"), "Tax ID (CUIT)");
	ck_assert_str_eq(str(old, "company.address.text"), "Calle 1, X5000 Córdoba, Córdoba, Argentina");
}
END_TEST

/* The practices of the privacy policy in the order the sentence needs,
 * with the Oxford comma for three clauses and "it" after the content was
 * named. */
START_TEST(privacy_practices)
{
	g_autoptr(val) t = tree(
		"compliance:\n"
		"  privacy:\n"
		"    sells_personal_data: false\n"
		"    uses_content_for_advertising: false\n"
		"    uses_content_for_ai_training: true\n");
	derive_statements(t);
	const val *uses = val_path(t, "compliance.privacy.uses");
	ck_assert_uint_eq(val_len(uses), 3);
	ck_assert(val_truthy(val_get(val_index(uses, 0), "sell")));
	ck_assert(!val_truthy(val_get(val_index(uses, 0), "does")));
	ck_assert_str_eq(val_get(val_index(uses, 0), "list_sep")->str, ", ");
	ck_assert_str_eq(val_get(val_index(uses, 1), "list_sep")->str, ", and ");
	ck_assert(val_truthy(val_get(val_index(uses, 2), "does")));
	ck_assert(val_truthy(val_get(val_index(uses, 2), "it")));

	g_autoptr(val) two = tree("compliance: {privacy: {sells_personal_data: false, uses_content_for_ai_training: false}}\n");
	derive_statements(two);
	uses = val_path(two, "compliance.privacy.uses");
	ck_assert_uint_eq(val_len(uses), 2);
	ck_assert_str_eq(val_get(val_index(uses, 0), "list_sep")->str, " and ");
	ck_assert(!val_truthy(val_get(val_index(uses, 1), "it")));	/* "personal data" came before */

	g_autoptr(val) none = tree("compliance: {privacy: {dpo_email: a@b.c}}\n");
	derive_statements(none);
	ck_assert(!val_truthy(val_path(none, "compliance.privacy.uses_any")));
}
END_TEST

START_TEST(one_fact_many_forms)
{
	g_autoptr(val) t = tree(
		"support: {availability: {target: 99.5, contractual: true}}\n"
		"security: {audits: [{date: 2025-04-22}, {date: 2026-06-18}]}\n"
		"compliance: {messaging: {enforcement: [{step: Warning}, {step: SMS ban}, {step: Termination}]}}\n"
		"integrations: {retry: {factor: 1.5}, webhook: {endpoints: [{path: /a}, {path: /b, cloud_api: true}]}}\n"
		"team: {technical: 1, support: 3}\n");
	derive_statements(t);
	ck_assert_str_eq(str(t, "support.availability.target_text"), "99.5%");
	ck_assert(val_truthy(val_path(t, "support.availability.stated")));
	ck_assert_str_eq(str(t, "security.audits_latest"), "2026-06-18");
	const val *steps = val_path(t, "compliance.messaging.enforcement");
	ck_assert_str_eq(val_get(val_index(steps, 0), "step_lower")->str, "warning");
	ck_assert_str_eq(val_get(val_index(steps, 1), "step_lower")->str, "SMS ban");
	ck_assert_str_eq(val_get(val_index(steps, 1), "list_sep_or")->str, " or ");
	ck_assert_str_eq(str(t, "integrations.retry.factor_text"), "multiplied by 1.5");
	ck_assert(val_truthy(val_path(t, "integrations.webhook.cloud_api_any")));
	ck_assert(val_truthy(val_path(t, "team.technical_one")));
	ck_assert(!val_truthy(val_path(t, "team.support_one")));

	g_autoptr(val) half = tree("support: {availability: {target: 99.9}}\n");
	derive_statements(half);
	ck_assert(!val_truthy(val_path(half, "support.availability.stated")));	/* commits or aims: not given */
}
END_TEST

/* A missing commitment is located at the deepest map of its path the
 * content has; a given false counts as given. */
START_TEST(commitments_missing_and_located)
{
	g_autoptr(val) t = tree(
		"compliance:\n"
		"  privacy:\n"
		"    sells_personal_data: false\n"
		"support:\n"
		"  hours: x\n");
	static const char list[] =
		"- {fact: compliance.privacy.sells_personal_data, what: a, documents: [privacy-policy]}\n"
		"- {fact: compliance.privacy.changes, what: b, documents: [privacy-policy]}\n"
		"- {fact: compliance.terms.liability_cap, what: c, documents: [terms-of-service]}\n"
		"- {fact: support.availability.target, what: d, documents: [uptime-report]}\n";
	g_autoptr(val) facts = yaml_load_string("commitments.yaml", list, strlen(list));
	val *c = val_set_map(t, "commitments");
	val_map_set(c, "facts", val_copy(facts));
	derive_commitments(t);
	const val *missing = val_path(t, "commitments.missing");
	ck_assert_uint_eq(val_len(missing), 3);
	ck_assert_str_eq(val_get(val_index(missing, 0), "fact")->str, "compliance.privacy.changes");
	ck_assert_str_eq(val_get(val_index(missing, 0), "where")->str, "company.yaml:2:3");	/* privacy: */
	ck_assert_str_eq(val_get(val_index(missing, 1), "where")->str, "company.yaml:1:1");	/* compliance: */
	ck_assert_str_eq(val_get(val_index(missing, 2), "where")->str, "company.yaml:4:1");	/* support: */
	g_autoptr(val) items = val_new_list();
	derive_commitment_items(items, t);
	ck_assert_uint_eq(val_len(items), 3);
	ck_assert(!val_truthy(val_get(val_index(items, 0), "met")));
	ck_assert_str_eq(val_get(val_index(items, 2), "detail")->str,
			 "not given: add support.availability.target at company.yaml:4:1");
}
END_TEST

Suite *
suite_statements(void)
{
	Suite *s = suite_create("statements");
	TCase *tc = tcase_create("statements");
	tcase_add_test(tc, dates_written_out);
	tcase_add_test(tc, names_and_addresses);
	tcase_add_test(tc, privacy_practices);
	tcase_add_test(tc, one_fact_many_forms);
	tcase_add_test(tc, commitments_missing_and_located);
	suite_add_tcase(s, tc);
	return s;
}

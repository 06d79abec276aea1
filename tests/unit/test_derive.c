/* test_derive.c - the derived figures and their formatting, against values
 * computed by hand (the arithmetic is shown next to each expectation).
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "derive/derive.h"
#include "derive/cost.h"
#include "base/diag.h"
#include "base/fmt.h"
#include "load/yaml.h"

#define ck_fmt(call, expected) do { \
	char *got_ = (call); \
	ck_assert_str_eq(got_, expected); \
	g_free(got_); \
} while (0)

START_TEST(formats)
{
	ck_fmt(fmt_count(52340), "52,340");
	ck_fmt(fmt_count(0), "0");
	ck_fmt(fmt_count(999), "999");
	ck_fmt(fmt_count(1000000), "1,000,000");
	ck_fmt(fmt_count(-1234), "\xE2\x88\x92" "1,234");
	ck_fmt(fmt_count(-0.2), "0");			/* no "−0" */
	ck_fmt(fmt_money(2094.4), "$2,094");
	ck_fmt(fmt_money(12.5), "$12.50");
	ck_fmt(fmt_money(12), "$12");
	ck_fmt(fmt_money(-318), "\xE2\x88\x92$318");
	ck_fmt(fmt_rate(0.06), "$0.0600");
}
END_TEST

/* Money the currency's way, by ICU in English whatever the locale:
 * symbol or code (with a no-break space), minor units, grouping. */
#define NBSP "\xC2\xA0"
START_TEST(formats_in_any_currency)
{
	ck_assert(fmt_currency_known("JPY"));
	ck_assert(!fmt_currency_known("XYZ"));
	ck_assert(!fmt_currency_known("jpy"));		/* ISO codes are capitals */
	ck_assert(!fmt_currency_set("YEN"));
	ck_assert_str_eq(fmt_currency(), "USD");	/* unchanged */
	ck_assert_int_eq(fmt_currency_digits("JPY"), 0);
	ck_assert_int_eq(fmt_currency_digits("USD"), 2);
	ck_assert_int_eq(fmt_currency_digits("KWD"), 3);

	ck_assert(fmt_currency_set("JPY"));
	ck_fmt(fmt_money(1873), "\xC2\xA5" "1,873");	/* ¥1,873 */
	ck_fmt(fmt_money(12.5), "\xC2\xA5" "12");	/* no minor unit: 12.5 to even */
	ck_fmt(fmt_money(-318), "\xE2\x88\x92\xC2\xA5" "318");
	ck_fmt(fmt_rate(0.06 * 150.25), "\xC2\xA5" "9.01");	/* a rate: two decimals more */
	ck_fmt(fmt_money_in("USD", 0.06), "USD" NBSP "0.06");	/* another currency: its code */
	ck_fmt(fmt_rate_in("USD", 0.06), "USD" NBSP "0.0600");

	ck_assert(fmt_currency_set("EUR"));
	ck_fmt(fmt_money(1234567), "\xE2\x82\xAC" "1,234,567");	/* €1,234,567 */
	ck_fmt(fmt_money(12.5), "\xE2\x82\xAC" "12.50");

	ck_assert(fmt_currency_set("KWD"));
	ck_fmt(fmt_money(12.5), "KWD" NBSP "12.500");
	ck_fmt(fmt_money(2094.4), "KWD" NBSP "2,094");
	ck_fmt(fmt_rate(0.018432), "KWD" NBSP "0.01843");
	ck_fmt(fmt_money_exact("KWD", 0.3072, 4), "KWD" NBSP "0.3072");
	char *pre, *suf;
	ck_assert(fmt_currency_affixes("KWD", &pre, &suf));
	ck_assert_str_eq(pre, "KWD" NBSP);
	ck_assert_str_eq(suf, "");
	g_free(pre);
	g_free(suf);

	ck_assert(fmt_currency_set("USD"));
	ck_fmt(fmt_money(2094.4), "$2,094");
	ck_fmt(fmt_date_long("2026-11-30"), "30 November 2026");
	ck_fmt(fmt_percent(99.954, 2), "99.95%");
	ck_fmt(fmt_percent_short(99.9), "99.9%");
	ck_fmt(fmt_percent_short(99.0), "99%");
	ck_fmt(fmt_percent_short(99.95), "99.95%");
	ck_fmt(fmt_change(0.124), "+12.4%");
	ck_fmt(fmt_change(-0.03), "\xE2\x88\x92" "3.0%");
	ck_fmt(fmt_change(0.0), "0.0%");
	ck_fmt(fmt_ms(184), "184 ms");
	ck_fmt(fmt_ms(183.5), "183.5 ms");
	ck_fmt(fmt_month_name(2026 * 12 + 9), "October 2026");
	ck_assert_int_eq(fmt_month_index("2026-10"), 2026 * 12 + 9);
	ck_assert_int_eq(fmt_month_index("2026-13"), -1);
	ck_assert_int_eq(fmt_days_in_month(fmt_month_index("2024-02")), 29);
}
END_TEST

static val *
yaml(const char *text)
{
	val *v = yaml_load_string("test.yaml", text, strlen(text));
	ck_assert_ptr_nonnull(v);
	return v;
}

/* The seed's table reproduced by marginal tiers. */
static const char *tiers_yaml =
	"- {up_to: 10000, rate: 0.04}\n"
	"- {up_to: 50000, rate: 0.035}\n"
	"- {up_to: 100000, rate: 0.034}\n"
	"- {rate: 0.02875}\n";

START_TEST(cost_and_break_even)
{
	val *tiers = yaml(tiers_yaml);
	/* 10,000 × 0.04 = 400 */
	ck_assert_double_eq_tol(cost_direct(tiers, 10000), 400, 1e-9);
	/* 400 + 40,000 × 0.035 = 1,800 */
	ck_assert_double_eq_tol(cost_direct(tiers, 50000), 1800, 1e-9);
	/* 1,800 + 50,000 × 0.034 = 3,500 */
	ck_assert_double_eq_tol(cost_direct(tiers, 100000), 3500, 1e-9);
	/* 3,500 + 400,000 × 0.02875 = 15,000 */
	ck_assert_double_eq_tol(cost_direct(tiers, 500000), 15000, 1e-9);
	ck_assert_double_eq_tol(cost_direct(tiers, 0), 0, 1e-9);
	/* Savings per message 0.02 up to 10k (200), then 0.025: 200 + 40,000 × 0.025 = 1,200. */
	ck_assert_double_eq_tol(cost_break_even(tiers, 0.06, 1200), 50000, 1e-6);
	ck_assert_double_eq_tol(cost_break_even(tiers, 0.06, 100), 5000, 1e-6);
	/* 2,500 saved at 100k, then 0.03125 a message: 100,000 + 17,500 / 0.03125 = 660,000. */
	ck_assert_double_eq_tol(cost_break_even(tiers, 0.06, 20000), 660000, 1e-6);
	/* A BSP rate below every direct rate never breaks even. */
	ck_assert(cost_break_even(tiers, 0.02, 100) < 0);
	val_free(tiers);
}
END_TEST

START_TEST(growth_arithmetic)
{
	/* 100 → 121 over three months: 1.1² = 1.21, so 10% a month. */
	ck_assert_double_eq_tol(derive_cmgr(100, 121, 3), 0.10, 1e-12);
	ck_assert_double_eq(derive_cmgr(100, 121, 1), 0);	/* one month: no rate */
	ck_assert_double_eq(derive_cmgr(0, 121, 3), 0);		/* from zero: no rate */
	/* 87 × 1.05^k ≥ 100: ln(100/87) / ln(1.05) = 2.85, so 3 months. */
	ck_assert_int_eq(derive_months_to_target(87, 0.05, 100, 36), 3);
	ck_assert_int_eq(derive_months_to_target(120, 0.05, 100, 36), 0);
	ck_assert_int_eq(derive_months_to_target(87, 0, 100, 36), -1);
	ck_assert_int_eq(derive_months_to_target(1, 0.01, 100, 36), -1);	/* beyond horizon */
	/* 100 × 1.1 = 110 exactly: one month, not two. */
	ck_assert_int_eq(derive_months_to_target(100, 0.1, 110, 36), 1);
}
END_TEST

START_TEST(uptime_weighted_by_days)
{
	val *m = yaml("- {month: '2026-01', uptime_percent: 99.0}\n"
		      "- {month: '2026-02', uptime_percent: 100.0}\n");
	/* (99 × 31 + 100 × 28) / 59 = 5869 / 59 = 99.47457... */
	ck_assert_double_eq_tol(derive_weighted_uptime(m, 0, 2), 5869.0 / 59.0, 1e-9);
	ck_assert_double_eq_tol(derive_weighted_uptime(m, 1, 2), 100.0, 1e-9);
	val_free(m);
}
END_TEST

/* A small content tree: three months, growth of 10% a month. */
static val *
small_content(void)
{
	GString *s = g_string_new(
		"company: {name: Acme, currency: USD, founded: '2024-10-01'}\n"
		"team: {technical: 3}\n"
		"security: {audits: [{date: '2026-01-02', firm: Auditores SRL}]}\n"
		"case_studies: [{title: a}, {title: b}, {title: c}]\n"
		"pricing:\n"
		"  bsp_per_message: 0.06\n"
		"  bsp_overhead_monthly: 1200\n"
		"  volumes: [10000, 50000]\n"
		"  direct_tiers:\n"
		"    - {up_to: 10000, rate: 0.04}\n"
		"    - {up_to: 50000, rate: 0.035}\n"
		"    - {up_to: 100000, rate: 0.034}\n"
		"    - {rate: 0.02875}\n"
		"metrics:\n");
	const char *months[] = { "2026-08", "2026-09", "2026-10" };
	const double msgs[] = { 40000, 44000, 48400 }, clients[] = { 70, 77, 84.7 };
	for (int i = 0; i < 3; i++)
		g_string_append_printf(s,
			"  - {month: '%s', active_organizations: 100, whatsapp_ai_clients: %g,"
			" messages: %g, message_cost: %g, uptime_percent: 99.95,"
			" webhook_avg_ms: 180, webhook_p95_ms: 400, delivery_success_percent: 99.5,"
			" mrr: %d}\n", months[i], round(clients[i]), msgs[i], msgs[i] * 0.04,
			10000 * (i + 1));
	val *v = yaml(s->str);
	g_string_free(s, TRUE);
	return v;
}

static const char *
str_at(const val *root, const char *path)
{
	const val *v = val_path(root, path);
	ck_assert_msg(v != NULL, "no value at %s", path);
	ck_assert_msg(v->kind == VAL_STRING, "%s is a %s", path, val_kind_name(v->kind));
	return v->str;
}

START_TEST(derive_whole_tree)
{
	val *root = small_content();
	val *pkg = yaml("documents:\n"
			"  - {path: a/legal.md, template: x, title: Legal, attachment: legal-entity-docs.pdf}\n");
	derive_all(root, pkg, "/nonexistent");

	ck_assert_str_eq(str_at(root, "latest.month_name"), "October 2026");
	ck_assert_str_eq(str_at(root, "latest.fmt.messages"), "48,400");
	ck_assert_str_eq(str_at(root, "latest.fmt.message_cost"), "$1,936");	/* 48,400 × 0.04 */
	ck_assert_str_eq(str_at(root, "latest.fmt.uptime_percent"), "99.95%");
	ck_assert_str_eq(str_at(root, "latest.fmt.webhook_avg_ms"), "180 ms");
	ck_assert_str_eq(str_at(root, "latest.mom_messages"), "+10.0%");
	ck_assert_str_eq(str_at(root, "growth.messages.cmgr"), "+10.0%");
	ck_assert_str_eq(str_at(root, "growth.messages.total_change"), "+21.0%");
	ck_assert_str_eq(str_at(root, "growth.mrr.mom"), "+50.0%");		/* 20k → 30k */
	ck_assert_str_eq(str_at(root, "growth.span"), "August 2026 \xE2\x80\x93 October 2026");
	/* 48,400 × 1.1^12 = 151,898.6 → nearest 100 */
	ck_assert_str_eq(str_at(root, "projection.monthly_volume"), "151,900");
	/* Σ k=1..12 of 48,400 × 1.1^k = 48,400 × 1.1 × (1.1^12 − 1) / 0.1 = 1,138,484 → nearest 1,000 */
	ck_assert_str_eq(str_at(root, "projection.total_12m"), "1,138,000");
	ck_assert_str_eq(str_at(root, "projection.month_name"), "October 2027");
	/* Messages: 48,400 × 1.1 = 53,240 ≥ 50,000, so one month on: November 2026. */
	const val *ms = val_path(root, "projection.milestones");
	ck_assert_str_eq(val_get(val_index(ms, 1), "when")->str, "November 2026");
	/* Clients: 85 × 1.1^k ≥ 100: ln(100/85) / ln(1.1) = 1.7, so December 2026. */
	ck_assert_str_eq(val_get(val_index(ms, 0), "when")->str, "December 2026");

	ck_assert_str_eq(str_at(root, "cost.current.bsp"), "$2,904");	/* 48,400 × 0.06 */
	ck_assert_str_eq(str_at(root, "cost.current.direct"), "$1,744");	/* 400 + 38,400 × 0.035 = 400 + 1,344 */
	ck_assert_str_eq(str_at(root, "cost.current.savings"), "$1,160");	/* 2,904 − 1,744 */
	ck_assert_str_eq(str_at(root, "cost.current.net"), "\xE2\x88\x92$40");	/* 1,160 − 1,200 overhead */
	ck_assert(!val_path(root, "cost.current.pays")->b);
	ck_assert_str_eq(str_at(root, "cost.break_even.volume"), "50,000");
	ck_assert_str_eq(str_at(root, "cost.break_even.bsp_cost"), "$3,000");
	ck_assert_str_eq(str_at(root, "cost.break_even.percent_of_current"), "103%");
	const val *rows = val_path(root, "cost.rows");
	ck_assert_str_eq(val_get(val_index(rows, 1), "savings_percent")->str, "40.0%");

	const val *trig = val_path(root, "triggers.rows");
	ck_assert_int_eq(val_len(trig), 5);
	ck_assert_str_eq(val_get(val_index(trig, 0), "current")->str, "85");
	ck_assert_str_eq(val_get(val_index(trig, 0), "target")->str, "100+");
	ck_assert(!val_get(val_index(trig, 0), "met")->b);
	ck_assert_str_eq(val_get(val_index(trig, 3), "target")->str, "99.9%+");
	ck_assert(val_get(val_index(trig, 3), "met")->b);
	ck_assert_str_eq(val_get(val_index(trig, 4), "target")->str, "< 500 ms");
	ck_assert_str_eq(str_at(root, "triggers.rule.text"),
			 "100+ WhatsApp AI clients OR $2,000+/month in message costs");
	ck_assert(!val_path(root, "triggers.rule.met")->b);
	ck_assert_str_eq(str_at(root, "readiness.verdict"), "NOT READY: 2 of 9 items unmet");
	ck_assert(!val_path(root, "readiness.ready")->b);
	ck_assert_str_eq(str_at(root, "company.years_in_business"), "2.1");
	ck_assert_str_eq(str_at(root, "build.date_long"), "31 October 2026");
	ck_assert(!val_path(root, "attachments.legal_entity_docs.supplied")->b);
	const val *items = val_path(root, "readiness.items");
	ck_assert_str_eq(val_get(val_index(items, 5), "detail")->str,
			 "generated summary stands in; supply content/attachments/legal-entity-docs.pdf before applying");
	ck_assert_str_eq(val_get(val_index(items, 6), "detail")->str,
			 "security audit on 2026-01-02 by Auditores SRL");
	/* The requirements checklist is decided by the data, box by box. */
	ck_assert_str_eq(str_at(root, "requirements.active_clients.check"), "x");	/* 85 ≥ 50 */
	ck_assert_str_eq(str_at(root, "requirements.message_volume.check"), "x");	/* $1,936 ≥ $1,000 */
	ck_assert_str_eq(str_at(root, "requirements.success_stories.check"), "x");	/* 3 case studies */
	ck_assert_str_eq(str_at(root, "requirements.security_audit.check"), "x");
	ck_assert_str_eq(str_at(root, "requirements.years_in_business.check"), "x");	/* 2.1 years */
	ck_assert_str_eq(str_at(root, "requirements.business_model.check"), " ");	/* not in the content */
	ck_assert_str_eq(str_at(root, "requirements.on_call.check"), " ");
	ck_assert_str_eq(str_at(root, "requirements.financial_stability.check"), " ");	/* nothing supplied */
	val_free(pkg);
	val_free(root);
}
END_TEST

START_TEST(thresholds_overridable)
{
	val *root = small_content();
	val *t = yaml("{whatsapp_ai_clients: 80, monthly_messages: 40000, monthly_cost: 1000}");
	val_map_set(root, "triggers", t);
	val *pkg = yaml("documents: []\n");
	derive_all(root, pkg, "/nonexistent");
	ck_assert(val_path(root, "triggers.rule.met")->b);
	ck_assert_str_eq(str_at(root, "readiness.verdict"), "READY: all 8 items met");
	ck_assert(val_path(root, "readiness.ready")->b);
	val_free(pkg);
	val_free(root);
}
END_TEST

START_TEST(single_month)
{
	val *root = small_content();
	val *m = val_get(root, "metrics");
	g_ptr_array_remove_range(m->items, 0, 2);
	val *pkg = yaml("documents: []\n");
	derive_all(root, pkg, "/nonexistent");
	ck_assert_str_eq(str_at(root, "growth.messages.mom"), "\xE2\x80\x94");
	ck_assert_str_eq(str_at(root, "projection.rate"), "0.0%");
	ck_assert_str_eq(str_at(root, "projection.monthly_volume"), "48,400");
	ck_assert_str_eq(str_at(root, "uptime.months"), "1");
	val_free(pkg);
	val_free(root);
}
END_TEST

Suite *
suite_derive(void)
{
	Suite *s = suite_create("derive");
	TCase *tc = tcase_create("figures");
	tcase_add_test(tc, formats);
	tcase_add_test(tc, formats_in_any_currency);
	tcase_add_test(tc, cost_and_break_even);
	tcase_add_test(tc, growth_arithmetic);
	tcase_add_test(tc, uptime_weighted_by_days);
	tcase_add_test(tc, derive_whole_tree);
	tcase_add_test(tc, thresholds_overridable);
	tcase_add_test(tc, single_month);
	suite_add_tcase(s, tc);
	return s;
}

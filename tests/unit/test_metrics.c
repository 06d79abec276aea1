/* test_metrics.c - a new figure is one row of the metric table (plus, for
 * one the content does not give, its derivation): this test adds one the
 * way docs/hacking.md says and checks that every consumer picks it up -
 * derive's formatting, the spreadsheet's columns, CHANGES.md's label and
 * change - and that derive stores numbers beside the text it writes.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "base/diag.h"
#include "base/fmt.h"
#include "derive/consist.h"
#include "derive/derive.h"
#include "derive/metrics.h"
#include "load/yaml.h"
#include "write/changes.h"

static char *
tickets(double n)
{
	g_autofree char *c = fmt_count(n);
	return g_strdup_printf("%s ticket%s", c, n == 1 ? "" : "s");
}

/* The row a developer would add to metric_table[] in metrics.c. */
static const metric support_tickets = {
	"support_tickets", "Support tickets", "Support tickets (count)",
	METRIC_COUNT, tickets, METRIC_LESS_IS_BETTER, 12, false, NULL, NULL,
};

/* Three months of content whose snapshots carry the new field. */
static val *
content(double last_tickets)
{
	GString *s = g_string_new(
		"company: {name: Acme, currency: USD, founded: '2024-10-01'}\n"
		"team: {technical: 3}\n"
		"case_studies: []\n"
		"pricing:\n"
		"  bsp_per_message: 0.06\n"
		"  bsp_overhead_monthly: 1200\n"
		"  volumes: [10000]\n"
		"  direct_tiers: [{rate: 0.03}]\n"
		"metrics:\n");
	const char *months[] = { "2026-08", "2026-09", "2026-10" };
	const double msgs[] = { 40000, 44000, 48400 }, tix[] = { 20, 14, last_tickets };
	for (int i = 0; i < 3; i++)
		g_string_append_printf(s,
			"  - {month: '%s', active_organizations: 100, whatsapp_ai_clients: 80,"
			" messages: %g, message_cost: 1600, uptime_percent: 99.95,"
			" webhook_avg_ms: 180, webhook_p95_ms: 400, delivery_success_percent: 99.5,"
			" mrr: 10000, support_tickets: %g}\n", months[i], msgs[i], tix[i]);
	val *v = yaml_load_string("test.yaml", s->str, s->len);
	g_string_free(s, TRUE);
	ck_assert_ptr_nonnull(v);
	val *pkg = yaml_load_string("package.yaml", "documents: []\n", 14);
	derive_all(v, pkg, "/nonexistent");
	val_free(pkg);
	return v;
}

START_TEST(a_new_figure_is_one_row)
{
	guint before = metric_count();
	ck_assert_ptr_null(metric_find("support_tickets"));
	metric_add(&support_tickets);
	ck_assert_uint_eq(metric_count(), before + 1);
	/* The spreadsheet's Monthly sheet has a column per row, in this order. */
	ck_assert_str_eq(metric_at(before)->column, "Support tickets (count)");

	val *oct = content(12), *nov = content(9);
	/* derive formats it with the row's formatter, beside the number. */
	ck_assert_str_eq(val_path(oct, "latest.fmt.support_tickets")->str, "12 tickets");
	ck_assert_double_eq(val_path(oct, "latest.support_tickets")->num, 12);
	ck_assert_str_eq(val_path(oct, "history_first.fmt.support_tickets")->str, "20 tickets");
	/* Less is better: 9 is "at least as good" as a target of 10. */
	ck_assert(metric_meets(&support_tickets, 9, 10));
	ck_assert(!metric_meets(&support_tickets, 12, 10));

	/* CHANGES.md labels it from the table and says the change. */
	g_autoptr(manifest) m = manifest_new("p", "c", "d");
	g_autoptr(changes_state) s1 = changes_state_new(oct, m);
	g_autoptr(changes_state) s2 = changes_state_new(nov, m);
	g_autofree char *md = changes_report(s1, s2);
	ck_assert_msg(strstr(md, "\n- Support tickets: 12 tickets \xE2\x86\x92 9 tickets (\xE2\x88\x92" "25.0%)\n"),
		      "%s", md);
	val_free(oct);
	val_free(nov);
}
END_TEST

START_TEST(numbers_beside_text)
{
	val *root = content(12);
	/* The projection the charts draw: 48,400 × 1.1^k, k = 1..12. */
	const val *series = val_path(root, "projection.values.messages");
	ck_assert_uint_eq(val_len(series), 12);
	ck_assert_double_eq_tol(val_index(series, 0)->num, 53240, 1e-6);
	ck_assert_double_eq_tol(val_index(series, 11)->num, 48400 * pow(1.1, 12), 1e-6);
	ck_assert_double_eq_tol(val_path(root, "projection.values.rate")->num, 0.1, 1e-12);
	ck_assert_str_eq(val_path(root, "projection.rate")->str, "+10.0%");
	/* Dates as numbers: the build date at noon UTC, a snapshot's month index. */
	ck_assert_str_eq(val_path(root, "build.date")->str, "2026-10-31");
	ck_assert_double_eq(val_path(root, "build.time")->num, 1793448000);	/* date -d '2026-10-31 12:00Z' +%s */
	ck_assert_double_eq(val_path(root, "latest.month_index")->num, 2026 * 12 + 9);
	/* Trigger rows name their figure and unit, for the spreadsheet. */
	const val *row = val_index(val_path(root, "triggers.rows"), 4);
	ck_assert_str_eq(val_get(row, "key")->str, "webhook_avg_ms");
	ck_assert_str_eq(val_get(row, "unit")->str, "ms");
	ck_assert_str_eq(val_get(row, "target")->str, "< 500 ms");
	val_free(root);
}
END_TEST

/* A stock figure that counts a list: one row with `counts`, and the
 * consistency check compares the two (as whatsapp_ai_clients and clients). */
START_TEST(a_counted_figure_is_checked)
{
	static const metric agents = {
		"active_agents", "Active agents", "Active agents",
		METRIC_COUNT, fmt_count, METRIC_MORE_IS_BETTER, 12, true, "agents", "agent",
	};
	metric_add(&agents);
	const char *yaml =
		"metrics:\n"
		"  - month: '2026-10'\n"
		"    active_agents: 3\n"
		"    agents:\n"
		"      - {id: A-1}\n"
		"      - {id: A-2}\n";
	val *v = yaml_load_string("m.yaml", yaml, strlen(yaml));
	ck_assert_ptr_nonnull(v);
	diag_capture_begin();
	unsigned n = consist_check(v, false);
	g_autofree char *said = diag_capture_end();
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(said, "m.yaml:3:20: warning: active_agents is 3, but 2 agents are listed (m.yaml:5): "
			 "update one of them\n");
	val_free(v);
}
END_TEST

Suite *
suite_metrics(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, a_new_figure_is_one_row);
	tcase_add_test(tc, numbers_beside_text);
	tcase_add_test(tc, a_counted_figure_is_checked);
	suite_add_tcase(s, tc);
	return s;
}

/* derive/derive.c - figures computed from the content (derive stage; see derive.h).
 *
 * Reads the checked content tree and adds what the documents show: the
 * latest snapshot and its history, growth, a 12-month projection, uptime and
 * latency over the year, the seed's cost analysis and break-even, the trigger
 * metrics and the pre-application checklist.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "derive/commitments.h"
#include "derive/derive.h"
#include "derive/metrics.h"
#include "derive/statements.h"
#include "base/diag.h"
#include "base/file.h"
#include "derive/wording.h"
#include "base/fmt.h"
#include "derive/need.h"
#include "derive/cost.h"

#define PROJECTION_MONTHS	12
#define MILESTONE_HORIZON	36
#define CHECK_MARK	"\xE2\x9C\x85 Met"		/* ✅ */
#define CROSS_MARK	"\xE2\x9D\x8C Not met"		/* ❌ */

/* ---- arithmetic ------------------------------------------------------ */

double
derive_cmgr(double first, double last, int n_months)
{
	if (n_months < 2 || first <= 0 || last < 0)
		return 0;
	return pow(last / first, 1.0 / (n_months - 1)) - 1;
}

double
derive_weighted_uptime(const val *metrics, guint from, guint to)
{
	double sum = 0, days = 0;
	for (guint i = from; i < to; i++) {
		const val *s = need_item(metrics, i);
		int d = fmt_days_in_month(need_month(s, "month"));
		sum += need_num(s, "uptime_percent") * d;
		days += d;
	}
	return days > 0 ? sum / days : 0;
}

int
derive_months_to_target(double value, double rate, double target, int horizon)
{
	if (value >= target)
		return 0;
	if (rate <= 0 || value <= 0)
		return -1;
	double steps = ceil(log(target / value) / log(1 + rate) - 1e-9);
	if (!(steps <= horizon))	/* also NaN; and no int overflow below */
		return -1;
	int k = (int)steps;
	/* Guard against rounding at the boundary. */
	while (k > 1 && value * pow(1 + rate, k - 1) >= target)
		k--;
	return k <= horizon ? k : -1;
}

/* ---- helpers that add formatted figures ------------------------------ */

static void
set_take(val *map, const char *key, char *text)
{
	val_map_set(map, key, val_new_string_take(text));
}

/* A copy of snapshot `s` with month_name, month_index (year * 12 + month
 * - 1, a number), days and the .fmt twins of its numbers (metrics.h). */
static val *
decorate_snapshot(const val *s, const val *prev)
{
	val *d = val_copy(s);
	int mi = need_month(s, "month");
	set_take(d, "month_name", fmt_month_name(mi));
	val_set_number(d, "month_index", mi);
	val_set_number(d, "days", fmt_days_in_month(mi));
	val *f = val_set_map(d, "fmt");
	for (guint i = 0; i < val_len(s); i++) {
		const val *v = val_index(s, i);
		if (v->kind == VAL_NUMBER)
			set_take(f, val_key(s, i), metric_format(val_key(s, i), v->num));
	}
	if (prev && need_num(prev, "messages") > 0)
		set_take(d, "mom_messages", fmt_change(need_num(s, "messages") / need_num(prev, "messages") - 1));
	else
		val_set_string(d, "mom_messages", "\xE2\x80\x94");	/* — */
	return d;
}

static void
derive_history(val *root, const val *metrics)
{
	val *history = val_set_list(root, "history");
	for (guint i = 0; i < val_len(metrics); i++)
		val_list_add(history, decorate_snapshot(val_index(metrics, i),
							i ? val_index(metrics, i - 1) : NULL));
	val_map_set(root, "latest", val_copy(val_index(history, val_len(history) - 1)));
	val_map_set(root, "history_first", val_copy(val_index(history, 0)));
}

static void
growth_series(val *growth, const char *name, const val *metrics, const char *key,
	      char *(*format)(double))
{
	guint n = val_len(metrics);
	double first = need_num(val_index(metrics, 0), key);
	double last = need_num(val_index(metrics, n - 1), key);
	double prev = n > 1 ? need_num(val_index(metrics, n - 2), key) : 0;
	val *g = val_set_map(growth, name);
	set_take(g, "first", format(first));
	set_take(g, "last", format(last));
	if (n > 1 && prev > 0)
		set_take(g, "mom", fmt_change(last / prev - 1));
	else
		val_set_string(g, "mom", "\xE2\x80\x94");
	if (n > 1 && first > 0) {
		set_take(g, "cmgr", fmt_change(derive_cmgr(first, last, (int)n)));
		set_take(g, "total_change", fmt_change(last / first - 1));
	} else {
		val_set_string(g, "cmgr", "\xE2\x80\x94");
		val_set_string(g, "total_change", "\xE2\x80\x94");
	}
}

static void
derive_growth(val *root, const val *metrics)
{
	guint n = val_len(metrics);
	val *growth = val_set_map(root, "growth");
	int first = need_month(val_index(metrics, 0), "month");
	int last = first + (int)n - 1;
	set_take(growth, "months", g_strdup_printf("%u", n));
	g_autofree char *a = fmt_month_name(first), *b = fmt_month_name(last);
	set_take(growth, "span", n > 1 ? g_strdup_printf("%s \xE2\x80\x93 %s", a, b) : g_strdup(b));
	growth_series(growth, "messages", metrics, "messages", fmt_count);
	growth_series(growth, "clients", metrics, "whatsapp_ai_clients", fmt_count);
	growth_series(growth, "mrr", metrics, "mrr", fmt_money);
}

/* The rate a series grows by: its compound monthly growth over the history. */
static double
series_rate(const val *metrics, const char *key)
{
	guint n = val_len(metrics);
	return derive_cmgr(need_num(val_index(metrics, 0), key), need_num(val_index(metrics, n - 1), key), (int)n);
}

static void
milestone(val *list, const char *metric, const char *target_text, double current,
	  double rate, double target, int latest_month)
{
	val *m = val_new_map();
	val_set_string(m, "metric", metric);
	val_set_string(m, "target", target_text);
	int k = derive_months_to_target(current, rate, target, MILESTONE_HORIZON);
	if (k == 0)
		val_set_string(m, "when", "already met");
	else if (k < 0)
		set_take(m, "when", g_strdup_printf("not within %d months at the current growth rate",
						    MILESTONE_HORIZON));
	else
		set_take(m, "when", fmt_month_name(latest_month + k));
	val_set_bool(m, "met", k == 0);
	val_list_add(list, m);
}

double
derive_threshold(const val *root, const char *key)
{
	static const struct { const char *key; double value; } defaults[] = {
		{ "whatsapp_ai_clients", TRIGGER_CLIENTS },
		{ "monthly_messages", TRIGGER_MESSAGES },
		{ "monthly_cost", TRIGGER_COST_USD },
		{ "uptime_percent", TRIGGER_UPTIME },
		{ "webhook_avg_ms", TRIGGER_WEBHOOK_MS },
	};
	const val *t = val_get(val_get(root, "triggers"), key);
	if (t && t->kind == VAL_NUMBER && isfinite(t->num))
		return t->num;
	for (size_t i = 0; i < G_N_ELEMENTS(defaults); i++)
		if (!strcmp(defaults[i].key, key)) {
			/* The guide's amounts are US dollars: in the company's currency
			 * at its exchange rate from USD (derive_triggers() says when
			 * there is none). */
			double usd = !strcmp(key, "monthly_cost") ? cost_exchange(root, "USD", NULL) : 1;
			return defaults[i].value * (usd > 0 ? usd : 1);
		}
	g_return_val_if_reached(0);
}

/* An amount of the guide, in US dollars, in company.currency; NAN when the
 * content gives no exchange rate from USD. */
static double
guide_usd(const val *root, double usd)
{
	double fx = cost_exchange(root, "USD", NULL);
	return fx > 0 ? usd * fx : NAN;
}

static void
derive_projection(val *root, const val *metrics)
{
	guint n = val_len(metrics);
	const val *latest = val_index(metrics, n - 1);
	int lm = need_month(latest, "month");
	double rate = series_rate(metrics, "messages");
	double volume = need_num(latest, "messages");
	double total = 0;
	for (int k = 1; k <= PROJECTION_MONTHS; k++)
		total += volume * pow(1 + rate, k);
	double month_volume = volume * pow(1 + rate, PROJECTION_MONTHS);

	val *p = val_set_map(root, "projection");
	set_take(p, "months_ahead", g_strdup_printf("%d", PROJECTION_MONTHS));
	set_take(p, "month_name", fmt_month_name(lm + PROJECTION_MONTHS));
	set_take(p, "monthly_volume", fmt_count(round(month_volume / 100) * 100));
	set_take(p, "total_12m", fmt_count(round(total / 1000) * 1000));
	set_take(p, "rate", fmt_change(rate));
	double mrr_rate = series_rate(metrics, "mrr");
	set_take(p, "mrr", fmt_money(round(need_num(latest, "mrr") * pow(1 + mrr_rate, PROJECTION_MONTHS) / 100) * 100));
	set_take(p, "mrr_rate", fmt_change(mrr_rate));
	/* The numbers beside the text, for the charts: the projected volume of
	 * each month after the latest. */
	val *num = val_set_map(p, "values");
	val_set_number(num, "months_ahead", PROJECTION_MONTHS);
	val_set_number(num, "rate", rate);
	val *series = val_set_list(num, "messages");
	for (int k = 1; k <= PROJECTION_MONTHS; k++)
		val_list_add(series, val_new_number(volume * pow(1 + rate, k)));

	val *ms = val_set_list(p, "milestones");
	double t_clients = derive_threshold(root, "whatsapp_ai_clients");
	double t_messages = derive_threshold(root, "monthly_messages");
	double t_cost = derive_threshold(root, "monthly_cost");
	g_autofree char *tc_n = fmt_count(t_clients), *tc = g_strdup_printf("%s+", tc_n);
	g_autofree char *tm_n = fmt_count(t_messages), *tm = g_strdup_printf("%s+", tm_n);
	g_autofree char *tk_n = fmt_money(t_cost), *tk = g_strdup_printf("%s+/month", tk_n);
	milestone(ms, "Active WhatsApp AI clients", tc, need_num(latest, "whatsapp_ai_clients"),
		  series_rate(metrics, "whatsapp_ai_clients"), t_clients, lm);
	milestone(ms, "Monthly message volume", tm, volume, rate, t_messages, lm);
	milestone(ms, "Monthly message costs", tk, need_num(latest, "message_cost"),
		  series_rate(metrics, "message_cost"), t_cost, lm);
}

static void
derive_uptime(val *root, const val *metrics)
{
	guint n = val_len(metrics);
	guint from = n > 12 ? n - 12 : 0;
	const val *latest = val_index(metrics, n - 1);

	val *u = val_set_map(root, "uptime");
	set_take(u, "last_30d", fmt_percent(need_num(latest, "uptime_percent"), 2));
	set_take(u, "last_12m", fmt_percent(derive_weighted_uptime(metrics, from, n), 2));
	set_take(u, "months", g_strdup_printf("%u", n - from));
	val *incidents = val_set_list(u, "incidents");
	double minutes = 0;
	for (guint i = from; i < n; i++) {
		const val *s = val_index(metrics, i);
		const val *list = need(s, "incidents", VAL_LIST, true);
		g_autofree char *mname = fmt_month_name(need_month(s, "month"));
		for (guint j = 0; j < val_len(list); j++) {
			const val *one = need_item(list, j);
			if (!one)
				continue;
			val *inc = val_copy(one);
			minutes += need_num(inc, "minutes");
			val_set_string(inc, "month_name", mname);
			val_list_add(incidents, inc);
		}
	}
	set_take(u, "incident_minutes_12m", fmt_count(minutes));
	set_take(u, "incident_count_12m", g_strdup_printf("%u", val_len(incidents)));
	val_set_bool(u, "incident_minutes_one", !strcmp(val_get(u, "incident_minutes_12m")->str, "1"));

	val *l = val_set_map(root, "latency");
	double sum = 0, worst = 0;
	for (guint i = from; i < n; i++) {
		sum += need_num(val_index(metrics, i), "webhook_avg_ms");
		worst = MAX(worst, need_num(val_index(metrics, i), "webhook_p95_ms"));
	}
	set_take(l, "avg_12m", fmt_ms(round(sum / (n - from))));
	set_take(l, "worst_p95", fmt_ms(worst));
}

/* The seed's "Trigger Metrics" table: which snapshot figure (metrics.h)
 * is held against which threshold (derive_threshold()). */
static const struct {
	const char *label;	/* "Active WhatsApp AI clients" */
	const char *key;	/* the snapshot figure */
	const char *threshold;	/* the key of triggers.* */
} trigger_table[] = {
	{ "Active WhatsApp AI clients", "whatsapp_ai_clients", "whatsapp_ai_clients" },
	{ "Monthly message volume", "messages", "monthly_messages" },
	{ "Monthly message costs", "message_cost", "monthly_cost" },
	{ "Platform uptime (30 days)", "uptime_percent", "uptime_percent" },
	{ "Average webhook response time", "webhook_avg_ms", "webhook_avg_ms" },
};

/* One row of triggers.rows: the figures as numbers and as text, the target
 * as "100+" (more is better) or "< 500 ms" (less is better).  Returns met. */
static bool
trigger_row(val *rows, const char *label, const metric *m, double cur, double tgt)
{
	/* A percentage target reads short: "99.9%+", not "99.90%+". */
	g_autofree char *tt = m->unit == METRIC_PERCENT ? fmt_percent_short(tgt) : m->format(tgt);
	bool met = metric_meets(m, cur, tgt);
	val *r = val_new_map();
	val_set_string(r, "metric", label);
	val_set_string(r, "key", m->key);
	val_set_string(r, "unit", metric_unit_name(m->unit));
	val_set_number(r, "current_value", cur);
	val_set_number(r, "target_value", tgt);
	set_take(r, "current", m->format(cur));
	set_take(r, "target", m->direction == METRIC_LESS_IS_BETTER ? g_strdup_printf("< %s", tt)
								     : g_strdup_printf("%s+", tt));
	val_set_bool(r, "met", met);
	val_set_string(r, "status", met ? CHECK_MARK : CROSS_MARK);
	val_list_add(rows, r);
	return met;
}

static bool
derive_triggers(val *root, const val *metrics)
{
	const val *latest = val_index(metrics, val_len(metrics) - 1);
	double t_clients = derive_threshold(root, "whatsapp_ai_clients");
	double t_cost = derive_threshold(root, "monthly_cost");
	const val *own_cost = val_path(root, "triggers.monthly_cost");
	if (!(own_cost && own_cost->kind == VAL_NUMBER) && isnan(guide_usd(root, 1))) {
		const val *c = val_path(root, "company.currency");
		diag(DIAG_ERROR, c ? c->file : NULL, c ? c->line : 0, c ? c->col : 0,
		     "the guide's trigger of USD %d a month in message costs needs triggers.monthly_cost in %s "
		     "(triggers.yaml), or an exchange rate from USD under pricing.exchange_rates",
		     TRIGGER_COST_USD, fmt_currency());
	}
	val *t = val_get(root, "triggers");
	if (t && t->kind != VAL_MAP) {
		diag(DIAG_ERROR, t->file, t->line, t->col, "'triggers' must be a map, got a %s: %s",
		     val_kind_name(t->kind), need_hint);
		t = NULL;
	}
	if (!t)
		t = val_set_map(root, "triggers");
	val *rows = val_set_list(t, "rows");
	bool met_clients = false, met_cost = false;
	for (size_t i = 0; i < G_N_ELEMENTS(trigger_table); i++) {
		const metric *m = metric_find(trigger_table[i].key);
		bool met = trigger_row(rows, trigger_table[i].label, m, need_num(latest, m->key),
				       derive_threshold(root, trigger_table[i].threshold));
		if (!strcmp(m->key, "whatsapp_ai_clients"))
			met_clients = met;
		if (!strcmp(m->key, "message_cost"))
			met_cost = met;
	}
	g_autofree char *tc = fmt_count(t_clients), *tk = fmt_money(t_cost);
	guint met = 0;
	for (guint i = 0; i < val_len(rows); i++)
		met += val_get(val_index(rows, i), "met")->b;
	set_take(t, "met_count", g_strdup_printf("%u", met));
	set_take(t, "total", g_strdup_printf("%u", val_len(rows)));

	const val *rule_v = val_get(t, "rule");
	const char *rule = rule_v && rule_v->kind == VAL_STRING ? rule_v->str : "clients_or_cost";
	bool and_rule = !strcmp(rule, "clients_and_cost");
	bool rule_met = and_rule ? met_clients && met_cost : met_clients || met_cost;
	/* The thresholds the charts draw, for their captions. */
	val *th = val_set_map(t, "thresholds");
	set_take(th, "uptime_percent", fmt_percent_short(derive_threshold(root, "uptime_percent")));
	set_take(th, "webhook_avg_ms", fmt_ms(derive_threshold(root, "webhook_avg_ms")));
	/* The thresholds in effect, the seed's where the content gives none,
	 * for the conditions of templates/programme.yaml. */
	static const char *const threshold_keys[] = {
		"whatsapp_ai_clients", "monthly_messages", "monthly_cost", "uptime_percent", "webhook_avg_ms",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(threshold_keys); i++)
		if (!val_get(t, threshold_keys[i]))
			val_set_number(t, threshold_keys[i], derive_threshold(root, threshold_keys[i]));
	val *r = val_set_map(t, "rule");
	val_set_string(r, "name", and_rule ? "clients_and_cost" : "clients_or_cost");
	set_take(r, "text", g_strdup_printf("%s+ WhatsApp AI clients %s %s+/month in message costs",
					    tc, and_rule ? "AND" : "OR", tk));
	val_set_bool(r, "met", rule_met);
	val_set_string(r, "status", rule_met ? CHECK_MARK : CROSS_MARK);
	return rule_met;
}

static void
item(val *items, const char *name, bool met, char *detail)
{
	val *it = val_new_map();
	val_set_string(it, "item", name);
	val_set_bool(it, "met", met);
	val_set_string(it, "status", met ? CHECK_MARK : CROSS_MARK);
	val_set_string(it, "check", met ? "x" : " ");
	set_take(it, "detail", detail);
	val_list_add(items, it);
}

/* attachments.<name_with_underscores> for each `attachment:` of the package. */
static void
derive_attachments(val *root, const val *package, const char *dir)
{
	val *att = val_set_map(root, "attachments");
	const val *docs = val_get(package, "documents");
	for (guint i = 0; i < val_len(docs); i++) {
		const val *a = val_get(val_index(docs, i), "attachment");
		if (!a || a->kind != VAL_STRING)
			continue;
		g_autofree char *key = g_strdup(a->str);
		char *dot = strrchr(key, '.');
		if (dot)
			*dot = '\0';
		g_strdelimit(key, "-. ", '_');
		g_autofree char *path = g_build_filename(dir, a->str, NULL);
		val *m = val_set_map(att, key);
		/* Looked for through base/file.h: an attachment supplied later is a change. */
		val_set_bool(m, "supplied", file_exists(path) && g_file_test(path, G_FILE_TEST_IS_REGULAR));
		val_set_string(m, "file", a->str);
		const val *title = val_get(val_index(docs, i), "title");
		val_set_string(m, "title", title && title->kind == VAL_STRING ? title->str : a->str);
	}
}

static void set_verdict(val *r, const char *how);

/* The bank rule (clients and message costs) and every other trigger row,
 * each as current in the latest month. */
static void
readiness_triggers(val *items, const val *root, const val *latest, bool rule_met)
{
	const val *rows = val_get(val_get(root, "triggers"), "rows");
	item(items, val_get(val_get(val_get(root, "triggers"), "rule"), "text")->str, rule_met,
	     g_strdup_printf("%s clients, %s in message costs in %s",
			     val_get(val_index(rows, 0), "current")->str,
			     val_get(val_index(rows, 2), "current")->str,
			     val_get(latest, "month_name") ? val_get(latest, "month_name")->str
							   : val_get(latest, "month")->str));
	for (guint i = 1; i < val_len(rows); i++) {
		if (i == 2)
			continue;	/* message costs: part of the rule above */
		const val *row = val_index(rows, i);
		g_autofree char *name = g_strdup_printf("%s %s", val_get(row, "metric")->str,
							val_get(row, "target")->str);
		item(items, name, val_get(row, "met")->b,
		     g_strdup_printf("%s in %s", val_get(row, "current")->str,
				     val_get(latest, "month_name")->str));
	}
}

/* One item per document to supply: met either way, a stand-in when the
 * generated summary takes its place. */
static void
readiness_attachments(val *items, const val *root)
{
	const val *att = val_get(root, "attachments");
	for (guint i = 0; i < val_len(att); i++) {
		const val *a = val_index(att, i);
		bool supplied = val_get(a, "supplied")->b;
		item(items, val_get(a, "title")->str, true,
		     supplied ? g_strdup_printf("supplied: content/attachments/%s", val_get(a, "file")->str)
			      : g_strdup_printf("generated summary stands in; supply content/attachments/%s before applying",
						val_get(a, "file")->str));
		val *it = val_index(items, val_len(items) - 1);
		val_set_bool(it, "standin", !supplied);
		if (supplied)	/* --final looks inside it (pipeline.c) */
			val_set_string(it, "attachment", val_get(a, "file")->str);
	}
}

/* Security audit or ISO 27001: the latest audit, else a certification held. */
static void
readiness_security(val *items, const val *root)
{
	const val *security = need(root, "security", VAL_MAP, true);
	const val *audits = need(security, "audits", VAL_LIST, true);
	const val *certs = need(security, "certifications", VAL_LIST, true);
	const val *iso = NULL;
	for (guint i = 0; i < val_len(certs); i++) {
		const val *c = need_item(certs, i), *st = val_get(c, "status"), *nm = val_get(c, "name");
		if (st && st->kind == VAL_STRING && !g_ascii_strcasecmp(st->str, "certified") &&
		    nm && nm->kind == VAL_STRING)
			iso = c;
	}
	if (val_len(audits) > 0) {
		const val *last = need_item(audits, val_len(audits) - 1);
		item(items, "Security audit or ISO 27001 (preferred)", true,
		     g_strdup_printf("security audit on %s by %s", need_str(last, "date"),
				     need_str(last, "firm")));
	} else {
		item(items, "Security audit or ISO 27001 (preferred)", iso != NULL,
		     iso ? g_strdup_printf("%s certified", val_get(iso, "name")->str)
			 : g_strdup("no security audit or certification in company.yaml (security.audits)"));
	}
}

/* Final: every item met and no stand-in for a supplied document.  A
 * package built before that is a draft (marked on every page). */
static void
readiness_final(val *r, const val *items)
{
	guint unmet = 0, standins = 0;
	for (guint i = 0; i < val_len(items); i++) {
		const val *it = val_index(items, i);
		const val *si = val_get(it, "standin");
		unmet += !val_get(it, "met")->b;
		standins += si && si->b;
	}
	bool final = unmet == 0 && standins == 0;
	val_set_bool(r, "final_ready", final);
	if (final)
		val_set_string(r, "final_note", "Final: every item is met and every supplied document is there; "
			       "the package is built without the draft band.");
	else
		set_take(r, "final_note", g_strdup_printf(
			"Not final: %u item%s unmet and %u generated stand-in%s for supplied documents. "
			"The package is marked as a draft on every page; `dossier build --final` refuses until "
			"`dossier check --final` is ready.", unmet, unmet == 1 ? "" : "s", standins,
			standins == 1 ? "" : "s"));
}

/* readiness: the application's requirements as items (name, met, detail),
 * in the order readiness.md lists them, its verdict and whether the
 * package is final. */
static void
derive_readiness(val *root, const val *metrics, bool rule_met)
{
	const val *latest = val_index(metrics, val_len(metrics) - 1);
	val *r = val_set_map(root, "readiness");
	val *items = val_set_list(r, "items");

	readiness_triggers(items, root, latest, rule_met);
	guint cases = val_len(val_get(root, "case_studies"));
	item(items, "3-5 customer success stories written", cases >= 3 && cases <= 5,
	     cases > 5 ? g_strdup_printf("%u case studies in content/case-studies/: the application asks for 3-5, keep the strongest five", cases)
		       : g_strdup_printf("%u case stud%s in content/case-studies/", cases, cases == 1 ? "y" : "ies"));
	readiness_attachments(items, root);
	readiness_security(items, root);
	const val *years = val_get(val_get(root, "company"), "years_in_business_num");
	double y = years ? years->num : 0;
	g_autofree char *ys = fmt_number(y, 1);
	item(items, "1-2+ years in business", y >= 1, g_strdup_printf("%s years", ys));
	const val *team = need(root, "team", VAL_MAP, true);
	const val *tech_v = need(team, "technical", VAL_NUMBER, true);
	double tech = tech_v && isfinite(tech_v->num) ? tech_v->num : 0;
	item(items, "Technical team available for validation calls", tech >= 1,
	     g_strdup_printf("%.0f engineers on the technical team", tech));
	derive_commitment_items(items, root);

	set_verdict(r, "");
	readiness_final(r, items);
}

/* The verdict over readiness.items: ready, unmet_count, total, verdict.
 * `how` qualifies it (" (final)"). */
static void
set_verdict(val *r, const char *how)
{
	const val *items = val_get(r, "items");
	guint unmet = 0;
	for (guint i = 0; i < val_len(items); i++)
		unmet += !val_get(val_index(items, i), "met")->b;
	val_set_bool(r, "ready", unmet == 0);
	set_take(r, "unmet_count", g_strdup_printf("%u", unmet));
	set_take(r, "total", g_strdup_printf("%u", val_len(items)));
	if (unmet == 0)
		set_take(r, "verdict", g_strdup_printf("READY%s: all %u items met", how, val_len(items)));
	else
		set_take(r, "verdict", g_strdup_printf("NOT READY%s: %u of %u items unmet", how, unmet, val_len(items)));
}

void
derive_readiness_final(val *root)
{
	val *r = val_get(root, "readiness");
	val *items = val_get(r, "items");
	for (guint i = 0; i < val_len(items); i++) {
		val *it = val_index(items, i);
		const val *si = val_get(it, "standin");
		if (si && si->b) {
			val_set_bool(it, "met", false);
			val_set_string(it, "status", CROSS_MARK);
			val_set_string(it, "check", " ");
		}
	}
	set_verdict(r, " (final)");
}

static void
derive_company(val *root, const val *metrics)
{
	val *company = (val *)need_map(root, "company");
	const val *founded = need(company, "founded", VAL_STRING, true);
	const val *latest = val_index(metrics, val_len(metrics) - 1);
	int lm = need_month(latest, "month");
	int days = fmt_days_in_month(lm);

	g_autoptr(GDate) end = g_date_new_dmy((GDateDay)days, (GDateMonth)(lm % 12 + 1), (GDateYear)(lm / 12));
	int y = 0, m = 0, d = 0;
	if (founded && (sscanf(founded->str, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
			!g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))) {
		diag(DIAG_ERROR, founded->file, founded->line, founded->col,
		     "'founded' must be a date written YYYY-MM-DD, got \"%s\": %s", founded->str, need_hint);
		founded = NULL;
	}
	if (founded && company) {
		g_autoptr(GDate) start = g_date_new_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
		double years = g_date_days_between(start, end) / 365.25;
		set_take(company, "founded_year", g_strdup_printf("%d", y));
		set_take(company, "years_in_business", fmt_number(years, 1));
		val_set_number(company, "years_in_business_num", round(years * 10) / 10);
	}
	val *build = val_set_map(root, "build");
	char buf[64];
	g_date_strftime(buf, sizeof buf, "%Y-%m-%d", end);
	val_set_string(build, "date", buf);
	/* The same date as a number: seconds since 1970 at 12:00 UTC. */
	g_autoptr(GDateTime) noon = g_date_time_new_utc(lm / 12, lm % 12 + 1, days, 12, 0, 0);
	val_set_number(build, "time", (double)g_date_time_to_unix(noon));
	g_autofree char *mname = fmt_month_name(lm);
	set_take(build, "date_long", g_strdup_printf("%d %s", days, mname));
}

static void
derive_case_studies(val *root)
{
	const val *list = need(root, "case_studies", VAL_LIST, true);
	for (guint i = 0; i < val_len(list); i++) {
		val *cs = (val *)need_item(list, i);
		if (cs)
			val_set_number(cs, "n", i + 1);
	}
}

/* Sum of every number in a map (the expense lines of a month). */
static double
sum_numbers(const val *map)
{
	double sum = 0;
	for (guint i = 0; i < val_len(map); i++) {
		const val *v = val_index(map, i);
		sum += v->kind == VAL_NUMBER && isfinite(v->num) ? v->num : v->kind == VAL_MAP ? sum_numbers(v) : 0;
	}
	return sum;
}

static void
set_results(val *m, double revenue, double costs)
{
	set_take(m, "revenue", fmt_money(revenue));
	set_take(m, "costs", fmt_money(costs));
	set_take(m, "margin", fmt_money(revenue - costs));
	set_take(m, "margin_percent", revenue > 0 ? fmt_percent((revenue - costs) / revenue * 100, 1)
						  : g_strdup("\xE2\x80\x94"));
}

/* financials.months[]: month_name, revenue, costs, margin (formatted), each
 * expense line formatted under .fmt; financials.totals the same summed. */
static void
derive_financials(val *root)
{
	val *fin = (val *)need(root, "financials", VAL_MAP, true);
	val *months = (val *)need(fin, "months", VAL_LIST, true);
	if (!months)
		return;
	double rev = 0, costs = 0;
	for (guint i = 0; i < val_len(months); i++) {
		val *m = (val *)need_item(months, i);
		if (!m)
			continue;
		set_take(m, "month_name", fmt_month_name(need_month(m, "month")));
		double r = need_num(m, "revenue");
		const val *expenses = need(m, "expenses", VAL_MAP, true);
		double c = sum_numbers(expenses);
		val *f = val_set_map(m, "fmt");
		for (guint j = 0; j < val_len(expenses); j++)
			if (val_index(expenses, j)->kind == VAL_NUMBER)
				set_take(f, val_key(expenses, j), fmt_money(val_index(expenses, j)->num));
		set_results(m, r, c);
		rev += r;
		costs += c;
	}
	set_results(val_set_map(fin, "totals"), rev, costs);
}

static void
requirement(val *req, const char *key, bool met)
{
	val *r = val_set_map(req, key);
	val_set_bool(r, "met", met);
	val_set_string(r, "check", met ? "x" : " ");
}

/* A value present and not empty. */
static bool
has(const val *root, const char *path)
{
	const val *v = val_path(root, path);
	return v && val_truthy(v);
}

/* The seed's "Meta BSP Requirements Checklist", each box decided by the
 * data: requirements.<key>.met and .check ("x" or " ") for a task list. */
static void
derive_requirements(val *root)
{
	const val *latest = val_get(root, "latest");
	val *req = val_set_map(root, "requirements");
	const val *years = val_path(root, "company.years_in_business_num");
	const val *audits = val_path(root, "security.audits");
	bool certified = false;
	const val *certs = val_path(root, "security.certifications");
	for (guint i = 0; i < val_len(certs); i++) {
		const val *st = val_get(val_index(certs, i), "status");
		certified |= st && st->kind == VAL_STRING && !g_ascii_strcasecmp(st->str, "certified");
	}
	double uptime = derive_weighted_uptime(val_get(root, "metrics"),
					       val_len(val_get(root, "metrics")) > 12 ? val_len(val_get(root, "metrics")) - 12 : 0,
					       val_len(val_get(root, "metrics")));

	requirement(req, "legal_entity", has(root, "company.legal_name") && has(root, "company.tax_id"));
	requirement(req, "years_in_business", years && years->num >= 1);
	requirement(req, "business_model", has(root, "company.business_model"));
	requirement(req, "financial_stability", val_truthy(val_path(root, "attachments.financial_statements.supplied")));
	requirement(req, "whatsapp_integration", has(root, "integrations.current_bsps"));
	requirement(req, "uptime_sla", uptime >= derive_threshold(root, "uptime_percent"));
	requirement(req, "webhook_metrics", need_num(latest, "webhook_avg_ms") > 0 && need_num(latest, "delivery_success_percent") > 0);
	requirement(req, "retry_documented", has(root, "integrations.retry"));
	requirement(req, "security_audit", val_len(audits) > 0 || certified);
	requirement(req, "encryption", has(root, "security.tls") && has(root, "security.encryption_at_rest"));
	requirement(req, "privacy_docs", has(root, "compliance.privacy"));
	requirement(req, "active_clients", need_num(latest, "whatsapp_ai_clients") >= 50);
	/* The guide's "$1,000-5,000/month message volume commitment", in USD. */
	requirement(req, "message_volume", need_num(latest, "message_cost") >= guide_usd(root, 1000));
	const val *usd_rate = NULL;
	double fx = cost_exchange(root, "USD", &usd_rate);
	g_autofree char *low = fmt_money_in("USD", 1000), *high = fmt_count(5000);
	if (usd_rate) {	/* in the company's currency, the guide's dollars beside it */
		g_autofree char *own_low = fmt_money(1000 * fx), *own_high = fmt_count(5000 * fx);
		g_autofree char *xr = cost_exchange_text(usd_rate);
		set_take(val_get(req, "message_volume"), "target",
			 g_strdup_printf("%s-%s (%s-%s at %s)", own_low, own_high, low, high, xr));
	} else {
		set_take(val_get(req, "message_volume"), "target", g_strdup_printf("%s-%s", low, high));
	}
	requirement(req, "growth_plan", has(root, "projection"));
	requirement(req, "use_cases", has(root, "use_cases"));
	requirement(req, "success_stories", val_len(val_get(root, "case_studies")) >= 3);
	requirement(req, "support_team", val_num(need(root, "team", VAL_MAP, true), "support") >= 1);
	requirement(req, "support_sla", has(root, "support.sla"));
	requirement(req, "escalation", has(root, "support.escalation"));
	requirement(req, "on_call", has(root, "support.on_call"));
}

bool
derive_all(val *root, const val *package, const char *attachments_dir)
{
	unsigned errors = diag_errors();
	const val *metrics = need_list(root, "metrics");
	if (val_len(metrics) == 0) {
		if (metrics)
			diag(DIAG_ERROR, root->file, 0, 0, "no monthly snapshots: %s", need_hint);
		return false;
	}
	for (guint i = 0; i < val_len(metrics); i++)
		if (!need_item(metrics, i))
			return false;
	/* What the outputs read besides the derived figures (the PDFs' author,
	 * the spreadsheet's company). */
	need_str(need_map(root, "company"), "name");
	/* The currency every amount is written in, before any is. */
	cost_currency(root);
	/* Every snapshot's month first: the history is built on them. */
	for (guint i = 0; i < val_len(metrics); i++)
		need_month(val_index(metrics, i), "month");
	if (diag_errors() != errors)
		return false;

	derive_history(root, metrics);
	derive_company(root, metrics);
	derive_growth(root, metrics);
	derive_projection(root, metrics);
	derive_uptime(root, metrics);
	cost_derive(root, metrics);
	derive_attachments(root, package, attachments_dir);
	derive_case_studies(root);
	derive_financials(root);
	derive_commitments(root);
	derive_statements(root);
	bool rule_met = derive_triggers(root, metrics);
	derive_readiness(root, val_get(root, "history"), rule_met);
	derive_requirements(root);
	if (diag_errors() != errors)
		return false;
	derive_wording(root);
	return diag_errors() == errors;
}

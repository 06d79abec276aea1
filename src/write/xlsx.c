/* write/xlsx.c - the client-metrics spreadsheet (package stage; see write.h),
 * written with libxlsxwriter, at the path package.yaml's `spreadsheet:`
 * names (no spreadsheet without one).
 *
 * Sheets: "Monthly" (a row per snapshot, a native chart of messages),
 * "Clients" (the latest snapshot's per-client list, when present), "Cost
 * analysis" (rates as input cells; costs and savings as formulas over them),
 * "Trigger metrics" (current, target, met).  Numbers are stored as numbers.
 * The workbook's dates come from the data (the end of the latest month), so
 * two builds of the same content give the same bytes.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "write/write.h"
#include "base/fileop.h"
#include "derive/derive.h"
#include "derive/cost.h"
#include "derive/metrics.h"
#include "base/diag.h"
#include "base/fmt.h"

typedef struct {
	lxw_workbook *wb;
	lxw_format *header, *no_limit, *count, *money, *rate, *percent, *ms, *month, *text_wrap, *bold;
} book;

/* A percentage as the fraction Excel formats with 0.00%, without binary
 * noise (99.96 / 100 would be 0.99959999...). */
static double
fraction(double percent)
{
	return round(percent * 1e4) / 1e6;
}

static lxw_format *
new_format(lxw_workbook *wb, const char *num_format, bool bold)
{
	lxw_format *f = workbook_add_format(wb);
	if (num_format)
		format_set_num_format(f, num_format);
	if (bold)
		format_set_bold(f);
	return f;
}

static void
header_row(book *b, lxw_worksheet *ws, const char *const *titles, const double *widths)
{
	for (lxw_col_t c = 0; titles[c]; c++) {
		worksheet_write_string(ws, 0, c, titles[c], b->header);
		worksheet_set_column(ws, c, c, widths[c], NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
}

/* An Excel number format for company.currency: `digits` ("#,##0") with
 * the currency's minor units plus `extra` decimals (a per-message rate has
 * two more), between what ICU writes before and after an amount.  An affix
 * other than "$" is quoted: "$#,##0.00", "\"¥\"#,##0", "\"KWD \"0.00000".
 * An amount cell shows the minor units, as the cell holds them (the
 * documents round amounts over 100 to whole units for reading). */
static char *
currency_format(const char *digits, int extra)
{
	g_autofree char *prefix = NULL, *suffix = NULL;
	if (!fmt_currency_affixes(fmt_currency(), &prefix, &suffix)) {
		prefix = g_strdup_printf("%s ", fmt_currency());
		suffix = g_strdup("");
	}
	GString *f = g_string_new(NULL);
	const char *affix[] = { prefix, suffix };
	for (int side = 0; side < 2; side++) {
		if (side == 1) {
			int decimals = fmt_currency_digits(fmt_currency()) + extra;
			g_string_append(f, digits);
			if (decimals > 0) {
				g_string_append_c(f, '.');
				for (int i = 0; i < decimals; i++)
					g_string_append_c(f, '0');
			}
		}
		if (!*affix[side] || !strcmp(affix[side], "$")) {
			g_string_append(f, affix[side]);
			continue;
		}
		g_string_append_c(f, '"');
		for (const char *p = affix[side]; *p; p++) {
			if (*p == '"')
				g_string_append_c(f, '"');	/* Excel doubles a quote inside quotes */
			g_string_append_c(f, *p);
		}
		g_string_append_c(f, '"');
	}
	return g_string_free(f, FALSE);
}

/* The cell format of a unit; percentages are stored as fractions. */
static lxw_format *
unit_format(const book *b, metric_unit unit)
{
	switch (unit) {
	case METRIC_MONEY: return b->money;
	case METRIC_PERCENT: return b->percent;
	case METRIC_MS: return b->ms;
	case METRIC_COUNT: break;
	}
	return b->count;
}

static double
cell_value(metric_unit unit, double v)
{
	return unit == METRIC_PERCENT ? fraction(v) : v;
}

/* "Monthly": one row per snapshot, a column per figure of metrics.h. */
static void
sheet_monthly(book *b, const val *root)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Monthly");
	guint nm = metric_count();
	g_autofree const char **titles = g_new0(const char *, nm + 2);
	g_autofree double *widths = g_new0(double, nm + 1);
	titles[0] = "Month";
	widths[0] = 12;
	lxw_col_t messages_col = 0;
	g_autoptr(GPtrArray) money_titles = g_ptr_array_new_with_free_func(g_free);
	for (guint k = 0; k < nm; k++) {
		titles[k + 1] = metric_at(k)->column;
		if (metric_at(k)->unit == METRIC_MONEY) {
			char *t = g_strdup_printf("%s (%s)", metric_at(k)->column, fmt_currency());
			g_ptr_array_add(money_titles, t);
			titles[k + 1] = t;
		}
		widths[k + 1] = metric_at(k)->width;
		if (!strcmp(metric_at(k)->key, "messages"))
			messages_col = (lxw_col_t)k + 1;
	}
	header_row(b, ws, titles, widths);
	worksheet_set_row(ws, 0, 32, NULL);
	const val *history = val_get(root, "history");
	guint n = val_len(history);
	for (guint i = 0; i < n; i++) {
		const val *s = val_index(history, i);
		lxw_row_t r = (lxw_row_t)i + 1;
		int mi = (int)val_num(s, "month_index");
		lxw_datetime dt = { .year = mi / 12, .month = mi % 12 + 1, .day = 1 };
		worksheet_write_datetime(ws, r, 0, &dt, b->month);
		for (guint k = 0; k < nm; k++) {
			const metric *m = metric_at(k);
			worksheet_write_number(ws, r, (lxw_col_t)k + 1, cell_value(m->unit, val_num(s, m->key)),
					       unit_format(b, m->unit));
		}
	}
	if (!messages_col)
		return;
	lxw_chart *chart = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
	char cats[64], vals[64];
	snprintf(cats, sizeof cats, "=Monthly!$A$2:$A$%u", n + 1);
	snprintf(vals, sizeof vals, "=Monthly!$%c$2:$%c$%u", 'A' + messages_col, 'A' + messages_col, n + 1);
	lxw_chart_series *series = chart_add_series(chart, cats, vals);
	chart_series_set_name(series, "Messages per month");
	chart_title_set_name(chart, "WhatsApp messages per month");
	chart_axis_set_num_format(chart->x_axis, "mmm yyyy");
	chart_axis_set_num_format(chart->y_axis, "#,##0");
	chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	lxw_chart_options opt = { .x_scale = 1.6, .y_scale = 1.2 };
	worksheet_insert_chart_opt(ws, n + 3, 0, chart, &opt);
}

/* "Clients": the latest snapshot's per-client list. */
static void
sheet_clients(book *b, const val *root)
{
	const val *clients = val_path(root, "latest.clients");
	if (val_len(clients) == 0)
		return;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Clients");
	static const char *const titles[] = { "Client", "Industry", "City", "Messages", NULL };
	static const double widths[] = { 10, 24, 24, 12 };
	header_row(b, ws, titles, widths);
	for (guint i = 0; i < val_len(clients); i++) {
		const val *c = val_index(clients, i);
		lxw_row_t r = (lxw_row_t)i + 1;
		const char *keys[] = { "id", "industry", "city" };
		for (lxw_col_t k = 0; k < 3; k++) {
			const val *v = val_get(c, keys[k]);
			if (v && v->kind == VAL_STRING)
				worksheet_write_string(ws, r, k, v->str, NULL);
		}
		worksheet_write_number(ws, r, 3, val_num(c, "messages"), b->count);
	}
}

/* The input cells of "Cost analysis": the BSP rate (B2), the overhead (B3)
 * and the direct tiers from row 6 (from, up to, rate), in company.currency;
 * converted rates say from what, beside them. */
static void
cost_rates(book *b, lxw_worksheet *ws, const val *root)
{
	const val *tiers = val_path(root, "pricing.direct_tiers");
	const val *values = val_path(root, "cost.values");
	double fx = val_num(values, "fx");
	const val *exchange = val_path(root, "cost.exchange");
	const val *quoted = val_path(root, "pricing.quoted_in");
	/* Beside each converted rate, the price as quoted and the exchange rate. */
	const char *converted = exchange && quoted ? val_path(root, "cost.bsp_rate")->str : NULL;
	worksheet_write_string(ws, 0, 0, "Rates (edit these)", b->bold);
	worksheet_write_string(ws, 1, 0, "Per-message cost via the current BSP", NULL);
	worksheet_write_number(ws, 1, 1, val_num(values, "bsp_rate"), b->rate);
	if (converted)
		worksheet_write_string(ws, 1, 2, converted, NULL);
	worksheet_write_string(ws, 2, 0, "Fixed monthly overhead of being a BSP", NULL);
	worksheet_write_number(ws, 2, 1, val_num(values, "overhead"), b->money);

	g_autofree char *rate_title = g_strdup_printf("Rate (%s)", fmt_currency());
	worksheet_write_string(ws, 4, 0, "Direct tiers", b->bold);
	worksheet_write_string(ws, 4, 1, "From (messages)", b->header);
	worksheet_write_string(ws, 4, 2, "Up to (messages)", b->header);
	worksheet_write_string(ws, 4, 3, rate_title, b->header);
	if (converted)
		worksheet_write_string(ws, 4, 4, "Converted", b->header);
	double lo = 0;
	for (guint i = 0; i < val_len(tiers); i++) {
		const val *t = val_index(tiers, i);
		const val *up = val_get(t, "up_to");
		double hi = up && up->kind == VAL_NUMBER ? up->num : 1e15;
		lxw_row_t r = 5 + (lxw_row_t)i;
		char label[32];
		snprintf(label, sizeof label, "Tier %u", i + 1);
		worksheet_write_string(ws, r, 0, label, NULL);
		worksheet_write_number(ws, r, 1, lo, b->count);
		/* The last tier has no end: a number the formulas can use, shown as words. */
		worksheet_write_number(ws, r, 2, hi, isfinite(hi) && up ? b->count : b->no_limit);
		worksheet_write_number(ws, r, 3, val_num(t, "rate") * fx, b->rate);
		const val *shown = val_path(t, "fmt.rate");
		if (converted && shown)
			worksheet_write_string(ws, r, 4, shown->str, NULL);
		lo = hi;
	}
}

/* "Cost analysis" of the per-message model: a row per month with the
 * messages billed, Meta's charges and each route, as numbers (each month is
 * priced at the rate card in force then, which no formula here repeats). */
static void
sheet_cost_by_month(book *b, const val *root)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Cost analysis");
	const val *values = val_path(root, "cost.values"), *history = val_get(root, "history");
	const val *months = val_get(values, "months");
	g_autofree char *through = g_strdup_printf("%s today", val_path(root, "cost.provider")->str);
	const char *const titles[] = { "Month", "Messages", "At Meta's rates", through,
				       "Tech Provider saves", "As a Solution Partner", "Solution Partner saves", NULL };
	static const double widths[] = { 12, 14, 16, 18, 18, 20, 20 };
	header_row(b, ws, titles, widths);
	worksheet_set_row(ws, 0, 32, NULL);
	lxw_row_t r = 1;
	for (guint i = 0; i < val_len(months) && i < val_len(history); i++) {
		const val *m = val_index(months, i);
		if (!val_get(m, "bsp"))
			continue;
		int mi = (int)val_num(val_index(history, i), "month_index");
		lxw_datetime dt = { .year = mi / 12, .month = mi % 12 + 1, .day = 1 };
		double bsp = val_num(m, "bsp"), meta = val_num(m, "meta"), direct = val_num(m, "direct");
		worksheet_write_datetime(ws, r, 0, &dt, b->month);
		worksheet_write_number(ws, r, 1, val_num(m, "messages"), b->count);
		worksheet_write_number(ws, r, 2, meta, b->money);
		worksheet_write_number(ws, r, 3, bsp, b->money);
		char f[64];
		snprintf(f, sizeof f, "=D%u-C%u", r + 1, r + 1);
		worksheet_write_formula_num(ws, r, 4, f, b->money, bsp - meta);
		worksheet_write_number(ws, r, 5, direct, b->money);
		snprintf(f, sizeof f, "=D%u-F%u", r + 1, r + 1);
		worksheet_write_formula_num(ws, r, 6, f, b->money, bsp - direct);
		r++;
	}
	worksheet_write_string(ws, r + 1, 0, "Each month priced at Meta's rates in force then (templates/rate-card.yaml); "
			       "the rates and their sources are in the Business Growth Plan.", NULL);
	worksheet_write_string(ws, r + 2, 0, "Monthly overhead of being a partner", NULL);
	worksheet_write_number(ws, r + 2, 3, val_num(values, "overhead"), b->money);
}

/* "Cost analysis": the rates are input cells; every cost is a formula over
 * them, so a reviewer who changes a rate sees the table follow.
 * Direct cost of V over marginal tiers [L, U) at rate R:
 *   SUMPRODUCT(R, (V>L)*(V-L) - (V>U)*(V-U)). */
static void
sheet_cost(book *b, const val *root)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Cost analysis");
	const val *tiers = val_path(root, "pricing.direct_tiers");
	const val *values = val_path(root, "cost.values");
	double fx = val_num(values, "fx"), overhead = val_num(values, "overhead");
	guint nt = val_len(tiers);
	worksheet_set_column(ws, 0, 0, 34, NULL);
	worksheet_set_column(ws, 1, 5, 16, NULL);
	cost_rates(b, ws, root);
	lxw_row_t first_tier = 6, last_tier = 5 + nt;	/* 1-based rows for formulas */

	lxw_row_t top = 6 + nt;
	static const char *const titles[] = {
		"Volume (messages/month)", "Current cost (via BSP)", "Direct BSP cost", "Savings",
		"Savings %", "Savings after overhead",
	};
	for (lxw_col_t c = 0; c < 6; c++)
		worksheet_write_string(ws, top, c, titles[c], b->header);

	/* The seed's volumes (cost.values.rows), then the latest month's. */
	const val *rows = val_get(values, "rows");
	guint nv = val_len(rows);
	for (guint i = 0; i <= nv; i++) {
		double v = i < nv ? val_num(val_index(rows, i), "volume") : val_num(val_get(root, "latest"), "messages");
		lxw_row_t r = top + 1 + (lxw_row_t)i;
		unsigned x = r + 1;	/* the row as Excel numbers it */
		double bsp = v * val_num(values, "bsp_rate");
		double direct = fx * cost_direct(tiers, v);
		char f[512];
		worksheet_write_number(ws, r, 0, v, b->count);
		snprintf(f, sizeof f, "=A%u*$B$2", x);
		worksheet_write_formula_num(ws, r, 1, f, b->money, bsp);
		snprintf(f, sizeof f, "=SUMPRODUCT($D$%u:$D$%u,(A%u>$B$%u:$B$%u)*(A%u-$B$%u:$B$%u)-(A%u>$C$%u:$C$%u)*(A%u-$C$%u:$C$%u))",
			 first_tier, last_tier, x, first_tier, last_tier, x, first_tier, last_tier,
			 x, first_tier, last_tier, x, first_tier, last_tier);
		worksheet_write_formula_num(ws, r, 2, f, b->money, direct);
		snprintf(f, sizeof f, "=B%u-C%u", x, x);
		worksheet_write_formula_num(ws, r, 3, f, b->money, bsp - direct);
		snprintf(f, sizeof f, "=IF(B%u>0,D%u/B%u,0)", x, x, x);
		worksheet_write_formula_num(ws, r, 4, f, b->percent, bsp > 0 ? (bsp - direct) / bsp : 0);
		snprintf(f, sizeof f, "=D%u-$B$3", x);
		worksheet_write_formula_num(ws, r, 5, f, b->money, bsp - direct - overhead);
		if (i == nv) {
			const val *mn = val_path(root, "latest.month_name");
			g_autofree char *note = g_strdup_printf("Row %u: the volume of %s", x, mn ? mn->str : "the latest month");
			worksheet_write_string(ws, r + 2, 0, note, NULL);
		}
	}
}

/* "Trigger metrics": current and target as numbers, met as a boolean. */
static void
sheet_triggers(book *b, const val *root)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Trigger metrics");
	static const char *const titles[] = { "Metric", "Current", "Target", "Met", NULL };
	static const double widths[] = { 34, 14, 14, 8 };
	header_row(b, ws, titles, widths);
	const val *rows = val_path(root, "triggers.rows");
	for (guint i = 0; i < val_len(rows); i++) {
		const val *row = val_index(rows, i);
		const metric *m = metric_find(val_get(row, "key")->str);
		metric_unit unit = m ? m->unit : METRIC_COUNT;
		lxw_row_t r = (lxw_row_t)i + 1;
		worksheet_write_string(ws, r, 0, val_get(row, "metric")->str, NULL);
		double cur = cell_value(unit, val_num(row, "current_value"));
		double tgt = cell_value(unit, val_num(row, "target_value"));
		worksheet_write_number(ws, r, 1, cur, unit_format(b, unit));
		worksheet_write_number(ws, r, 2, tgt, unit_format(b, unit));
		worksheet_write_boolean(ws, r, 3, val_get(row, "met")->b, NULL);
	}
	lxw_row_t r = (lxw_row_t)val_len(rows) + 2;
	worksheet_write_string(ws, r, 0, val_path(root, "triggers.rule.text")->str, b->bold);
	worksheet_write_boolean(ws, r, 3, val_path(root, "triggers.rule.met")->b, NULL);
}

/* Write the workbook to `path` from the derived data tree.  False after a
 * diag().  Byte-identical for the same data. */
static bool
write_workbook(const val *root, const char *subject, const char *path)
{
	const val *time = val_path(root, "build.time");
	const val *company = val_get(root, "company");
	lxw_doc_properties props = {
		.title = "Client metrics",
		.subject = (char *)subject,
		.author = (char *)val_get(company, "name")->str,
		.company = (char *)val_get(company, "name")->str,
		.created = time && time->kind == VAL_NUMBER ? (time_t)time->num : 0,
	};
	lxw_workbook_options opts = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
	if (!fileop_ok()) {
		diag(DIAG_ERROR, path, 0, 0, "cannot create the spreadsheet: %s", g_strerror(errno));
		return false;
	}
	book b = { .wb = workbook_new_opt(path, &opts) };
	if (!b.wb) {
		diag(DIAG_ERROR, path, 0, 0, "cannot create the spreadsheet");
		return false;
	}
	workbook_set_properties(b.wb, &props);
	b.header = new_format(b.wb, NULL, true);
	format_set_text_wrap(b.header);
	format_set_bg_color(b.header, 0xDCE6F1);
	format_set_bottom(b.header, LXW_BORDER_THIN);
	b.bold = new_format(b.wb, NULL, true);
	b.no_limit = new_format(b.wb, "\"no limit\"", false);
	b.count = new_format(b.wb, "#,##0", false);
	g_autofree char *money = currency_format("#,##0", 0), *rate = currency_format("0", 2);
	b.money = new_format(b.wb, money, false);
	b.rate = new_format(b.wb, rate, false);
	b.percent = new_format(b.wb, "0.00%", false);
	b.ms = new_format(b.wb, "#,##0 \"ms\"", false);
	b.month = new_format(b.wb, "mmm yyyy", false);

	sheet_monthly(&b, root);
	sheet_clients(&b, root);
	if (val_truthy(val_path(root, "cost.per_message")))
		sheet_cost_by_month(&b, root);
	else
		sheet_cost(&b, root);
	sheet_triggers(&b, root);
	lxw_error err = workbook_close(b.wb);
	if (err != LXW_NO_ERROR) {
		diag(DIAG_ERROR, path, 0, 0, "cannot write the spreadsheet: %s", lxw_strerror(err));
		return false;
	}
	return true;
}

/* Written every build (a few milliseconds): the spreadsheet's record is
 * its own bytes, so no input it shows can be forgotten.  When they are
 * the previous build's, the build keeps the previous file (same inode and
 * mtime; pipeline/build.c). */
bool
xlsx_write(const WriteCtx *ctx)
{
	const val *rel = val_get(package_desc(ctx->pl->pkg), "spreadsheet");
	if (!rel)
		return true;
	g_autofree char *path = g_build_filename(ctx->pkg, rel->str, NULL);
	g_autofree char *dir = g_path_get_dirname(path);
	return fileop_mkdirs(dir) && write_workbook(ctx->pl->root, package_subject(ctx->pl->pkg), path);
}

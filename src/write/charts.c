/* write/charts.c - every chart of the package, from the data tree to
 * STAGE/<package>/charts/NAME.svg (package stage; see write.h).  Runs before
 * the PDFs; the Markdown templates link the charts as ../charts/NAME.svg,
 * and each chart goes into the build's typeset_pictures (ctx->pictures), so
 * the PDFs have the same routine that drew the SVG draw it straight onto
 * their pages.
 *
 * The charts: messages (with the projection), clients, mrr, uptime,
 * latency, cost (monthly, via the BSP against direct) and savings (by
 * volume, from the cost analysis).  Reads the raw snapshots (`metrics`), the pricing and
 * the trigger thresholds, computes the series with derive.h's functions
 * (the same arithmetic as the tables), lays each chart out once and draws
 * that layout into the SVG file (chart_svg()) and, later, into the PDFs.
 * Colours follow templates/theme.yaml's accent.
 *
 * A chart whose record did not change since the previous build (the same
 * chart, to the last value of every series, and the same program: dossier
 * binary, libraries, fonts) is not drawn to SVG again: the previous file
 * is kept (write/kept.h; the record is OUT/.dossier-cache/charts).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <pango/pango.h>

#include "write/write.h"
#include "base/fileop.h"
#include "chart/chart_draw.h"
#include "typeset/typeset.h"
#include "write/kept.h"
#include "derive/derive.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/searchpath.h"
#include "base/record.h"
#include "base/fmt.h"
#include "load/yaml.h"

#define CHARTS_DIR "charts"
#define CHARTS_WIDTH 480.0	/* points */
#define CHARTS_HEIGHT 260.0

#define ACCENT_DEFAULT 0x1b66a6U	/* the typesetter's default accent */
#define SECOND_RGB 0x8a96a3U		/* a second series: slate grey */
#define DARK_RGB 0x0e2f4dU		/* a third: the headings' navy */
#define RULE_RGB 0xc0392bU		/* triggers, targets and limits */

typedef struct {
	const val *root;
	const val *metrics;	/* raw snapshots, oldest first */
	guint n;
	int month0;		/* month index of the first snapshot */
	guint32 accent;
	chart_device *dev;
	const char *dir;	/* STAGE/charts */
	kept *kept;		/* the previous build's charts */
	typeset_pictures *pictures; /* the build's: each chart goes in */
	const char *program;	/* the program's digest (write/program.h) */
} charts_run;

/* colors.accent of the theme, when there is a theme and it has one; a bad
 * theme is the typesetter's to report, so it just gives the default here. */
static guint32
theme_accent(const char *templates_dir)
{
	g_autofree char *path = searchpath_find(templates_dir, "theme.yaml");
	if (!file_exists(path))
		return ACCENT_DEFAULT;
	diag_capture_begin();
	val *theme = yaml_load_file(path);
	g_free(diag_capture_end());
	const val *c = val_path(theme, "colors.accent");
	guint32 rgb = ACCENT_DEFAULT;
	if (c && c->kind == VAL_STRING && c->str[0] == '#') {
		const char *h = c->str + 1;
		size_t n = strlen(h);
		if ((n == 6 || n == 3) && strspn(h, "0123456789abcdefABCDEF") == n) {
			unsigned x = (unsigned)strtoul(h, NULL, 16);
			rgb = n == 6 ? x : ((x >> 8) & 0xf) * 0x110000 + ((x >> 4) & 0xf) * 0x1100 + (x & 0xf) * 0x11;
		}
	}
	val_free(theme);
	return rgb;
}

/* A chart on a page of a PDF, on a typesetting thread. */
static void
draw_on_page(cairo_t *cr, void *layout)
{
	chart_device *d = chart_device_new_for_thread();
	chart_draw(cr, d, layout);
	chart_device_free(d);
}

/* The record of one chart's SVG: the program (its binary, libraries and
 * fonts), the file's name, the size, and the chart itself: every value it
 * shows (chart.h's chart_digest()).  Charts read no file.  Its key is the
 * record's digest (write/kept.h). */
static char *
chart_key(const charts_run *run, const chart *c, const char *name)
{
	g_autoptr(record) r = record_new();
	record_value_str(r, "program", run->program);
	record_value_str(r, "name", name);
	double size[2] = { CHARTS_WIDTH, CHARTS_HEIGHT };
	record_value(r, "size", size, sizeof size);
	GChecksum *k = g_checksum_new(G_CHECKSUM_SHA256);
	chart_digest(c, k);
	record_value_str(r, "chart", g_checksum_get_string(k));
	g_checksum_free(k);
	return record_digest(r);
}

/* The chart as charts/NAME.svg, and registered for the PDFs. */
static bool
write_chart(charts_run *run, const chart *c, const char *name)
{
	g_autofree char *file = g_strdup_printf("%s.svg", name);
	g_autofree char *path = g_build_filename(run->dir, file, NULL);
	chart_layout *l = chart_layout_new(c, CHARTS_WIDTH, CHARTS_HEIGHT, chart_device_measure, run->dev);
	g_autofree char *key = chart_key(run, c, name);
	g_autofree char *rel = g_build_filename(CHARTS_DIR, file, NULL);
	g_autofree char *sha = kept_take(run->kept, rel, key);
	if (!sha) {
		gsize len;
		g_autofree char *svg = chart_svg(run->dev, c, l, path, &len);
		if (!svg || !fileop_write(path, svg, len)) {
			chart_layout_free(l);
			return false;
		}
		sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)svg, len);
	}
	kept_note(run->kept, rel, key, sha);
	typeset_pictures_add(run->pictures, sha, CHARTS_WIDTH, CHARTS_HEIGHT, draw_on_page, l,
			     (GDestroyNotify)chart_layout_free);
	return true;
}

/* A chart over the months of the history (plus `extra` months after it). */
static chart *
monthly_chart(charts_run *run, const char *title, chart_unit unit, guint extra)
{
	chart *c = chart_new(title, unit);
	chart_months(c, run->month0, (int)(run->n + extra));
	return c;
}

/* One series with a metric of every snapshot. */
static chart_series *
metric_series(charts_run *run, chart *c, const char *name, const char *key, chart_kind kind,
	      guint32 rgb)
{
	chart_series *s = chart_series_add(c, name, kind, CHART_SOLID, rgb);
	for (guint i = 0; i < run->n; i++)
		chart_series_put(s, i, val_num(val_index(run->metrics, i), key));
	return s;
}

static char *
count_rule_name(const char *prefix, double v, const char *suffix)
{
	g_autofree char *n = fmt_count(v);
	return g_strdup_printf("%s%s%s", prefix, n, suffix);
}

/* Messages per month, then derive's projection (projection.values: the
 * volume of each month ahead at the compound monthly growth rate), with the
 * volume trigger. */
static bool
chart_messages(charts_run *run)
{
	const val *projected = val_path(run->root, "projection.values.messages");
	guint months = val_len(projected);
	g_autoptr(chart) c = monthly_chart(run, "WhatsApp messages per month", CHART_COUNT,
					   run->n >= 2 ? months : 0);
	metric_series(run, c, "Messages", "messages", CHART_BAR, run->accent);
	const val *r = val_path(run->root, "projection.rate");
	g_autofree char *pname = g_strdup_printf("Projection (%s a month)", r ? r->str : "");
	if (run->n >= 2) {	/* one month has no growth rate to project */
		chart_series *p = chart_series_add(c, pname, CHART_BAR, CHART_LIGHT, run->accent);
		p->slot = 0;
		for (guint k = 1; k <= months; k++)
			chart_series_put(p, run->n - 1 + k, val_index(projected, k - 1)->num);
	}
	double t = derive_threshold(run->root, "monthly_messages");
	g_autofree char *rn = count_rule_name("Trigger: ", t, " messages a month");
	chart_add_rule(c, rn, t, RULE_RGB);
	return write_chart(run, c, "messages");
}

static bool
chart_clients(charts_run *run)
{
	g_autoptr(chart) c = monthly_chart(run, "Active WhatsApp AI clients", CHART_COUNT, 0);
	c->include_zero = true;
	metric_series(run, c, "WhatsApp AI clients", "whatsapp_ai_clients", CHART_LINE, run->accent);
	metric_series(run, c, "Active organizations", "active_organizations", CHART_LINE, SECOND_RGB);
	double t = derive_threshold(run->root, "whatsapp_ai_clients");
	g_autofree char *rn = count_rule_name("Trigger: ", t, " WhatsApp AI clients");
	chart_add_rule(c, rn, t, RULE_RGB);
	return write_chart(run, c, "clients");
}

static bool
chart_mrr(charts_run *run)
{
	g_autofree char *title = g_strdup_printf("Monthly recurring revenue (%s)", fmt_currency());
	g_autoptr(chart) c = monthly_chart(run, title, CHART_MONEY, 0);
	metric_series(run, c, "MRR", "mrr", CHART_BAR, run->accent);
	return write_chart(run, c, "mrr");
}

static bool
chart_uptime(charts_run *run)
{
	g_autoptr(chart) c = monthly_chart(run, "Monthly uptime", CHART_PERCENT, 0);
	metric_series(run, c, "Uptime", "uptime_percent", CHART_LINE, run->accent);
	double t = derive_threshold(run->root, "uptime_percent");
	g_autofree char *tv = fmt_percent_short(t), *rn = g_strdup_printf("Trigger: %s", tv);	/* the application's trigger, not the company's own target */
	chart_add_rule(c, rn, t, RULE_RGB);
	return write_chart(run, c, "uptime");
}

static bool
chart_latency(charts_run *run)
{
	g_autoptr(chart) c = monthly_chart(run, "Webhook response time", CHART_MS, 0);
	c->include_zero = true;
	metric_series(run, c, "Average", "webhook_avg_ms", CHART_LINE, run->accent);
	metric_series(run, c, "95th percentile", "webhook_p95_ms", CHART_LINE, SECOND_RGB);
	double t = derive_threshold(run->root, "webhook_avg_ms");
	g_autofree char *tv = fmt_ms(t), *rn = g_strdup_printf("Limit: %s", tv);
	chart_add_rule(c, rn, t, RULE_RGB);
	return write_chart(run, c, "latency");
}

/* Each month's volume priced via the BSP and directly (list rates, as the
 * cost analysis), and direct plus the fixed overhead of being a BSP: the
 * figures of cost.values (derive/cost.h), in company.currency. */
static bool
chart_cost(charts_run *run)
{
	const val *values = val_path(run->root, "cost.values");
	const val *months = val_get(values, "months");
	double overhead = val_num(values, "overhead");
	bool per_message = val_truthy(val_path(run->root, "cost.per_message"));
	g_autoptr(chart) c = monthly_chart(run, per_message ? "Monthly message cost: today and as a Solution Partner"
							    : "Monthly message cost: via the BSP and direct", CHART_MONEY, 0);
	chart_series *bsp = chart_series_add(c, val_get(values, "bsp_label")->str, CHART_BAR, CHART_SOLID, SECOND_RGB);
	chart_series *direct = chart_series_add(c, val_get(values, "direct_label")->str, CHART_BAR, CHART_SOLID, run->accent);
	g_autofree char *ov = fmt_money(overhead);
	g_autofree char *oname = per_message ? g_strdup_printf("As a Solution Partner + %s overhead", ov)
					     : g_strdup_printf("Direct + %s BSP overhead", ov);
	chart_series *total = chart_series_add(c, oname, CHART_LINE, CHART_DASHED, DARK_RGB);
	for (guint i = 0; i < run->n && i < val_len(months); i++) {
		const val *m = val_index(months, i);
		if (!val_get(m, "bsp"))
			continue;	/* a month without the figures the model needs */
		double d = val_num(m, "direct");
		chart_series_put(bsp, i, val_num(m, "bsp"));
		chart_series_put(direct, i, d);
		chart_series_put(total, i, d + overhead);
	}
	return write_chart(run, c, "cost");
}

/* The per-message model's savings each month, along both routes, against
 * the monthly overhead. */
static bool
chart_savings_by_month(charts_run *run)
{
	const val *values = val_path(run->root, "cost.values");
	const val *months = val_get(values, "months");
	double overhead = val_num(values, "overhead");
	g_autoptr(chart) c = monthly_chart(run, "Monthly savings: as a Tech Provider and as a Solution Partner",
					   CHART_MONEY, 0);
	chart_series *tp = chart_series_add(c, "As a Tech Provider", CHART_BAR, CHART_SOLID, SECOND_RGB);
	chart_series *sp = chart_series_add(c, "As a Solution Partner", CHART_BAR, CHART_SOLID, run->accent);
	for (guint i = 0; i < run->n && i < val_len(months); i++) {
		const val *m = val_index(months, i);
		if (!val_get(m, "bsp"))
			continue;
		chart_series_put(tp, i, val_num(m, "bsp") - val_num(m, "meta"));
		chart_series_put(sp, i, val_num(m, "bsp") - val_num(m, "direct"));
	}
	g_autofree char *ov = fmt_money(overhead), *rn = g_strdup_printf("Partner overhead: %s a month", ov);
	chart_add_rule(c, rn, overhead, RULE_RGB);
	return write_chart(run, c, "savings");
}

/* The cost analysis table as a chart: savings at each volume of
 * pricing.volumes against the monthly overhead. */
static bool
chart_savings(charts_run *run)
{
	if (val_truthy(val_path(run->root, "cost.per_message")))
		return chart_savings_by_month(run);
	const val *values = val_path(run->root, "cost.values");
	const val *rows = val_get(values, "rows");
	double overhead = val_num(values, "overhead");
	g_autoptr(chart) c = chart_new("Monthly savings of direct access, by volume", CHART_MONEY);
	c->value_labels = true;
	c->x_title = g_strdup("messages per month");
	for (guint i = 0; i < val_len(rows); i++) {
		g_autofree char *l = chart_short_count(val_num(val_index(rows, i), "volume"));
		chart_add_category(c, l);
	}
	chart_series *s = chart_series_add(c, "Savings", CHART_BAR, CHART_SOLID, run->accent);
	for (guint i = 0; i < val_len(rows); i++) {
		const val *r = val_index(rows, i);
		chart_series_put(s, i, val_num(r, "bsp") - val_num(r, "direct"));
	}
	g_autofree char *ov = fmt_money(overhead), *rn = g_strdup_printf("BSP overhead: %s a month", ov);
	chart_add_rule(c, rn, overhead, RULE_RGB);
	return write_chart(run, c, "savings");
}

bool
charts_write(const WriteCtx *ctx)
{
	package_rendered *pl = ctx->pl;
	const val *metrics = val_get(pl->root, "metrics");
	if (val_len(metrics) == 0)
		return true;	/* the schema requires a snapshot; nothing to chart otherwise */
	g_autofree char *dir = g_build_filename(ctx->pkg, CHARTS_DIR, NULL);
	if (!fileop_mkdirs(dir))
		return false;
	g_autoptr(chart_device) dev = chart_device_new();
	charts_run run = {
		.root = pl->root,
		.metrics = metrics,
		.n = val_len(metrics),
		.month0 = (int)val_num(val_path(pl->root, "history_first"), "month_index"),
		.accent = theme_accent(pl->templates_dir),
		.dev = dev,
		.dir = dir,
		.kept = kept_open(ctx, "charts"),
		.pictures = ctx->pictures,
		.program = ctx->program,
	};
	bool ok = chart_messages(&run) && chart_clients(&run) && chart_mrr(&run) &&
		  chart_uptime(&run) && chart_latency(&run) && chart_cost(&run) &&
		  chart_savings(&run);
	return kept_close(run.kept, ok) && ok;
}

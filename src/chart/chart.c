/* chart.c - chart data, round-number axes and the layout of a chart as a
 * display list (typeset stage; see chart.h).  No Cairo here: chart_draw.c
 * draws what this file places.
 */
#include <math.h>
#include <string.h>

#include "chart/chart.h"
#include "base/fmt.h"

#define MINUS "\xE2\x88\x92"

/* ================================================================== axes */

/* Decimals needed to write `step` exactly (0.05 -> 2, 2.5 -> 1, 50 -> 0). */
static int
decimals_for(double step)
{
	for (int d = 0; d < 10; d++) {
		double s = step * pow(10, d);
		if (fabs(s - round(s)) < 1e-6 * MAX(1, s))
			return d;
	}
	return 10;
}

chart_axis
chart_axis_nice(const chart_axis_req *req)
{
	double lo = req->lo, hi = req->hi;
	int max_ticks = MAX(req->max_ticks, 2);

	if (!isfinite(lo) || !isfinite(hi) || lo > hi)
		lo = hi = 0;
	if (req->include_zero) {
		lo = MIN(lo, 0);
		hi = MAX(hi, 0);
	}
	if (hi - lo < 1e-9 * MAX(1, fabs(hi))) {
		/* A flat series: a small band around it (±1% of its order of
		 * magnitude), or 0 to 1 for zeros. */
		double d = hi == 0 ? 1 : pow(10, floor(log10(fabs(hi))) - 2);
		d = MAX(d, req->min_step);
		if (req->include_zero && lo >= 0)
			hi = hi == 0 ? d * (max_ticks - 1) : hi + d;
		else if (req->include_zero)
			lo -= d;
		else {
			lo -= d;
			hi += d;
		}
	}
	if (isfinite(req->cap) && hi > req->cap && req->hi <= req->cap) {
		lo -= hi - req->cap;
		hi = req->cap;
	}

	static const double mult[] = { 1, 2, 2.5, 5 };
	double span = hi - lo;
	double p = pow(10, floor(log10(span / (max_ticks - 1))) - 1);
	chart_axis a = { 0 };
	for (int e = 0; e < 40; e++, p *= 10) {
		for (int m = 0; m < 4; m++) {
			double step = mult[m] * p;
			if (step < req->min_step)
				continue;
			double min = floor(lo / step + 1e-9) * step;
			double max = ceil(hi / step - 1e-9) * step;
			int n = (int)lround((max - min) / step) + 1;
			if (n <= max_ticks) {
				a.min = min == 0 ? 0 : min;	/* no -0 */
				a.max = max;
				a.step = step;
				a.n_ticks = MAX(n, 2);
				if (n < 2)
					a.max = a.min + step;
				a.decimals = decimals_for(step);
				return a;
			}
		}
	}
	/* Unreachable for finite input; a sane fallback anyway. */
	a.min = lo;
	a.max = hi;
	a.step = hi - lo;
	a.n_ticks = 2;
	return a;
}

/* "1,234.5" with `decimals`, minus as U+2212, no "−0". */
static char *
number_text(double v, int decimals)
{
	double r = round(v * pow(10, decimals)) / pow(10, decimals);
	if (r == 0)
		r = 0;
	return fmt_number(r, decimals);
}

/* A value scaled to k or M with enough decimals for `step`. */
static char *
scaled(double v, double step, const char *prefix)
{
	const char *suffix = "";
	double div = 1;
	if (fabs(step) >= 1e6 || fabs(v) >= 1e7) {
		div = 1e6;
		suffix = "M";
	} else if (fabs(step) >= 1000 || fabs(v) >= 10000) {
		div = 1e3;
		suffix = "k";
	}
	if (v == 0)
		suffix = "";
	g_autofree char *n = number_text(fabs(v) / div, decimals_for(step / div));
	return g_strdup_printf("%s%s%s%s", v < 0 && strcmp(n, "0") ? MINUS : "", prefix, n, suffix);
}

char *
chart_tick_label(chart_unit unit, double value, const chart_axis *axis)
{
	double top = MAX(fabs(axis->min), fabs(axis->max));
	switch (unit) {
	case CHART_COUNT:
		if (top >= 10000)
			return scaled(value, axis->step, "");
		return number_text(value, axis->decimals);
	case CHART_MONEY: {
		/* The currency's symbol or code where ICU writes it: "$25k", "¥25k", "KWD 25k". */
		g_autofree char *pre = NULL, *suf = NULL;
		if (!fmt_currency_affixes(fmt_currency(), &pre, &suf)) {
			pre = g_strdup_printf("%s ", fmt_currency());
			suf = g_strdup("");
		}
		g_autofree char *text = NULL;
		if (top >= 100000) {
			text = scaled(value, axis->step, pre);
		} else {
			g_autofree char *n = number_text(fabs(value), axis->decimals);
			text = g_strdup_printf("%s%s%s", value < 0 && strcmp(n, "0") ? MINUS : "", pre, n);
		}
		return g_strconcat(text, suf, NULL);
	}
	case CHART_PERCENT: {
		g_autofree char *n = number_text(value, axis->decimals);
		return g_strdup_printf("%s%%", n);
	}
	case CHART_MS: {
		g_autofree char *n = number_text(value, axis->decimals);
		return g_strdup_printf("%s ms", n);
	}
	}
	return g_strdup("");
}

char *
chart_value_label(chart_unit unit, double value)
{
	switch (unit) {
	case CHART_COUNT:
		return fmt_count(value);
	case CHART_MONEY:
		return fmt_money(round(value));
	case CHART_PERCENT:
		return fmt_percent(value, 2);
	case CHART_MS:
		return fmt_ms(round(value));
	}
	return g_strdup("");
}

char *
chart_short_count(double value)
{
	double a = fabs(value);
	double unit = a >= 1e6 ? 1e6 : a >= 1000 ? 1000 : 1;
	/* As many decimals as the value needs, at most two. */
	int d = MIN(decimals_for(a / unit), 2);
	g_autofree char *n = number_text(a / unit, d);
	return g_strdup_printf("%s%s%s", value < 0 ? MINUS : "", n,
			       unit == 1e6 ? "M" : unit == 1000 ? "k" : "");
}

int
chart_label_every(int n, double plot_width, double label_width, int month0)
{
	if (n <= 1 || label_width <= 0)
		return 1;
	double band = plot_width / n;
	int k = (int)ceil(label_width / MAX(band, 1e-9));
	k = MAX(k, 1);
	if (month0 < 0)
		return k;
	static const int steps[] = { 1, 2, 3, 4, 6, 12 };
	for (size_t i = 0; i < G_N_ELEMENTS(steps); i++)
		if (steps[i] >= k)
			return steps[i];
	return (k + 11) / 12 * 12;
}

/* ================================================================ charts */

static void
series_free(gpointer p)
{
	chart_series *s = p;
	g_free(s->name);
	g_array_unref(s->y);
	g_free(s);
}

static void
rule_free(gpointer p)
{
	chart_rule *r = p;
	g_free(r->name);
	g_free(r);
}

chart *
chart_new(const char *title, chart_unit unit)
{
	chart *c = g_new0(chart, 1);
	c->title = g_strdup(title);
	c->unit = unit;
	c->month0 = -1;
	c->categories = g_ptr_array_new_with_free_func(g_free);
	c->series = g_ptr_array_new_with_free_func(series_free);
	c->rules = g_ptr_array_new_with_free_func(rule_free);
	return c;
}

void
chart_free(chart *c)
{
	if (!c)
		return;
	g_free(c->title);
	g_free(c->x_title);
	g_ptr_array_unref(c->categories);
	g_ptr_array_unref(c->series);
	g_ptr_array_unref(c->rules);
	g_free(c);
}

static void
grow_series(chart *c)
{
	guint n = chart_n_categories(c);
	for (guint i = 0; i < c->series->len; i++) {
		chart_series *s = c->series->pdata[i];
		while (s->y->len < n) {
			double nan = NAN;
			g_array_append_val(s->y, nan);
		}
	}
}

void
chart_months(chart *c, int month0, int n)
{
	static const char *const abbr[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	c->month0 = month0;
	g_ptr_array_set_size(c->categories, 0);
	for (int i = 0; i < n; i++)
		g_ptr_array_add(c->categories, g_strdup(abbr[(month0 + i) % 12]));
	grow_series(c);
}

void
chart_add_category(chart *c, const char *label)
{
	g_ptr_array_add(c->categories, g_strdup(label));
	grow_series(c);
}

guint
chart_n_categories(const chart *c)
{
	return c->categories->len;
}

chart_series *
chart_series_add(chart *c, const char *name, chart_kind kind, chart_style style, guint32 rgb)
{
	chart_series *s = g_new0(chart_series, 1);
	s->name = g_strdup(name);
	s->kind = kind;
	s->style = style;
	s->rgb = rgb;
	s->slot = -1;
	s->y = g_array_new(FALSE, FALSE, sizeof(double));
	g_ptr_array_add(c->series, s);
	grow_series(c);
	return s;
}

void
chart_series_put(chart_series *s, guint i, double y)
{
	if (i < s->y->len)
		g_array_index(s->y, double, i) = y;
}

void
chart_add_rule(chart *c, const char *name, double value, guint32 rgb)
{
	chart_rule *r = g_new0(chart_rule, 1);
	r->name = g_strdup(name);
	r->value = value;
	r->rgb = rgb;
	g_ptr_array_add(c->rules, r);
}

/* The full name of category i: "October 2026" for months, else its label. */
static char *
category_name(const chart *c, guint i)
{
	if (c->month0 >= 0)
		return fmt_month_name(c->month0 + (int)i);
	return g_strdup(c->categories->pdata[i]);
}

char *
chart_describe(const chart *c)
{
	GString *s = g_string_new(c->title);
	g_string_append(s, ".");
	for (guint i = 0; i < c->series->len; i++) {
		const chart_series *se = c->series->pdata[i];
		int first = -1, last = -1, count = 0;
		for (guint j = 0; j < se->y->len; j++)
			if (!isnan(g_array_index(se->y, double, j))) {
				if (first < 0)
					first = (int)j;
				last = (int)j;
				count++;
			}
		g_string_append_printf(s, " %s (%s): ", se->name,
				       se->kind == CHART_BAR ? "bars" : "line");
		if (count == 0) {
			g_string_append(s, "no values.");
			continue;
		}
		g_autofree char *a = category_name(c, (guint)first), *b = category_name(c, (guint)last);
		g_autofree char *va = chart_value_label(c->unit, g_array_index(se->y, double, first));
		g_autofree char *vb = chart_value_label(c->unit, g_array_index(se->y, double, last));
		if (first == last)
			g_string_append_printf(s, "%s in %s.", va, a);
		else
			g_string_append_printf(s, "%d values, %s in %s to %s in %s.", count, va, a, vb, b);
	}
	for (guint i = 0; i < c->rules->len; i++) {
		const chart_rule *r = c->rules->pdata[i];
		g_autofree char *v = chart_value_label(c->unit, r->value);
		g_string_append_printf(s, " %s (line at %s).", r->name, v);
	}
	return g_string_free(s, FALSE);
}

/* ================================================================ layout */

#define PAD 8.0			/* canvas edge to content */
#define GAP 6.0			/* between blocks */
#define GRID_RGB 0xdde3eaU
#define AXIS_RGB 0x5b6675U
#define TEXT_RGB 0x1f2328U
#define MUTED_RGB 0x5b6675U
#define SWATCH_W 16.0

static chart_op *
op_new(chart_layout *l, chart_op_kind kind, const char *role)
{
	chart_op *op = g_new0(chart_op, 1);
	op->kind = kind;
	op->role = role;
	op->alpha = 1;
	g_ptr_array_add(l->ops, op);
	return op;
}

static void
op_free(gpointer p)
{
	chart_op *op = p;
	g_free(op->pts);
	g_free(op->text);
	g_free(op);
}

static chart_op *
add_text(chart_layout *l, const char *role, const char *text, double x, double y,
	 double size, bool bold, chart_align align, guint32 rgb)
{
	chart_op *op = op_new(l, CHART_OP_TEXT, role);
	op->text = g_strdup(text);
	op->x = x;
	op->y = y;
	op->size = size;
	op->bold = bold;
	op->align = align;
	op->rgb = rgb;
	return op;
}

static chart_op *
add_line(chart_layout *l, const char *role, double x0, double y0, double x1, double y1,
	 double width, guint32 rgb, bool dashed)
{
	chart_op *op = op_new(l, CHART_OP_PATH, role);
	op->n_pts = 2;
	op->pts = g_new(double, 4);
	op->pts[0] = x0;
	op->pts[1] = y0;
	op->pts[2] = x1;
	op->pts[3] = y1;
	op->stroke_width = width;
	op->rgb = rgb;
	op->dashed = dashed;
	return op;
}

static chart_op *
add_rect(chart_layout *l, const char *role, double x, double y, double w, double h,
	 guint32 rgb, double alpha)
{
	chart_op *op = op_new(l, CHART_OP_RECT, role);
	op->x = x;
	op->y = y;
	op->w = w;
	op->h = h;
	op->rgb = rgb;
	op->alpha = alpha;
	return op;
}

/* A light tint of rgb, mixed with 70% white.  Opaque rather than
 * translucent: transparency would make the PDFs carry soft-mask groups. */
static guint32
pale(guint32 rgb)
{
	guint32 out = 0;
	for (int sh = 0; sh <= 16; sh += 8) {
		guint32 ch = (rgb >> sh) & 0xff;
		out |= (guint32)lround(ch * 0.3 + 255 * 0.7) << sh;
	}
	return out;
}

/* The legend swatch of a series or rule, then its name. */
static double
legend_entry(chart_layout *l, double x, double base, const char *name, const chart_series *s,
	     const chart_rule *r, chart_measure_fn measure, void *ud)
{
	double mid = base - CHART_TEXT_SIZE * 0.32;
	if (s && s->kind == CHART_BAR) {
		chart_op *sw = add_rect(l, "legend", x + 3, mid - 4, SWATCH_W - 6, 8,
					s->style == CHART_LIGHT ? pale(s->rgb) : s->rgb, 1);
		if (s->style == CHART_LIGHT) {
			sw->stroke_rgb = s->rgb;
			sw->stroke_width = 0.8;
			sw->dashed = true;
		}
	} else if (s) {
		add_line(l, "legend", x, mid, x + SWATCH_W, mid, 1.8, s->rgb, s->style == CHART_DASHED);
	} else {
		add_line(l, "legend", x, mid, x + SWATCH_W, mid, 1.2, r->rgb, true);
	}
	x += SWATCH_W + 4;
	add_text(l, "legend", name, x, base, CHART_TEXT_SIZE, false, CHART_LEFT, TEXT_RGB);
	return x + measure(name, CHART_TEXT_SIZE, false, ud) + 12;
}

static double
y_of(const chart_layout *l, double v)
{
	const chart_axis *a = &l->axis;
	return l->plot_y + l->plot_h - (v - a->min) / (a->max - a->min) * l->plot_h;
}

/* The title, and the legend when there is more than one series or rule.
 * Returns the y where the plot may start. */
static double
layout_heading(chart_layout *l, const chart *c, chart_measure_fn measure, void *ud)
{
	const double ts = CHART_TEXT_SIZE;
	double y = PAD + CHART_TITLE_SIZE;
	add_text(l, "title", c->title, PAD, y, CHART_TITLE_SIZE, true, CHART_LEFT, TEXT_RGB);
	y += GAP;
	guint entries = c->series->len + c->rules->len;
	if (entries > 1) {
		double x = PAD;
		y += ts + 2;
		for (guint i = 0; i < entries; i++) {
			const chart_series *s = i < c->series->len ? c->series->pdata[i] : NULL;
			const chart_rule *r = s ? NULL : c->rules->pdata[i - c->series->len];
			const char *name = s ? s->name : r->name;
			double w = SWATCH_W + 4 + measure(name, ts, false, ud) + 12;
			if (x > PAD && x + w - 12 > l->width - PAD) {
				x = PAD;
				y += ts + 5;
			}
			x = legend_entry(l, x, y, name, s, r, measure, ud);
		}
		y += GAP;
	}
	return y + GAP;
}

/* The y axis over every value and rule, the plot's box (tick labels decide
 * its left edge), the grid and the tick labels. */
static void
layout_axis(chart_layout *l, const chart *c, double plot_top, bool value_labels,
	    chart_measure_fn measure, void *ud)
{
	const double ts = CHART_TEXT_SIZE;
	double lo = INFINITY, hi = -INFINITY;
	bool bars = false;
	for (guint i = 0; i < c->series->len; i++) {
		const chart_series *s = c->series->pdata[i];
		bars |= s->kind == CHART_BAR;
		for (guint j = 0; j < s->y->len; j++) {
			double v = g_array_index(s->y, double, j);
			if (isfinite(v)) {
				lo = MIN(lo, v);
				hi = MAX(hi, v);
			}
		}
	}
	for (guint i = 0; i < c->rules->len; i++) {
		double v = ((const chart_rule *)c->rules->pdata[i])->value;
		lo = MIN(lo, v);
		hi = MAX(hi, v);
	}
	double x_label_h = ts + 4 + (c->month0 >= 0 ? ts + 2 : 0) + (c->x_title ? ts + 4 : 0);
	double plot_bottom = l->height - PAD - x_label_h;
	double room_top = value_labels ? ts + 3 : 0;
	chart_axis_req req = {
		.lo = lo, .hi = hi,
		.include_zero = c->include_zero || bars,
		.min_step = c->unit == CHART_COUNT ? 1 : 0,
		.cap = c->unit == CHART_PERCENT ? 100 : NAN,
		.max_ticks = MAX(2, MIN(7, (int)((plot_bottom - plot_top - room_top) / 26) + 1)),
	};
	l->axis = chart_axis_nice(&req);

	g_autoptr(GPtrArray) ticks = g_ptr_array_new_with_free_func(g_free);
	double tick_w = 0;
	for (int i = 0; i < l->axis.n_ticks; i++) {
		char *t = chart_tick_label(c->unit, l->axis.min + i * l->axis.step, &l->axis);
		tick_w = MAX(tick_w, measure(t, ts, false, ud));
		g_ptr_array_add(ticks, t);
	}
	l->plot_x = PAD + tick_w + 5;
	l->plot_w = l->width - PAD - l->plot_x;
	l->plot_y = plot_top + room_top;
	l->plot_h = MAX(plot_bottom - l->plot_y, 10);
	for (int i = 0; i < l->axis.n_ticks; i++) {
		double ty = y_of(l, l->axis.min + i * l->axis.step);
		if (i > 0)
			add_line(l, "grid", l->plot_x, ty, l->plot_x + l->plot_w, ty, 0.5, GRID_RGB, false);
		add_text(l, "tick", ticks->pdata[i], l->plot_x - 5, ty + ts * 0.35, ts, false,
			 CHART_RIGHT, MUTED_RGB);
	}
}

/* Bars: one position per slot within each category's band. */
static void
layout_bars(chart_layout *l, const chart *c, double band, double base, bool value_labels)
{
	guint n = chart_n_categories(c);
	int slots = 0;
	for (guint i = 0; i < c->series->len; i++) {
		const chart_series *s = c->series->pdata[i];
		if (s->kind == CHART_BAR)
			slots = MAX(slots, (s->slot >= 0 ? s->slot : slots) + 1);
	}
	double group = band * (n > 36 ? 0.84 : n > 1 ? 0.72 : 0.4);
	group = MIN(group, 70.0 * MAX(slots, 1));
	int auto_slot = 0;
	for (guint i = 0; i < c->series->len; i++) {
		const chart_series *s = c->series->pdata[i];
		if (s->kind != CHART_BAR)
			continue;
		int slot = s->slot >= 0 ? s->slot : auto_slot++;
		double bw = group / slots;
		double inner = bw * (slots > 1 ? 0.9 : 1);
		for (guint j = 0; j < s->y->len; j++) {
			double v = g_array_index(s->y, double, j);
			if (!isfinite(v))
				continue;
			double bx = l->plot_x + band * j + (band - group) / 2 + bw * slot + (bw - inner) / 2;
			double top = y_of(l, v);
			chart_op *b = add_rect(l, "bar", bx, MIN(top, base), inner, fabs(base - top),
					       s->style == CHART_LIGHT ? pale(s->rgb) : s->rgb, 1);
			if (s->style == CHART_LIGHT && inner >= 6) {	/* narrower: the fill alone */
				b->stroke_rgb = s->rgb;
				b->stroke_width = 0.8;
				b->dashed = true;
			}
			if (value_labels) {
				g_autofree char *t = chart_value_label(c->unit, v);
				add_text(l, "value", t, bx + inner / 2, MIN(top, base) - 3, CHART_TEXT_SIZE * 0.92, false,
					 CHART_CENTER, TEXT_RGB);
			}
		}
	}
}

static void
add_dot(chart_layout *l, double x, double y, guint32 rgb)
{
	chart_op *d = op_new(l, CHART_OP_DOT, "dot");
	d->x = x;
	d->y = y;
	d->w = 2.2;
	d->rgb = rgb;
}

/* One line series: a path per run of values (a gap breaks it), with a dot
 * on each value when there are few. */
static void
layout_line(chart_layout *l, const chart_series *s, double band, bool dots)
{
	GArray *pts = g_array_new(FALSE, FALSE, sizeof(double));
	for (guint j = 0; j <= s->y->len; j++) {
		double v = j < s->y->len ? g_array_index(s->y, double, j) : NAN;
		if (isfinite(v)) {
			double p[2] = { l->plot_x + band * (j + 0.5), y_of(l, v) };
			g_array_append_vals(pts, p, 2);
			if (dots || s->y->len == 1)
				add_dot(l, p[0], p[1], s->rgb);
			continue;
		}
		/* A gap or the end: the run so far becomes one path. */
		if (pts->len >= 4) {
			chart_op *op = op_new(l, CHART_OP_PATH, "line");
			op->n_pts = (int)pts->len / 2;
			op->pts = g_memdup2(pts->data, pts->len * sizeof(double));
			op->stroke_width = 1.8;
			op->rgb = s->rgb;
			op->dashed = s->style == CHART_DASHED;
		} else if (pts->len == 2 && !dots) {
			add_dot(l, g_array_index(pts, double, 0), g_array_index(pts, double, 1), s->rgb);
		}
		g_array_set_size(pts, 0);
	}
	g_array_unref(pts);
}

/* X labels: month abbreviations with the year under the first and under
 * each January, or the category labels; then the x title. */
static void
layout_x_labels(chart_layout *l, const chart *c, double band, double base,
		chart_measure_fn measure, void *ud)
{
	const double ts = CHART_TEXT_SIZE;
	guint n = chart_n_categories(c);
	double lw = 0;
	for (guint j = 0; j < n; j++)
		lw = MAX(lw, measure(c->categories->pdata[j], ts, false, ud));
	if (c->month0 >= 0)
		lw = MAX(lw, measure("2026", ts, false, ud));
	l->label_every = chart_label_every((int)n, l->plot_w, lw + 6, c->month0);
	double lb = l->plot_y + l->plot_h + ts + 4;
	bool year_shown = false;
	for (guint j = 0; j < n; j++) {
		bool show = c->month0 >= 0 ? (c->month0 + (int)j) % l->label_every == 0
					   : j % (guint)l->label_every == 0;
		if (n == 1)
			show = true;
		if (!show)
			continue;
		double cx = l->plot_x + band * (j + 0.5);
		add_line(l, "axis", cx, base, cx, base + 3, 0.8, AXIS_RGB, false);
		if (c->month0 >= 0 && l->label_every >= 12) {
			g_autofree char *yr = g_strdup_printf("%d", (c->month0 + (int)j) / 12);
			add_text(l, "xlabel", yr, cx, lb, ts, false, CHART_CENTER, MUTED_RGB);
			continue;
		}
		add_text(l, "xlabel", c->categories->pdata[j], cx, lb, ts, false, CHART_CENTER, MUTED_RGB);
		if (c->month0 >= 0 && (!year_shown || (c->month0 + (int)j) % 12 == 0)) {
			g_autofree char *yr = g_strdup_printf("%d", (c->month0 + (int)j) / 12);
			add_text(l, "xlabel", yr, cx, lb + ts + 2, ts, false, CHART_CENTER, MUTED_RGB);
			year_shown = true;
		}
	}
	if (c->x_title)
		add_text(l, "xtitle", c->x_title, l->plot_x + l->plot_w / 2, l->height - PAD, ts, false,
			 CHART_CENTER, MUTED_RGB);
}

/* The layout in drawing order: heading, axis and grid, bars, the base
 * line, rules, lines, x labels. */
chart_layout *
chart_layout_new(const chart *c, double width, double height, chart_measure_fn measure, void *ud)
{
	chart_layout *l = g_new0(chart_layout, 1);
	l->width = width;
	l->height = height;
	l->ops = g_ptr_array_new_with_free_func(op_free);
	guint n = chart_n_categories(c);
	bool value_labels = c->value_labels && n <= 12;
	double plot_top = layout_heading(l, c, measure, ud);
	layout_axis(l, c, plot_top, value_labels, measure, ud);
	double band = n ? l->plot_w / n : l->plot_w;
	double base = y_of(l, MAX(l->axis.min, MIN(0, l->axis.max)));
	layout_bars(l, c, band, base, value_labels);
	add_line(l, "axis", l->plot_x, base, l->plot_x + l->plot_w, base, 0.8, AXIS_RGB, false);
	for (guint i = 0; i < c->rules->len; i++) {
		const chart_rule *r = c->rules->pdata[i];
		double ry = y_of(l, r->value);
		add_line(l, "rule", l->plot_x, ry, l->plot_x + l->plot_w, ry, 1.2, r->rgb, true);
	}
	for (guint i = 0; i < c->series->len; i++) {
		const chart_series *s = c->series->pdata[i];
		if (s->kind == CHART_LINE)
			layout_line(l, s, band, n <= 24);
	}
	layout_x_labels(l, c, band, base, measure, ud);
	return l;
}

void
chart_layout_free(chart_layout *l)
{
	if (!l)
		return;
	g_ptr_array_unref(l->ops);
	g_free(l);
}

char *
chart_layout_dump(const chart_layout *l)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < l->ops->len; i++) {
		const chart_op *op = l->ops->pdata[i];
		g_string_append(s, op->role);
		switch (op->kind) {
		case CHART_OP_RECT:
			g_string_append_printf(s, " x=%.1f y=%.1f w=%.1f h=%.1f", op->x, op->y, op->w, op->h);
			break;
		case CHART_OP_DOT:
			g_string_append_printf(s, " x=%.1f y=%.1f r=%.1f", op->x, op->y, op->w);
			break;
		case CHART_OP_PATH:
			for (int k = 0; k < op->n_pts; k++)
				g_string_append_printf(s, " %.1f,%.1f", op->pts[2 * k], op->pts[2 * k + 1]);
			break;
		case CHART_OP_TEXT:
			g_string_append_printf(s, " x=%.1f y=%.1f '%s'", op->x, op->y, op->text);
			break;
		}
		g_string_append_c(s, '\n');
	}
	return g_string_free(s, FALSE);
}

static void
digest_str(GChecksum *c, const char *s)
{
	gsize len = s ? strlen(s) + 1 : 0;	/* "ab","c" and "a","bc" differ; NULL and "" too */
	g_checksum_update(c, (const guchar *)&len, sizeof len);
	if (s)
		g_checksum_update(c, (const guchar *)s, (gssize)len);
}

void
chart_digest(const chart *ch, GChecksum *c)
{
	/* Every field of a chart, its series and its rules is added below:
	 * one added to a struct stops these assertions until it is added. */
	G_STATIC_ASSERT(sizeof(chart) == sizeof(struct {
		char *title; chart_unit unit; bool include_zero, value_labels; char *x_title;
		int month0; GPtrArray *categories, *series, *rules; }));
	G_STATIC_ASSERT(sizeof(chart_series) == sizeof(struct {
		char *name; chart_kind kind; chart_style style; guint32 rgb; int slot; GArray *y; }));
	G_STATIC_ASSERT(sizeof(chart_rule) == sizeof(struct { char *name; double value; guint32 rgb; }));
#define ADD(v) g_checksum_update(c, (const guchar *)&(v), sizeof(v))
	digest_str(c, ch->title);
	int unit = ch->unit, zero = ch->include_zero, labels = ch->value_labels;
	ADD(unit);
	ADD(zero);
	ADD(labels);
	digest_str(c, ch->x_title);
	ADD(ch->month0);
	guint n = ch->categories->len;
	ADD(n);
	for (guint i = 0; i < n; i++)
		digest_str(c, ch->categories->pdata[i]);
	n = ch->series->len;
	ADD(n);
	for (guint i = 0; i < n; i++) {
		const chart_series *s = ch->series->pdata[i];
		int kind = s->kind, style = s->style;
		digest_str(c, s->name);
		ADD(kind);
		ADD(style);
		ADD(s->rgb);
		ADD(s->slot);
		ADD(s->y->len);
		g_checksum_update(c, (const guchar *)s->y->data, (gssize)(s->y->len * sizeof(double)));
	}
	n = ch->rules->len;
	ADD(n);
	for (guint i = 0; i < n; i++) {
		const chart_rule *r = ch->rules->pdata[i];
		digest_str(c, r->name);
		ADD(r->value);
		ADD(r->rgb);
	}
#undef ADD
}

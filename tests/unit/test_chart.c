/* test_chart.c - chart axes, tick labels and layout: round tick values,
 * and sensible charts for a single point, a flat series, zeros, very large
 * values, a shrinking series, 60 months and no data.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "chart/chart.h"
#include "chart/chart_draw.h"

/* Text width without fonts: 0.55 em a character (close to DejaVu Sans). */
static double
fake_measure(const char *text, double size, bool bold, void *ud)
{
	return g_utf8_strlen(text, -1) * size * 0.55;
}

static chart_axis
axis(double lo, double hi, bool zero, double min_step, double cap, int max_ticks)
{
	chart_axis_req r = { lo, hi, zero, min_step, cap, max_ticks };
	return chart_axis_nice(&r);
}

/* Every tick value is a whole multiple of a round step, and the axis covers the data. */
static void
ck_round_axis(chart_axis a, double lo, double hi)
{
	double m = a.step / pow(10, floor(log10(a.step)));
	ck_assert_msg(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 2.5) < 1e-9 ||
		      fabs(m - 5) < 1e-9, "step %g is not round", a.step);
	ck_assert(fabs(a.min / a.step - round(a.min / a.step)) < 1e-6);
	ck_assert(fabs(a.max / a.step - round(a.max / a.step)) < 1e-6);
	ck_assert(a.min <= lo + 1e-9 && a.max >= hi - 1e-9);
	ck_assert_int_eq(a.n_ticks, (int)lround((a.max - a.min) / a.step) + 1);
}

#define ck_label(unit, value, ax, expected) do { \
	char *got_ = chart_tick_label(unit, value, &(ax)); \
	ck_assert_str_eq(got_, expected); \
	g_free(got_); \
} while (0)

START_TEST(round_ticks)
{
	chart_axis a = axis(12400, 46820, true, 1, NAN, 6);
	ck_round_axis(a, 0, 46820);
	ck_assert_double_eq(a.min, 0);
	ck_assert_double_eq(a.max, 50000);
	ck_assert_double_eq(a.step, 10000);
	ck_label(CHART_COUNT, 50000, a, "50k");
	ck_label(CHART_COUNT, 0, a, "0");

	/* 0 to 130,000 in at most 7 ticks: 25k steps, labels with "k". */
	a = axis(0, 128900, true, 1, NAN, 7);
	ck_round_axis(a, 0, 128900);
	ck_assert_double_eq(a.step, 25000);
	ck_label(CHART_COUNT, 125000, a, "125k");

	/* Money below $100k in full, above in k. */
	a = axis(0, 2890, true, 0, NAN, 7);
	ck_round_axis(a, 0, 2890);
	ck_assert_double_eq(a.max, 3000);
	ck_label(CHART_MONEY, 2000, a, "$2,000");
	a = axis(0, 150000, true, 0, NAN, 6);
	ck_label(CHART_MONEY, 150000, a, "$150k");

	/* Uptime: not from zero, capped at 100, two decimals. */
	a = axis(99.82, 100, false, 0, 100, 6);
	ck_round_axis(a, 99.82, 100);
	ck_assert_double_eq(a.max, 100);
	ck_assert_double_eq_tol(a.step, 0.05, 1e-12);
	ck_label(CHART_PERCENT, 99.95, a, "99.95%");
	ck_label(CHART_PERCENT, 99.9, a, "99.90%");

	/* Milliseconds. */
	a = axis(184, 551, true, 0, NAN, 7);
	ck_round_axis(a, 0, 551);
	ck_label(CHART_MS, 500, a, "500 ms");
	/* A step of 2.5 needs one decimal. */
	a = axis(0, 12.5, true, 0, NAN, 6);
	ck_assert_double_eq(a.step, 2.5);
	ck_assert_int_eq(a.decimals, 1);
}
END_TEST

START_TEST(degenerate_ranges)
{
	/* A single point or a flat series: a band around it, never a zero span. */
	chart_axis a = axis(87, 87, true, 1, NAN, 6);
	ck_round_axis(a, 0, 87);
	ck_assert(a.max > 87 - 1e-9 && a.max > a.min);
	a = axis(99.9, 99.9, false, 0, 100, 6);
	ck_round_axis(a, 99.9, 99.9);
	ck_assert(a.max > a.min && a.max <= 100);
	/* Flat at the cap: the band goes below it, not over 100%. */
	a = axis(100, 100, false, 0, 100, 6);
	ck_assert_double_eq(a.max, 100);
	ck_assert(a.min < 100);
	/* All zeros: 0 to something, counts in whole steps. */
	a = axis(0, 0, true, 1, NAN, 6);
	ck_assert_double_eq(a.min, 0);
	ck_assert(a.max >= 1 && a.step >= 1);
	ck_label(CHART_COUNT, a.max, a, a.max == 5 ? "5" : "1");
	/* No data at all (NAN). */
	a = axis(NAN, NAN, true, 0, NAN, 6);
	ck_assert(a.max > a.min && isfinite(a.max));
	/* Very large values. */
	a = axis(0, 3.2e9, true, 1, NAN, 6);
	ck_round_axis(a, 0, 3.2e9);
	ck_label(CHART_COUNT, 1e9, a, "1,000M");
	/* Negative values (savings below zero). */
	a = axis(-318, 2500, true, 0, NAN, 7);
	ck_round_axis(a, -318, 2500);
	ck_assert(a.min < 0);
	char *neg = chart_tick_label(CHART_MONEY, a.min, &a);
	ck_assert_msg(g_str_has_prefix(neg, "\xE2\x88\x92$"), "got %s", neg);
	g_free(neg);
}
END_TEST

START_TEST(short_counts_and_every)
{
	char *s;
	s = chart_short_count(10000); ck_assert_str_eq(s, "10k"); g_free(s);
	s = chart_short_count(500000); ck_assert_str_eq(s, "500k"); g_free(s);
	s = chart_short_count(1500000); ck_assert_str_eq(s, "1.5M"); g_free(s);
	s = chart_short_count(850); ck_assert_str_eq(s, "850"); g_free(s);
	s = chart_short_count(12500); ck_assert_str_eq(s, "12.5k"); g_free(s);

	/* Months: labels on quarters or years when they don't all fit. */
	ck_assert_int_eq(chart_label_every(14, 420, 25, 2025 * 12 + 8), 1);
	ck_assert_int_eq(chart_label_every(26, 420, 25, 2025 * 12 + 8), 2);
	ck_assert_int_eq(chart_label_every(60, 420, 25, 2021 * 12), 4);
	ck_assert_int_eq(chart_label_every(60, 200, 25, 2021 * 12), 12);
	ck_assert_int_eq(chart_label_every(1, 420, 25, 0), 1);
	ck_assert_int_eq(chart_label_every(10, 100, 25, -1), 3);
}
END_TEST

static int
count_role(const chart_layout *l, const char *role)
{
	int n = 0;
	for (guint i = 0; i < l->ops->len; i++)
		n += strcmp(((chart_op *)l->ops->pdata[i])->role, role) == 0;
	return n;
}

/* Every op lies on the canvas. */
static void
ck_inside(const chart_layout *l)
{
	for (guint i = 0; i < l->ops->len; i++) {
		const chart_op *op = l->ops->pdata[i];
		ck_assert_msg(isfinite(op->x) && isfinite(op->y) && isfinite(op->w) && isfinite(op->h),
			      "%s: not finite", op->role);
		ck_assert_msg(op->x >= -0.01 && op->x + op->w <= l->width + 0.01 &&
			      op->y >= -0.01 && op->y + op->h <= l->height + 0.01,
			      "%s outside: x=%g y=%g w=%g h=%g", op->role, op->x, op->y, op->w, op->h);
		for (int k = 0; k < op->n_pts; k++)
			ck_assert(op->pts[2 * k] >= -0.01 && op->pts[2 * k] <= l->width + 0.01 &&
				  op->pts[2 * k + 1] >= -0.01 && op->pts[2 * k + 1] <= l->height + 0.01);
	}
}

static chart *
monthly(int n, double (*f)(int), chart_kind kind)
{
	chart *c = chart_new("Test", CHART_COUNT);
	chart_months(c, 2025 * 12 + 8, n);
	chart_series *s = chart_series_add(c, "Messages", kind, CHART_SOLID, 0x1b66a6);
	for (int i = 0; i < n; i++)
		chart_series_put(s, (guint)i, f(i));
	return c;
}

static double growing(int i) { return 12000 * pow(1.1, i); }
static double flat(int i) { return 5000; }
static double with_zero(int i) { return i == 2 ? 0 : 1000 + i; }
static double shrinking(int i) { return 90000 - 1400 * i; }

START_TEST(layouts)
{
	struct { int n; double (*f)(int); chart_kind kind; } cases[] = {
		{ 14, growing, CHART_BAR }, { 1, growing, CHART_BAR }, { 1, growing, CHART_LINE },
		{ 12, flat, CHART_LINE }, { 6, with_zero, CHART_BAR }, { 60, shrinking, CHART_BAR },
		{ 60, growing, CHART_LINE },
	};
	for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
		g_autoptr(chart) c = monthly(cases[k].n, cases[k].f, cases[k].kind);
		chart_add_rule(c, "Trigger", 50000, 0xc0392b);
		g_autoptr(chart_layout) l = chart_layout_new(c, 480, 260, fake_measure, NULL);
		ck_inside(l);
		ck_assert_int_eq(count_role(l, "title"), 1);
		ck_assert_int_eq(count_role(l, "rule"), 1);
		if (cases[k].kind == CHART_BAR)
			ck_assert_int_eq(count_role(l, "bar"), cases[k].n);
		else
			ck_assert_int_eq(count_role(l, "line") + count_role(l, "dot") > 0, 1);
		/* Labels fit: at most one per 25 points of plot width. */
		int xl = count_role(l, "xlabel");
		ck_assert_msg(xl >= 1 && xl <= 2 * (int)(l->plot_w / 25) + 2, "%d labels", xl);
		ck_assert(l->plot_w > 300 && l->plot_h > 120);
	}
	/* The first case's bars rise left to right; each sits on the axis. */
	g_autoptr(chart) c = monthly(14, growing, CHART_BAR);
	g_autoptr(chart_layout) l = chart_layout_new(c, 480, 260, fake_measure, NULL);
	double prev_h = 0, base = -1;
	for (guint i = 0; i < l->ops->len; i++) {
		const chart_op *op = l->ops->pdata[i];
		if (strcmp(op->role, "bar"))
			continue;
		ck_assert(op->h > prev_h);
		prev_h = op->h;
		if (base < 0)
			base = op->y + op->h;
		ck_assert_double_eq_tol(op->y + op->h, base, 1e-6);
	}
	/* One series and no rule: no legend. */
	ck_assert_int_eq(count_role(l, "legend"), 0);
}
END_TEST

static char *
digest_of(const chart *ch)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	chart_digest(ch, c);
	char *d = g_strdup(g_checksum_get_string(c));
	g_checksum_free(c);
	return d;
}

/* The record that decides whether a chart's SVG is drawn again: the same
 * for the same chart, another for any change of what it shows, even a
 * value's last bit or one of two strings moving a letter to the other. */
START_TEST(chart_digest_sees_every_change)
{
	g_autoptr(chart) c = monthly(14, growing, CHART_BAR);
	g_autoptr(chart) same = monthly(14, growing, CHART_BAR);
	chart_add_rule(c, "Trigger", 50000, 0xc0392b);
	chart_add_rule(same, "Trigger", 50000, 0xc0392b);
	g_autofree char *d0 = digest_of(c), *d1 = digest_of(same);
	ck_assert_str_eq(d0, d1);
	chart_series *s = c->series->pdata[0];
	double *y = &g_array_index(s->y, double, 3);
	*y = nextafter(*y, INFINITY);
	g_autofree char *d2 = digest_of(c);
	ck_assert_str_ne(d0, d2);
	*y = nextafter(*y, -INFINITY);
	s->rgb ^= 1;
	g_autofree char *d3 = digest_of(c);
	ck_assert_str_ne(d0, d3);
	s->rgb ^= 1;
	s->slot = 0;
	g_autofree char *d4 = digest_of(c);
	ck_assert_str_ne(d0, d4);
	s->slot = -1;
	chart_rule *r = c->rules->pdata[0];
	r->value += 1;
	g_autofree char *d5 = digest_of(c);
	ck_assert_str_ne(d0, d5);
	r->value -= 1;
	g_free(c->title);
	c->title = g_strdup("Tes");
	c->x_title = g_strdup("t");
	g_autofree char *d6 = digest_of(c);
	ck_assert_str_ne(d0, d6);
	g_free(c->title);
	c->title = g_strdup("Test");
	g_clear_pointer(&c->x_title, g_free);
	g_autofree char *d7 = digest_of(c);
	ck_assert_str_eq(d0, d7);
	c->value_labels = true;
	g_autofree char *d8 = digest_of(c);
	ck_assert_str_ne(d0, d8);
}
END_TEST

/* Same chart, same bytes, whatever the process drew before: --watch
 * builds again in one process, and Cairo numbers every surface it makes. */
START_TEST(svg_same_bytes_in_one_process)
{
	g_autoptr(chart_device) dev = chart_device_new();
	g_autoptr(chart) c = monthly(6, growing, CHART_BAR);
	g_autoptr(chart_layout) l = chart_layout_new(c, 480, 260, chart_device_measure, dev);
	gsize n1, n2;
	g_autofree char *first = chart_svg(dev, c, l, "a.svg", &n1);
	for (int i = 0; i < 5; i++)
		cairo_surface_destroy(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
	g_autofree char *second = chart_svg(dev, c, l, "a.svg", &n2);
	ck_assert_ptr_nonnull(first);
	ck_assert_uint_eq(n1, n2);
	ck_assert_str_eq(first, second);
	ck_assert_ptr_null(strstr(first, "id=\"surface"));
	ck_assert_ptr_nonnull(strstr(first, "<title>"));
}
END_TEST

START_TEST(projection_and_legend)
{
	g_autoptr(chart) c = chart_new("Messages", CHART_COUNT);
	chart_months(c, 2026 * 12 + 9, 4);
	chart_series *h = chart_series_add(c, "History", CHART_BAR, CHART_SOLID, 0x1b66a6);
	chart_series *p = chart_series_add(c, "Projection", CHART_BAR, CHART_LIGHT, 0x1b66a6);
	p->slot = 0;
	chart_series_put(h, 0, 100);
	chart_series_put(h, 1, 110);
	chart_series_put(p, 2, 121);
	chart_series_put(p, 3, 133.1);
	g_autoptr(chart_layout) l = chart_layout_new(c, 480, 260, fake_measure, NULL);
	ck_assert_int_eq(count_role(l, "bar"), 4);
	/* Projection bars share the history's position: all four equally wide. */
	double w = -1;
	int light = 0;
	for (guint i = 0; i < l->ops->len; i++) {
		const chart_op *op = l->ops->pdata[i];
		if (strcmp(op->role, "bar"))
			continue;
		if (w < 0)
			w = op->w;
		ck_assert_double_eq_tol(op->w, w, 1e-9);
		light += op->dashed && op->rgb != 0x1b66a6;
	}
	ck_assert_int_eq(light, 2);
	ck_assert_int_eq(count_role(l, "legend") >= 4, 1);	/* two swatches, two names */
	char *d = chart_describe(c);
	ck_assert_msg(strstr(d, "History (bars): 2 values, 100 in October 2026 to 110 in November 2026."), "%s", d);
	ck_assert_msg(strstr(d, "Projection (bars): 2 values"), "%s", d);
	g_free(d);
	char *dump = chart_layout_dump(l);
	ck_assert(strstr(dump, "title x=8.0"));
	g_free(dump);
}
END_TEST

Suite *
suite_chart(void)
{
	Suite *s = suite_create("chart");
	TCase *tc = tcase_create("chart");
	tcase_add_test(tc, round_ticks);
	tcase_add_test(tc, degenerate_ranges);
	tcase_add_test(tc, short_counts_and_every);
	tcase_add_test(tc, layouts);
	tcase_add_test(tc, projection_and_legend);
	tcase_add_test(tc, svg_same_bytes_in_one_process);
	tcase_add_test(tc, chart_digest_sees_every_change);
	suite_add_tcase(s, tc);
	return s;
}

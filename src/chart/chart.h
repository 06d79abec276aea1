/* chart.h - charts as data, their axes and their layout (typeset stage;
 * no drawing here).
 *
 * build_charts.c fills a `chart` from the data tree: categories along x
 * (months, or volumes), series of bars or lines, and horizontal reference
 * lines ("rules": a trigger, a target, a limit).  chart_layout() turns it
 * into a display list of rectangles, paths and text with positions in
 * points; chart_draw.c is the only code that hands that list to Cairo.  So
 * axes and placement are tested by asserting numbers and positions, and a
 * text dump of a layout (chart_layout_dump) diffs well.
 *
 * Ownership: a chart owns its series, rules and strings (chart_free); a
 * layout owns its ops (chart_layout_free).  Strings passed in are copied.
 * Nothing here fails: out of memory aborts.
 *
 * Names: libxlsxwriter exports chart_add_series, chart_series_set_*,
 * chart_axis_set_*, chart_set_* ... as global symbols, and a clash binds
 * one side's calls to the other's function; so no name here may be one of
 * those (compare with `nm -D --defined-only libxlsxwriter.so` when adding one).
 */
#ifndef DOSSIER_CHART_H
#define DOSSIER_CHART_H

#include <glib.h>
#include <stdbool.h>

/* What the y values are, for tick labels ("50k", "$2,000", "99.95%", "500 ms"). */
typedef enum {
	CHART_COUNT,
	CHART_MONEY,
	CHART_PERCENT,
	CHART_MS,
} chart_unit;

/* ------------------------------------------------------------------ axes */

/* What an axis must cover. */
typedef struct {
	double lo, hi;		/* data range (NAN or lo > hi: no data) */
	bool include_zero;	/* bars and counts start at 0 */
	double min_step;	/* smallest tick step (1 for counts), 0: none */
	double cap;		/* the axis never goes above this (100 for percent); NAN: none */
	int max_ticks;		/* at most this many tick values (>= 2) */
} chart_axis_req;

/* An axis from min to max in a whole number of round steps
 * (1, 2, 2.5 or 5 times a power of ten). */
typedef struct {
	double min, max, step;
	int n_ticks;		/* min, min + step, ..., max */
	int decimals;		/* decimals a tick label needs to show the step */
} chart_axis;

chart_axis chart_axis_nice(const chart_axis_req *req);

/* The label of the tick `value` on `axis`: "50k", "1.25M", "$2,000",
 * "$150k", "99.95%", "500 ms".  Minus is U+2212.  The caller frees it. */
char *chart_tick_label(chart_unit unit, double value, const chart_axis *axis);

/* A value written in full, for a label over a bar: "46,820", "$1,873",
 * "99.94%", "184 ms".  The caller frees it. */
char *chart_value_label(chart_unit unit, double value);

/* "10k", "1.5M", "850": a count in short form.  The caller frees it. */
char *chart_short_count(double value);

/* Label every k-th of n categories so that labels `label_width` wide fit
 * in `plot_width`.  For months (`month0` >= 0, the month index of the first
 * category) k is one of 1, 2, 3, 4, 6, 12, 24, ... so that labels fall on
 * quarters and years; otherwise any k >= 1. */
int chart_label_every(int n, double plot_width, double label_width, int month0);

/* ---------------------------------------------------------------- charts */

typedef enum {
	CHART_BAR,
	CHART_LINE,
} chart_kind;

typedef enum {
	CHART_SOLID,
	CHART_LIGHT,		/* bars: pale fill with a dashed outline (a projection) */
	CHART_DASHED,		/* lines: dashed */
} chart_style;

typedef struct {
	char *name;		/* legend entry */
	chart_kind kind;
	chart_style style;
	guint32 rgb;		/* 0xRRGGBB */
	int slot;		/* bars: series with the same slot share a position */
	GArray *y;		/* double per category; NAN: no value there */
} chart_series;

typedef struct {
	char *name;		/* legend entry: "Trigger: 100 clients" */
	double value;
	guint32 rgb;
} chart_rule;

typedef struct {
	char *title;
	chart_unit unit;
	bool include_zero;	/* bar charts always start at zero */
	bool value_labels;	/* write each bar's value over it (few bars only) */
	char *x_title;		/* caption under the x labels, or NULL */
	int month0;		/* categories are months from this month index; -1: not months */
	GPtrArray *categories;	/* char*: x labels when not months */
	GPtrArray *series;	/* chart_series* */
	GPtrArray *rules;	/* chart_rule* */
} chart;

chart *chart_new(const char *title, chart_unit unit);
void chart_free(chart *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(chart, chart_free)

/* Categories: either n months starting at month index `month0`, or labels
 * added one by one.  Series added later get NAN for every category. */
void chart_months(chart *c, int month0, int n);
void chart_add_category(chart *c, const char *label);
guint chart_n_categories(const chart *c);

/* A new series (borrowed; the chart owns it), all values NAN. */
chart_series *chart_series_add(chart *c, const char *name, chart_kind kind,
			       chart_style style, guint32 rgb);
void chart_series_put(chart_series *s, guint i, double y);
void chart_add_rule(chart *c, const char *name, double value, guint32 rgb);

/* Add every field of the chart to `c` (its title, unit, categories, every
 * series' values exactly, its rules): what laying it out and drawing it
 * read, so two charts with the same digest give the same picture with the
 * same fonts.  The record of a chart's SVG (write/charts.c). */
void chart_digest(const chart *ch, GChecksum *c);

/* One paragraph saying what the chart shows (series, ranges, rules), for
 * the SVG's <desc> and for tests.  The caller frees it. */
char *chart_describe(const chart *c);

/* ---------------------------------------------------------------- layout */

typedef enum {
	CHART_OP_RECT,		/* x, y, w, h */
	CHART_OP_PATH,		/* pts: n_pts points (x, y pairs), open polyline */
	CHART_OP_DOT,		/* a marker centred on x, y, radius w */
	CHART_OP_TEXT,		/* text at x (by align), baseline y */
} chart_op_kind;

typedef enum { CHART_LEFT, CHART_CENTER, CHART_RIGHT } chart_align;

typedef struct {
	chart_op_kind kind;
	const char *role;	/* "title", "legend", "grid", "axis", "tick", "xlabel",
				 * "bar", "line", "dot", "rule", "value": for dumps and tests */
	double x, y, w, h;
	double *pts;		/* PATH */
	int n_pts;
	guint32 rgb;		/* fill (RECT, DOT, TEXT) or stroke (PATH) */
	double alpha;		/* fill opacity, 1 = opaque */
	guint32 stroke_rgb;	/* RECT outline when stroke_width > 0 */
	double stroke_width;	/* PATH line width; RECT outline width, 0: none */
	bool dashed;
	char *text;		/* TEXT */
	double size;		/* TEXT: font size in points */
	bool bold;
	chart_align align;
} chart_op;

/* Measures the advance width of `text` at `size` points. */
typedef double (*chart_measure_fn)(const char *text, double size, bool bold, void *ud);

typedef struct {
	double width, height;	/* points */
	double plot_x, plot_y, plot_w, plot_h;	/* the plot area */
	chart_axis axis;
	int label_every;	/* x labels on every k-th category */
	GPtrArray *ops;		/* chart_op*, in drawing order */
} chart_layout;

/* Sizes of text in points, chosen so that a 480 pt chart placed across a
 * 455 pt text column still prints at 8 pt or more. */
#define CHART_TITLE_SIZE 11.5
#define CHART_TEXT_SIZE 9.0

/* Lay out `c` on a width × height point canvas.  Any chart lays out,
 * however few or many its values (one month, a flat series, zeros, no
 * data at all). */
chart_layout *chart_layout_new(const chart *c, double width, double height,
			       chart_measure_fn measure, void *ud);
void chart_layout_free(chart_layout *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(chart_layout, chart_layout_free)

/* One line per op: "bar x=61.0 y=40.2 w=9.8 h=170.3" ... The caller frees it. */
char *chart_layout_dump(const chart_layout *l);



#endif

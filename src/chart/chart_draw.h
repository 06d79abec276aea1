/* chart_draw.h - the Cairo device of the charts (see chart_draw.c).
 *
 * A chart_device holds the Pango font map and context used to measure and
 * draw chart text; make one, use it for any number of charts from one
 * thread, free it.  One drawing routine, chart_draw(), serves every
 * surface: the SVG files and the pages of the PDFs.
 */
#ifndef DOSSIER_CHART_DRAW_H
#define DOSSIER_CHART_DRAW_H

#include <cairo.h>

#include "chart/chart.h"

typedef struct chart_device chart_device;

/* A device with a font map of its own. */
chart_device *chart_device_new(void);
/* A device on the calling thread's default font map (Pango's is per
 * thread), so drawing onto a page shares the fonts the page already uses. */
chart_device *chart_device_new_for_thread(void);
void chart_device_free(chart_device *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(chart_device, chart_device_free)

/* A chart_measure_fn; `ud` is the chart_device. */
double chart_device_measure(const char *text, double size, bool bold, void *ud);

/* Draw a laid-out chart onto cr, in points from the origin. */
void chart_draw(cairo_t *cr, chart_device *d, const chart_layout *l);

/* `c` laid out as `l`, as the text of an SVG file (with a <title> and a
 * <desc> saying what it shows).  Same chart, same bytes.  NULL after a
 * located diag() error about `path` (Cairo could not draw).  The caller
 * frees the result; *len gets its length. */
char *chart_svg(chart_device *d, const chart *c, const chart_layout *l, const char *path,
		gsize *len);

#endif

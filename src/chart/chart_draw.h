/* chart_draw.h - the Cairo device of the charts (see chart_draw.c).
 *
 * A chart_device holds the Pango font map and context used to measure and
 * draw chart text; make one, use it for any number of charts from one
 * thread, free it.
 */
#ifndef DOSSIER_CHART_DRAW_H
#define DOSSIER_CHART_DRAW_H

#include <cairo.h>

#include "chart/chart.h"

typedef struct chart_device chart_device;

chart_device *chart_device_new(void);
void chart_device_free(chart_device *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(chart_device, chart_device_free)

/* A chart_measure_fn; `ud` is the chart_device. */
double chart_device_measure(const char *text, double size, bool bold, void *ud);

/* Draw a laid-out chart onto cr, in points from the origin. */
void chart_draw(cairo_t *cr, chart_device *d, const chart_layout *l);

/* Lay out `c` on width × height points and write it as an SVG file (with a
 * <title> and a <desc> saying what it shows).  Same chart, same bytes.
 * Returns false after a located diag() error (cannot write). */
bool chart_write_svg(chart_device *d, const chart *c, double width, double height,
		     const char *path);

#endif

/* diagram_svg.h - a laid-out diagram as SVG text (see diagram_svg.c); the
 * chart stage writes no file, write/diagrams.c does.
 *
 * A diagram_device holds the Pango context that measures diagram text in
 * the style's font; make one per thread, use it for any number of
 * diagrams, free it.
 */
#ifndef DOSSIER_DIAGRAM_SVG_H
#define DOSSIER_DIAGRAM_SVG_H

#include <cairo.h>

#include "chart/diagram.h"

/* The look: the theme's heading font and colours, as 0xRRGGBB. */
typedef struct {
	char *font;		/* Pango/fontconfig family */
	guint32 text;		/* names */
	guint32 muted;		/* notes, labels, arrows */
	guint32 accent;		/* the company's own box, box outlines */
	guint32 frame;		/* group frames */
	guint32 fill;		/* box background */
	guint32 group_fill;	/* group background */
} diagram_style;

typedef struct diagram_device diagram_device;

/* `style` is copied. */
diagram_device *diagram_device_new(const diagram_style *style);
void diagram_device_free(diagram_device *dev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(diagram_device, diagram_device_free)

/* A diagram_measure_fn; `ud` is the diagram_device. */
double diagram_device_measure(const char *text, double size, bool bold, void *ud);

/* The SVG text of a laid-out diagram: boxes, arrows and real <text>
 * elements (so a PDF that draws it keeps the words in its text layer),
 * with the diagram's <title> and <desc>.  The caller frees the result. */
char *diagram_svg(const diagram_device *dev, const diagram *d, const diagram_layout *l);

/* The same picture as diagram_svg() gives, drawn onto `cr` (in points from
 * its top left corner) with Cairo and Pango on the calling thread's fonts:
 * the PDFs draw diagrams this way instead of reading the SVG back. */
void diagram_draw(cairo_t *cr, const diagram_style *style, const diagram *d,
		  const diagram_layout *l);

/* The device's look (its font a copy the device owns). */
const diagram_style *diagram_device_style(const diagram_device *dev);

#endif

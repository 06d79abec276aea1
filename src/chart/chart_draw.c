/* chart_draw.c - the Cairo device of the charts (typeset stage): draws a
 * chart_layout onto any Cairo context (a PDF page, or an SVG file).  The
 * only chart code that calls cairo_*; where things go is decided in chart.c.
 *
 * Text is DejaVu Sans through Pango, unhinted and with unrounded glyph
 * positions, so what chart.c measured is what gets drawn and the output
 * does not depend on the display's font settings.
 */
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "chart/chart_draw.h"
#include "base/diag.h"

#define CHART_FONT "DejaVu Sans"

struct chart_device {
	PangoFontMap *fontmap;
	PangoContext *ctx;
};

static chart_device *
device_new(PangoFontMap *fontmap)
{
	chart_device *d = g_new0(chart_device, 1);
	d->fontmap = fontmap;
	d->ctx = pango_font_map_create_context(d->fontmap);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(d->ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(d->ctx, FALSE);
	return d;
}

chart_device *
chart_device_new(void)
{
	return device_new(pango_cairo_font_map_new());
}

chart_device *
chart_device_new_for_thread(void)
{
	return device_new(g_object_ref(pango_cairo_font_map_get_default()));
}

void
chart_device_free(chart_device *d)
{
	if (!d)
		return;
	g_object_unref(d->ctx);
	g_object_unref(d->fontmap);
	g_free(d);
}

static PangoLayout *
text_layout(chart_device *d, const char *text, double size, bool bold)
{
	PangoLayout *pl = pango_layout_new(d->ctx);
	PangoFontDescription *fd = pango_font_description_from_string(CHART_FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(pl, text, -1);
	return pl;
}

double
chart_device_measure(const char *text, double size, bool bold, void *ud)
{
	PangoLayout *pl = text_layout(ud, text, size, bold);
	PangoRectangle logical;
	pango_layout_get_extents(pl, NULL, &logical);
	g_object_unref(pl);
	return (double)logical.width / PANGO_SCALE;
}

static void
set_rgb(cairo_t *cr, guint32 rgb, double alpha)
{
	cairo_set_source_rgba(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
			      (rgb & 0xff) / 255.0, alpha);
}

static void
set_dash(cairo_t *cr, bool dashed, double width)
{
	if (dashed) {
		double dash[2] = { 3.5 * MAX(width, 1), 2.5 * MAX(width, 1) };
		cairo_set_dash(cr, dash, 2, 0);
	} else {
		cairo_set_dash(cr, NULL, 0, 0);
	}
}

static void
draw_text(cairo_t *cr, chart_device *d, const chart_op *op)
{
	PangoLayout *pl = text_layout(d, op->text, op->size, op->bold);
	PangoRectangle logical;
	pango_layout_get_extents(pl, NULL, &logical);
	double w = (double)logical.width / PANGO_SCALE;
	double base = (double)pango_layout_get_baseline(pl) / PANGO_SCALE;
	double x = op->x - (op->align == CHART_CENTER ? w / 2 : op->align == CHART_RIGHT ? w : 0);
	set_rgb(cr, op->rgb, op->alpha);
	cairo_move_to(cr, x, op->y - base);
	pango_cairo_show_layout(cr, pl);
	g_object_unref(pl);
}

void
chart_draw(cairo_t *cr, chart_device *d, const chart_layout *l)
{
	pango_cairo_update_context(cr, d->ctx);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	set_rgb(cr, 0xffffff, 1);
	cairo_rectangle(cr, 0, 0, l->width, l->height);
	cairo_fill(cr);
	for (guint i = 0; i < l->ops->len; i++) {
		const chart_op *op = l->ops->pdata[i];
		switch (op->kind) {
		case CHART_OP_RECT:
			cairo_rectangle(cr, op->x, op->y, op->w, op->h);
			set_rgb(cr, op->rgb, op->alpha);
			if (op->stroke_width > 0) {
				cairo_fill_preserve(cr);
				set_rgb(cr, op->stroke_rgb, 1);
				cairo_set_line_width(cr, op->stroke_width);
				set_dash(cr, op->dashed, op->stroke_width);
				cairo_stroke(cr);
			} else {
				cairo_fill(cr);
			}
			break;
		case CHART_OP_DOT:
			cairo_new_sub_path(cr);
			cairo_arc(cr, op->x, op->y, op->w, 0, 2 * G_PI);
			set_rgb(cr, op->rgb, op->alpha);
			cairo_fill(cr);
			break;
		case CHART_OP_PATH:
			for (int k = 0; k < op->n_pts; k++)
				(k ? cairo_line_to : cairo_move_to)(cr, op->pts[2 * k], op->pts[2 * k + 1]);
			set_rgb(cr, op->rgb, 1);
			cairo_set_line_width(cr, op->stroke_width);
			set_dash(cr, op->dashed, op->stroke_width);
			cairo_stroke(cr);
			break;
		case CHART_OP_TEXT:
			draw_text(cr, d, op);
			break;
		}
	}
}

static cairo_status_t
append_bytes(void *closure, const unsigned char *data, unsigned int len)
{
	g_string_append_len(closure, (const char *)data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* XML text with &, < and > escaped. */
static char *
xml_text(const char *s)
{
	return g_markup_escape_text(s, -1);
}

char *
chart_svg(chart_device *d, const chart *c, const chart_layout *l, const char *path, gsize *len)
{
	GString *svg = g_string_new(NULL);
	cairo_surface_t *s = cairo_svg_surface_create_for_stream(append_bytes, svg, l->width, l->height);
	cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
	cairo_t *cr = cairo_create(s);
	chart_draw(cr, d, l);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		diag(DIAG_ERROR, path, 0, 0, "cannot draw chart: %s", cairo_status_to_string(st));
		g_string_free(svg, TRUE);
		return NULL;
	}

	/* Cairo names the drawing's group after a counter of every surface
	 * the process made ("surface26"): a second build in the same process
	 * (--watch) would write other bytes.  Nothing refers to it. */
	char *g = strstr(svg->str, "<g id=\"surface");
	if (g) {
		size_t at = (size_t)(g - svg->str) + 2, n = strlen(" id=\"surface");
		while (g_ascii_isdigit(svg->str[at + n]))
			n++;
		if (svg->str[at + n] == '"')
			g_string_erase(svg, (gssize)at, (gssize)n + 1);
	}

	/* Cairo draws text as glyph outlines; a <title> and <desc> after the
	 * root element's start tag say in words what the chart shows. */
	const char *root = strstr(svg->str, "<svg");
	const char *end = root ? strchr(root, '>') : NULL;
	if (end) {
		g_autofree char *desc = chart_describe(c);
		g_autofree char *t = xml_text(c->title), *dd = xml_text(desc);
		g_autofree char *meta = g_strdup_printf("\n<title>%s</title>\n<desc>%s</desc>", t, dd);
		g_string_insert(svg, end - svg->str + 1, meta);
	}
	*len = svg->len;
	return g_string_free(svg, FALSE);
}

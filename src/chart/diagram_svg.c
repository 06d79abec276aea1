/* diagram_svg.c - the SVG writer of the diagrams (typeset stage): turns a
 * diagram_layout (diagram.c, Graphviz's placement) into SVG text.  It
 * writes no file: write/diagrams.c writes the text into the package.
 *
 * Charts are drawn by Cairo, whose SVG surface turns text into glyph
 * outlines; a diagram's component names must stay words in the PDFs
 * (searchable, read aloud, found by pdftotext), so this writer emits
 * <text> elements directly, in the theme's heading font.  The PDFs do not
 * read the SVG back: diagram_draw() draws the same layout with Cairo and
 * Pango straight onto their pages (a typeset_pictures picture,
 * write/diagrams.c), as real text.  Numbers are written with
 * g_ascii_formatd to two decimals: the same layout gives the same bytes in
 * any locale.
 */
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "chart/diagram_svg.h"

struct diagram_device {
	diagram_style style;
	PangoFontMap *fontmap;
	PangoContext *ctx;
};

diagram_device *
diagram_device_new(const diagram_style *style)
{
	diagram_device *dev = g_new0(diagram_device, 1);
	dev->style = *style;
	dev->style.font = g_strdup(style->font ? style->font : "DejaVu Sans");
	dev->fontmap = pango_cairo_font_map_new();
	dev->ctx = pango_font_map_create_context(dev->fontmap);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(dev->ctx, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_context_set_resolution(dev->ctx, 72);
	pango_context_set_round_glyph_positions(dev->ctx, FALSE);
	return dev;
}

void
diagram_device_free(diagram_device *dev)
{
	if (!dev)
		return;
	g_object_unref(dev->ctx);
	g_object_unref(dev->fontmap);
	g_free(dev->style.font);
	g_free(dev);
}

double
diagram_device_measure(const char *text, double size, bool bold, void *ud)
{
	diagram_device *dev = ud;
	PangoLayout *pl = pango_layout_new(dev->ctx);
	PangoFontDescription *fd = pango_font_description_from_string(dev->style.font);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(pl, text, -1);
	PangoRectangle logical;
	pango_layout_get_extents(pl, NULL, &logical);
	g_object_unref(pl);
	return (double)logical.width / PANGO_SCALE;
}

/* ---- SVG text ------------------------------------------------------------- */

/* How a node is painted: the same in the SVG and on a Cairo surface. */
typedef struct {
	double radius;
	guint32 fill, name_rgb, note_rgb;
	bool dashed;
} node_look;

static node_look
look_of(const diagram_style *st, const diagram_node *n, const diagram_node_place *p)
{
	bool focus = n->box == DIAGRAM_BOX_FOCUS;
	double radius = n->box == DIAGRAM_BOX_ACTOR ? p->box.h / 2
		: n->box == DIAGRAM_BOX_STORE ? 9 : 3;
	return (node_look){ MIN(radius, p->box.w / 2), focus ? st->accent : st->fill,
			    focus ? 0xffffff : st->text, focus ? 0xffffff : st->muted,
			    n->box == DIAGRAM_BOX_OUTSIDE };
}

static void
num(GString *s, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_ascii_formatd(buf, sizeof buf, "%.2f", v);
	/* "-0.00" and "0.00" are the same place */
	g_string_append(s, strcmp(buf, "-0.00") == 0 ? "0.00" : buf);
}

static void
attr_num(GString *s, const char *name, double v)
{
	g_string_append_printf(s, " %s=\"", name);
	num(s, v);
	g_string_append_c(s, '"');
}

static void
attr_rgb(GString *s, const char *name, guint32 rgb)
{
	g_string_append_printf(s, " %s=\"#%06x\"", name, rgb & 0xffffff);
}

static void
rect(GString *s, const diagram_rect *r, double radius, guint32 fill, guint32 stroke,
     double width, bool dashed)
{
	g_string_append(s, "<rect");
	attr_num(s, "x", r->x);
	attr_num(s, "y", r->y);
	attr_num(s, "width", r->w);
	attr_num(s, "height", r->h);
	if (radius > 0)
		attr_num(s, "rx", radius);
	attr_rgb(s, "fill", fill);
	if (width > 0) {
		attr_rgb(s, "stroke", stroke);
		attr_num(s, "stroke-width", width);
		if (dashed)
			g_string_append(s, " stroke-dasharray=\"4 2.5\"");
	}
	g_string_append(s, "/>\n");
}

static void
text(GString *s, const diagram_text *t, guint32 rgb)
{
	g_autofree char *esc = g_markup_escape_text(t->text, -1);
	g_string_append(s, "<text");
	attr_num(s, "x", t->x);
	attr_num(s, "y", t->y);
	attr_num(s, "font-size", t->size);
	if (t->bold)
		g_string_append(s, " font-weight=\"bold\"");
	attr_rgb(s, "fill", rgb);
	g_string_append_printf(s, ">%s</text>\n", esc);
}

static void
lines(GString *s, const GPtrArray *ls, guint32 name_rgb, guint32 note_rgb)
{
	for (guint i = 0; ls && i < ls->len; i++) {
		const diagram_text *t = ls->pdata[i];
		text(s, t, t->bold ? name_rgb : note_rgb);
	}
}

static void
arrow(GString *s, const diagram_edge_place *e, guint32 rgb)
{
	if (e->n_pts < 1)
		return;
	g_string_append(s, "<path d=\"M");
	num(s, e->pts[0]);
	g_string_append_c(s, ' ');
	num(s, e->pts[1]);
	for (int j = 1; j + 2 < e->n_pts; j += 3) {
		g_string_append(s, " C");
		for (int k = 0; k < 3; k++) {
			g_string_append_c(s, ' ');
			num(s, e->pts[2 * (j + k)]);
			g_string_append_c(s, ' ');
			num(s, e->pts[2 * (j + k) + 1]);
		}
	}
	g_string_append(s, "\" fill=\"none\"");
	attr_rgb(s, "stroke", rgb);
	g_string_append(s, " stroke-width=\"1\"/>\n");

	/* The head: from the spline's end to the tip. */
	double bx = e->pts[2 * (e->n_pts - 1)], by = e->pts[2 * (e->n_pts - 1) + 1];
	double dx = e->tip_x - bx, dy = e->tip_y - by, len = hypot(dx, dy);
	if (len < 0.01)
		return;
	double px = -dy * 0.42, py = dx * 0.42;	/* half the head's width */
	g_string_append(s, "<path d=\"M");
	num(s, e->tip_x);
	g_string_append_c(s, ' ');
	num(s, e->tip_y);
	g_string_append(s, " L");
	num(s, bx + px);
	g_string_append_c(s, ' ');
	num(s, by + py);
	g_string_append(s, " L");
	num(s, bx - px);
	g_string_append_c(s, ' ');
	num(s, by - py);
	g_string_append(s, " Z\"");
	attr_rgb(s, "fill", rgb);
	g_string_append(s, "/>\n");
}

char *
diagram_svg(const diagram_device *dev, const diagram *d, const diagram_layout *l)
{
	const diagram_style *st = &dev->style;
	GString *s = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	g_autofree char *font = g_markup_escape_text(st->font, -1);
	g_autofree char *title = g_markup_escape_text(d->title, -1);
	g_autofree char *desc = g_markup_escape_text(d->desc ? d->desc : d->title, -1);

	g_string_append(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"");
	num(s, l->width);
	g_string_append(s, "pt\" height=\"");
	num(s, l->height);
	g_string_append(s, "pt\" viewBox=\"0 0 ");
	num(s, l->width);
	g_string_append_c(s, ' ');
	num(s, l->height);
	g_string_append_printf(s, "\" font-family=\"%s\">\n<title>%s</title>\n<desc>%s</desc>\n",
			       font, title, desc);

	for (guint g = 0; g < l->n_groups; g++) {
		rect(s, &l->groups[g].box, 6, st->group_fill, st->frame, 0.8, false);
		text(s, &l->groups[g].title, st->muted);
	}
	for (guint k = 0; k < l->n_edges; k++)
		arrow(s, &l->edges[k], st->muted);
	for (guint i = 0; i < l->n_nodes; i++) {
		const diagram_node_place *p = &l->nodes[i];
		node_look look = look_of(st, d->nodes->pdata[i], p);
		rect(s, &p->box, look.radius, look.fill, st->accent, 1.1, look.dashed);
		lines(s, p->lines, look.name_rgb, look.note_rgb);
	}
	for (guint k = 0; k < l->n_edges; k++) {
		const diagram_edge_place *e = &l->edges[k];
		if (e->label_box.w <= 0)
			continue;
		rect(s, &e->label_box, 2, 0xffffff, 0, 0, false);
		lines(s, e->lines, st->muted, st->muted);
	}
	g_string_append(s, "</svg>\n");
	return g_string_free(s, FALSE);
}

/* ---- the same, drawn with Cairo ----------------------------------------- */

static void
cr_rgb(cairo_t *cr, guint32 rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
			     (rgb & 0xff) / 255.0);
}

/* An SVG <rect> with rx = ry = radius (at most half its sides). */
static void
cr_rect(cairo_t *cr, const diagram_rect *r, double radius, guint32 fill, guint32 stroke,
	double width, bool dashed)
{
	double rad = MIN(radius, MIN(r->w, r->h) / 2);
	cairo_new_path(cr);
	if (rad > 0) {
		/* SVG's path of a rounded rect, whose start sets the dashes'. */
		cairo_move_to(cr, r->x + rad, r->y);
		cairo_arc(cr, r->x + r->w - rad, r->y + rad, rad, -G_PI / 2, 0);
		cairo_arc(cr, r->x + r->w - rad, r->y + r->h - rad, rad, 0, G_PI / 2);
		cairo_arc(cr, r->x + rad, r->y + r->h - rad, rad, G_PI / 2, G_PI);
		cairo_arc(cr, r->x + rad, r->y + rad, rad, G_PI, 3 * G_PI / 2);
		cairo_close_path(cr);
	} else {
		cairo_rectangle(cr, r->x, r->y, r->w, r->h);
	}
	cr_rgb(cr, fill);
	if (width <= 0) {
		cairo_fill(cr);
		return;
	}
	cairo_fill_preserve(cr);
	cr_rgb(cr, stroke);
	cairo_set_line_width(cr, width);
	static const double dash[2] = { 4, 2.5 };
	cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

/* A line of text with its baseline starting at (t->x, t->y). */
static void
cr_text(cairo_t *cr, PangoContext *ctx, const char *font, const diagram_text *t, guint32 rgb)
{
	PangoLayout *pl = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_font_description_set_absolute_size(fd, t->size * PANGO_SCALE);
	pango_font_description_set_weight(fd, t->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(pl, t->text, -1);
	cr_rgb(cr, rgb);
	cairo_move_to(cr, t->x, t->y - pango_layout_get_baseline(pl) / (double)PANGO_SCALE);
	pango_cairo_show_layout(cr, pl);
	g_object_unref(pl);
}

static void
cr_lines(cairo_t *cr, PangoContext *ctx, const char *font, const GPtrArray *ls,
	 guint32 name_rgb, guint32 note_rgb)
{
	for (guint i = 0; ls && i < ls->len; i++) {
		const diagram_text *t = ls->pdata[i];
		cr_text(cr, ctx, font, t, t->bold ? name_rgb : note_rgb);
	}
}

static void
cr_arrow(cairo_t *cr, const diagram_edge_place *e, guint32 rgb)
{
	if (e->n_pts < 1)
		return;
	cairo_new_path(cr);
	cairo_move_to(cr, e->pts[0], e->pts[1]);
	for (int j = 1; j + 2 < e->n_pts; j += 3)
		cairo_curve_to(cr, e->pts[2 * j], e->pts[2 * j + 1], e->pts[2 * j + 2],
			       e->pts[2 * j + 3], e->pts[2 * j + 4], e->pts[2 * j + 5]);
	cr_rgb(cr, rgb);
	cairo_set_line_width(cr, 1);
	cairo_stroke(cr);
	double bx = e->pts[2 * (e->n_pts - 1)], by = e->pts[2 * (e->n_pts - 1) + 1];
	double dx = e->tip_x - bx, dy = e->tip_y - by, len = hypot(dx, dy);
	if (len < 0.01)
		return;
	double px = -dy * 0.42, py = dx * 0.42;
	cairo_move_to(cr, e->tip_x, e->tip_y);
	cairo_line_to(cr, bx + px, by + py);
	cairo_line_to(cr, bx - px, by - py);
	cairo_close_path(cr);
	cairo_fill(cr);
}

void
diagram_draw(cairo_t *cr, const diagram_style *st, const diagram *d, const diagram_layout *l)
{
	/* Measured as diagram_device_measure measures, on this thread's fonts. */
	PangoContext *ctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_context_set_resolution(ctx, 72);
	pango_context_set_round_glyph_positions(ctx, FALSE);
	const char *font = st->font ? st->font : "DejaVu Sans";

	cairo_save(cr);
	for (guint g = 0; g < l->n_groups; g++) {
		cr_rect(cr, &l->groups[g].box, 6, st->group_fill, st->frame, 0.8, false);
		cr_text(cr, ctx, font, &l->groups[g].title, st->muted);
	}
	for (guint k = 0; k < l->n_edges; k++)
		cr_arrow(cr, &l->edges[k], st->muted);
	for (guint i = 0; i < l->n_nodes; i++) {
		const diagram_node_place *p = &l->nodes[i];
		node_look look = look_of(st, d->nodes->pdata[i], p);
		cr_rect(cr, &p->box, look.radius, look.fill, st->accent, 1.1, look.dashed);
		cr_lines(cr, ctx, font, p->lines, look.name_rgb, look.note_rgb);
	}
	for (guint k = 0; k < l->n_edges; k++) {
		const diagram_edge_place *e = &l->edges[k];
		if (e->label_box.w <= 0)
			continue;
		cr_rect(cr, &e->label_box, 2, 0xffffff, 0, 0, false);
		cr_lines(cr, ctx, font, e->lines, st->muted, st->muted);
	}
	cairo_restore(cr);
	g_object_unref(ctx);
}

const diagram_style *
diagram_device_style(const diagram_device *dev)
{
	return &dev->style;
}

/* pdf_device.c - the Cairo PDF device: draws a finished page layout
 * (typeset stage, last step).
 *
 * layout_page.c has decided where every box goes; this file only draws
 * them, and is the one place in dossier that calls cairo_* for documents:
 * text lines through pangocairo, rectangles and rules, images (PNG through
 * Cairo, SVG as vectors through librsvg, JPEG as its own DCT bytes, other
 * formats from gdk-pixbuf's pixels), task-list checkboxes, link annotations, named
 * destinations, the outline and the document metadata.  Cairo embeds font
 * subsets itself.  The PDF is built in memory and handed back as bytes;
 * the caller writes them (write/pdf.c, cli/pdf.c), so this stage never
 * touches a file.  With the creation date fixed by the caller the bytes
 * are the same on every run.
 */
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <hb-ot.h>
#include <pango/pangocairo.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#include "base/diag.h"
#include "typeset/layout.h"
#include "typeset/lazylib.h"
#include "typeset/pdf_device.h"
#include "typeset/pdf_finish.h"
#include "typeset/pdf_pages.h"

PangoContext *
pdf_device_pango_context(void)
{
	/* Pango's default font map is per thread, so documents typeset on
	 * different threads never share one. */
	PangoFontMap *fm = pango_cairo_font_map_get_default();
	PangoContext *ctx = pango_font_map_create_context(fm);
	cairo_font_options_t *fo = cairo_font_options_create();

	/* Vector output: outline metrics, not metrics hinted to a pixel grid. */
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_context_set_resolution(ctx, 72);	/* 1 unit = 1 pt */
	pango_context_set_round_glyph_positions(ctx, FALSE);
	/* Font choice must not depend on the user's locale. */
	pango_context_set_language(ctx, pango_language_from_string("en"));
	return ctx;
}

/* Numbers in attribute strings, independent of LC_NUMERIC. */
static const char *
num(char *buf, double v)
{
	return g_ascii_formatd(buf, G_ASCII_DTOSTR_BUF_SIZE, "%.2f", v);
}

/* A string for a Cairo tag attribute: quoted, with ' and \ escaped. */
static void
append_quoted(GString *s, const char *text)
{
	g_string_append_c(s, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '\'' || *p == '\\')
			g_string_append_c(s, '\\');
		g_string_append_c(s, *p);
	}
	g_string_append_c(s, '\'');
}

/* Cairo 1.16 writes URIs and destination names into PDF strings without
 * escaping parentheses or backslashes, so everything but plain ASCII
 * letters, digits and URI punctuation is percent-encoded first (the same
 * URI by RFC 3986; for names, any consistent spelling will do). */
static char *
pdf_safe(const char *s, gboolean uri)
{
	GString *out = g_string_new(NULL);

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ||
		    *p == '~' || (uri && strchr(":/?#[]@!$&'*+,;=%", *p)))
			g_string_append_c(out, (char)*p);
		else
			g_string_append_printf(out, "%%%02X", *p);
	}
	return g_string_free(out, FALSE);
}

static void
set_rgb(cairo_t *cr, const layout_rgb *c)
{
	cairo_set_source_rgb(cr, c->r, c->g, c->b);
}

typedef struct {
	const guchar *data;
	gsize len, pos;
} png_reader;

static cairo_status_t
png_read(void *closure, unsigned char *out, unsigned int len)
{
	png_reader *r = closure;

	if (r->len - r->pos < len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(out, r->data + r->pos, len);
	r->pos += len;
	return CAIRO_STATUS_SUCCESS;
}

/* What the pages of one PDF share while they are drawn. */
typedef struct page_cache page_cache;
struct page_cache {
	PangoContext *pango;	/* this thread's, for picture_text's fonts */
	GHashTable *images;	/* layout_image* → decoded raster surface */
	GHashTable *color;	/* PangoFont* → is a colour bitmap font */
	GHashTable *emoji;	/* "font|glyphs" → rasterised run */
	GHashTable *on_page;	/* image surfaces painted on the current page */
};
static cairo_surface_t *page_surface(page_cache *dev, cairo_surface_t *s);

/* gdk-pixbuf's pixels (RGB or RGBA, 8 bits) as a Cairo image surface
 * (native-endian xRGB or premultiplied ARGB). */
static cairo_surface_t *
pixbuf_surface(const GdkPixbuf *px)
{
	int w = gdk_pixbuf_get_width(px), h = gdk_pixbuf_get_height(px);
	int nc = gdk_pixbuf_get_n_channels(px), rs = gdk_pixbuf_get_rowstride(px);
	gboolean alpha = gdk_pixbuf_get_has_alpha(px);
	const guchar *src = gdk_pixbuf_read_pixels(px);
	cairo_surface_t *s = cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32
							: CAIRO_FORMAT_RGB24, w, h);

	cairo_surface_flush(s);
	guchar *dst = cairo_image_surface_get_data(s);
	int ds = cairo_image_surface_get_stride(s);
	for (int y = 0; y < h; y++) {
		const guchar *p = src + (gsize)y * rs;
		guint32 *q = (guint32 *)(void *)(dst + (gsize)y * ds);
		for (int x = 0; x < w; x++, p += nc) {
			guint32 a = alpha ? p[3] : 255;
			guint32 r = (p[0] * a + 127) / 255, g = (p[1] * a + 127) / 255,
				bl = (p[2] * a + 127) / 255;
			q[x] = a << 24 | r << 16 | g << 8 | bl;
		}
	}
	cairo_surface_mark_dirty(s);
	return s;
}

/* The decoded surface of an image that is not SVG, made once per document.
 * A JPEG's surface carries the file's bytes as MIME data, so Cairo embeds
 * them unchanged (a DCTDecode stream) instead of re-compressing pixels. */
static cairo_surface_t *
raster_surface(const layout_image *im)
{
	gsize len;
	const guchar *data = g_bytes_get_data(im->data, &len);

	if (im->kind == LAYOUT_IMAGE_PNG) {
		png_reader r = { data, len, 0 };
		return cairo_image_surface_create_from_png_stream(png_read, &r);
	}
	cairo_surface_t *s = pixbuf_surface(im->pixels);
	if (im->kind == LAYOUT_IMAGE_JPEG)
		cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data, len,
					    (cairo_destroy_func_t)g_bytes_unref,
					    g_bytes_ref(im->data));
	return s;
}

static int
draw_image(cairo_t *cr, page_cache *dev, GHashTable *cache, const layout_box *b)
{
	const layout_image *im = b->image;
	gsize len;
	const guchar *data = g_bytes_get_data(im->data, &len);

	if (im->kind == LAYOUT_IMAGE_DRAWING) {
		double s = MIN(b->w / im->width, b->h / im->height);
		cairo_save(cr);
		cairo_translate(cr, b->x + (b->w - im->width * s) / 2, b->y + (b->h - im->height * s) / 2);
		cairo_scale(cr, s, s);
		pictures_draw(im->picture, cr);
		cairo_restore(cr);
		return 0;
	}
	if (im->kind == LAYOUT_IMAGE_SVG) {
		g_autoptr(GError) err = NULL;
		/* Laying the image out opened librsvg already (layout_image.c). */
		const lazy_rsvg *rsvg = lazy_rsvg_get(NULL);
		RsvgHandle *h = rsvg ? rsvg->handle_new_from_data(data, len, &err) : NULL;
		RsvgRectangle vp = { b->x, b->y, b->w, b->h };
		if (!h || !rsvg->handle_render_document(h, cr, &vp, &err)) {
			diag(DIAG_ERROR, im->path, 0, 0, "cannot draw SVG: %s",
			     err ? err->message : "unknown error");
			if (h)
				g_object_unref(h);
			return -1;
		}
		g_object_unref(h);
		return 0;
	}
	cairo_surface_t *s = g_hash_table_lookup(cache, im);
	if (!s) {
		s = raster_surface(im);
		if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
			diag(DIAG_ERROR, im->path, 0, 0, "cannot decode the image: %s",
			     cairo_status_to_string(cairo_surface_status(s)));
			cairo_surface_destroy(s);
			return -1;
		}
		g_hash_table_insert(cache, (gpointer)im, s);
	}
	int iw = cairo_image_surface_get_width(s);
	int ih = cairo_image_surface_get_height(s);
	cairo_save(cr);
	cairo_translate(cr, b->x, b->y);
	cairo_scale(cr, b->w / iw, b->h / ih);
	cairo_surface_t *use = page_surface(dev, s);
	cairo_set_source_surface(cr, use, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	/* A rectangle filled, not cairo_paint(): Cairo 1.16 ends a tagged PDF
	 * with a tag error when a page's first marked content is an
	 * unbounded paint (a photo at the top of a page). */
	cairo_rectangle(cr, 0, 0, iw, ih);
	cairo_fill(cr);
	cairo_surface_destroy(use);
	cairo_restore(cr);
	return 0;
}

static void
rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
	cairo_new_sub_path(cr);
	cairo_arc(cr, x + w - r, y + r, r, -G_PI / 2, 0);
	cairo_arc(cr, x + w - r, y + h - r, r, 0, G_PI / 2);
	cairo_arc(cr, x + r, y + h - r, r, G_PI / 2, G_PI);
	cairo_arc(cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
	cairo_close_path(cr);
}

/* Text for what is drawn as a picture (a task box, a colour emoji), so
 * that text extraction and search find it in line: two faint full stops
 * of `family` at (x, baseline), drawn before the picture covers them,
 * stand for `len` bytes of `utf8`.  A cluster of two glyphs makes Cairo
 * write the text as an ActualText span.  (Cairo leaves out glyphs with no
 * ink and fully transparent drawing, hence the 1% full stops.)  The font
 * is Pango's, as the text's is: a Cairo "toy" font would make Cairo open
 * and close FreeType faces of its own (drawlock.c, "the fonts"). */
static void
picture_text(cairo_t *cr, page_cache *dev, const char *family, double size,
	     const char *utf8, int len, double x, double baseline)
{
	cairo_glyph_t *glyphs = NULL;
	int n = 0;
	PangoFontDescription *fd = pango_font_description_new();

	pango_font_description_set_family(fd, family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	PangoFont *font = pango_context_load_font(dev->pango, fd);
	pango_font_description_free(fd);
	cairo_scaled_font_t *sf = font ? pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font)) : NULL;
	cairo_save(cr);
	if (sf)
		cairo_set_scaled_font(cr, sf);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.01);
	if (sf && cairo_scaled_font_text_to_glyphs(sf, x, baseline, "..", 2, &glyphs, &n,
						   NULL, NULL, NULL) == CAIRO_STATUS_SUCCESS &&
	    n == 2) {
		glyphs[1].x = glyphs[0].x;
		cairo_text_cluster_t cl = { len, 2 };
		cairo_show_text_glyphs(cr, utf8, len, glyphs, 2, &cl, 1, 0);
	}
	cairo_glyph_free(glyphs);
	cairo_restore(cr);
	if (font)
		g_object_unref(font);
}

static void
draw_checkbox(cairo_t *cr, page_cache *dev, const layout_box *b, const char *family,
	      double size)
{
	double s = b->w, in = 0.4;

	picture_text(cr, dev, family, size, b->checked ? "\u2611" : "\u2610", 3,
		     b->x + s * 0.75, b->y + s * 0.85);

	rounded_rect(cr, b->x + in, b->y + in, s - 2 * in, s - 2 * in, s * 0.18);
	if (b->checked) {
		set_rgb(cr, &b->color);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_set_line_width(cr, s * 0.13);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cairo_move_to(cr, b->x + s * 0.24, b->y + s * 0.52);
		cairo_line_to(cr, b->x + s * 0.43, b->y + s * 0.71);
		cairo_line_to(cr, b->x + s * 0.77, b->y + s * 0.30);
		cairo_stroke(cr);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	} else {
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_fill_preserve(cr);
		set_rgb(cr, &b->color);
		cairo_set_line_width(cr, 0.8);
		cairo_stroke(cr);
	}
}

/* Begin the Link tag of a LINK box: its annotation, with the box as its
 * clickable area; what is drawn until link_end() is the link's text,
 * `text` (NULL: none is drawn inside it), which also describes the
 * annotation (its /Contents, written by the finishing job). */
static void
link_begin(cairo_t *cr, pdf_finish_job *job, const layout_box *b, const char *text)
{
	char n1[G_ASCII_DTOSTR_BUF_SIZE], n2[G_ASCII_DTOSTR_BUF_SIZE];
	char n3[G_ASCII_DTOSTR_BUF_SIZE], n4[G_ASCII_DTOSTR_BUF_SIZE];
	GString *a = g_string_new(NULL);

	g_autofree char *safe = pdf_safe(b->target[0] == '#' ? b->target + 1 :
					 b->target, b->target[0] != '#');
	g_string_append(a, b->target[0] == '#' ? "dest=" : "uri=");
	append_quoted(a, safe);
	g_string_append_printf(a, " rect=[%s %s %s %s]", num(n1, b->x),
			       num(n2, b->y), num(n3, b->w), num(n4, b->h));
	cairo_tag_begin(cr, CAIRO_TAG_LINK, a->str);
	g_string_free(a, TRUE);
	pdf_finish_tag(job, CAIRO_TAG_LINK, NULL, text && *text ? text :
		       b->target[0] == '#' ? b->target + 1 : b->target);
}

static void
link_end(cairo_t *cr)
{
	cairo_tag_end(cr, CAIRO_TAG_LINK);
}

/* A link whose text was not drawn inside it (see draw_text_links). */
static void
draw_link(cairo_t *cr, pdf_finish_job *job, const layout_box *b)
{
	link_begin(cr, job, b, NULL);
	link_end(cr);
}

static void
draw_dest(cairo_t *cr, const layout_box *b)
{
	char n1[G_ASCII_DTOSTR_BUF_SIZE], n2[G_ASCII_DTOSTR_BUF_SIZE];
	GString *a = g_string_new("name=");
	g_autofree char *safe = pdf_safe(b->target, FALSE);

	append_quoted(a, safe);
	g_string_append_printf(a, " x=%s y=%s", num(n1, b->x),
			       num(n2, MAX(b->y - 6, 0)));
	cairo_tag_begin(cr, CAIRO_TAG_DEST, a->str);
	cairo_tag_end(cr, CAIRO_TAG_DEST);
	g_string_free(a, TRUE);
}

/* ---- text, with emoji drawn sharp -------------------------------------- */

/* Cairo 1.16 puts colour bitmap glyphs (Noto Color Emoji) into the PDF at
 * one pixel per point: blurred in print.  So runs in a colour font are
 * left out of the line Pango draws and painted as images rasterised at
 * EMOJI_SCALE times the resolution instead. */
#define EMOJI_SCALE 6.0


/* The surface to paint for `s`; the caller destroys it after painting.
 * Cairo 1.16 lists an image twice in a page's resources (an invalid
 * dictionary) when one surface is painted twice on a page, so a repeat on
 * the same page paints a copy. */
static cairo_surface_t *
page_surface(page_cache *dev, cairo_surface_t *s)
{
	if (!g_hash_table_contains(dev->on_page, s)) {
		g_hash_table_add(dev->on_page, s);
		return cairo_surface_reference(s);
	}
	cairo_surface_t *c = cairo_image_surface_create(cairo_image_surface_get_format(s),
							cairo_image_surface_get_width(s),
							cairo_image_surface_get_height(s));
	cairo_t *cr = cairo_create(c);
	cairo_set_source_surface(cr, s, 0, 0);
	cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
	cairo_paint(cr);
	cairo_destroy(cr);
	const unsigned char *jpeg;
	unsigned long len;
	cairo_surface_get_mime_data(s, CAIRO_MIME_TYPE_JPEG, &jpeg, &len);
	if (jpeg) {
		unsigned char *copy = g_memdup2(jpeg, len);
		cairo_surface_set_mime_data(c, CAIRO_MIME_TYPE_JPEG, copy, len,
					    g_free, copy);
	}
	return c;
}

static gboolean
color_font(page_cache *dev, PangoFont *font)
{
	gpointer v;

	if (!font)
		return FALSE;
	if (g_hash_table_lookup_extended(dev->color, font, NULL, &v))
		return GPOINTER_TO_INT(v);
	hb_font_t *hb = pango_font_get_hb_font(font);
	gboolean c = hb && hb_ot_color_has_png(hb_font_get_face(hb));
	g_hash_table_insert(dev->color, font, GINT_TO_POINTER(c));
	return c;
}

static void
draw_emoji_run(cairo_t *cr, page_cache *dev, PangoGlyphItem *gi, double x,
	       double baseline)
{
	PangoFont *font = gi->item->analysis.font;
	PangoRectangle ink;
	const double S = EMOJI_SCALE, pad = 1;

	pango_glyph_string_extents(gi->glyphs, font, &ink, NULL);
	if (ink.width <= 0 || ink.height <= 0)
		return;
	double ix = ink.x / (double)PANGO_SCALE, iy = ink.y / (double)PANGO_SCALE;
	double iw = ink.width / (double)PANGO_SCALE, ih = ink.height / (double)PANGO_SCALE;

	PangoFontDescription *fd = pango_font_describe(font);
	g_autofree char *fds = pango_font_description_to_string(fd);
	pango_font_description_free(fd);
	GString *key = g_string_new(fds);
	for (int i = 0; i < gi->glyphs->num_glyphs; i++)
		g_string_append_printf(key, "|%u", gi->glyphs->glyphs[i].glyph);
	cairo_surface_t *img = g_hash_table_lookup(dev->emoji, key->str);
	if (!img) {
		int pw = (int)(iw * S + 2 * pad + 1), ph = (int)(ih * S + 2 * pad + 1);
		img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph);
		cairo_t *ic = cairo_create(img);
		cairo_translate(ic, pad, pad);
		cairo_scale(ic, S, S);
		cairo_translate(ic, -ix, -iy);
		cairo_move_to(ic, 0, 0);
		pango_cairo_show_glyph_string(ic, font, gi->glyphs);
		cairo_destroy(ic);
		g_hash_table_insert(dev->emoji, g_strdup(key->str), img);
	}
	g_string_free(key, TRUE);
	cairo_save(cr);
	cairo_translate(cr, x + ix - pad / S, baseline + iy - pad / S);
	cairo_scale(cr, 1 / S, 1 / S);
	cairo_surface_t *use = page_surface(dev, img);
	cairo_set_source_surface(cr, use, 0, 0);
	cairo_paint(cr);
	cairo_surface_destroy(use);
	cairo_restore(cr);
}

/* The characters of a colour-emoji run, under its picture. */
static void
emoji_text(cairo_t *cr, page_cache *dev, const layout_doc *doc, const layout_box *b,
	   PangoGlyphItem *gi, double x)
{
	PangoFontDescription *fd = pango_font_describe(gi->item->analysis.font);
	double size = pango_font_description_get_size(fd) / (double)PANGO_SCALE;

	pango_font_description_free(fd);
	picture_text(cr, dev, doc->theme->font_body, size > 0 ? size : doc->theme->size_body,
		     pango_layout_get_text(b->layout) + gi->item->offset,
		     gi->item->length, x + size * 0.3, b->baseline);
}

/* Draw the runs [first, stop) of text box b's line, starting at x (the
 * whole line: line->runs, NULL, b->x). */
static void
draw_runs(cairo_t *cr, page_cache *dev, const layout_doc *doc,
	  const layout_box *b, PangoLayoutLine *line, GSList *first,
	  GSList *stop, double x0)
{
	GArray *saved = NULL;
	GSList *all = line->runs, *cut = NULL;

	/* Pango draws a line's list of runs: for a part of the line the
	 * list is cut to that part during the call.  (A code span's ground
	 * is as high as the whole line: Pango caches the line's extents,
	 * which draw_text_links asks for first.) */
	if (first != all || stop) {
		for (cut = first; cut->next != stop; cut = cut->next)
			;
		cut->next = NULL;
		line->runs = first;
	}
	for (GSList *r = line->runs; r; r = r->next) {
		PangoGlyphItem *gi = r->data;
		if (!color_font(dev, gi->item->analysis.font))
			continue;
		if (!saved)
			saved = g_array_new(FALSE, FALSE, sizeof(PangoGlyph));
		for (int i = 0; i < gi->glyphs->num_glyphs; i++) {
			g_array_append_val(saved, gi->glyphs->glyphs[i].glyph);
			gi->glyphs->glyphs[i].glyph = PANGO_GLYPH_EMPTY;
		}
	}
	set_rgb(cr, &doc->theme->color_text);
	cairo_move_to(cr, x0, b->baseline);
	pango_cairo_show_layout_line(cr, line);
	if (!saved)
		goto out;
	/* Put the glyphs back and paint the colour runs, left to right. */
	double x = x0;
	guint k = 0;
	for (GSList *r = line->runs; r; r = r->next) {
		PangoGlyphItem *gi = r->data;
		double w = pango_glyph_string_get_width(gi->glyphs) / (double)PANGO_SCALE;
		if (color_font(dev, gi->item->analysis.font)) {
			const PangoGlyph *glyphs = &g_array_index(saved, PangoGlyph, k);
			for (int i = 0; i < gi->glyphs->num_glyphs; i++)
				gi->glyphs->glyphs[i].glyph = glyphs[i];
			k += (guint)gi->glyphs->num_glyphs;
			emoji_text(cr, dev, doc, b, gi, x);
			draw_emoji_run(cr, dev, gi, x, b->baseline);
		}
		x += w;
	}
	g_array_free(saved, TRUE);
out:
	if (cut) {
		cut->next = stop;
		line->runs = all;
	}
}

static void
draw_text(cairo_t *cr, page_cache *dev, const layout_doc *doc, const layout_box *b)
{
	PangoLayoutLine *line = pango_layout_get_line_readonly(b->layout, b->line);

	if (line)
		draw_runs(cr, dev, doc, b, line, line->runs, NULL, b->x);
}


/* ---- the structure tree ------------------------------------------------ */

/* Cairo 1.16 builds the tagged PDF's tree from the order of
 * cairo_tag_begin/cairo_tag_end calls and marks content only inside an
 * element with no child elements (a "leaf"): the content of an element
 * that has children is left unmarked, in no element at all.  The tagger
 * turns the layout's elements (layout_struct) into those calls:
 *
 * - An element's own content (text, images, a task box) goes into a Span
 *   child when the element also has children (a paragraph with a link)
 *   or continues on another page.  A paragraph split by a page break is
 *   thus one P, and the running footer and header drawn between its two
 *   halves (with a leaf open they would land inside it) stay outside.
 * - Page furniture (running header, footer, page numbers, the draft
 *   band, a repeated table header) is drawn with no leaf open: unmarked,
 *   in no element.  Cairo 1.16 cannot mark it as an Artifact.
 * - Cairo cannot reopen a closed element, so on each page the content is
 *   drawn in tree order: first what continues from the page before, then
 *   the rest by element.  A figure that floated to the top of the page
 *   therefore follows the paragraph that the page break cut.
 */

enum {
	ST_CONTENT = 1 << 0,	/* has content of its own */
	ST_CHILD = 1 << 1,	/* has child elements (or link annotations) */
	ST_PAGED = 1 << 2,	/* its own content is on more than one page */
	ST_START = 1 << 3,	/* open when the current page began */
	ST_BEGUN = 1 << 4,	/* begun (an element may be begun again on
				 * the next page: see tagger_enter) */
};

#define ST_NONE G_MAXUINT

typedef struct {
	guint8 *flags;		/* ST_* per element id */
	int *page;		/* the page an element's content was last on */
	const layout_struct **open; /* the open elements, the root first */
	const layout_struct **path; /* tagger_enter's scratch */
	int depth;
	gboolean span;		/* a Span for the top's own content is open */
	GString *name;
	const GPtrArray *structs; /* the doc's layout_struct*, by id */
	guint *first_child;	/* by element id: its first child's id */
	guint *next_sibling;	/* and its next sibling's (ST_NONE: none) */
	pdf_finish_job *job;	/* told each element begun */
} tagger;

static const char *const role_names[LAYOUT_ROLE_N] = {
	[LAYOUT_ROLE_DOCUMENT] = "Document",
	[LAYOUT_ROLE_PART] = "Part",
	[LAYOUT_ROLE_H] = "H",
	[LAYOUT_ROLE_P] = "P",
	[LAYOUT_ROLE_L] = "L",
	[LAYOUT_ROLE_LI] = "LI",
	[LAYOUT_ROLE_LBL] = "Lbl",
	[LAYOUT_ROLE_LBODY] = "LBody",
	[LAYOUT_ROLE_TABLE] = "Table",
	[LAYOUT_ROLE_TR] = "TR",
	[LAYOUT_ROLE_TH] = "TH",
	[LAYOUT_ROLE_TD] = "TD",
	[LAYOUT_ROLE_FIGURE] = "Figure",
	[LAYOUT_ROLE_BLOCKQUOTE] = "BlockQuote",
	[LAYOUT_ROLE_CODE] = "Code",
	[LAYOUT_ROLE_NOTE] = "Note",
	[LAYOUT_ROLE_TOC] = "TOC",
	[LAYOUT_ROLE_TOCI] = "TOCI",
};

static const char *
role_name(tagger *t, const layout_struct *st)
{
	if (st->role != LAYOUT_ROLE_H)
		return role_names[st->role];
	g_string_printf(t->name, "H%d", CLAMP(st->level, 1, 6));
	return t->name->str;
}

/* Boxes that carry what an element says (the rest is decoration). */
static gboolean
is_content(const layout_box *b)
{
	return b->kind == LAYOUT_BOX_TEXT || b->kind == LAYOUT_BOX_IMAGE ||
		b->kind == LAYOUT_BOX_CHECKBOX || b->kind == LAYOUT_BOX_PDF_PAGE;
}

/* Begin an element of type `role` and tell the finishing job. */
static void
tagger_begin(tagger *t, cairo_t *cr, const char *role, const char *alt)
{
	cairo_tag_begin(cr, role, "");
	pdf_finish_tag(t->job, role, alt, NULL);
}

/* A table cell with nothing in it draws nothing, yet is a cell of its
 * row: an empty TH or TD.  Those of `parent` before element `upto`
 * (ST_NONE: all) that are not begun yet are begun and ended here, in
 * their place among the row's cells. */
static void
tagger_empty_cells(tagger *t, cairo_t *cr, const layout_struct *parent, guint upto)
{
	for (guint c = t->first_child[parent->id]; c != ST_NONE && c < upto; c = t->next_sibling[c]) {
		const layout_struct *cell = g_ptr_array_index(t->structs, c);
		if ((cell->role != LAYOUT_ROLE_TH && cell->role != LAYOUT_ROLE_TD) ||
		    (t->flags[c] & (ST_CONTENT | ST_CHILD | ST_BEGUN)))
			continue;
		tagger_begin(t, cr, role_name(t, cell), NULL);
		cairo_tag_end(cr, role_name(t, cell));
		t->flags[c] |= ST_BEGUN;
	}
}

static void
tagger_init(tagger *t, cairo_t *cr, const layout_doc *doc, pdf_finish_job *job)
{
	guint n = doc->structs->len;

	t->flags = g_new0(guint8, n);
	t->page = g_new(int, n);
	t->open = g_new(const layout_struct *, n + 1);
	t->path = g_new(const layout_struct *, n + 1);
	t->name = g_string_new(NULL);
	t->structs = doc->structs;
	t->first_child = g_new(guint, n);
	t->next_sibling = g_new(guint, n);
	t->job = job;
	for (guint i = 0; i < n; i++) {
		t->page[i] = -1;
		t->first_child[i] = t->next_sibling[i] = ST_NONE;
	}
	/* Children in id order: an element's come after its own id. */
	for (guint i = n; i-- > 1;) {
		const layout_struct *st = g_ptr_array_index(doc->structs, i);
		t->next_sibling[i] = t->first_child[st->parent->id];
		t->first_child[st->parent->id] = i;
	}
	for (guint p = 0; p < doc->pages->len; p++) {
		const layout_page *pg = g_ptr_array_index(doc->pages, p);
		for (guint i = 0; i < pg->boxes->len; i++) {
			const layout_box *b = g_ptr_array_index(pg->boxes, i);
			const layout_struct *st = b->st;
			if (!st)
				continue;
			if (b->kind == LAYOUT_BOX_LINK)
				t->flags[st->id] |= ST_CHILD;
			else if (is_content(b)) {
				t->flags[st->id] |= ST_CONTENT;
				if (t->page[st->id] >= 0 && t->page[st->id] != (int)p)
					t->flags[st->id] |= ST_PAGED;
				t->page[st->id] = (int)p;
			} else
				continue;
			for (st = st->parent; st && !(t->flags[st->id] & ST_CHILD);
			     st = st->parent)
				t->flags[st->id] |= ST_CHILD;
		}
	}
	/* The root is opened by the caller and closed last. */
	t->open[0] = g_ptr_array_index(doc->structs, 0);
	t->depth = 1;
	t->span = FALSE;
	tagger_begin(t, cr, "Document", NULL);
}

static void
tagger_pop(tagger *t, cairo_t *cr)
{
	if (t->span) {
		cairo_tag_end(cr, "Span");
		t->span = FALSE;
		return;
	}
	t->depth--;
	tagger_empty_cells(t, cr, t->open[t->depth], ST_NONE);
	cairo_tag_end(cr, role_name(t, t->open[t->depth]));
}

/* Make `st` the innermost open element. */
static void
tagger_enter(tagger *t, cairo_t *cr, const layout_struct *st)
{
	const layout_struct **path = t->path;
	int n = 0, common = 0;

	if (t->open[t->depth - 1] == st)
		return;
	for (const layout_struct *s = st; s; s = s->parent)
		path[n++] = s;
	/* path is innermost first; compare with the open elements, root first */
	while (common < t->depth && common < n && t->open[common] == path[n - 1 - common])
		common++;
	while (t->depth > common || t->span)
		tagger_pop(t, cr);
	for (int k = n - 1 - common; k >= 0; k--) {
		tagger_empty_cells(t, cr, path[k]->parent, path[k]->id);
		tagger_begin(t, cr, role_name(t, path[k]), path[k]->alt);
		t->flags[path[k]->id] |= ST_BEGUN;
		t->open[t->depth++] = path[k];
	}
}

/* Before page furniture and at the end of a page: close the open leaves
 * (an element that continues on the next page is not one: its content
 * is in Spans). */
static void
tagger_leave_leaves(tagger *t, cairo_t *cr)
{
	if (t->span)
		tagger_pop(t, cr);
	while (t->depth > 1 && !(t->flags[t->open[t->depth - 1]->id] &
				 (ST_CHILD | ST_PAGED)))
		tagger_pop(t, cr);
}

/* Open what box `b` belongs to before it is drawn. */
static void
tagger_box(tagger *t, cairo_t *cr, const layout_box *b)
{
	if (b->kind == LAYOUT_BOX_DEST)
		return;			/* not content */
	if (!b->st) {
		tagger_leave_leaves(t, cr);
		return;
	}
	if (t->open[t->depth - 1] != b->st || (t->span && b->kind == LAYOUT_BOX_LINK))
		tagger_enter(t, cr, b->st);
	if (b->kind == LAYOUT_BOX_LINK) {
		if (t->span)
			tagger_pop(t, cr);
	} else if (is_content(b) && !t->span &&
		   (t->flags[b->st->id] & (ST_CHILD | ST_PAGED))) {
		tagger_begin(t, cr, "Span", NULL);
		t->span = TRUE;
	}
}

/* End every element but the Document, on the last page: an empty cell
 * ended with its row (tagger_empty_cells) is begun there too, as Cairo
 * 1.16 drops an element begun after the last page is shown. */
static void
tagger_close(tagger *t, cairo_t *cr)
{
	while (t->depth > 1 || t->span)
		tagger_pop(t, cr);
}

static void
tagger_finish(tagger *t, cairo_t *cr)
{
	tagger_close(t, cr);
	cairo_tag_end(cr, "Document");
	g_free(t->first_child);
	g_free(t->next_sibling);
	g_free(t->flags);
	g_free(t->page);
	g_free(t->open);
	g_free(t->path);
	g_string_free(t->name, TRUE);
}

typedef struct {
	int group;		/* 0 leading furniture, 1 continued from the
				 * page before, 2 the rest, 3 trailing furniture */
	guint id;		/* element id */
	guint index;		/* place on the page */
} draw_key;

static int
draw_key_cmp(const void *a, const void *b)
{
	const draw_key *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The order to draw a page's boxes in (see above); the caller frees it.
 * Furniture keeps its place before or after the content, and a box
 * outside any element between two others (none are made today) keeps
 * its place after the box before it. */
static draw_key *
tagger_order(tagger *t, const layout_page *pg)
{
	guint n = pg->boxes->len, last = 0;
	draw_key *keys = g_new(draw_key, n ? n : 1);
	gboolean seen = FALSE;

	for (int d = 1; d < t->depth; d++)
		if (t->open[d]->role != LAYOUT_ROLE_PART)
			t->flags[t->open[d]->id] |= ST_START;
	for (guint i = 0; i < n; i++) {
		const layout_box *b = g_ptr_array_index(pg->boxes, i);
		if (b->st)
			last = i;
	}
	draw_key prev = { 0, 0, 0 };
	for (guint i = 0; i < n; i++) {
		const layout_box *b = g_ptr_array_index(pg->boxes, i);
		draw_key k = { 2, 0, i };
		if (!b->st) {
			k = prev;
			k.group = !seen ? 0 : i > last ? 3 : prev.group;
			k.index = i;
		} else {
			seen = TRUE;
			k.id = b->st->id;
			for (const layout_struct *s = b->st; s; s = s->parent)
				if (t->flags[s->id] & ST_START) {
					k.group = 1;
					break;
				}
		}
		keys[i] = prev = k;
	}
	for (int d = 1; d < t->depth; d++)
		t->flags[t->open[d]->id] &= (guint8)~ST_START;
	qsort(keys, n, sizeof *keys, draw_key_cmp);
	return keys;
}

/* ---- links with their text ------------------------------------------- */

/* A link's text belongs inside its Link element, so a screen reader reads
 * it as the link.  The layout gives a line's links as LINK boxes (one per
 * line a link touches) after the line's text box; the runs of the line
 * under a link's box are drawn inside its Link tag, the rest in Spans. */
#define LINE_LINKS_MAX 32

/* The LINK boxes on the line of the text box at order[i]: the boxes of
 * the same element after it, up to the next line, whose area overlaps the
 * line and that no text was drawn in yet (a contents entry's title and
 * page number share one).  Their places in `order` go to out[]; returns
 * how many. */
static int
line_links(const layout_page *pg, const draw_key *order, guint i,
	   const gboolean *done, guint *out)
{
	const layout_box *tb = g_ptr_array_index(pg->boxes, order[i].index);
	int k = 0;

	for (guint j = i + 1; j < pg->boxes->len && k < LINE_LINKS_MAX; j++) {
		const layout_box *b = g_ptr_array_index(pg->boxes, order[j].index);
		gboolean overlap = b->y < tb->y + tb->h && b->y + b->h > tb->y;
		if (b->st != tb->st || (b->kind == LAYOUT_BOX_TEXT && !overlap))
			break;
		if (b->kind == LAYOUT_BOX_LINK && overlap && !done[j])
			out[k++] = j;
	}
	return k;
}

/* The text of the runs [first, stop) of a line of `pl`, its ends
 * stripped; the caller frees it. */
static char *
runs_text(PangoLayout *pl, GSList *first, GSList *stop)
{
	const char *text = pango_layout_get_text(pl);
	int lo = G_MAXINT, hi = 0;

	for (GSList *r = first; r && r != stop; r = r->next) {
		const PangoItem *it = ((PangoGlyphItem *)r->data)->item;
		lo = MIN(lo, it->offset);
		hi = MAX(hi, it->offset + it->length);
	}
	return lo < hi ? g_strstrip(g_strndup(text + lo, (gsize)(hi - lo))) : NULL;
}

/* Runs [first, stop) at x: inside link `link` (its place in order), or
 * in a Span of the element's own text when link is -1. */
static void
text_segment(cairo_t *cr, page_cache *dev, const layout_doc *doc, tagger *t,
	     const layout_box *b, PangoLayoutLine *line, GSList *first,
	     GSList *stop, double x, const layout_box *link)
{
	if (link) {
		if (t->span)
			tagger_pop(t, cr);
		g_autofree char *text = runs_text(b->layout, first, stop);
		link_begin(cr, t->job, link, text);
	} else if (!t->span) {
		tagger_begin(t, cr, "Span", NULL);
		t->span = TRUE;
	}
	draw_runs(cr, dev, doc, b, line, first, stop, x);
	if (link)
		link_end(cr);
}

/* Draw text box order[i], whose line has the links order[links[..]]; the
 * links given their text are marked done. */
static void
draw_text_links(cairo_t *cr, page_cache *dev, const layout_doc *doc,
		tagger *t, const layout_page *pg, const draw_key *order,
		guint i, const guint *links, int n, gboolean *done)
{
	const layout_box *b = g_ptr_array_index(pg->boxes, order[i].index);
	PangoLayoutLine *line = pango_layout_get_line_readonly(b->layout, b->line);
	PangoRectangle logical;

	if (!line)
		return;
	pango_layout_line_get_extents(line, NULL, &logical);
	GSList *start = line->runs;
	int cur = -1;
	double x = b->x, sx = b->x;
	for (GSList *r = line->runs; r; r = r->next) {
		PangoGlyphItem *gi = r->data;
		double w = pango_glyph_string_get_width(gi->glyphs) / (double)PANGO_SCALE;
		int link = -1;
		for (int k = 0; k < n && link < 0; k++) {
			const layout_box *lb = g_ptr_array_index(pg->boxes,
								 order[links[k]].index);
			if (x + w / 2 >= lb->x && x + w / 2 <= lb->x + lb->w)
				link = k;
		}
		if (r != start && link != cur) {
			text_segment(cr, dev, doc, t, b, line, start, r, sx, cur < 0 ? NULL :
				     g_ptr_array_index(pg->boxes, order[links[cur]].index));
			start = r;
			sx = x;
		}
		if (link >= 0)
			done[links[link]] = TRUE;
		cur = link;
		x += w;
	}
	if (start)
		text_segment(cr, dev, doc, t, b, line, start, NULL, sx, cur < 0 ? NULL :
			     g_ptr_array_index(pg->boxes, order[links[cur]].index));
}

static int
draw_page(cairo_t *cr, page_cache *dev, const layout_doc *doc,
	  const layout_page *pg, tagger *t)
{
	g_autofree draw_key *order = tagger_order(t, pg);
	g_autofree gboolean *done = g_new0(gboolean, pg->boxes->len + 1);
	guint links[LINE_LINKS_MAX];
	int n;

	for (guint i = 0; i < pg->boxes->len; i++) {
		const layout_box *b = g_ptr_array_index(pg->boxes, order[i].index);
		if (done[i])
			continue;
		if (b->kind == LAYOUT_BOX_TEXT && b->st &&
		    (t->flags[b->st->id] & ST_CHILD) &&
		    (n = line_links(pg, order, i, done, links)) > 0) {
			tagger_enter(t, cr, b->st);
			draw_text_links(cr, dev, doc, t, pg, order, i, links, n, done);
			continue;
		}
		tagger_box(t, cr, b);
		switch (b->kind) {
		case LAYOUT_BOX_TEXT:
			draw_text(cr, dev, doc, b);
			break;
		case LAYOUT_BOX_RECT:
			set_rgb(cr, &b->color);
			cairo_rectangle(cr, b->x, b->y, b->w, b->h);
			cairo_fill(cr);
			break;
		case LAYOUT_BOX_LINE:
			set_rgb(cr, &b->color);
			cairo_set_line_width(cr, b->stroke);
			cairo_move_to(cr, b->x, b->y);
			cairo_line_to(cr, b->x + b->w, b->y + b->h);
			cairo_stroke(cr);
			break;
		case LAYOUT_BOX_IMAGE:
			if (draw_image(cr, dev, dev->images, b) < 0)
				return -1;
			break;
		case LAYOUT_BOX_PDF_PAGE:
			pdf_pages_draw(cr, b);
			break;
		case LAYOUT_BOX_CHECKBOX:
			draw_checkbox(cr, dev, b, doc->theme->font_body,
				      doc->theme->size_body);
			break;
		case LAYOUT_BOX_LINK:
			draw_link(cr, t->job, b);
			break;
		case LAYOUT_BOX_DEST:
			draw_dest(cr, b);
			break;
		case LAYOUT_BOX_N_KINDS:
			break;
		}
	}
	tagger_leave_leaves(t, cr);
	return 0;
}

/* The mark of a draft: a band across the top of the page, above the
 * running header, with the text centred in it.  It is page furniture like
 * the footer, but drawn here because it is the same on every page, the
 * cover included, and takes no room from the layout.  The theme places
 * it (draft.top, draft.height: inside the strip printers cannot print,
 * 3-6 mm from the edge, nothing of it stands) and colours it; it is as
 * wide as the text column. */

/* The mark's text, laid out once for every page. */
static PangoLayout *
mark_layout(const layout_doc *doc, const char *mark)
{
	const typeset_theme *th = doc->theme;
	PangoContext *ctx = pdf_device_pango_context();
	PangoLayout *pl = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_from_string(th->font_heading);
	pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_font_description_set_absolute_size(fd, th->size_draft * PANGO_SCALE);
	pango_layout_set_font_description(pl, fd);
	pango_layout_set_text(pl, mark, -1);
	pango_font_description_free(fd);
	g_object_unref(ctx);
	return pl;
}

static void
draw_mark(cairo_t *cr, const layout_doc *doc, PangoLayout *pl)
{
	const typeset_theme *th = doc->theme;
	double top = th->draft_top, h = th->draft_height;

	set_rgb(cr, &th->color_draft_bg);
	cairo_rectangle(cr, doc->col_x, top, doc->col_w, h);
	cairo_fill(cr);
	int w, lh;
	pango_layout_get_size(pl, &w, &lh);
	set_rgb(cr, &th->color_draft);
	cairo_move_to(cr, doc->col_x + (doc->col_w - w / (double)PANGO_SCALE) / 2,
		      top + (h - lh / (double)PANGO_SCALE) / 2);
	pango_cairo_show_layout(cr, pl);
}

/* Bookmarks: each anchor under the nearest earlier one of a lower level. */
static void
add_outline(cairo_surface_t *s, const layout_doc *doc)
{
	int ids[64], levels[64], depth = 0;
	char n1[G_ASCII_DTOSTR_BUF_SIZE], n2[G_ASCII_DTOSTR_BUF_SIZE];

	for (guint i = 0; i < doc->anchors->len; i++) {
		const layout_anchor *an = &g_array_index(doc->anchors, layout_anchor, i);
		if (an->level < 0 || an->page < 1)
			continue;
		while (depth > 0 && levels[depth - 1] >= an->level)
			depth--;
		if (depth == G_N_ELEMENTS(ids))
			depth--;
		int parent = depth ? ids[depth - 1] : CAIRO_PDF_OUTLINE_ROOT;
		g_autofree char *attr = g_strdup_printf("page=%d pos=[%s %s]", an->page,
							num(n1, doc->col_x),
							num(n2, MAX(an->y - 6, 0)));
		int flags = an->level == 0 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0;
		const char *title = *an->title ? an->title : "(untitled)";
		ids[depth] = cairo_pdf_surface_add_outline(s, parent, title, attr, flags);
		levels[depth] = an->level;
		depth++;
	}
}

static cairo_status_t
stream_write(void *closure, const unsigned char *data, unsigned int len)
{
	g_byte_array_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* The document information: title, author, subject, creator and the
 * dates, from meta->date (the same input, the same bytes). */
static void
set_metadata(cairo_surface_t *s, const typeset_meta *meta, const char *title)
{
	if (title && *title)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	if (meta->author && *meta->author)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR,
					       meta->author);
	if (meta->subject && *meta->subject)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT,
					       meta->subject);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, TYPESET_CREATOR);
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(meta->date);
	if (dt) {
		g_autofree char *iso = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, iso);
	}
}

/* ---- the device's steps (pdf_device.h) --------------------------------- */

struct pdf_device {
	const layout_doc *doc;
	cairo_surface_t *surface;
	GByteArray *buf;	/* the PDF, as Cairo writes it */
	cairo_t *cr;
	tagger tags;
	pdf_finish_job *job;	/* what Cairo cannot write (pdf_finish.h) */
	PangoLayout *mark;	/* the draft band's text, or NULL */
	page_cache cache;
};

pdf_device *
pdf_device_new(const layout_doc *doc, const typeset_meta *meta, const char *title)
{
	pdf_device *dev = g_new0(pdf_device, 1);

	dev->doc = doc;
	dev->buf = g_byte_array_new();
	dev->surface = cairo_pdf_surface_create_for_stream(stream_write, dev->buf,
							   doc->page_w, doc->page_h);
	dev->cache = (page_cache){
		.images = g_hash_table_new_full(NULL, NULL, NULL,
						(GDestroyNotify)cairo_surface_destroy),
		.color = g_hash_table_new(NULL, NULL),
		.emoji = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       (GDestroyNotify)cairo_surface_destroy),
		.on_page = g_hash_table_new(NULL, NULL),
		.pango = pdf_device_pango_context(),
	};
	set_metadata(dev->surface, meta, title);
	dev->cr = cairo_create(dev->surface);
	/* The Document element around everything also keeps the file valid:
	 * Cairo 1.16 writes a broken structure tree (references to objects it
	 * never writes) for link annotations outside any element. */
	dev->job = pdf_finish_new(meta, title);
	tagger_init(&dev->tags, dev->cr, doc, dev->job);
	if (meta->mark && *meta->mark)
		dev->mark = mark_layout(doc, meta->mark);
	return dev;
}

int
pdf_device_draw_page(pdf_device *dev, guint page)
{
	g_hash_table_remove_all(dev->cache.on_page);
	int rc = draw_page(dev->cr, &dev->cache, dev->doc,
			   g_ptr_array_index(dev->doc->pages, page), &dev->tags);
	if (page + 1 == dev->doc->pages->len)
		tagger_close(&dev->tags, dev->cr);
	if (dev->mark)
		draw_mark(dev->cr, dev->doc, dev->mark);
	return rc;
}

void
pdf_device_show_page(pdf_device *dev)
{
	cairo_show_page(dev->cr);
}

void
pdf_device_end_drawing(pdf_device *dev)
{
	g_clear_object(&dev->mark);
	g_clear_object(&dev->cache.pango);
}

/* Cairo writes the font subsets and the end of the file.  Cairo 1.16's
 * CFF subsetter leaks 768 bytes for every CID-keyed font it subsets (each
 * CJK font of a PDF: an index it grows and never frees), so in the
 * AddressSanitizer build what Cairo allocates here is not counted as a
 * leak: LeakSanitizer could only be told by naming libcairo as a whole
 * (tests/lsan.supp), which would hide a Cairo object dossier leaks. */
static void
finish_surface(cairo_surface_t *s)
{
#ifdef __SANITIZE_ADDRESS__
	__lsan_disable();
#endif
	cairo_surface_finish(s);
#ifdef __SANITIZE_ADDRESS__
	__lsan_enable();
#endif
}

int
pdf_device_finish(pdf_device *dev, int rc, const char *name, pdf_finish_job **job)
{
	add_outline(dev->surface, dev->doc);
	tagger_finish(&dev->tags, dev->cr);
	cairo_destroy(dev->cr);
	finish_surface(dev->surface);
	if (rc == 0 && cairo_surface_status(dev->surface) != CAIRO_STATUS_SUCCESS) {
		diag(DIAG_ERROR, name, 0, 0, "cannot make the PDF: %s",
		     cairo_status_to_string(cairo_surface_status(dev->surface)));
		rc = -1;
	}
	cairo_surface_destroy(dev->surface);
	g_hash_table_unref(dev->cache.images);
	g_hash_table_unref(dev->cache.color);
	g_hash_table_unref(dev->cache.emoji);
	g_hash_table_unref(dev->cache.on_page);

	/* The caller finishes the file (pdf_finish.h), and writes the bytes
	 * (write/pdf.c, or the `dossier pdf` command). */
	*job = NULL;
	if (rc == 0) {
		pdf_finish_set_pdf(dev->job, g_byte_array_free_to_bytes(dev->buf));
		*job = dev->job;
	} else {
		g_byte_array_unref(dev->buf);
		pdf_finish_free(dev->job);
	}
	g_free(dev);
	return rc == 0 ? 0 : -1;
}

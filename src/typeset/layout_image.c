/* layout_image.c - find, read and measure the images of a document
 * (typeset stage).
 *
 * Layout needs an image's size and the certainty that the device can draw
 * it, so problems are reported here, at the Markdown line that asked for
 * the image, rather than half way through writing the PDF.  PNG sizes come
 * from the IHDR chunk, SVG sizes from librsvg; JPEG and every other format
 * gdk-pixbuf reads (GIF, BMP, TIFF, WebP where its loader is installed) are
 * decoded here, once, so a broken file is caught before drawing.  Pixels
 * count as 1/96 inch.
 * Remote images are never fetched (a build must not depend on the network).
 */
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "base/diag.h"
#include "base/file.h"
#include "typeset/layout.h"
#include "typeset/lazylib.h"

#define PX_TO_PT 0.75	/* 96 px per inch, 72 pt per inch */

/* In draft mode a missing image is a warning and a placeholder. */
static layout_image *
image_problem(layout_ctx *ctx, int line, int col, const char *fmt,
	      const char *a, const char *b)
{
	gboolean draft = (ctx->doc->flags & TYPESET_DRAFT) != 0;

	diag(draft ? DIAG_WARNING : DIAG_ERROR, ctx->file ? ctx->file : "<stdin>",
	     line, col, fmt, a, b);
	if (!draft)
		ctx->error = 1;
	return NULL;
}

static gboolean
png_size(const guchar *d, gsize n, double *w, double *h)
{
	static const guchar sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	if (n < 24 || memcmp(d, sig, 8) != 0 || memcmp(d + 12, "IHDR", 4) != 0)
		return FALSE;
	guint32 pw = (guint32)d[16] << 24 | (guint32)d[17] << 16 |
		(guint32)d[18] << 8 | d[19];
	guint32 ph = (guint32)d[20] << 24 | (guint32)d[21] << 16 |
		(guint32)d[22] << 8 | d[23];
	if (pw == 0 || ph == 0 || pw > 100000 || ph > 100000)
		return FALSE;
	*w = pw * PX_TO_PT;
	*h = ph * PX_TO_PT;
	return TRUE;
}

static gboolean
looks_svg(const char *path, const guchar *d, gsize n)
{
	if (g_str_has_suffix(path, ".svg") || g_str_has_suffix(path, ".SVG"))
		return TRUE;
	gsize k = 0;
	while (k < n && g_ascii_isspace(d[k]))
		k++;
	return n - k >= 5 && (memcmp(d + k, "<?xml", 5) == 0 ||
			      memcmp(d + k, "<svg", 4) == 0);
}

static gboolean
svg_size(GBytes *bytes, double *w, double *h, char **why)
{
	g_autoptr(GError) e = NULL;
	gsize n;
	const guchar *d = g_bytes_get_data(bytes, &n);
	const char *lib_why = NULL;
	const lazy_rsvg *rsvg = lazy_rsvg_get(&lib_why);
	if (!rsvg) {
		*why = g_strdup_printf("SVG images need librsvg: %s", lib_why);
		return FALSE;
	}
	RsvgHandle *hd = rsvg->handle_new_from_data(d, n, &e);

	if (!hd) {
		*why = g_strdup(e ? e->message : "unreadable");
		return FALSE;
	}
	rsvg->handle_set_dpi(hd, 96);
	gdouble pw = 0, ph = 0;
	if (!rsvg->handle_get_intrinsic_size_in_pixels(hd, &pw, &ph)) {
		gboolean has_vb = FALSE;
		RsvgRectangle vb = { 0 };
		rsvg->handle_get_intrinsic_dimensions(hd, NULL, NULL, NULL, NULL,
						     &has_vb, &vb);
		pw = has_vb ? vb.width : 400;
		ph = has_vb ? vb.height : 300;
	}
	g_object_unref(hd);
	if (!(pw > 0 && ph > 0)) {
		*why = g_strdup("it has no size");
		return FALSE;
	}
	*w = pw * PX_TO_PT;
	*h = ph * PX_TO_PT;
	return TRUE;
}

/* Decode `bytes` with gdk-pixbuf.  Returns the pixels and sets *jpeg when
 * the data is a JPEG, or NULL with *why set. */
static GdkPixbuf *
pixbuf_decode(GBytes *bytes, gboolean *jpeg, char **why)
{
	g_autoptr(GError) e = NULL;
	gsize n;
	const guchar *d = g_bytes_get_data(bytes, &n);
	GdkPixbufLoader *ld = gdk_pixbuf_loader_new();
	GdkPixbuf *px = NULL;

	if (gdk_pixbuf_loader_write(ld, d, n, &e) && gdk_pixbuf_loader_close(ld, &e)) {
		px = gdk_pixbuf_loader_get_pixbuf(ld);
		GdkPixbufFormat *f = gdk_pixbuf_loader_get_format(ld);
		g_autofree char *name = f ? gdk_pixbuf_format_get_name(f) : NULL;
		*jpeg = name && strcmp(name, "jpeg") == 0;
		if (px)
			g_object_ref(px);
	} else {
		gdk_pixbuf_loader_close(ld, NULL);
	}
	if (!px)
		*why = g_strdup(e ? e->message : "no image in the file");
	g_object_unref(ld);
	return px;
}

static gpointer
xml_init(gpointer unused)
{
	xmlInitParser();	/* once, before threads parse */
	return NULL;
}

/* The description an SVG gives of itself: the text of the root's <desc>,
 * else of its <title>, spaces collapsed; NULL when it has neither (or is
 * no XML).  The program's charts and diagrams describe their data there;
 * the tagged PDF gives it to screen readers (pdf_device.c). */
static char *
svg_desc(GBytes *bytes)
{
	static GOnce once = G_ONCE_INIT;
	gsize n;
	const char *d = g_bytes_get_data(bytes, &n);

	g_once(&once, xml_init, NULL);
	if (n > G_MAXINT)
		return NULL;
	xmlDoc *doc = xmlReadMemory(d, (int)n, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	char *out = NULL;
	for (int pass = 0; root && pass < 2 && !out; pass++)
		for (xmlNode *c = root->children; c && !out; c = c->next) {
			if (c->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)c->name, pass ? "title" : "desc") != 0)
				continue;
			xmlChar *text = xmlNodeGetContent(c);
			g_auto(GStrv) words = g_strsplit_set(text ? (const char *)text : "", " \t\r\n", -1);
			GString *s = g_string_new(NULL);
			for (char **w = words; *w; w++)
				if (**w)
					g_string_append_printf(s, "%s%s", s->len ? " " : "", *w);
			out = s->len ? g_string_free(s, FALSE) : (g_string_free(s, TRUE), NULL);
			xmlFree(text);
		}
	xmlFreeDoc(doc);
	return out;
}

layout_image *
layout_image_load(layout_ctx *ctx, const char *url, int line, int col)
{
	layout_doc *doc = ctx->doc;
	g_autofree char *scheme = g_uri_parse_scheme(url);

	if (!*url)
		return image_problem(ctx, line, col, "image with no file name%s%s",
				     "", "");
	g_autofree char *unescaped = g_uri_unescape_string(url, NULL);
	const char *rel = unescaped ? unescaped : url;
	/* Only what lies beside the document: an absolute path or a file://
	 * URL would pull any image of the machine into a PDF.  Never read (a
	 * draft gets the placeholder and a warning, as for a missing image). */
	if ((scheme && !g_ascii_strcasecmp(scheme, "file")) || g_path_is_absolute(rel) ||
	    rel[0] == '/' || rel[0] == '\\')
		return image_problem(ctx, line, col,
				     "image '%s'%s is an absolute path or a file:// URL: images are read "
				     "only relative to the document", url, "");
	if (scheme)
		return image_problem(ctx, line, col,
				     "image '%s%s': remote images are not fetched; "
				     "save it beside the document", url, "");
	g_autofree char *path = !ctx->base_dir ? g_strdup(rel) : g_build_filename(ctx->base_dir, rel, NULL);

	for (guint i = 0; i < doc->images->len; i++) {
		layout_image *im = g_ptr_array_index(doc->images, i);
		if (strcmp(im->path, path) == 0)
			return im;
	}

	g_autofree char *why = NULL;
	char *data = NULL;
	size_t len = 0;
	if (!file_read(path, FILE_MAX_ATTACHMENT, &data, &len, &why))
		return image_problem(ctx, line, col, "image '%s': %s", url, why);
	GBytes *bytes = g_bytes_new_take(data, len);
	layout_image *im = g_new0(layout_image, 1);
	im->path = g_strdup(path);
	im->data = bytes;
	if ((im->picture = pictures_find(doc->pictures, data, len, &im->width, &im->height))) {
		im->kind = LAYOUT_IMAGE_DRAWING;	/* one of the program's own: drawn, not read */
		im->desc = svg_desc(bytes);
	} else if (png_size((const guchar *)data, len, &im->width, &im->height)) {
		im->kind = LAYOUT_IMAGE_PNG;
	} else if (looks_svg(path, (const guchar *)data, len)) {
		g_autofree char *why = NULL;
		if (!svg_size(bytes, &im->width, &im->height, &why)) {
			g_bytes_unref(bytes);
			g_free(im->path);
			g_free(im);
			return image_problem(ctx, line, col,
					     "image '%s': not a usable SVG: %s",
					     url, why);
		}
		im->kind = LAYOUT_IMAGE_SVG;
		im->desc = svg_desc(bytes);
	} else {
		g_autofree char *why = NULL;
		gboolean jpeg = FALSE;
		im->pixels = pixbuf_decode(bytes, &jpeg, &why);
		if (!im->pixels) {
			g_bytes_unref(bytes);
			g_free(im->path);
			g_free(im);
			return image_problem(ctx, line, col,
					     "image '%s': not a readable image (%s)",
					     url, why);
		}
		im->kind = jpeg ? LAYOUT_IMAGE_JPEG : LAYOUT_IMAGE_PIXBUF;
		im->width = gdk_pixbuf_get_width(im->pixels) * PX_TO_PT;
		im->height = gdk_pixbuf_get_height(im->pixels) * PX_TO_PT;
	}
	g_ptr_array_add(doc->images, im);
	return im;
}

/* pdf_pages.c - supplied PDFs inside the combined dossier: the device's
 * side (typeset stage; see pdf_pages.h).
 *
 * Legal, financial and audit originals come from outside as PDFs
 * (content/attachments/).  The package keeps each file byte for byte; the
 * dossier also shows its pages at the document's place, so one PDF holds
 * everything.  poppler-glib reads the file and draws each page onto the
 * dossier's Cairo PDF surface with poppler_page_render_for_printing: the
 * page stays vectors and its text stays text (pdftotext finds it).
 *
 * Opening a PDF measures each page: its size, and where its ink starts and
 * ends (the page rendered once at low resolution), from which
 * layout_supplied.c decides whether the running header and the footer
 * fit beside it.
 */

#include <string.h>

#include "base/diag.h"
#include "typeset/lazylib.h"
#include "typeset/pdf_pages.h"
#include "typeset/typeset.h"

#define INK_SCALE 0.5		/* measuring resolution: 36 dpi */
#define INK_LEVEL 0xf0		/* a channel below this is ink */

/* poppler-glib's functions, once a PDF is open (pdf_pages_open opened it). */
static const lazy_poppler *
pop(void)
{
	return lazy_poppler_get(NULL);
}

/* The first and last rows with ink, in points from the page's top; FALSE
 * for a blank page. */
static gboolean
ink_rows(PopplerPage *page, double pw, double ph, double *top, double *bottom)
{
	int w = MAX(1, (int)(pw * INK_SCALE)), h = MAX(1, (int)(ph * INK_SCALE));
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, INK_SCALE, INK_SCALE);
	pop()->page_render(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);

	const guchar *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	int first = -1, last = -1;
	for (int y = 0; y < h; y++) {
		const guint32 *row = (const guint32 *)(const void *)(d + (gsize)y * stride);
		for (int x = 0; x < w; x++) {
			guint32 px = row[x];
			if (((px >> 16) & 0xff) < INK_LEVEL || ((px >> 8) & 0xff) < INK_LEVEL ||
			    (px & 0xff) < INK_LEVEL) {
				if (first < 0)
					first = y;
				last = y;
				break;
			}
		}
	}
	cairo_surface_destroy(s);
	if (first < 0)
		return FALSE;
	*top = first / INK_SCALE;
	*bottom = (last + 1) / INK_SCALE;
	return TRUE;
}

/* Page `i`: its size (the paper's when it has none), and where its ink
 * starts and ends. */
static void
measure(PopplerDocument *pdf, int i, double page_w, double page_h, layout_pdf_page *m)
{
	PopplerPage *page = pop()->document_get_page(pdf, i);
	double pw = 0, ph = 0;

	pop()->page_get_size(page, &pw, &ph);
	if (!(pw > 1 && ph > 1))
		pw = page_w, ph = page_h;
	m->w = pw;
	m->h = ph;
	m->ink = ink_rows(page, pw, ph, &m->ink_top, &m->ink_bottom);
	g_object_unref(page);
}

layout_pdf *
pdf_pages_open(const char *path, double page_w, double page_h)
{
	g_autoptr(GError) err = NULL;
	const char *why = NULL;
	const lazy_poppler *pp = lazy_poppler_get(&why);
	if (!pp) {
		diag(DIAG_WARNING, path, 0, 0, "cannot draw supplied PDFs (%s); the dossier lists "
		     "it as supplied separately", why);
		return NULL;
	}
	g_autoptr(GFile) f = g_file_new_for_path(path);
	PopplerDocument *pdf = pp->document_new_from_gfile(f, NULL, NULL, &err);

	if (!pdf || pp->document_get_n_pages(pdf) < 1) {
		diag(DIAG_WARNING, path, 0, 0, "not a readable PDF (%s); the dossier lists it "
		     "as supplied separately", err ? err->message : "it has no pages");
		if (pdf)
			g_object_unref(pdf);
		return NULL;
	}
	layout_pdf *p = g_new0(layout_pdf, 1);
	p->path = g_strdup(path);
	p->pdf = pdf;
	p->n_pages = pp->document_get_n_pages(pdf);
	p->pages = g_new0(layout_pdf_page, p->n_pages);
	for (int i = 0; i < p->n_pages; i++)
		measure(pdf, i, page_w, page_h, &p->pages[i]);
	return p;
}

void
pdf_pages_free(layout_pdf *p)
{
	if (!p)
		return;
	g_object_unref(p->pdf);
	g_free(p->pages);
	g_free(p->path);
	g_free(p);
}

void
pdf_pages_draw(cairo_t *cr, const layout_box *b)
{
	PopplerPage *page = pop()->document_get_page(b->pdf->pdf, b->pdf_page);
	double pw = 0, ph = 0;

	if (!page)
		return;
	pop()->page_get_size(page, &pw, &ph);
	cairo_save(cr);
	cairo_rectangle(cr, b->x, b->y, b->w, b->h);
	cairo_clip(cr);
	cairo_translate(cr, b->x, b->y);
	if (pw > 1 && ph > 1)
		cairo_scale(cr, b->w / pw, b->h / ph);
	pop()->page_render_for_printing(page, cr);
	cairo_restore(cr);
	g_object_unref(page);
}

/* ---- supplied originals that are not ------------------------------------- */

char *
typeset_pdf_not_original(const char *path, const char *mark)
{
	const lazy_poppler *pp = lazy_poppler_get(NULL);
	if (!pp)
		return NULL;
	g_autoptr(GFile) f = g_file_new_for_path(path);
	PopplerDocument *pdf = pp->document_new_from_gfile(f, NULL, NULL, NULL);
	if (!pdf)
		return NULL;
	char *why = NULL;
	g_autofree char *creator = pp->document_get_creator(pdf);
	if (creator && !strcmp(creator, TYPESET_CREATOR))
		why = g_strdup("was made by dossier (its PDF Creator is " TYPESET_CREATOR ")");
	/* The band's text as the page's text layer has it: words apart. */
	g_autofree char *want = g_utf8_casefold(mark, -1);
	int n = pp->document_get_n_pages(pdf);
	for (int i = 0; i < n && !why; i++) {
		PopplerPage *page = pp->document_get_page(pdf, i);
		g_autofree char *text = page ? pp->page_get_text(page) : NULL;
		if (page)
			g_object_unref(page);
		if (!text)
			continue;
		g_autofree char *folded = g_utf8_casefold(text, -1);
		g_autoptr(GString) flat = g_string_new(NULL);
		for (const char *p = folded; *p; p++)	/* runs of white space as one */
			if (!g_ascii_isspace(*p) || (flat->len && flat->str[flat->len - 1] != ' '))
				g_string_append_c(flat, g_ascii_isspace(*p) ? ' ' : *p);
		if (strstr(flat->str, want))
			why = g_strdup_printf("carries the DRAFT mark on page %d", i + 1);
	}
	g_object_unref(pdf);
	return why;
}

/* pdf_pages.c - supplied PDFs inside the combined dossier (typeset stage).
 *
 * Legal, financial and audit originals come from outside as PDFs
 * (content/attachments/).  The package keeps each file byte for byte; the
 * dossier also shows its pages at the document's place, so one PDF holds
 * everything.  poppler-glib reads the file and draws each page onto the
 * dossier's Cairo PDF surface with poppler_page_render_for_printing: the
 * page stays vectors and its text stays text (pdftotext finds it).
 *
 * Each supplied page gets a page of its own, scaled down (never up) to fit
 * the paper and centred.  The running header and the footer are stamped
 * only where they do not collide with the page: the page is rendered once
 * at low resolution to find where its ink starts and ends, and a margin
 * with ink in it goes without its furniture.
 */

#include "base/diag.h"
#include "typeset/lazylib.h"
#include "typeset/pdf_pages.h"

#define INK_SCALE 0.5		/* measuring resolution: 36 dpi */
#define INK_LEVEL 0xf0		/* a channel below this is ink */
#define INK_CLEARANCE 3.0	/* points kept between ink and furniture */

/* poppler-glib's functions, once a PDF is open (layout_pdf_open opened it). */
static const lazy_poppler *
pop(void)
{
	return lazy_poppler_get(NULL);
}

layout_pdf *
layout_pdf_open(layout_doc *doc, const char *path)
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
	g_ptr_array_add(doc->pdfs, p);
	return p;
}

void
layout_pdf_free(layout_pdf *p)
{
	if (!p)
		return;
	g_object_unref(p->pdf);
	g_free(p->path);
	g_free(p);
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

void
layout_pdf_pages(layout_doc *doc, layout_pdf *pdf)
{
	/* The pages are one Figure: pictures of the original whose text
	 * stays text (it is in the element, page by page). */
	layout_ctx ctx = { .doc = doc, .x = doc->col_x, .w = doc->col_w,
			   .st = layout_struct_new(doc, doc->flow_st,
						   LAYOUT_ROLE_FIGURE) };
	double header_bottom, footer_top;

	layout_furniture_bounds(doc, &header_bottom, &footer_top);
	for (int i = 0; i < pdf->n_pages; i++) {
		PopplerPage *page = pop()->document_get_page(pdf->pdf, i);
		double pw = 0, ph = 0;
		pop()->page_get_size(page, &pw, &ph);
		if (!(pw > 1 && ph > 1))
			pw = doc->page_w, ph = doc->page_h;
		double s = MIN(1.0, MIN(doc->page_w / pw, doc->page_h / ph));
		double w = pw * s, h = ph * s;
		double x = (doc->page_w - w) / 2, y = (doc->page_h - h) / 2;

		/* A full body, alone on its page. */
		layout_item *it = layout_item_new(&ctx, doc->body_bottom - doc->body_top);
		it->break_before = TRUE;
		double top, bottom;
		if (ink_rows(page, pw, ph, &top, &bottom)) {
			if (y + top * s < header_bottom + INK_CLEARANCE)
				it->bare |= LAYOUT_BARE_HEADER;
			if (y + bottom * s > footer_top - INK_CLEARANCE)
				it->bare |= LAYOUT_BARE_FOOTER;
		}
		/* Box y is relative to the item, which sits at the body's top. */
		layout_box *b = layout_box_add(it, LAYOUT_BOX_PDF_PAGE, x, y - doc->body_top, w, h);
		b->pdf = pdf;
		b->pdf_page = i;
		g_object_unref(page);
	}
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

/* layout_supplied.c - the pages of a supplied PDF in the combined dossier's
 * layout (typeset stage).
 *
 * Legal, financial and audit originals come from outside as PDFs; the
 * dossier shows each of their pages at the document's place
 * (pdf_pages.c opened and measured them; pdf_device.c draws them).  Each
 * supplied page gets a page of its own, scaled down (never up) to fit the
 * paper and centred.  The running header and the footer are stamped only
 * where they do not collide with the page's ink: a margin with ink in it
 * goes without its furniture.
 */
#include "typeset/layout.h"

#define INK_CLEARANCE 3.0	/* points kept between ink and furniture */

void
layout_supplied_pages(layout_doc *doc, const layout_pdf *pdf)
{
	/* The pages are one Figure: pictures of the original whose text
	 * stays text (it is in the element, page by page). */
	layout_ctx ctx = { .doc = doc, .x = doc->col_x, .w = doc->col_w,
			   .st = layout_struct_new(doc, doc->flow_st,
						   LAYOUT_ROLE_FIGURE) };
	double header_bottom, footer_top;
	/* Its description for a screen reader, which skips the pages (the
	 * supplied file itself is in the package). */
	g_autofree char *base = g_path_get_basename(pdf->path);
	g_autofree char *alt = g_strdup_printf("The supplied original, %s: %d page%s", base,
					       pdf->n_pages, pdf->n_pages == 1 ? "" : "s");
	ctx.st->alt = g_string_chunk_insert_const(doc->strings, alt);

	layout_furniture_bounds(doc, &header_bottom, &footer_top);
	for (int i = 0; i < pdf->n_pages; i++) {
		const layout_pdf_page *m = &pdf->pages[i];
		double s = MIN(1.0, MIN(doc->page_w / m->w, doc->page_h / m->h));
		double w = m->w * s, h = m->h * s;
		double x = (doc->page_w - w) / 2, y = (doc->page_h - h) / 2;

		/* A full body, alone on its page. */
		layout_item *it = layout_item_new(&ctx, doc->body_bottom - doc->body_top);
		it->break_before = TRUE;
		if (m->ink) {
			if (y + m->ink_top * s < header_bottom + INK_CLEARANCE)
				it->bare |= LAYOUT_BARE_HEADER;
			if (y + m->ink_bottom * s > footer_top - INK_CLEARANCE)
				it->bare |= LAYOUT_BARE_FOOTER;
		}
		/* Box y is relative to the item, which sits at the body's top. */
		layout_box *b = layout_box_add(it, LAYOUT_BOX_PDF_PAGE, x, y - doc->body_top, w, h);
		b->pdf = pdf;
		b->pdf_page = i;
	}
}

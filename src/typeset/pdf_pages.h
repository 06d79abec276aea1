/* pdf_pages.h - supplied PDFs inside the combined dossier (typeset stage;
 * see pdf_pages.c).  Used by typeset.c (layout) and pdf_device.c (drawing).
 */
#ifndef DOSSIER_PDF_PAGES_H
#define DOSSIER_PDF_PAGES_H

#include <cairo.h>

#include "typeset/layout.h"

/* Open the PDF at `path` for the dossier; doc owns the result and closes
 * it in layout_free().  NULL with a located warning when it is not a PDF
 * poppler can read (the dossier then lists it as supplied separately). */
layout_pdf *layout_pdf_open(layout_doc *doc, const char *path);

/* One item per page of `pdf`, each on a page of its own: the supplied page
 * scaled down (never up) to fit the paper, centred; the running header and
 * footer stay on only where the page leaves their margin empty. */
void layout_pdf_pages(layout_doc *doc, layout_pdf *pdf);

/* Close a PDF opened by layout_pdf_open. */
void layout_pdf_free(layout_pdf *pdf);

/* The device: draw a PDF_PAGE box as vectors (text stays text). */
void pdf_pages_draw(cairo_t *cr, const layout_box *b);

#endif

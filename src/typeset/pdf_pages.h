/* pdf_pages.h - supplied PDFs drawn into the combined dossier: the device's
 * side (pdf_pages.c).  Opened and measured by dossier.c, laid out by
 * layout_supplied.c from the measurements alone, drawn by pdf_device.c.
 */
#ifndef DOSSIER_PDF_PAGES_H
#define DOSSIER_PDF_PAGES_H

#include <cairo.h>

#include "typeset/layout.h"

/* Open the PDF at `path` and measure its pages: size, and the first and
 * last rows of ink (a page without a usable size is measured as
 * page_w x page_h, the dossier's paper).  The caller frees it with
 * pdf_pages_free() after every layout that shows it.  NULL with a located
 * warning when it is not a PDF poppler can read (the dossier then lists
 * it as supplied separately). */
layout_pdf *pdf_pages_open(const char *path, double page_w, double page_h);
void pdf_pages_free(layout_pdf *pdf);

/* Draw a PDF_PAGE box as vectors (its text stays text). */
void pdf_pages_draw(cairo_t *cr, const layout_box *b);

#endif

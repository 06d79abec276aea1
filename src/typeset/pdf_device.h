/* pdf_device.h - the Cairo PDF device (pdf_device.c): draws a paginated
 * layout into the bytes of a PDF.  The one way the typeset stage reaches
 * Cairo for documents; the device calls nothing of the stage back.
 *
 * A PDF is made in steps, so that the drawing lock (drawlock.c) can say
 * which of them touch Pango:
 *
 *     dev = pdf_device_new(doc, meta, title);       Pango
 *     for each page p:
 *         rc = pdf_device_draw_page(dev, p);        Pango (stop after an error)
 *         pdf_device_show_page(dev);                Cairo alone
 *     pdf_device_end_drawing(dev);                  Pango
 *     pdf_device_finish(dev, rc, name, &job);       Cairo alone
 *     pdf_finish_run(job, name, &pdf);              neither (pdf_finish.h)
 */
#ifndef DOSSIER_PDF_DEVICE_H
#define DOSSIER_PDF_DEVICE_H

#include <glib.h>
#include <pango/pango.h>

#include "typeset/layout.h"
#include "typeset/pdf_finish.h"
#include "typeset/typeset.h"

/* A measuring context matching what the device draws: 72 units per inch,
 * no hinting, unrounded glyph positions, on this thread's font map.  The
 * caller unrefs it. */
PangoContext *pdf_device_pango_context(void);

typedef struct pdf_device pdf_device;

/* A PDF of the pages of `doc` (paginated; it must outlive the device),
 * with the metadata of `meta` and the title `title`. */
pdf_device *pdf_device_new(const layout_doc *doc, const typeset_meta *meta,
			   const char *title);
/* Draw page `page` (0-based), with the mark (DRAFT) when meta asks for one.
 * Returns 0, or -1 after a located diag() error. */
int pdf_device_draw_page(pdf_device *dev, guint page);
/* Cairo writes the page drawn last into the PDF. */
void pdf_device_show_page(pdf_device *dev);
/* Drop what drawing the pages used (Pango objects). */
void pdf_device_end_drawing(pdf_device *dev);
/* The outline, the end of the structure tree, the font subsets: the file
 * as Cairo wrote it, in the finishing job *job (pdf_finish.h: the caller
 * runs it, which gives the PDF's bytes; this stage writes no file), when
 * `rc` (what the pages' drawing returned) is 0 and Cairo made the file.
 * Frees `dev`.  Returns 0, or -1 with *job NULL after a diag() error
 * (`name` names the PDF in messages). */
int pdf_device_finish(pdf_device *dev, int rc, const char *name, pdf_finish_job **job);

#endif

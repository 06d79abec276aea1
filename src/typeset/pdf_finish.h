/* pdf_finish.h - the finishing step of a PDF (pdf_finish.c): what Cairo
 * 1.16 cannot write into a tagged PDF, written into the file Cairo made
 * (typeset stage, after the device; the file's objects: pdf_file.h).
 *
 * The device (pdf_device.c) starts a job with the document's facts, tells
 * it every structure element it begins, in the order it begins them (the
 * order Cairo writes them in the tree), with what Cairo drops of each (a
 * figure's alternate text, a link's description), and hands it the bytes
 * Cairo wrote.  pdf_finish_run() then writes the rest (docs/typesetting.md,
 * "PDF/UA-1 and PDF/A-2") and gives back the finished bytes.  It touches
 * neither Pango nor the fonts, so it runs outside the drawing lock.
 * The same input gives the same bytes (the trailer's /ID is a digest of
 * the file).
 */
#ifndef DOSSIER_PDF_FINISH_H
#define DOSSIER_PDF_FINISH_H

#include <glib.h>

#include "typeset/typeset.h"

typedef struct pdf_finish_job pdf_finish_job;

/* A job for the PDF of `meta` (its author, subject, language and date are
 * copied) titled `title`. */
pdf_finish_job *pdf_finish_new(const typeset_meta *meta, const char *title);
/* The device began a structure element of type `role` ("P", "H2",
 * "Link"): `alt` is a Figure's alternate text, `contents` a Link's
 * description (either may be NULL; copied). */
void pdf_finish_tag(pdf_finish_job *job, const char *role, const char *alt,
		    const char *contents);
/* The file as Cairo wrote it (the job takes the reference). */
void pdf_finish_set_pdf(pdf_finish_job *job, GBytes *pdf);
/* Finish the file: *pdf gets the bytes (the caller unrefs them).  Frees
 * the job.  Returns 0, or -1 with *pdf NULL after a diag() error naming
 * `name` (the file is not as Cairo writes one, or not as the device
 * said). */
int pdf_finish_run(pdf_finish_job *job, const char *name, GBytes **pdf);
/* `len` bytes of a page's content stream with every run of content
 * outside a tagged marked-content sequence (one with an /MCID) inside
 * "/Artifact BMC ... EMC" (what pdf_finish_run does to every page; for
 * the tests). */
GBytes *pdf_finish_mark_artifacts(const guchar *content, gsize len);
/* Free a job that is not run (after a drawing error); NULL is fine. */
void pdf_finish_free(pdf_finish_job *job);

#endif

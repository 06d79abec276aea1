/* build_pdf.h - the package's PDFs (typeset stage, called by `build`).
 *
 * Typesets every rendered Markdown document to the PDF beside it, and the
 * combined dossier.pdf, into the staging folder, in parallel on all cores.
 */
#ifndef DOSSIER_BUILD_PDF_H
#define DOSSIER_BUILD_PDF_H

#include "pipeline.h"

/* Typeset pl->docs into stage_dir.  The theme is templates/theme.yaml when
 * present; the PDF date is the end of the latest snapshot's month, or
 * SOURCE_DATE_EPOCH when set.  Returns the number of pages written, or -1
 * after errors (reported). */
int build_pdfs(pipeline *pl, const char *stage_dir);

#endif

/* out/pdf.h - the package's PDFs (typeset stage, called by `build`).
 *
 * Typesets every rendered Markdown document to the PDF beside it, and the
 * combined dossier.pdf, into the staging folder, in parallel on a thread
 * per core (DOSSIER_THREADS=N overrides the number).
 *
 * Incremental: each PDF has a key, the SHA-256 of everything that decides
 * its bytes (the Markdown, the theme file, the images it shows, the fonts
 * installed, the page metadata, the versions of dossier, Pango and Cairo).
 * OUT/.dossier-cache/typeset records the key, the SHA-256 and the page count
 * of every PDF of the last build.  A PDF whose key is unchanged, and whose
 * file in the previous package still has the recorded SHA-256, is hard-linked
 * from there instead of typeset, so its bytes and mtime stay.  A cache file
 * that is truncated, edited or foreign is reported as a warning and ignored.
 */
#ifndef DOSSIER_BUILD_PDF_H
#define DOSSIER_BUILD_PDF_H

#include "pipeline/pipeline.h"

typedef struct {
	const char *old_dir;	/* the previous package (may not exist) */
	const char *cache_file;	/* OUT/.dossier-cache/typeset */
	bool force;		/* typeset everything, trust no cache */
	bool verbose;		/* a line per PDF: typeset or unchanged */
	bool progress;		/* a live "typesetting N/M" line on stderr */
	/* Filled in: */
	int pages;		/* pages in all PDFs */
	int typeset;		/* PDFs typeset this time */
	int reused;		/* PDFs kept from the previous build */
} build_pdf_opts;

/* Typeset pl->docs into stage_dir.  The theme is templates/theme.yaml when
 * present; the PDF date is the end of the latest snapshot's month, or
 * SOURCE_DATE_EPOCH when set.  Writes the new cache file only after every
 * PDF succeeded.  Returns false after errors (reported). */
bool build_pdfs(pipeline *pl, const char *stage_dir, build_pdf_opts *opts);

/* The cache's entries, for tests: NULL (after a warning) when the file is
 * corrupt or foreign, an empty table when it does not exist.  Maps a PDF's
 * path to "KEY SHA256 PAGES".  The caller unrefs it. */
GHashTable *build_pdf_cache_load(const char *file);

#endif

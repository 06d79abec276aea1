/* pdf.h - the package's PDFs (package stage; the output is pdf_write()
 * in write.h).
 *
 * Typesets every rendered Markdown document to the PDF beside it, and the
 * combined dossier.pdf, into the staging folder, in parallel on all cores.
 * The theme is templates/theme.yaml when present; the PDF date is the end of
 * the latest snapshot's month, or SOURCE_DATE_EPOCH when set.
 *
 * Incremental: each PDF has a key, the SHA-256 of everything that decides
 * its bytes (the Markdown, the theme file, the images it shows, the fonts
 * installed, the page metadata, the versions of dossier, Pango and Cairo).
 * OUT/.dossier-cache/typeset records the key, the SHA-256 and the page count
 * of every PDF of the last build.  A PDF whose key is unchanged, and whose
 * file in the previous package still has the recorded SHA-256, is hard-linked
 * from there instead of typeset, so its bytes and mtime stay.  A cache file
 * that is truncated, edited or foreign is reported as a warning and ignored.
 * The new cache is written into the staging folder with everything else,
 * only after every PDF succeeded.
 */
#ifndef DOSSIER_WRITE_PDF_H
#define DOSSIER_WRITE_PDF_H

#include <glib.h>

#define PDF_CACHE	"typeset"	/* OUT/.dossier-cache/typeset */

/* The cache's entries, for tests: NULL (after a warning) when the file is
 * corrupt or foreign, an empty table when it does not exist.  Maps a PDF's
 * path to "KEY SHA256 PAGES".  The caller unrefs it. */
GHashTable *pdf_cache_load(const char *file);

/* With write_opts.keep, the documents' layouts stay in memory after a build,
 * and a later build in the same process draws those whose PDF key is
 * unchanged instead of laying them out again (--watch). */

#endif

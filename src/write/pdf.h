/* pdf.h - the package's PDFs (package stage; the output is pdf_write()
 * in write.h).
 *
 * Typesets every rendered Markdown document to the PDF beside it, and the
 * combined dossier.pdf, into the staging folder, in parallel on all cores.
 * The theme is templates/theme.yaml when present; the PDF date is the end of
 * the latest snapshot's month, or SOURCE_DATE_EPOCH when set.
 *
 * Incremental: each PDF has a record (base/record.h) of what it is made
 * from: the values handed to the typesetter (its path, title and Markdown,
 * the page metadata, the program: dossier, its libraries and the fonts)
 * and every file the typesetter read making it (the theme, each image it
 * loaded: the charts of the package, a case study's picture).  dossier.pdf's
 * record holds its parts' and the supplied originals it draws.
 * OUT/.dossier-cache/typeset holds the record, the SHA-256 and the page
 * count of every PDF of the last build.  A PDF whose record is unchanged
 * (its values equal today's, every file it names has the recorded bytes),
 * and whose file in the previous package still has the recorded SHA-256,
 * is hard-linked from there instead of typeset, so its bytes and mtime
 * stay.  A cache file that is truncated, edited or foreign is reported as
 * a warning and ignored.  The new cache is written into the staging folder
 * with everything else, only after every PDF succeeded.
 */
#ifndef DOSSIER_WRITE_PDF_H
#define DOSSIER_WRITE_PDF_H

#define PDF_CACHE	"typeset"	/* OUT/.dossier-cache/typeset */

/* With write_opts.keep, the documents' layouts stay in memory after a build,
 * and a later build in the same process draws those whose record is
 * unchanged instead of laying them out again (--watch). */

#endif

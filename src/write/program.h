/* program.h - the program every output is made by (package stage; used by
 * the outputs' records, write/pdf.c, charts.c, xlsx.c, and by the build's
 * own record, pipeline/uptodate.c).
 *
 * An output's bytes depend on the files and values it reads (its record,
 * base/record.h) and on the program that made them: the dossier binary,
 * the shared libraries it started with, fontconfig's configuration and
 * every font it offers (a font added can change what a fallback picks).
 * Each is identified by size, mtime and inode, as "lib" entries of a
 * record; the libraries opened later (librsvg, poppler-glib) are recorded
 * by typeset/lazylib.c when a document uses them.
 */
#ifndef DOSSIER_PROGRAM_H
#define DOSSIER_PROGRAM_H

#include "base/record.h"

/* Add the program's entries to `r`: "lib" ones, and the environment
 * variables that tell fontconfig where to look.  The digest of a record of
 * them is the value "program" of every output's record (WriteCtx). */
void program_record(record *r);

#endif

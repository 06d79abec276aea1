/* document.h - one Markdown document laid out and drawn (document.c), and
 * what the combined dossier (dossier.c) takes from it.
 */
#ifndef DOSSIER_DOCUMENT_H
#define DOSSIER_DOCUMENT_H

#include "typeset/layout.h"
#include "typeset/typeset.h"

/* Lay out and paginate one Markdown document (what typeset_markdown
 * draws); NULL after a located error.  *title gets the document's title
 * (meta->title, else its first heading, else the file name), which the
 * caller frees; the caller frees the doc with layout_free().  The caller
 * holds a DRAWLOCK_OWN turn (drawlock.h) while other threads typeset. */
layout_doc *document_layout(const typeset_theme *theme, const typeset_meta *meta,
			    const char *md, size_t len, const char *md_file,
			    char **title);

/* The paper a document is set on: meta->paper, else the theme's; NULL
 * after a located error when the name is unknown. */
const char *document_paper(const typeset_theme *theme, const typeset_meta *meta);

/* Set a document's measuring context to its language and the base
 * direction of its paragraphs: meta->language's (ICU's orientation of
 * its script), else the direction most letters of `md` (len bytes) have
 * (md NULL: left to right).  Not the first letter of each paragraph: an
 * interpolated Arabic name must not turn an English paragraph around. */
void document_direction(PangoContext *pango, const typeset_meta *meta, const char *md, size_t len);

/* The folder relative images of `md_file` are read from (NULL for none or
 * standard input); the caller frees it. */
char *document_dir(const char *md_file);

/* The laid-out flow of a typeset_doc (one part, not paginated), which a
 * drawing only copies from (layout_append). */
const layout_doc *document_flow(const typeset_doc *d);

#endif

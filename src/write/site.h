/* write/site.h - where the web edition goes in OUT, shared by its outputs
 * (write/html.c: the site; write/public.c: its public pages) and by
 * `dossier serve` (package stage).
 */
#ifndef DOSSIER_WRITE_SITE_H
#define DOSSIER_WRITE_SITE_H

#include "write/write.h"

#define SITE_DIR	"site"		/* OUT/site/: the web edition */
#define SITE_CSS	"site.css"	/* the stylesheet, in templates/ */
#define SITE_CSS_OUT	"style.css"	/* ... and in OUT/site/ */

/* "company/x.md" -> "company/x.html" (a new string). */
char *site_page_path(const char *md_path);

/* package.yaml's `language:` (the language the templates are written
 * in), for <html lang>; "en" without one. */
const char *site_lang(const WriteCtx *ctx);

/* The stylesheet: the theme's colours as custom properties, then
 * templates/site.css.  A new string, or NULL after a diag. */
char *site_stylesheet(const WriteCtx *ctx);

/* The index's list of the public pages (write/public.c), appended to `s`. */
void site_index_public(const WriteCtx *ctx, GString *s);

#endif

/* write/html.h - a document's Markdown as an HTML5 page, for the web
 * edition (package stage; used by write/html.c for OUT/site/ and by
 * write/public.c for OUT/site/public/).
 *
 * The Markdown is parsed as the typesetter parses it
 * (typeset_parse_markdown) and rendered by cmark-gfm's HTML renderer.
 * Before rendering, a walk over the tree does what the renderer cannot:
 * every image becomes a <figure> after its paragraph, as in the PDF, with
 * its alt text as <figcaption> (an SVG inline, its ids made unique on the
 * page and its <title>/<desc> naming it; a picture as a data: URL, so
 * that a page needs no other file); links to other documents of the
 * package are mapped by the caller; raw HTML in the Markdown is shown as
 * text, as the PDF shows it; task-list items get a labelled checkbox.
 * After rendering, table header cells get scope="col".
 *
 * Error convention (base/diag.h): NULL or false after a located diag().
 */
#ifndef DOSSIER_WRITE_HTML_H
#define DOSSIER_WRITE_HTML_H

#include <glib.h>
#include <stdbool.h>

/* What a link to `target` (a path inside the package, normalised, such as
 * "compliance/terms-of-service.md", with no #fragment) becomes on the
 * page: a new URL (g_malloc'ed), or NULL to show the link's text alone. */
typedef char *(*html_link_fn)(void *ud, const char *target);

typedef struct {
	const char *doc_path;	/* the document's path in the package ("company/x.md") */
	const char *shown;	/* its name in messages */
	const char *pkg_dir;	/* the package folder being built: images are read
				 * from it, and none from outside it */
	html_link_fn link;	/* maps links to files of the package */
	void *link_ud;
} html_source;

/* The body of the page for `md`: HTML5 to put inside <main>.  Returns a
 * new string the caller frees, or NULL after a located error (an image
 * that cannot be read, or outside the package). */
char *html_body(const html_source *src, const char *md);

/* One entry of a page's navigation. */
typedef struct {
	const char *group;	/* heading of its group ("Company"), or NULL */
	const char *title;
	char *href;		/* relative to the page */
	bool current;		/* the page itself: aria-current="page" */
} html_nav;

/* What surrounds the body.  Strings are borrowed; any may be NULL. */
typedef struct {
	const char *lang;	/* <html lang> */
	const char *title;	/* the document's title */
	const char *site;	/* the site's name (header, <title>) */
	const char *home;	/* the header's link to the index */
	const char *css_href;	/* the stylesheet, linked ... */
	const char *css;	/* ... or inlined (self-contained pages) */
	const char *mark;	/* a band across the top ("DRAFT ...") */
	const char *pdf_href;	/* the document's PDF */
	const char *footer;	/* a line at the foot */
	const char *script;	/* inline script (dossier serve's reload) */
	const html_nav *nav;	/* the documents, in order */
	guint n_nav;
} html_page;

/* The whole page: doctype, head, skip link, header, navigation, main with
 * `body`, previous/next links, footer. */
char *html_page_render(const html_page *page, const char *body);

/* Escape text for an HTML text node or attribute value into `out`. */
void html_escape(GString *out, const char *text);

/* The path of `to` relative to the folder of `from` (both '/'-separated
 * paths from the same root, files): "../compliance/x.html". */
char *html_relative(const char *from, const char *to);

#endif

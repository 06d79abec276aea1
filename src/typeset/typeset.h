/* typeset.h - Markdown to PDF (the typeset stage of the pipeline).
 *
 * render → **typeset** → package.  The render stage hands over one Markdown
 * document per package entry; this stage parses it with cmark-gfm (tables,
 * task lists, strikethrough, autolinks; parse.c), lays it out into pages
 * with Pango (layout_*.c, which never draw) and draws the pages onto a
 * Cairo PDF surface (pdf_device.c and pdf_pages.c, the only files that
 * call cairo_*).  document.c makes a document's own PDF, dossier.c the
 * combined one.  The look comes from a theme (theme.c: templates/theme.yaml
 * over built-in defaults).
 * The stage gives back the PDF's bytes and never writes a file: the write/
 * file of an output writes them (write/pdf.c), or the command (cli/pdf.c).
 *
 * Output is deterministic: the same input, theme and meta.date give the same
 * bytes.  Several documents may be typeset at once from different threads
 * (`dossier build` uses a GThreadPool); a theme may be shared between
 * threads while they only read it.  cmark-gfm's parser is not thread-safe,
 * so parses take turns under a lock (base/markdown.c); the Pango work of
 * drawing a document laid out once (typeset_doc) into several PDFs takes
 * turns as the drawing lock says (drawlock.c; docs/typesetting.md,
 * "Threads").
 *
 * Error convention: functions that can fail on bad input report one located
 * message through diag() ("FILE:LINE:COL: error: ...") and return -1 (or
 * NULL).  Out of memory aborts.
 */
#ifndef DOSSIER_TYPESET_H
#define DOSSIER_TYPESET_H

#include <cairo.h>
#include <glib.h>
#include <stddef.h>

/* Margins, fonts, sizes and colours.  Opaque; defined in layout.h. */
typedef struct typeset_theme typeset_theme;

/* Load a theme from a YAML file; path NULL gives the built-in defaults.
 * Keys the file leaves out keep their defaults.  On a bad file (unknown
 * key, wrong type, bad colour or length) reports a located error and
 * returns NULL.  The caller frees the result with typeset_theme_free(). */
typeset_theme *typeset_theme_load(const char *path);
void typeset_theme_free(typeset_theme *theme);

/* Flags of typeset_meta. */
enum {
	TYPESET_DRAFT = 1 << 0,	/* a missing image is a framed placeholder
				 * and a warning, not an error */
	TYPESET_FINAL = 1 << 1,	/* text that no installed font can draw is
				 * an error, not a warning (build --final) */
};

/* What the pages say about the document.  All strings are borrowed for the
 * duration of the call; any of them may be NULL. */
typedef struct {
	const char *title;	/* running header, PDF title; NULL: first heading */
	const char *author;	/* PDF author (the company) */
	const char *subject;	/* PDF subject */
	const char *footer;	/* left of the footer (the company name) */
	const char *base_dir;	/* relative images; NULL: the Markdown file's folder */
	gint64 date;		/* creation date, unix time (UTC) */
	const char *paper;	/* "a4" or "letter"; NULL: the theme's */
	unsigned flags;		/* TYPESET_* */
	const char *mark;	/* a band across the top of every page, as page
				 * furniture, in the text layer ("DRAFT ..."); NULL: none */
	const char *language;	/* BCP 47 tag of the text ("en", "ar"): its
				 * paragraphs' base direction and Pango's
				 * language; NULL: the direction most of the
				 * text's letters have, language "en" */
	const struct typeset_pictures *pictures; /* drawn for the image files
				 * they stand for (borrowed); NULL: none */
} typeset_meta;

/* Typeset `len` bytes of Markdown `md` into the bytes of a PDF with
 * `theme` (NULL: the built-in defaults).  This stage writes no file: *pdf
 * gets the PDF, which the caller writes and unrefs (write/pdf.c for the
 * package, cli/pdf.c for `dossier pdf`).  `md_file` names the source in
 * messages and may be NULL ("<stdin>"); `name` names the PDF in messages
 * about making it.  Returns the number of pages, or -1 with *pdf NULL
 * after a located diag() error (a missing image, an unreadable file, a
 * bad paper name). */
int typeset_markdown(const typeset_theme *theme, const typeset_meta *meta,
		     const char *md, size_t len, const char *md_file,
		     const char *name, GBytes **pdf);

/* The cmark-gfm tree of `len` bytes of Markdown, parsed exactly as the
 * typesetter parses it (GFM tables, task lists, strikethrough, autolinks;
 * footnotes; smart punctuation), so another output of the same document
 * (write/html.c) reads the same tree.  Thread-safe (parses take turns).
 * The caller frees it with cmark_node_free(). */
typedef struct cmark_node cmark_node;
cmark_node *typeset_parse_markdown(const char *md, size_t len);

/* The page layout of a document as text, one line per box, e.g.
 *     page 1: text x=72.0 y=90.0 'Heading'
 * for golden tests and debugging (see docs/typesetting.md).  Returns a new
 * string the caller frees, or NULL after a located error. */
char *typeset_dump(const typeset_theme *theme, const typeset_meta *meta,
		   const char *md, size_t len, const char *md_file);

/* A Markdown document laid out once, before it is cut into pages: what
 * its own PDF (typeset_doc_render) and its part of the combined dossier
 * (typeset_part.doc) are both drawn from, so a build lays every document
 * out once.  Same arguments as typeset_markdown; `theme` must outlive it.
 * NULL after a located error.  Documents may be laid out on several
 * threads at once, and one document drawn by several threads at once
 * (they take turns with Pango inside; a drawing waits for the layouts in
 * progress).  Free it with typeset_doc_free() once nothing draws it. */
typedef struct typeset_doc typeset_doc;
typeset_doc *typeset_doc_new(const typeset_theme *theme, const typeset_meta *meta,
			     const char *md, size_t len, const char *md_file);
/* Its own PDF, the same bytes typeset_markdown makes of the same
 * arguments; `meta`, `name` and *pdf as there.  Returns the number of
 * pages or -1. */
int typeset_doc_render(const typeset_doc *doc, const typeset_meta *meta,
		       const char *name, GBytes **pdf);
void typeset_doc_free(typeset_doc *doc);

/* One entry of the combined dossier: a Markdown document, or an external
 * attachment that is only listed in the table of contents.  Borrowed. */
typedef struct {
	const char *folder;	/* group in the contents and outline ("company"), or NULL */
	const char *title;	/* contents entry, bookmark and running header;
				 * NULL: its first heading, else the file name */
	const char *md;		/* Markdown text; NULL for an attachment */
	size_t len;		/* bytes of md */
	const char *md_file;	/* source name for messages and relative images */
	const typeset_doc *doc;	/* md laid out already (typeset_doc_new with
				 * the same theme, paper and flags), or NULL */
	const char *attachment;	/* file name listed for an attachment ("legal.pdf") */
	const char *attachment_file; /* the supplied file; when it is a readable
				 * PDF its pages are drawn at this place */
} typeset_part;

/* The combined PDF: a cover page (cover->footer as the company name,
 * cover->title under it, the date of cover->date),
 * a table of contents with page numbers and clickable entries, then every
 * Markdown part starting on a new page, with bookmarks folder → document →
 * headings.  A supplied PDF (attachment_file) is drawn page by page in its
 * place, with its bookmark and contents entry (src/typeset/pdf_pages.c).
 * cover->title is the PDF title.  `name` and *pdf as for
 * typeset_markdown.  Returns the number of pages or -1 after a located
 * error. */
int typeset_dossier(const typeset_theme *theme, const typeset_meta *cover,
		    const typeset_part *parts, size_t n_parts,
		    const char *name, GBytes **pdf);

/* The first text a process lays out waits 20-25 ms for what every later
 * one finds ready (fontconfig's configuration and caches, FreeType,
 * HarfBuzz).  typeset_prepare() does that on a thread of its own, with a
 * font map of its own, while the caller does something else (a build loads
 * and renders its content); typeset_prepare_wait() waits for it to end.
 * Only the first call of a process starts a thread; the wait is then
 * needed before typesetting starts and before the process ends. */
void typeset_prepare(void);

#define TYPESET_CREATOR	"dossier"	/* the Creator of every PDF dossier typesets */

/* Is the PDF at `path` dossier's own work rather than an original: its
 * Creator is "dossier" (every PDF dossier typesets says so), or a page's
 * text carries `mark` (the DRAFT band)?  A reason to print ("was made by
 * dossier (its PDF Creator is dossier)", "carries the DRAFT mark on page
 * 3"), or NULL when neither holds or the file cannot be read as a PDF.
 * The caller frees it. */
char *typeset_pdf_not_original(const char *path, const char *mark);
void typeset_prepare_wait(void);

/* Pictures the program drew itself and also wrote as image files
 * (dossier's charts and diagrams).  A document that shows such a file gets
 * the picture drawn straight onto its page, as vectors and real text,
 * instead of the file parsed back: the set is passed in with the document
 * (typeset_meta.pictures), and the typesetter keeps none of its own.  A
 * picture is known by the SHA-256 of its file's bytes, so a file edited
 * after it was written is read like any other image.  (pictures.c) */
typedef struct typeset_pictures typeset_pictures;

/* Draws a picture onto `cr`, in points from its top left corner, one unit
 * a point of the picture (the device has scaled it to the image's box).
 * Called from typesetting threads, several at once. */
typedef void (*typeset_draw_fn)(cairo_t *cr, void *data);

/* An empty set; free it with typeset_pictures_free(). */
typeset_pictures *typeset_pictures_new(void);

/* Add the picture of `width` x `height` points whose file has the SHA-256
 * `sha256` (hex), drawn by draw(cr, data).  Takes `data`, freed with
 * free_data (may be NULL) once the set is freed and no layout shows the
 * picture any more (a layout kept by `build --watch` keeps it).  Not
 * thread-safe: add every picture before documents are typeset with the
 * set, which they then only read. */
void typeset_pictures_add(typeset_pictures *set, const char *sha256, double width,
			  double height, typeset_draw_fn draw, void *data,
			  GDestroyNotify free_data);
void typeset_pictures_free(typeset_pictures *set);

#endif

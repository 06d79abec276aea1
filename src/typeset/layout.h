/* layout.h - page layout of the typeset stage: where every box goes.
 *
 * Markdown (a cmark-gfm tree) becomes a flow of items - one line of a
 * paragraph, one table row, one image - each with its height, the space it
 * wants above it and whether it must stay on the page of the item after it.
 * Pagination then cuts the flow into pages (keep-with-next, widows and
 * orphans, table headers repeated) and places every box at page
 * coordinates: points from the top-left corner, y growing downwards.
 *
 * The files: layout_doc.c (the life of docs, items and boxes),
 * layout_inline.c (inline text to a PangoLayout), layout_block.c
 * (the cmark-gfm tree walk), layout_table.c, layout_image.c (PNG/SVG size
 * probes), layout_supplied.c (the pages of a supplied PDF), layout_page.c
 * (pagination, page furniture, dump).  None of them calls cairo_*: Pango
 * measures and breaks lines, pdf_device.c draws.
 *
 * Ownership: a layout_doc owns its items, pages, boxes, images and
 * strings; everything handed out by the accessors is borrowed from it.
 */
#ifndef DOSSIER_LAYOUT_H
#define DOSSIER_LAYOUT_H

#include <glib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <pango/pango.h>
#include <cmark-gfm.h>

#include "typeset/typeset.h"

/* ---- theme -------------------------------------------------------------- */

typedef struct {
	double r, g, b;		/* 0..1 */
} layout_rgb;

struct typeset_theme {
	char *paper;			/* "a4" or "letter" */
	double margin_top, margin_bottom, margin_left, margin_right; /* points */
	char *font_body;		/* Pango family lists; emoji come from */
	char *font_heading;		/* fontconfig fallback (Noto Color Emoji), */
	char *font_mono;		/* never listed here: see docs/typesetting.md */
	char *package_fonts;		/* what to install for a script no font */
	char *package_cjk;		/* has (Debian packages): most scripts, */
	char *package_emoji;		/* Chinese/Japanese/Korean, emoji */
	double size_body;		/* points */
	double size_code;
	double size_caption;		/* figure captions: sizes.caption */
	char *caption_label;		/* "Figure": captions are numbered
				 * "Figure 3. ..." ("": unnumbered) */
	double size_small;		/* header, footer, captions */
	double size_table;
	double size_h[6];		/* headings 1-6 */
	double line_height;		/* factor of the font's line height */
	double space_paragraph;		/* points between paragraphs */
	double space_heading;		/* points above a level-2 heading; scaled by level */
	double list_indent;		/* points per list level */
	double quote_indent;
	double code_padding;
	double cell_padding;
	/* Layout factors: the theme's spacing and pages keys (see
	 * templates/theme.yaml for what each sets). */
	double space_tight;	/* spacing.tight */
	double space_tight_items;	/* spacing.tight_items */
	double space_after_heading;	/* spacing.after_heading */
	double space_rule;	/* spacing.around_rule */
	double space_caption;	/* spacing.above_caption */
	double cell_padding_y;	/* spacing.cell_padding_y */
	double marker_gap;	/* spacing.marker_gap */
	double number_gutter;	/* spacing.number_gutter */
	double note_gap;	/* spacing.note_gap */
	double note_number_gap;	/* spacing.note_number_gap */
	double note_gutter;	/* spacing.note_gutter */
	double figure_height;	/* pages.figure_height */
	double page_header;	/* pages.header */
	double page_header_rule;	/* pages.header_rule */
	double page_footer;	/* pages.footer */
	double page_footer_rule;	/* pages.footer_rule */
	double note_space;	/* pages.note_space */
	double note_rule;	/* pages.note_rule */
	double fill_last;		/* a last page less full than this (a
				 * share of the page) is filled: pages.last_fill */
	double fill_squeeze;		/* the space between blocks may shrink to
				 * this factor to save a page: pages.squeeze */
	double table_short_cell;	/* a body cell at most this share of the
				 * column wide is short: kept unwrapped first */
	layout_rgb color_text, color_heading, color_link, color_muted;
	layout_rgb color_rule, color_code_bg, color_quote_bar, color_accent;
	layout_rgb color_table_header_bg, color_table_stripe_bg, color_table_rule;
	double draft_top;		/* the draft band: from the paper's top edge, */
	double draft_height;		/* inside the printable area; its height */
	double size_draft;		/* and its text's size (heading font, bold) */
	layout_rgb color_draft_bg, color_draft;
};

/* theme.c: the built-in defaults, in a theme the caller frees with
 * typeset_theme_free(). */
typeset_theme *typeset_theme_default(void);

/* ---- structure (the tagged PDF's tree) ----------------------------------- */

/* The role of a structure element: what a screen reader or an accessibility
 * check is told a run of content is (PDF 1.7, 14.8.4 standard structure
 * types).  pdf_device.c turns the tree into Cairo's structure tags. */
typedef enum {
	LAYOUT_ROLE_DOCUMENT,	/* the root */
	LAYOUT_ROLE_PART,	/* a document of the dossier */
	LAYOUT_ROLE_H,		/* heading; `level` 1-6 gives H1-H6 */
	LAYOUT_ROLE_P,
	LAYOUT_ROLE_L,		/* list */
	LAYOUT_ROLE_LI,		/* list item: Lbl then LBody */
	LAYOUT_ROLE_LBL,	/* bullet, number or task box */
	LAYOUT_ROLE_LBODY,
	LAYOUT_ROLE_TABLE,
	LAYOUT_ROLE_TR,
	LAYOUT_ROLE_TH,		/* a cell of a header row */
	LAYOUT_ROLE_TD,
	LAYOUT_ROLE_FIGURE,	/* image, chart or diagram with its caption */
	LAYOUT_ROLE_BLOCKQUOTE,
	LAYOUT_ROLE_CODE,	/* a code block */
	LAYOUT_ROLE_NOTE,	/* a footnote */
	LAYOUT_ROLE_TOC,	/* the dossier's contents */
	LAYOUT_ROLE_TOCI,	/* one contents entry */
	LAYOUT_ROLE_N
} layout_role;

/* A structure element.  Elements are made in document order, so `id`
 * (the index in doc->structs) orders them as a reader reads them, and an
 * element's descendants have ids after its own. */
typedef struct layout_struct {
	layout_role role;
	int level;			/* LAYOUT_ROLE_H: 1-6 */
	const char *alt;		/* FIGURE: what a screen reader says
					 * instead of it (doc strings), or NULL */
	struct layout_struct *parent;	/* NULL for the root */
	guint id;
} layout_struct;

/* ---- boxes, items, pages -------------------------------------------- */

typedef enum {
	LAYOUT_BOX_TEXT,	/* one line of a PangoLayout */
	LAYOUT_BOX_RECT,	/* filled rectangle */
	LAYOUT_BOX_LINE,	/* straight line from (x,y) to (x+w,y+h) */
	LAYOUT_BOX_IMAGE,	/* an image scaled to w x h */
	LAYOUT_BOX_CHECKBOX,	/* a task-list box, checked or not */
	LAYOUT_BOX_LINK,	/* clickable area: a URI or "#name" */
	LAYOUT_BOX_DEST,	/* named destination at (x,y) */
	LAYOUT_BOX_PDF_PAGE,	/* a page of a supplied PDF scaled to w x h */
	LAYOUT_BOX_N_KINDS
} layout_box_kind;

typedef enum {
	LAYOUT_IMAGE_PNG,	/* `data` decoded by Cairo */
	LAYOUT_IMAGE_SVG,	/* `data` drawn as vectors by librsvg */
	LAYOUT_IMAGE_JPEG,	/* `pixels` painted, `data` embedded unchanged */
	LAYOUT_IMAGE_PIXBUF,	/* any other gdk-pixbuf format: `pixels` painted */
	LAYOUT_IMAGE_DRAWING,	/* a picture passed in draws it (pictures.c) */
} layout_image_kind;

/* A picture of the set passed in with a document (typeset_pictures of
 * typeset.h), shown for an image file with its bytes (pictures.c). */
typedef struct layout_picture layout_picture;

typedef struct layout_image {
	char *path;		/* as resolved, for messages */
	GBytes *data;		/* the file's bytes */
	layout_image_kind kind;
	GdkPixbuf *pixels;	/* JPEG, PIXBUF: decoded at load (owned) */
	double width, height;	/* intrinsic size, points (1px = 0.75pt) */
	layout_picture *picture; /* DRAWING: drawn instead (a reference,
				 * released with the doc) */
	char *desc;		/* SVG, DRAWING: the drawing's own description
				 * (its <desc>, else its <title>), or NULL */
} layout_image;

/* A supplied PDF drawn page by page into the dossier: opened and measured
 * by pdf_pages.c, laid out by layout_supplied.c. */
typedef struct _PopplerDocument PopplerDocument;
typedef struct {
	double w, h;		/* points: the page's size, or the paper's */
	gboolean ink;		/* anything is drawn on it */
	double ink_top, ink_bottom; /* its first and last rows of ink, points
				 * from the page's top (unscaled) */
} layout_pdf_page;
typedef struct layout_pdf {
	char *path;		/* for messages */
	PopplerDocument *pdf;	/* open for drawing (owned) */
	int n_pages;
	layout_pdf_page *pages;	/* n_pages measurements */
} layout_pdf;

typedef struct layout_box {
	layout_box_kind kind;
	double x, y, w, h;	/* top-left corner and size, points */
	double baseline;	/* TEXT: y of the baseline */
	PangoLayout *layout;	/* TEXT: a reference; the box draws line `line` */
	int line;
	layout_rgb color;	/* RECT fill, LINE stroke, CHECKBOX accent */
	double stroke;		/* LINE width */
	gboolean checked;	/* CHECKBOX */
	const char *target;	/* LINK: URI or "#name"; DEST: name (doc strings) */
	layout_image *image;	/* IMAGE: borrowed from the doc */
	const layout_pdf *pdf;	/* PDF_PAGE: borrowed (outlives the doc) */
	int pdf_page;		/* PDF_PAGE: 0-based page of `pdf` */
	const char *file;	/* LINK: where it came from, for warnings */
	int src_line, src_col;
	const layout_struct *st; /* the element it belongs to.  In an item,
				 * NULL means the item's; on a page, NULL is
				 * page furniture, in no element */
	struct layout_note *note; /* DEST: the footnote first referenced here
				 * (its note goes on this box's page) */
} layout_box;

typedef enum {
	LAYOUT_FRAME_QUOTE,	/* a bar left of a block quote */
	LAYOUT_FRAME_CODE,	/* the tinted ground of a code block */
} layout_frame_kind;

/* A decoration drawn behind a run of consecutive items, once per page the
 * run touches (so a code block split over two pages gets two grounds). */
typedef struct layout_frame {
	layout_frame_kind kind;
	double x, w;		/* horizontal extent */
	layout_rgb color;
	double pad;		/* kept above and below the text where the run
				 * is cut by a page break */
	guint first, last;	/* indices of its first and last items */
	gboolean used;		/* first and last are set */
} layout_frame;

typedef struct layout_item {
	double h;		/* height, points */
	double space_before;	/* gap above; dropped at the top of a page */
	gboolean keep_with_next; /* no page break between this and the next item */
	gboolean break_before;	/* always start a new page (a dossier part) */
	int float_items;	/* a figure: it and its caption, this many
				 * items, may float to the next page top */
	unsigned bare;		/* LAYOUT_BARE_*: furniture its page goes without */
	GPtrArray *boxes;	/* layout_box*, y relative to the item's top */
	layout_frame **frames;	/* frames around it, outermost first (borrowed) */
	int n_frames;
	struct layout_item *header; /* table rows: the header row to repeat */
	gboolean row_cont;	/* a table row continued from the item before:
				 * the page may break between the two */
	layout_box *cut_top;	/* drawn only where the item starts a page */
	layout_box *cut_bottom;	/* drawn only where a page ends after it */
	GPtrArray *cont_boxes;	/* a table row continued on a new page: the
				 * first cell's first line again, muted,
				 * drawn only where the item starts a page,
				 * as furniture (NULL: none) */
	guint index;		/* its place in doc->items */
	int part;		/* index into doc->parts */
	layout_struct *st;	/* the structure element of its boxes */
	guint block;		/* the top-level block it is part of (a
				 * paragraph, a whole list or table, a
				 * figure): a page that a figure floats to
				 * never starts inside one */
	int heading;		/* 1-6: a line of a heading of that level */
	gboolean lead_in;	/* the last line of a paragraph ending in a
				 * colon: kept with the first lines of what
				 * it introduces */
} layout_item;

/* A heading or document start: a named destination, an outline entry and
 * (for dossier parts) a contents entry. */
typedef struct {
	const char *name;	/* destination name (doc strings) */
	const char *title;	/* outline text (doc strings) */
	int level;		/* outline depth, 0 = top; -1 = not in the outline */
	guint item;		/* the item it sits on */
	int page;		/* 1-based, set by layout_paginate */
	double y;		/* top of the item on that page */
} layout_anchor;

typedef struct {
	const char *title;	/* running header (doc strings), NULL: none */
	gboolean furniture;	/* header and footer drawn (not on a cover) */
	const char *prefix;	/* destination names of this part start with it */
	GHashTable *slugs;	/* slug → uses, to make heading names unique */
	gboolean title_seen;	/* the h1 repeating the title was met */
	const char *file;	/* its source, canonical (doc strings), where
				 * links from other parts may lead; NULL */
	const char *start;	/* the destination at its start, or NULL */
} layout_part;

/* Page furniture left off a page whose content (a supplied page) reaches
 * into the margin where it would stand. */
enum {
	LAYOUT_BARE_HEADER = 1 << 0,
	LAYOUT_BARE_FOOTER = 1 << 1,
};

/* A footnote: its lines, typeset at the foot of the page where its first
 * reference stands (layout_page.c reserves the room). */
typedef struct layout_note {
	int number;		/* as printed: 1, 2, ... per document */
	guint index;		/* its place in doc->notes */
	int part;		/* index into doc->parts */
	GPtrArray *lines;	/* layout_item*, one per line, y from the line top */
	const char *ref_name;	/* destination names of the first reference */
	const char *name;	/* and of the note (doc strings, with the prefix) */
	gboolean referenced;	/* its first reference is laid out */
	layout_struct *st;	/* its NOTE element: in the paragraph or heading
				 * that cites it, else after the block that does */
} layout_note;

typedef struct {
	GPtrArray *boxes;	/* layout_box*, page coordinates, drawing order */
	int part;		/* the part at the top of the page */
	unsigned bare;		/* LAYOUT_BARE_* of the items on it */
} layout_page;

typedef struct layout_doc {
	const typeset_theme *theme;
	const typeset_pictures *pictures; /* shown for image files (borrowed;
				 * only while laying out); NULL: none */
	PangoContext *pango;	/* measuring context (a reference) */
	unsigned flags;		/* TYPESET_* */
	double page_w, page_h;	/* points */
	double col_x, col_w;	/* text column */
	double body_top, body_bottom; /* y range of the body on every page */
	char *footer;		/* company name at the bottom left */
	GPtrArray *items;	/* layout_item* in reading order */
	GPtrArray *frames;	/* layout_frame* */
	GPtrArray *images;	/* layout_image* */
	GPtrArray *shared_images; /* layout_image* borrowed from the docs
				 * appended (layout_append), not freed */
	GArray *anchors;	/* layout_anchor */
	GPtrArray *notes;	/* layout_note*, every document's, in order */
	guint note_base;	/* notes[note_base] is note 1 of the document
				 * being laid out */
	GArray *parts;		/* layout_part */
	GPtrArray *pages;	/* layout_page*, after layout_paginate */
	GStringChunk *strings;
	GArray *pending_anchors; /* anchor indices waiting for the next item */
	gboolean break_pending;	/* the next item starts a new page */
	int anchor_level;	/* outline level of a part's level-1 headings */
	char *first_heading;	/* text of the first heading seen, for titles */
	const char *file;	/* the Markdown being laid out, for messages */
	GPtrArray *structs;	/* layout_struct*, in document order; [0] is
				 * the Document root */
	layout_struct *flow_st;	/* where layout_markdown puts its blocks:
				 * the root, or a dossier part's Part */
	double first_x;		/* the column x of its first item (its
				 * destinations' x), for layout_append */
	GArray *missing;	/* layout_missing: scripts no installed font
				 * draws, where each was first met */
	int figures;		/* captions numbered so far in this part */
	guint block;		/* the block new items belong to; blocks are
				 * numbered from 1, in the order laid out */
} layout_doc;

/* Characters of one script that no installed font has a glyph for. */
typedef struct {
	int script;		/* ICU's UScriptCode */
	gunichar first;		/* the first one met */
	gboolean emoji;		/* it is an emoji */
	int line;		/* its source line */
	guint count;		/* glyphs missing, over all the layouts */
} layout_missing;

/* Sizes of the paper names; FALSE if the name is unknown. */
gboolean layout_paper_size(const char *name, double *w, double *h);

/* A new empty layout.  `pango` is the measuring context of the device
 * (pdf_device_pango_context() in pdf_device.h); the doc takes a
 * reference.  `paper` must be a known name.  Free with layout_free(). */
layout_doc *layout_new(const typeset_theme *theme, PangoContext *pango,
		       const char *paper, const char *footer, unsigned flags);
void layout_free(layout_doc *doc);

/* Start a part: everything added until the next part starts on a new page
 * (except for the first part), under the running header `title`.
 * Heading destinations get `prefix` in front of their names.  `furniture`
 * FALSE leaves header and footer off its pages (the cover).  Headings
 * of level 1 go into the outline at depth `outline_level` (-1: none). */
void layout_begin_part(layout_doc *doc, const char *title, const char *prefix,
		       gboolean furniture, int outline_level);

/* Lay out a parsed Markdown document (cmark-gfm tree with the table,
 * tasklist, strikethrough and autolink extensions) into the current part.
 * Relative images are read from base_dir.  Returns 0, or -1 after a located
 * diag() error. */
int layout_markdown(layout_doc *doc, cmark_node *root, const char *file,
		    const char *base_dir);

/* A new structure element under `parent` (NULL: the root), owned by the
 * doc. */
layout_struct *layout_struct_new(layout_doc *doc, layout_struct *parent,
				 layout_role role);

/* Add a named destination (and outline entry at `level`, -1 for none) at
 * the next item laid out; returns its index into doc->anchors. */
int layout_add_anchor(layout_doc *doc, const char *name, const char *title,
		      int level);

/* Append a copy of the flow of `src` (laid out by layout_markdown into
 * a doc of its own, one part, headings at outline level 0, not paginated)
 * to the current part of `doc`, exactly as if layout_markdown had laid
 * the same Markdown out there: destinations renamed with the part's
 * prefix, outline levels moved to the part's, an h1 repeating the part's
 * title left out of the outline, the pending anchors and page break
 * given to its first item, an image of a path `doc` has already shown
 * drawn from the same image.  `src` is only read (several docs may copy
 * it at once) and must outlive `doc`: its images and PangoLayouts are
 * shared, not copied. */
void layout_append(layout_doc *doc, const layout_doc *src);

/* Cut the flow into pages and place every box; adds running headers,
 * footers ("Page N of M") and the frames; drops links to destinations that
 * don't exist (with a warning).  Returns the number of pages. */
int layout_paginate(layout_doc *doc);

/* Where the running header ends (its rule, y from the page top) and where
 * the footer begins (its rule): a page's content must keep between them
 * for them to be drawn. */
void layout_furniture_bounds(const layout_doc *doc, double *header_bottom,
			     double *footer_top);

/* The layout as text, one line per box ("page 1: text x=72.0 y=90.0
 * 'Heading'"); the caller frees the result. */
char *layout_dump(const layout_doc *doc);

/* ---- pieces shared by the layout files ---------------------------------- */

/* The state of the block walk: the current column and what is pending. */
typedef struct layout_ctx {
	layout_doc *doc;
	const char *file;	/* Markdown source, for messages */
	const char *base_dir;	/* relative images */
	double x, w;		/* the current column */
	GPtrArray *frames;	/* layout_frame*, the frames around the column */
	double gap;		/* space wanted before the next item */
	GPtrArray *marker;	/* list marker boxes waiting for the next line,
				 * y relative to that line's baseline */
	int list_depth;
	gboolean tight;		/* inside a tight list */
	gboolean quote;		/* inside a block quote: muted text */
	int error;		/* set after a diag() error */
	layout_struct *st;	/* the element new items belong to (NULL:
				 * none, e.g. the cover's decoration) */
	GPtrArray *sink;	/* non-NULL: new items go here, not into the
				 * flow (the lines of a footnote) */
} layout_ctx;

/* Text styles of the inline builder. */
typedef enum {
	LAYOUT_STYLE_BODY,
	LAYOUT_STYLE_HEADING,	/* level in layout_inline_new's level */
	LAYOUT_STYLE_TABLE,
	LAYOUT_STYLE_TABLE_HEADER,
	LAYOUT_STYLE_CODE,	/* a code or HTML block */
	LAYOUT_STYLE_SMALL,	/* header, footer */
	LAYOUT_STYLE_CAPTION,	/* a figure's caption: italic, sizes.caption */
	LAYOUT_STYLE_QUOTE,
	LAYOUT_STYLE_NOTE,	/* footnotes */
} layout_style;

typedef struct {
	guint start, end;	/* byte range in the layout's text */
	const char *target;	/* URI or "#fragment" (doc strings) */
	int line, col;		/* where the link starts in the source, or 0 */
	layout_note *note;	/* a footnote reference: its note */
} layout_link;

/* A paragraph of inline content being built. */
typedef struct {
	layout_doc *doc;
	GString *text;
	PangoAttrList *attrs;
	GArray *links;		/* layout_link */
	GPtrArray *images;	/* cmark_node* of images met (borrowed) */
	gboolean collect_images; /* images go to `images` instead of the text */
	int line;		/* source line, for messages */
	int run;		/* characters since the last break opportunity */
	gboolean super;		/* has superscripts (their rise is set by
				 * layout_inline_layout for the style's size) */
	gboolean isolated;	/* runs against the document's direction are
				 * isolated already (layout_inline_layout) */
} layout_inline;

void layout_inline_init(layout_inline *in, layout_doc *doc, int line);
void layout_inline_clear(layout_inline *in);
/* `out` gets bytes [start, end) of `in` (on character boundaries) with
 * their styles and links; clear it with layout_inline_clear(). */
void layout_inline_slice(const layout_inline *in, guint start, guint end,
			 layout_inline *out);
/* Append the inline children of `node`. */
void layout_inline_add_children(layout_inline *in, cmark_node *node);
/* Append `text` as a superscript (footnote numbers). */
void layout_inline_add_super(layout_inline *in, const char *text);
/* Append plain text with no styling. */
void layout_inline_add_text(layout_inline *in, const char *text);
/* The same for `len` bytes (-1: up to the NUL). */
void layout_inline_add_len(layout_inline *in, const char *text, gssize len);
/* Note every character of `pl` that no installed font could draw (Pango's
 * unknown glyphs, drawn as boxes with the code inside) in doc->missing,
 * at source line `line`. */
void layout_note_missing_glyphs(layout_doc *doc, PangoLayout *pl, int line);
/* Report doc->missing, one located message a script naming the package
 * that has fonts for it (the theme's font_packages): a warning, an error
 * under TYPESET_FINAL.  Returns -1 after an error. */
int layout_report_missing_glyphs(layout_doc *doc, const char *file);
/* A PangoLayout of the text so far in `style` (heading `level` 1-6), `width`
 * points wide (-1: no wrapping), with the text colour `color`.  The caller
 * owns the returned layout. */
PangoLayout *layout_inline_layout(layout_inline *in, layout_style style,
				  int level, double width, const layout_rgb *color);
/* A font description for a style; the caller frees it. */
PangoFontDescription *layout_font(const layout_doc *doc, layout_style style,
				  int level);
/* A one-line layout of plain text; the caller owns it. */
PangoLayout *layout_text(const layout_doc *doc, layout_style style,
			 const char *text, const layout_rgb *color);
/* Clickable areas (LINK boxes, added to `boxes`) for the parts of `links`
 * on `line`, which starts at x0; areas narrower than min_w are left out.
 * The first reference to a footnote also gets a DEST box naming it. */
void layout_link_boxes(GPtrArray *boxes, PangoLayoutLine *line, GArray *links,
		       double x0, double top, double h, double min_w,
		       const char *file, int src_line);
/* The plain text content of an inline container, newly allocated. */
char *layout_plain_text(cmark_node *node);
/* A GitHub-style anchor slug of a heading text, newly allocated. */
char *layout_slug(const char *text);

/* Items and boxes (layout_doc.c makes and frees every one). */
layout_item *layout_item_new(layout_ctx *ctx, double h);
/* A new box (the caller adds it to an item or a page, which then owns it). */
layout_box *layout_box_new(layout_box_kind kind, double x, double y, double w, double h);
/* Free a box and the PangoLayout reference it holds (NULL: nothing). */
void layout_box_free(layout_box *b);
/* A copy of `b` moved down by dy (another reference to its layout). */
layout_box *layout_box_copy(const layout_box *b, double dy);
/* An empty array that owns boxes (frees them with layout_box_free). */
GPtrArray *layout_box_list_new(void);
/* Footnote `number` of the current part, at the end of doc->notes, which
 * owns it (its lines come later). */
layout_note *layout_note_new(layout_doc *doc, int number);
/* A new page at the end of doc->pages, which owns it. */
layout_page *layout_page_new(layout_doc *doc);
/* A new frame, owned by doc->frames. */
layout_frame *layout_frame_new(layout_doc *doc, layout_frame_kind kind,
			       double x, double w, const layout_rgb *color,
			       double pad);

layout_box *layout_box_add(layout_item *item, layout_box_kind kind,
			   double x, double y, double w, double h);
/* Add the lines of `pl` (x at ctx->x + dx) as items, one per line, with the
 * link areas of `links` (may be NULL); first line gets ctx->gap, the
 * marker and the anchor.  `keep` keeps the last line with the next item
 * (headings).  Widows and orphans are kept with their neighbours. */
void layout_add_lines(layout_ctx *ctx, PangoLayout *pl, double dx,
		      GArray *links, gboolean keep, int src_line);
/* The same with padding above the first line and below the last. */
void layout_add_lines_padded(layout_ctx *ctx, PangoLayout *pl, double dx,
			     GArray *links, gboolean keep, int src_line,
			     double pad_top, double pad_bottom);
/* Lay out the text of `in` in `style` across the column less `pad` on
 * each side and add its lines as layout_add_lines_padded does (padding
 * `pad` above and below).  Text of any length: a long text is laid out in
 * pieces that break exactly as one layout would. */
void layout_add_inline(layout_ctx *ctx, layout_inline *in, layout_style style,
		       const layout_rgb *color, double pad, int src_line);
/* Attach the pending list marker (if any) to `item` at `baseline`. */
void layout_take_marker(layout_ctx *ctx, layout_item *item, double baseline);
/* Ask for at least `space` points before the next item. */
void layout_want_gap(layout_ctx *ctx, double space);

/* layout_table.c: a GFM table node. */
void layout_table(layout_ctx *ctx, cmark_node *table);

/* layout_image.c: read and measure an image; NULL after a located error
 * (or, in draft mode, a warning: the caller draws a placeholder). */
layout_image *layout_image_load(layout_ctx *ctx, const char *url, int line,
				int col);

/* pictures.c: the picture of `set` whose file has the bytes `data`, with
 * a reference the caller releases, and its size in *width and *height;
 * NULL when there is none. */
layout_picture *pictures_find(const typeset_pictures *set, const void *data, size_t len,
			      double *width, double *height);
/* Have it draw itself onto cr (origin at its top left, one unit a point). */
void pictures_draw(const layout_picture *pic, cairo_t *cr);
void pictures_release(layout_picture *pic);

/* layout_supplied.c: one page of its own for every page of a supplied
 * PDF (measured by pdf_pages_open), scaled to fit and centred; the header
 * and footer stay only where the page leaves their margin empty. */
void layout_supplied_pages(layout_doc *doc, const layout_pdf *pdf);

#endif

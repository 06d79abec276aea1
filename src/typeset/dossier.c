/* dossier.c - the combined dossier: every document of the package in one
 * PDF (typeset stage; typeset_dossier of typeset.h).
 *
 * A cover, a table of contents whose page numbers come from the finished
 * pagination, then every document on a new page, each a Part of the
 * tagged structure with its own running header and prefixed destinations.
 * A document laid out already (a typeset_doc, document.c) is copied, not
 * laid out again; a supplied original PDF is drawn page by page in its
 * place (pdf_pages.c measures it, layout_supplied.c lays it out).
 */
#include <string.h>

#include "typeset/document.h"
#include "typeset/drawlock.h"
#include "typeset/layout.h"
#include "typeset/pdf_device.h"
#include "typeset/pdf_pages.h"
#include "typeset/typeset.h"

/* A standalone block of text on the cover or the contents: a new
 * structure element `role` (a heading of `level`) under `parent`. */
static layout_item *
add_text_block(layout_doc *doc, const char *text, layout_style style,
	       int level, double size, const layout_rgb *color, double gap_before,
	       layout_struct *parent, layout_role role)
{
	layout_ctx ctx = {
		.doc = doc, .x = doc->col_x, .w = doc->col_w, .gap = gap_before,
		.st = layout_struct_new(doc, parent, role),
	};
	ctx.st->level = level;
	layout_inline in;

	layout_inline_init(&in, doc, 0);
	layout_inline_add_text(&in, text);
	PangoLayout *pl = layout_inline_layout(&in, style, level, doc->col_w, color);
	if (size > 0) {
		PangoFontDescription *fd = layout_font(doc, style, level);
		pango_font_description_set_size(fd, (int)(size * PANGO_SCALE));
		pango_layout_set_font_description(pl, fd);
		pango_font_description_free(fd);
	}
	guint first = doc->items->len;
	layout_add_lines(&ctx, pl, 0, NULL, TRUE, 0);
	g_object_unref(pl);
	layout_inline_clear(&in);
	return g_ptr_array_index(doc->items, first);
}

static const char *const months[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static void
layout_cover(layout_doc *doc, const typeset_meta *cover)
{
	const typeset_theme *th = doc->theme;
	double body = doc->body_bottom - doc->body_top;
	layout_ctx ctx = { .doc = doc, .x = doc->col_x, .w = doc->col_w };

	layout_begin_part(doc, NULL, "", FALSE, -1);
	/* An accent bar a quarter down the page, then the titles. */
	layout_item *it = layout_item_new(&ctx, body * 0.26);
	layout_box *b = layout_box_add(it, LAYOUT_BOX_RECT, doc->col_x,
				       body * 0.26 - 6, 64, 5);
	b->color = th->color_accent;
	add_text_block(doc, cover->footer && *cover->footer ? cover->footer : "",
		       LAYOUT_STYLE_HEADING, 1, th->size_h[0] * 1.5,
		       &th->color_heading, 18, NULL, LAYOUT_ROLE_P);
	add_text_block(doc, cover->title ? cover->title : "",
		       LAYOUT_STYLE_HEADING, 2, th->size_h[1] * 1.15,
		       &th->color_accent, 12, NULL, LAYOUT_ROLE_P);
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(cover->date);
	if (dt) {
		g_autofree char *date = g_strdup_printf("%d %s %d",
			g_date_time_get_day_of_month(dt),
			months[g_date_time_get_month(dt) - 1],
			g_date_time_get_year(dt));
		add_text_block(doc, date, LAYOUT_STYLE_BODY, 0, th->size_body * 1.2,
			       &th->color_muted, 28, NULL, LAYOUT_ROLE_P);
	}
	if (cover->subject && *cover->subject)
		add_text_block(doc, cover->subject, LAYOUT_STYLE_BODY, 0, 0,
			       &th->color_muted, 6, NULL, LAYOUT_ROLE_P);
}

/* A folder name as a title: "case-studies" → "Case studies". */
static char *
folder_title(const char *folder)
{
	char *s = g_strdup(folder);

	for (char *p = s; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	if (*s)
		s[0] = g_ascii_toupper(s[0]);
	return s;
}

typedef struct {
	PangoLayout *num;	/* the page number of an entry */
	int anchor;		/* the part's destination */
} toc_number;

/* One contents line: title (linked) and page number or attachment note. */
static void
toc_entry(layout_doc *doc, const char *title, const char *right, int anchor,
	  const char *dest, GArray *numbers, double indent, layout_struct *toc)
{
	const typeset_theme *th = doc->theme;
	layout_ctx ctx = { .doc = doc, .x = doc->col_x, .w = doc->col_w,
			   .gap = th->space_paragraph * 0.6,
			   .st = layout_struct_new(doc, toc, LAYOUT_ROLE_TOCI) };

	double num_w = right ? doc->col_w * 0.4 : 40;
	PangoLayout *t = layout_text(doc, LAYOUT_STYLE_BODY, title, &th->color_text);
	pango_layout_set_width(t, (int)((doc->col_w - indent - num_w - 12) * PANGO_SCALE));
	pango_layout_set_ellipsize(t, PANGO_ELLIPSIZE_END);
	PangoLayout *n = layout_text(doc, LAYOUT_STYLE_BODY, right ? right : "0",
				     right ? &th->color_muted : &th->color_text);
	if (right) {
		PangoFontDescription *fd = layout_font(doc, LAYOUT_STYLE_BODY, 0);
		pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
		pango_layout_set_font_description(n, fd);
		pango_font_description_free(fd);
	}
	PangoRectangle r, nr;
	pango_layout_get_extents(t, NULL, &r);
	pango_layout_get_extents(n, NULL, &nr);
	double h = r.height / (double)PANGO_SCALE;
	double base = pango_layout_get_baseline(t) / (double)PANGO_SCALE;
	layout_item *it = layout_item_new(&ctx, h + 3);
	layout_box *b = layout_box_add(it, LAYOUT_BOX_TEXT, doc->col_x + indent, 0,
				       r.width / (double)PANGO_SCALE, h);
	b->baseline = base;
	b->layout = t;
	double nw = nr.width / (double)PANGO_SCALE;
	b = layout_box_add(it, LAYOUT_BOX_TEXT, doc->col_x + doc->col_w - nw, 0, nw, h);
	b->baseline = base;
	b->layout = n;
	b = layout_box_add(it, LAYOUT_BOX_LINE, doc->col_x + indent, h + 2.5,
			   doc->col_w - indent, 0);
	b->color = th->color_rule;
	b->stroke = 0.3;
	if (dest) {
		b = layout_box_add(it, LAYOUT_BOX_LINK, doc->col_x + indent, 0,
				   doc->col_w - indent, h);
		b->target = g_string_chunk_insert_const(doc->strings, dest);
	}
	if (!right) {
		toc_number tn = { n, anchor };
		g_array_append_val(numbers, tn);
	}
}

/* Make sure a part has at least one item, so its destination has a page. */
static void
ensure_item(layout_doc *doc, guint before)
{
	if (doc->items->len == before) {
		layout_ctx ctx = { .doc = doc, .x = doc->col_x, .w = doc->col_w };
		layout_item_new(&ctx, 0);
	}
}

/* The text of a document's first heading, or NULL; the caller frees it. */
static char *
first_heading(cmark_node *root)
{
	for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
			char *t = layout_plain_text(n);
			g_strstrip(t);
			if (*t)
				return t;
			g_free(t);
		}
	return NULL;
}

/* The combined PDF being built. */
typedef struct {
	layout_doc *doc;
	const typeset_part *parts;
	size_t n_parts;
	cmark_node **roots;	/* per part, NULL for an attachment */
	layout_pdf **pdfs;	/* per part: a supplied PDF drawn in, or NULL */
	char **titles;		/* per part */
	GArray *numbers;	/* toc_number: contents page numbers to fill in */
	GArray *part_anchor;	/* per part: its anchor, -1 for an attachment */
	int base;		/* outline depth of a document */
} dossier;

/* Parse everything first: a part without a title is named by its first
 * heading, and the contents come before the parts. */
static void
dossier_parse(dossier *d)
{
	gboolean folders = FALSE;

	d->roots = g_new0(cmark_node *, d->n_parts + 1);
	d->pdfs = g_new0(layout_pdf *, d->n_parts + 1);
	d->titles = g_new0(char *, d->n_parts + 1);
	for (size_t i = 0; i < d->n_parts; i++) {
		const typeset_part *p = &d->parts[i];
		folders |= p->folder && *p->folder;
		gboolean titled = p->title && *p->title;
		/* A part laid out already is parsed again only for a title. */
		if (p->md && (!p->doc || !titled))
			d->roots[i] = typeset_parse_markdown(p->md, p->len);
		else if (!p->md && p->attachment_file)
			d->pdfs[i] = pdf_pages_open(p->attachment_file, d->doc->page_w,
						    d->doc->page_h);
		if (titled)
			d->titles[i] = g_strdup(p->title);
		else if (d->roots[i] && (d->titles[i] = first_heading(d->roots[i])))
			;
		else if (p->md_file)
			d->titles[i] = g_path_get_basename(p->md_file);
		else if (p->attachment)
			d->titles[i] = g_strdup(p->attachment);
		else
			d->titles[i] = g_strdup_printf("Part %zu", i + 1);
	}
	d->base = folders ? 1 : 0;
}

/* The folder of a part, NULL for none. */
static const char *
part_folder(const typeset_part *p)
{
	return p->folder && *p->folder ? p->folder : NULL;
}

/* Contents: a heading and an entry per part (folders as subheadings);
 * page numbers are filled in after pagination. */
static void
dossier_contents(dossier *d)
{
	layout_doc *doc = d->doc;
	const typeset_theme *th = doc->theme;
	layout_ctx ctx = { .doc = doc, .x = doc->col_x, .w = doc->col_w };
	const char *folder = NULL;

	layout_begin_part(doc, "Contents", "", TRUE, -1);
	layout_add_anchor(doc, "contents", "Contents", 0);
	add_text_block(doc, "Contents", LAYOUT_STYLE_HEADING, 1, 0,
		       &th->color_heading, 0, NULL, LAYOUT_ROLE_H);
	/* TOC: an entry (TOCI) per folder name and per part. */
	layout_struct *toc = layout_struct_new(doc, NULL, LAYOUT_ROLE_TOC);
	/* The accent rule every h1 has. */
	layout_item *it = layout_item_new(&ctx, 5);
	layout_box *b = layout_box_add(it, LAYOUT_BOX_LINE, doc->col_x, 3,
				       doc->col_w, 0);
	b->color = th->color_accent;
	b->stroke = 1.2;
	it->keep_with_next = TRUE;
	layout_item_new(&ctx, 6)->keep_with_next = TRUE;
	for (size_t i = 0; i < d->n_parts; i++) {
		const typeset_part *p = &d->parts[i];
		const char *f = part_folder(p);
		if (f && (!folder || strcmp(f, folder) != 0)) {
			g_autofree char *ft = folder_title(f);
			add_text_block(doc, ft, LAYOUT_STYLE_HEADING, 4, 0,
				       &th->color_heading, th->space_paragraph * 2,
				       toc, LAYOUT_ROLE_TOCI);
		}
		folder = f;
		g_autofree char *dest = g_strdup_printf("#part-%zu", i + 1);
		if (p->md || d->pdfs[i]) {
			toc_entry(doc, d->titles[i], NULL, (int)i, dest, d->numbers,
				  f ? 14 : 0, toc);
		} else {
			g_autofree char *note = g_strdup_printf("supplied separately: %s",
				p->attachment ? p->attachment : "");
			toc_entry(doc, d->titles[i], note, -1, NULL, d->numbers,
				  f ? 14 : 0, toc);
		}
	}
}

/* Every Markdown part on a new page; returns 0 or -1 after an error. */
static int
dossier_documents(dossier *d)
{
	layout_doc *doc = d->doc;
	const char *folder = NULL;
	int rc = 0;

	for (size_t i = 0; i < d->n_parts && rc == 0; i++) {
		const typeset_part *p = &d->parts[i];
		const char *f = part_folder(p);
		int an = -1;
		if (!p->md && !d->pdfs[i]) {
			g_array_append_val(d->part_anchor, an);
			continue;
		}
		g_autofree char *prefix = g_strdup_printf("d%zu-", i + 1);
		g_autofree char *name = g_strdup_printf("part-%zu", i + 1);
		layout_begin_part(doc, d->titles[i], prefix, TRUE, d->base + 1);
		/* Each document is a Part of the dossier's tree. */
		doc->flow_st = layout_struct_new(doc, NULL, LAYOUT_ROLE_PART);
		if (f && (!folder || strcmp(f, folder) != 0)) {
			g_autofree char *fname = g_strdup_printf("folder-%zu", i + 1);
			g_autofree char *ft = folder_title(f);
			layout_add_anchor(doc, fname, ft, 0);
		}
		folder = f;
		an = layout_add_anchor(doc, name, d->titles[i], d->base);
		g_array_append_val(d->part_anchor, an);
		/* Where a cross-reference from another part leads. */
		layout_part *lp = &g_array_index(doc->parts, layout_part, doc->parts->len - 1);
		lp->start = g_string_chunk_insert_const(doc->strings, name);
		if (p->md_file) {
			g_autofree char *canon = g_canonicalize_filename(p->md_file, "/");
			lp->file = g_string_chunk_insert_const(doc->strings, canon);
		}
		if (d->pdfs[i]) {	/* a supplied original, page by page */
			layout_supplied_pages(doc, d->pdfs[i]);
			continue;
		}
		guint before = doc->items->len;
		if (p->doc) {	/* laid out already: a copy */
			layout_append(doc, document_flow(p->doc));
		} else {
			g_autofree char *dir = document_dir(p->md_file);
			rc = layout_markdown(doc, d->roots[i],
					     p->md_file ? p->md_file : d->titles[i], dir);
		}
		ensure_item(doc, before);
	}
	return rc;
}

/* After pagination: the contents' page numbers, right-aligned. */
static void
dossier_page_numbers(dossier *d)
{
	layout_doc *doc = d->doc;
	GHashTable *nums = g_hash_table_new(NULL, NULL);

	for (guint k = 0; k < d->numbers->len; k++) {
		toc_number *tn = &g_array_index(d->numbers, toc_number, k);
		int a = g_array_index(d->part_anchor, int, tn->anchor);
		const layout_anchor *an = &g_array_index(doc->anchors,
							 layout_anchor, a);
		g_autofree char *s = g_strdup_printf("%d", an->page);
		pango_layout_set_text(tn->num, s, -1);
		g_hash_table_add(nums, tn->num);
	}
	for (guint p = 0; p < doc->pages->len; p++) {
		layout_page *pg = g_ptr_array_index(doc->pages, p);
		for (guint k = 0; k < pg->boxes->len; k++) {
			layout_box *b = g_ptr_array_index(pg->boxes, k);
			if (b->kind != LAYOUT_BOX_TEXT ||
			    !g_hash_table_contains(nums, b->layout))
				continue;
			PangoRectangle r;
			pango_layout_get_extents(b->layout, NULL, &r);
			double right = b->x + b->w;
			b->w = r.width / (double)PANGO_SCALE;
			b->x = right - b->w;
		}
	}
	g_hash_table_unref(nums);
}

static void
dossier_clear(dossier *d)
{
	g_array_free(d->part_anchor, TRUE);
	g_array_free(d->numbers, TRUE);
	for (size_t i = 0; i < d->n_parts; i++) {
		if (d->roots[i])
			cmark_node_free(d->roots[i]);
		g_free(d->titles[i]);
	}
	layout_free(d->doc);
	for (size_t i = 0; i < d->n_parts; i++)
		pdf_pages_free(d->pdfs[i]);	/* after the doc that shows them */
	g_free(d->roots);
	g_free(d->pdfs);
	g_free(d->titles);
}

int
typeset_dossier(const typeset_theme *theme, const typeset_meta *cover,
		const typeset_part *parts, size_t n_parts, const char *name,
		GBytes **pdf)
{
	typeset_theme *own = theme ? NULL : typeset_theme_default();
	const typeset_theme *th = theme ? theme : own;
	const char *paper = document_paper(th, cover);
	int pages = -1;

	*pdf = NULL;
	if (!paper) {
		typeset_theme_free(own);
		return -1;
	}
	/* Parts laid out already are drawn by other threads too: turns. */
	drawlock_turn turn = DRAWLOCK_OWN;
	for (size_t i = 0; i < n_parts; i++)
		if (parts[i].doc)
			turn = DRAWLOCK_OTHERS;
	drawlock_take(turn);
	PangoContext *pango = pdf_device_pango_context();
	document_direction(pango, cover, NULL, 0);
	dossier d = {
		.doc = layout_new(th, pango, paper, cover->footer, cover->flags),
		.parts = parts,
		.n_parts = n_parts,
		.numbers = g_array_new(FALSE, FALSE, sizeof(toc_number)),
		.part_anchor = g_array_new(FALSE, FALSE, sizeof(int)),
	};
	g_object_unref(pango);
	d.doc->pictures = cover->pictures;
	dossier_parse(&d);
	layout_cover(d.doc, cover);
	ensure_item(d.doc, 0);
	dossier_contents(&d);
	if (dossier_documents(&d) == 0) {
		layout_paginate(d.doc);
		dossier_page_numbers(&d);
		if (drawlock_render(turn, d.doc, cover, cover->title, name, pdf) == 0)
			pages = (int)d.doc->pages->len;
	}
	dossier_clear(&d);
	drawlock_give(turn);
	typeset_theme_free(own);
	return pages;
}

/* layout_block.c - the cmark-gfm block tree to a flow of items (typeset stage).
 *
 * Walks the blocks of a parsed Markdown document - headings, paragraphs,
 * lists and task lists, block quotes, code and HTML blocks, rules, images;
 * tables go to layout_table.c - and turns each into items of the flow: one
 * item per line of text, so that pagination (layout_page.c) can break
 * between any two lines while keeping headings with what follows and
 * leaving no widow or orphan line.  Spacing between blocks collapses like
 * CSS margins: the larger of the two wins, and it disappears at the top of
 * a page.
 */
#include <string.h>

#include <cmark-gfm-core-extensions.h>

#include "base/diag.h"
#include "typeset/layout.h"

extern cmark_node_type CMARK_NODE_TABLE;

/* Deeper nesting than this is laid out flat, as plain text. */
#define LAYOUT_MAX_DEPTH 48

/* ---- the doc ------------------------------------------------------------- */

layout_doc *
layout_new(const typeset_theme *theme, PangoContext *pango, const char *paper,
	   const char *footer, unsigned flags)
{
	layout_doc *doc = g_new0(layout_doc, 1);

	doc->theme = theme;
	doc->pango = g_object_ref(pango);
	doc->flags = flags;
	if (!layout_paper_size(paper, &doc->page_w, &doc->page_h))
		layout_paper_size("a4", &doc->page_w, &doc->page_h);
	doc->col_x = theme->margin_left;
	doc->col_w = doc->page_w - theme->margin_left - theme->margin_right;
	doc->body_top = theme->margin_top;
	doc->body_bottom = doc->page_h - theme->margin_bottom;
	doc->footer = g_strdup(footer);
	doc->items = g_ptr_array_new();
	doc->frames = g_ptr_array_new_with_free_func(g_free);
	doc->images = g_ptr_array_new();
	doc->anchors = g_array_new(FALSE, TRUE, sizeof(layout_anchor));
	doc->parts = g_array_new(FALSE, TRUE, sizeof(layout_part));
	doc->pages = g_ptr_array_new();
	doc->strings = g_string_chunk_new(4096);
	doc->pending_anchors = g_array_new(FALSE, FALSE, sizeof(guint));
	return doc;
}

void
layout_box_free(layout_box *b)
{
	if (b->layout)
		g_object_unref(b->layout);
	g_free(b);
}

static void
item_free(layout_item *it)
{
	g_ptr_array_free(it->boxes, TRUE);
	g_free(it->frames);
	g_free(it);
}

void
layout_free(layout_doc *doc)
{
	if (!doc)
		return;
	for (guint i = 0; i < doc->items->len; i++)
		item_free(g_ptr_array_index(doc->items, i));
	g_ptr_array_free(doc->items, TRUE);
	for (guint i = 0; i < doc->pages->len; i++) {
		layout_page *pg = g_ptr_array_index(doc->pages, i);
		g_ptr_array_free(pg->boxes, TRUE);
		g_free(pg);
	}
	g_ptr_array_free(doc->pages, TRUE);
	for (guint i = 0; i < doc->images->len; i++) {
		layout_image *im = g_ptr_array_index(doc->images, i);
		g_free(im->path);
		if (im->data)
			g_bytes_unref(im->data);
		g_free(im);
	}
	g_ptr_array_free(doc->images, TRUE);
	for (guint i = 0; i < doc->parts->len; i++)
		g_hash_table_unref(g_array_index(doc->parts, layout_part, i).slugs);
	g_array_free(doc->parts, TRUE);
	g_array_free(doc->anchors, TRUE);
	g_array_free(doc->pending_anchors, TRUE);
	g_ptr_array_free(doc->frames, TRUE);
	g_string_chunk_free(doc->strings);
	g_object_unref(doc->pango);
	g_free(doc->footer);
	g_free(doc->first_heading);
	g_free(doc);
}

void
layout_begin_part(layout_doc *doc, const char *title, const char *prefix,
		  gboolean furniture, int outline_level)
{
	layout_part p = {
		.title = title ? g_string_chunk_insert(doc->strings, title) : NULL,
		.furniture = furniture,
		.prefix = g_string_chunk_insert(doc->strings, prefix ? prefix : ""),
		.slugs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	};
	g_array_append_val(doc->parts, p);
	doc->anchor_level = outline_level;
	doc->break_pending = doc->items->len > 0;
}

int
layout_add_anchor(layout_doc *doc, const char *name, const char *title,
		  int level)
{
	layout_anchor a = {
		.name = g_string_chunk_insert_const(doc->strings, name),
		.title = g_string_chunk_insert(doc->strings, title ? title : ""),
		.level = level,
	};
	guint idx = doc->anchors->len;

	g_array_append_val(doc->anchors, a);
	g_array_append_val(doc->pending_anchors, idx);
	return (int)idx;
}

/* ---- items and boxes ------------------------------------------------------ */

layout_box *
layout_box_new(layout_box_kind kind, double x, double y, double w, double h)
{
	layout_box *b = g_new0(layout_box, 1);

	b->kind = kind;
	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
	return b;
}

layout_box *
layout_box_add(layout_item *item, layout_box_kind kind, double x, double y,
	       double w, double h)
{
	layout_box *b = layout_box_new(kind, x, y, w, h);
	g_ptr_array_add(item->boxes, b);
	return b;
}

layout_item *
layout_item_new(layout_ctx *ctx, double h)
{
	layout_doc *doc = ctx->doc;
	layout_item *it = g_new0(layout_item, 1);

	it->h = h;
	it->space_before = ctx->gap;
	ctx->gap = 0;
	it->boxes = g_ptr_array_new_with_free_func((GDestroyNotify)layout_box_free);
	if (ctx->frames && ctx->frames->len) {
		it->n_frames = (int)ctx->frames->len;
		it->frames = g_memdup2(ctx->frames->pdata,
				       sizeof(layout_frame *) * ctx->frames->len);
		for (int i = 0; i < it->n_frames; i++) {
			layout_frame *f = it->frames[i];
			if (!f->used)
				f->first = doc->items->len;
			f->used = TRUE;
			f->last = doc->items->len;
		}
	}
	it->part = (int)doc->parts->len - 1;
	it->index = doc->items->len;
	if (doc->break_pending) {
		it->break_before = TRUE;
		doc->break_pending = FALSE;
	}
	for (guint i = 0; i < doc->pending_anchors->len; i++) {
		guint a = g_array_index(doc->pending_anchors, guint, i);
		layout_anchor *an = &g_array_index(doc->anchors, layout_anchor, a);
		an->item = doc->items->len;
		layout_box *b = layout_box_add(it, LAYOUT_BOX_DEST, ctx->x, 0, 0, 0);
		b->target = an->name;
	}
	g_array_set_size(doc->pending_anchors, 0);
	g_ptr_array_add(doc->items, it);
	return it;
}

void
layout_want_gap(layout_ctx *ctx, double space)
{
	if (space > ctx->gap)
		ctx->gap = space;
}

void
layout_take_marker(layout_ctx *ctx, layout_item *item, double baseline)
{
	if (!ctx->marker)
		return;
	for (guint i = 0; i < ctx->marker->len; i++) {
		layout_box *b = g_ptr_array_index(ctx->marker, i);
		b->y += baseline;
		b->baseline += baseline;
		g_ptr_array_add(item->boxes, b);
	}
	g_ptr_array_free(ctx->marker, TRUE);
	ctx->marker = NULL;
}

static void
add_link_boxes(layout_item *item, PangoLayoutLine *line, GArray *links,
	       double x0, double top, double h, const char *file, int src_line)
{
	guint ls = (guint)line->start_index, le = ls + (guint)line->length;

	for (guint k = 0; links && k < links->len; k++) {
		layout_link *l = &g_array_index(links, layout_link, k);
		if (l->end <= ls || l->start >= le)
			continue;
		int *ranges = NULL, n = 0;
		pango_layout_line_get_x_ranges(line, (int)MAX(l->start, ls),
					       (int)MIN(l->end, le), &ranges, &n);
		for (int r = 0; r < n; r++) {
			double a = ranges[2 * r] / (double)PANGO_SCALE;
			double b = ranges[2 * r + 1] / (double)PANGO_SCALE;
			if (b - a < 0.5)
				continue;
			layout_box *box = layout_box_add(item, LAYOUT_BOX_LINK,
							 x0 + a, top, b - a, h);
			box->target = l->target;
			box->file = file;
			box->src_line = l->line > 0 ? l->line : src_line;
			box->src_col = l->line > 0 ? l->col : 0;
		}
		g_free(ranges);
	}
}

void
layout_add_lines_padded(layout_ctx *ctx, PangoLayout *pl, double dx,
			GArray *links, gboolean keep, int src_line,
			double pad_top, double pad_bottom)
{
	PangoLayoutIter *iter = pango_layout_get_iter(pl);
	int n = pango_layout_get_line_count(pl), i = 0;
	double x0 = ctx->x + dx;

	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
		PangoRectangle logical;
		int y0, y1;
		pango_layout_iter_get_line_yrange(iter, &y0, &y1);
		pango_layout_iter_get_line_extents(iter, NULL, &logical);
		double base = (pango_layout_iter_get_baseline(iter) - y0) /
			(double)PANGO_SCALE;
		double h = (y1 - y0) / (double)PANGO_SCALE;
		double top = i == 0 ? pad_top : 0;
		double extra = i == n - 1 ? pad_bottom : 0;

		layout_item *it = layout_item_new(ctx, top + h + extra);
		layout_box *b = layout_box_add(it, LAYOUT_BOX_TEXT,
					       x0 + logical.x / (double)PANGO_SCALE,
					       top, logical.width / (double)PANGO_SCALE, h);
		b->baseline = top + base;
		b->layout = g_object_ref(pl);
		b->line = i;
		if (i == 0)
			layout_take_marker(ctx, it, top + base);
		add_link_boxes(it, line, links, x0, top, h, ctx->file, src_line);
		/* No orphan (first line alone at a page bottom), no widow (last
		 * line alone at a page top). */
		it->keep_with_next = (n >= 2 && i == 0) || (n >= 3 && i == n - 2) ||
			(keep && i == n - 1);
		i++;
	} while (pango_layout_iter_next_line(iter));
	pango_layout_iter_free(iter);
}

void
layout_add_lines(layout_ctx *ctx, PangoLayout *pl, double dx, GArray *links,
		 gboolean keep, int src_line)
{
	layout_add_lines_padded(ctx, pl, dx, links, keep, src_line, 0, 0);
}

/* ---- blocks ------------------------------------------------------------ */

static void walk_children(layout_ctx *ctx, cmark_node *node, int depth);

static const layout_rgb *
text_color(const layout_ctx *ctx)
{
	return ctx->quote ? &ctx->doc->theme->color_muted :
		&ctx->doc->theme->color_text;
}

static double
para_space(const layout_ctx *ctx)
{
	return ctx->tight ? ctx->doc->theme->space_paragraph * 0.3 :
		ctx->doc->theme->space_paragraph;
}

static gboolean
blank(const char *s)
{
	for (; *s; s++)
		if (!g_ascii_isspace(*s))
			return FALSE;
	return TRUE;
}

/* An image on its own line, centred, scaled to fit, with its alt text as
 * caption.  A missing image is an error (a placeholder in draft mode). */
static void
layout_block_image(layout_ctx *ctx, cmark_node *img, int line)
{
	layout_doc *doc = ctx->doc;
	const typeset_theme *th = doc->theme;
	const char *url = cmark_node_get_url(img);
	g_autofree char *alt = layout_plain_text(img);
	/* cmark-gfm knows where an inline starts; the paragraph's line is
	 * the fallback. */
	if (cmark_node_get_start_line(img) > 0)
		line = cmark_node_get_start_line(img);
	layout_image *im = layout_image_load(ctx, url ? url : "", line,
					     cmark_node_get_start_column(img));
	layout_item *it;

	if (ctx->error)
		return;
	layout_want_gap(ctx, th->space_paragraph);
	if (im) {
		double w = im->width, h = im->height;
		double max_h = (doc->body_bottom - doc->body_top) * 0.85;
		if (w > ctx->w) {
			h *= ctx->w / w;
			w = ctx->w;
		}
		if (h > max_h) {
			w *= max_h / h;
			h = max_h;
		}
		it = layout_item_new(ctx, h);
		layout_take_marker(ctx, it, th->size_body);
		layout_box *b = layout_box_add(it, LAYOUT_BOX_IMAGE,
					       ctx->x + (ctx->w - w) / 2, 0, w, h);
		b->image = im;
	} else {
		/* Draft mode: a framed placeholder naming the file. */
		double h = th->size_body * 4;
		it = layout_item_new(ctx, h);
		layout_take_marker(ctx, it, th->size_body);
		layout_box *b = layout_box_add(it, LAYOUT_BOX_RECT, ctx->x, 0,
					       ctx->w, h);
		b->color = th->color_code_bg;
		g_autofree char *msg = g_strdup_printf("[missing image: %s]", url);
		PangoLayout *pl = layout_text(doc, LAYOUT_STYLE_SMALL, msg,
					      &th->color_muted);
		pango_layout_set_width(pl, (int)(ctx->w * PANGO_SCALE));
		pango_layout_set_alignment(pl, PANGO_ALIGN_CENTER);
		pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_MIDDLE);
		PangoRectangle r;
		pango_layout_get_extents(pl, NULL, &r);
		b = layout_box_add(it, LAYOUT_BOX_TEXT,
				   ctx->x + r.x / (double)PANGO_SCALE,
				   (h - r.height / (double)PANGO_SCALE) / 2,
				   r.width / (double)PANGO_SCALE,
				   r.height / (double)PANGO_SCALE);
		b->baseline = b->y + pango_layout_get_baseline(pl) /
			(double)PANGO_SCALE;
		b->layout = g_object_ref(pl);
		g_object_unref(pl);
	}
	if (*alt && !blank(alt)) {
		it->keep_with_next = TRUE;
		layout_inline in;
		layout_inline_init(&in, doc, line);
		layout_inline_add_text(&in, alt);
		PangoLayout *pl = layout_inline_layout(&in, LAYOUT_STYLE_SMALL, 0,
						       ctx->w, &th->color_muted);
		pango_layout_set_alignment(pl, PANGO_ALIGN_CENTER);
		PangoFontDescription *fd = layout_font(doc, LAYOUT_STYLE_SMALL, 0);
		pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
		pango_layout_set_font_description(pl, fd);
		pango_font_description_free(fd);
		layout_want_gap(ctx, 4);
		layout_add_lines(ctx, pl, 0, NULL, FALSE, line);
		g_object_unref(pl);
		layout_inline_clear(&in);
	}
	layout_want_gap(ctx, th->space_paragraph);
}

static void
layout_paragraph(layout_ctx *ctx, cmark_node *node)
{
	layout_doc *doc = ctx->doc;
	int line = cmark_node_get_start_line(node);
	layout_inline in;

	layout_inline_init(&in, doc, line);
	in.collect_images = TRUE;
	layout_inline_add_children(&in, node);
	layout_want_gap(ctx, para_space(ctx));
	if (!blank(in.text->str) || in.images->len == 0) {
		PangoLayout *pl = layout_inline_layout(&in, LAYOUT_STYLE_BODY, 0,
						       ctx->w, text_color(ctx));
		layout_add_lines(ctx, pl, 0, in.links, FALSE, line);
		g_object_unref(pl);
	}
	for (guint i = 0; i < in.images->len && !ctx->error; i++)
		layout_block_image(ctx, g_ptr_array_index(in.images, i), line);
	layout_want_gap(ctx, para_space(ctx));
	layout_inline_clear(&in);
}

/* A heading: a destination and outline entry, kept with what follows. */
static void
layout_heading(layout_ctx *ctx, cmark_node *node)
{
	layout_doc *doc = ctx->doc;
	const typeset_theme *th = doc->theme;
	int level = CLAMP(cmark_node_get_heading_level(node), 1, 6);
	int line = cmark_node_get_start_line(node);
	layout_part *part = &g_array_index(doc->parts, layout_part,
					   doc->parts->len - 1);
	layout_inline in;

	layout_inline_init(&in, doc, line);
	layout_inline_add_children(&in, node);

	g_autofree char *plain = layout_plain_text(node);
	g_strstrip(plain);
	g_autofree char *slug = layout_slug(plain);
	guint uses = GPOINTER_TO_UINT(g_hash_table_lookup(part->slugs, slug));
	g_hash_table_replace(part->slugs, g_strdup(slug), GUINT_TO_POINTER(uses + 1));
	g_autofree char *name = uses ?
		g_strdup_printf("%s%s-%u", part->prefix, slug, uses) :
		g_strdup_printf("%s%s", part->prefix, slug);
	if (!doc->first_heading && *plain)
		doc->first_heading = g_strdup(plain);
	/* In the dossier an h1 repeating the document's title would repeat
	 * the document's own bookmark: its sections go under that instead. */
	int outline = doc->anchor_level < 0 ? -1 : doc->anchor_level + level - 1;
	if (level == 1 && part->title && !part->title_seen &&
	    strcmp(plain, part->title) == 0) {
		part->title_seen = TRUE;
		outline = -1;
	}
	layout_add_anchor(doc, name, plain, outline);

	/* Space above shrinks with the level: 1.6x for h1 ... 0.6x for h6. */
	static const double above[6] = { 1.6, 1.25, 1.0, 0.8, 0.7, 0.6 };
	layout_want_gap(ctx, th->space_heading * above[level - 1]);
	PangoLayout *pl = layout_inline_layout(&in, LAYOUT_STYLE_HEADING, level,
					       ctx->w, &th->color_heading);
	layout_add_lines(ctx, pl, 0, in.links, TRUE, line);
	g_object_unref(pl);
	if (level == 1) {
		layout_item *it = layout_item_new(ctx, 5);
		layout_box *b = layout_box_add(it, LAYOUT_BOX_LINE, ctx->x, 3,
					       ctx->w, 0);
		b->color = th->color_accent;
		b->stroke = 1.2;
		it->keep_with_next = TRUE;
	}
	layout_want_gap(ctx, th->size_h[level - 1] * 0.45);
	layout_inline_clear(&in);
}

/* Code and HTML blocks: monospace, wrapped at any character, never clipped.
 * Code sits on a tinted ground drawn per page (a frame). */
static void
layout_literal_block(layout_ctx *ctx, cmark_node *node, gboolean code)
{
	layout_doc *doc = ctx->doc;
	const typeset_theme *th = doc->theme;
	const char *lit = cmark_node_get_literal(node);
	size_t len = lit ? strlen(lit) : 0;
	double pad = code ? th->code_padding : 0;
	layout_inline in;

	if (len && lit[len - 1] == '\n')
		len--;
	layout_inline_init(&in, doc, cmark_node_get_start_line(node));
	layout_inline_add_len(&in, lit ? lit : "", (gssize)len);
	PangoLayout *pl = layout_inline_layout(&in, LAYOUT_STYLE_CODE, 0,
					       ctx->w - 2 * pad,
					       code ? &th->color_text : &th->color_muted);
	layout_want_gap(ctx, para_space(ctx) + (ctx->tight ? 2 : 0));
	if (code) {
		layout_frame *f = g_new0(layout_frame, 1);
		f->kind = LAYOUT_FRAME_CODE;
		f->x = ctx->x;
		f->w = ctx->w;
		f->color = th->color_code_bg;
		f->pad = pad;
		g_ptr_array_add(doc->frames, f);
		g_ptr_array_add(ctx->frames, f);
	}
	layout_add_lines_padded(ctx, pl, pad, NULL, FALSE, in.line, pad, pad);
	if (code)
		g_ptr_array_set_size(ctx->frames, ctx->frames->len - 1);
	layout_want_gap(ctx, para_space(ctx) + (ctx->tight ? 2 : 0));
	g_object_unref(pl);
	layout_inline_clear(&in);
}

static void
layout_rule(layout_ctx *ctx)
{
	const typeset_theme *th = ctx->doc->theme;

	layout_want_gap(ctx, th->space_paragraph * 1.2);
	layout_item *it = layout_item_new(ctx, 1);
	it->discardable = ctx->marker == NULL && it->n_frames == 0;
	layout_take_marker(ctx, it, 0);
	layout_box *b = layout_box_add(it, LAYOUT_BOX_LINE, ctx->x, 0.5, ctx->w, 0);
	b->color = th->color_rule;
	b->stroke = 0.75;
	layout_want_gap(ctx, th->space_paragraph * 1.2);
}

/* Narrow the column for a nested block, but never below a third of the
 * page's column: deep nesting then stops indenting instead of vanishing. */
static double
indent_by(const layout_ctx *ctx, double want)
{
	if (ctx->w - want < ctx->doc->col_w / 3)
		return 0;
	return want;
}

static void
layout_quote(layout_ctx *ctx, cmark_node *node, int depth)
{
	layout_doc *doc = ctx->doc;
	const typeset_theme *th = doc->theme;
	double in = indent_by(ctx, th->quote_indent);
	layout_frame *f = g_new0(layout_frame, 1);
	layout_ctx sub = *ctx;

	f->kind = LAYOUT_FRAME_QUOTE;
	f->x = ctx->x + 1;
	f->w = 2.5;
	f->color = th->color_quote_bar;
	g_ptr_array_add(doc->frames, f);
	layout_want_gap(ctx, para_space(ctx));
	sub.gap = ctx->gap;
	if (in > 0)
		g_ptr_array_add(ctx->frames, f);
	sub.x += in;
	sub.w -= in;
	sub.quote = TRUE;
	sub.tight = FALSE;
	walk_children(&sub, node, depth + 1);
	if (in > 0)
		g_ptr_array_set_size(ctx->frames, ctx->frames->len - 1);
	ctx->gap = sub.gap;
	ctx->marker = sub.marker;
	ctx->error = sub.error;
	layout_want_gap(ctx, para_space(ctx));
}

static gboolean
is_task_item(cmark_node *item)
{
	const char *t = cmark_node_get_type_string(item);
	return t && strcmp(t, "tasklist") == 0;
}

/* The marker of a list item as boxes relative to its first baseline. */
static GPtrArray *
list_marker(layout_ctx *ctx, cmark_node *list, cmark_node *item, int number,
	    double gutter)
{
	layout_doc *doc = ctx->doc;
	const typeset_theme *th = doc->theme;
	GPtrArray *boxes = g_ptr_array_new();
	layout_box *b = g_new0(layout_box, 1);

	g_ptr_array_add(boxes, b);
	if (is_task_item(item)) {
		double s = th->size_body * 0.95;
		b->kind = LAYOUT_BOX_CHECKBOX;
		b->x = ctx->x + 1;
		b->y = -s * 0.85;
		b->w = b->h = s;
		b->color = th->color_accent;
		b->checked = cmark_gfm_extensions_get_tasklist_item_checked(item);
		return boxes;
	}
	char buf[32];
	if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
		g_snprintf(buf, sizeof buf, "%d%c", number,
			   cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ?
			   ')' : '.');
	} else {
		static const char *const bullets[] = { "•", "◦", "▪" };
		g_strlcpy(buf, bullets[ctx->list_depth % 3], sizeof buf);
	}
	PangoLayout *pl = layout_text(doc, LAYOUT_STYLE_BODY, buf,
				      cmark_node_get_list_type(list) == CMARK_ORDERED_LIST ?
				      text_color(ctx) : &th->color_accent);
	PangoRectangle r;
	pango_layout_get_extents(pl, NULL, &r);
	double w = r.width / (double)PANGO_SCALE;
	b->kind = LAYOUT_BOX_TEXT;
	b->x = ctx->x + gutter - w - th->size_body * 0.5;
	if (b->x < ctx->x)
		b->x = ctx->x;
	b->baseline = 0;
	b->y = -pango_layout_get_baseline(pl) / (double)PANGO_SCALE;
	b->w = w;
	b->h = r.height / (double)PANGO_SCALE;
	b->layout = pl;
	return boxes;
}

static void
layout_list(layout_ctx *ctx, cmark_node *list, int depth)
{
	layout_doc *doc = ctx->doc;
	const typeset_theme *th = doc->theme;
	gboolean tight = cmark_node_get_list_tight(list);
	int number = cmark_node_get_list_start(list);
	double gutter = th->list_indent;

	if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
		int count = 0;
		for (cmark_node *c = cmark_node_first_child(list); c;
		     c = cmark_node_next(c))
			count++;
		char buf[32];
		g_snprintf(buf, sizeof buf, "%d.", number + count - 1);
		PangoLayout *pl = layout_text(doc, LAYOUT_STYLE_BODY, buf,
					      &th->color_text);
		PangoRectangle r;
		pango_layout_get_extents(pl, NULL, &r);
		gutter = MAX(gutter, r.width / (double)PANGO_SCALE +
			     th->size_body * 0.8);
		g_object_unref(pl);
	}
	gutter = indent_by(ctx, gutter);
	layout_want_gap(ctx, para_space(ctx));
	for (cmark_node *item = cmark_node_first_child(list); item && !ctx->error;
	     item = cmark_node_next(item), number++) {
		layout_ctx sub = *ctx;
		if (item != cmark_node_first_child(list))
			layout_want_gap(ctx, tight ? th->space_paragraph * 0.25 :
					th->space_paragraph);
		sub.gap = ctx->gap;
		GPtrArray *m = list_marker(ctx, list, item, number, gutter);
		if (ctx->marker) {
			/* An item that starts another list ("- - a"): both
			 * markers go on its first line. */
			for (guint i = 0; i < m->len; i++)
				g_ptr_array_add(ctx->marker, g_ptr_array_index(m, i));
			g_ptr_array_free(m, TRUE);
			sub.marker = ctx->marker;
		} else {
			sub.marker = m;
		}
		sub.x += gutter;
		sub.w -= gutter;
		sub.tight = tight;
		sub.list_depth = ctx->list_depth + 1;
		walk_children(&sub, item, depth + 1);
		if (sub.marker) {
			/* An empty item still shows its marker. */
			layout_item *it = layout_item_new(&sub, th->size_body *
							  th->line_height * 1.17);
			layout_take_marker(&sub, it, th->size_body * 1.1);
		}
		ctx->gap = sub.gap;
		ctx->marker = NULL;
		ctx->error = sub.error;
	}
	layout_want_gap(ctx, para_space(ctx));
}

/* Too deep to indent: the plain text of the whole subtree. */
static void
layout_flat(layout_ctx *ctx, cmark_node *node)
{
	layout_inline in;
	g_autofree char *text = layout_plain_text(node);

	layout_inline_init(&in, ctx->doc, cmark_node_get_start_line(node));
	layout_inline_add_text(&in, text);
	PangoLayout *pl = layout_inline_layout(&in, LAYOUT_STYLE_BODY, 0, ctx->w,
					       text_color(ctx));
	layout_want_gap(ctx, para_space(ctx));
	layout_add_lines(ctx, pl, 0, NULL, FALSE, in.line);
	layout_want_gap(ctx, para_space(ctx));
	g_object_unref(pl);
	layout_inline_clear(&in);
}

/* An HTML block that is only a comment: a note to the author, not shown
 * (as on GitHub). */
static gboolean
is_comment(const char *lit)
{
	if (!lit)
		return FALSE;
	while (g_ascii_isspace(*lit))
		lit++;
	if (!g_str_has_prefix(lit, "<!--"))
		return FALSE;
	const char *end = strstr(lit + 4, "-->");
	if (!end)
		return FALSE;
	for (end += 3; *end; end++)
		if (!g_ascii_isspace(*end))
			return FALSE;
	return TRUE;
}

static void
walk_block(layout_ctx *ctx, cmark_node *node, int depth)
{
	cmark_node_type t = cmark_node_get_type(node);

	if (depth > LAYOUT_MAX_DEPTH) {
		layout_flat(ctx, node);
		return;
	}
	switch (t) {
	case CMARK_NODE_PARAGRAPH:
		layout_paragraph(ctx, node);
		break;
	case CMARK_NODE_HEADING:
		layout_heading(ctx, node);
		break;
	case CMARK_NODE_CODE_BLOCK:
		layout_literal_block(ctx, node, TRUE);
		break;
	case CMARK_NODE_HTML_BLOCK:
		if (!is_comment(cmark_node_get_literal(node)))
			layout_literal_block(ctx, node, FALSE);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		layout_rule(ctx);
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		layout_quote(ctx, node, depth);
		break;
	case CMARK_NODE_LIST:
		layout_list(ctx, node, depth);
		break;
	default:
		if (t == CMARK_NODE_TABLE)
			layout_table(ctx, node);
		else
			walk_children(ctx, node, depth + 1);
		break;
	}
}

static void
walk_children(layout_ctx *ctx, cmark_node *node, int depth)
{
	for (cmark_node *c = cmark_node_first_child(node); c && !ctx->error;
	     c = cmark_node_next(c))
		walk_block(ctx, c, depth);
}

int
layout_markdown(layout_doc *doc, cmark_node *root, const char *file,
		const char *base_dir)
{
	layout_ctx ctx = {
		.doc = doc,
		.file = file ? g_intern_string(file) : NULL,
		.base_dir = base_dir,
		.x = doc->col_x,
		.w = doc->col_w,
		.frames = g_ptr_array_new(),
	};

	if (doc->parts->len == 0)
		layout_begin_part(doc, NULL, "", TRUE, 0);
	walk_children(&ctx, root, 0);
	if (ctx.marker) {
		for (guint i = 0; i < ctx.marker->len; i++) {
			layout_box *b = g_ptr_array_index(ctx.marker, i);
			if (b->layout)
				g_object_unref(b->layout);
			g_free(b);
		}
		g_ptr_array_free(ctx.marker, TRUE);
	}
	g_ptr_array_free(ctx.frames, TRUE);
	return ctx.error ? -1 : 0;
}

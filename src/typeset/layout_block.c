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

/* Lines [0, upto) of `pl` as items, one per line.  `head`: pl starts the
 * block (padding above, the list marker, no orphan); `tail`: it ends the
 * block (padding below, no widow, `keep` on the last line). */
static void
add_lines(layout_ctx *ctx, PangoLayout *pl, double dx, GArray *links,
	  gboolean keep, int src_line, double pad_top, double pad_bottom,
	  int upto, gboolean head, gboolean tail)
{
	PangoLayoutIter *iter = pango_layout_get_iter(pl);
	int n = pango_layout_get_line_count(pl), i = 0;
	double x0 = ctx->x + dx;

	/* The widow rule of a block whose last piece is one line. */
	GPtrArray *items = ctx->sink ? ctx->sink : ctx->doc->items;
	if (tail && !head && n == 1 && items->len)
		((layout_item *)g_ptr_array_index(items, items->len - 1))->keep_with_next = TRUE;
	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
		PangoRectangle logical;
		int y0, y1;
		pango_layout_iter_get_line_yrange(iter, &y0, &y1);
		pango_layout_iter_get_line_extents(iter, NULL, &logical);
		double base = (pango_layout_iter_get_baseline(iter) - y0) /
			(double)PANGO_SCALE;
		double h = (y1 - y0) / (double)PANGO_SCALE;
		double top = head && i == 0 ? pad_top : 0;
		double extra = tail && i == n - 1 ? pad_bottom : 0;

		layout_item *it = layout_item_new(ctx, top + h + extra);
		layout_box *b = layout_box_add(it, LAYOUT_BOX_TEXT,
					       x0 + logical.x / (double)PANGO_SCALE,
					       top, logical.width / (double)PANGO_SCALE, h);
		b->baseline = top + base;
		b->layout = g_object_ref(pl);
		b->line = i;
		if (head && i == 0)
			layout_take_marker(ctx, it, top + base);
		layout_link_boxes(it->boxes, line, links, x0, top, h, 0.5, ctx->file,
				  src_line);
		/* No orphan (first line alone at a page bottom), no widow (last
		 * line alone at a page top). */
		it->keep_with_next = (head && i == 0 && (n >= 2 || !tail)) ||
			(tail && i == n - 2 && (n >= 3 || !head)) ||
			(tail && keep && i == n - 1);
		i++;
	} while (i < upto && pango_layout_iter_next_line(iter));
	pango_layout_iter_free(iter);
}

void
layout_add_lines_padded(layout_ctx *ctx, PangoLayout *pl, double dx,
			GArray *links, gboolean keep, int src_line,
			double pad_top, double pad_bottom)
{
	add_lines(ctx, pl, dx, links, keep, src_line, pad_top, pad_bottom,
		  G_MAXINT, TRUE, TRUE);
}

void
layout_add_lines(layout_ctx *ctx, PangoLayout *pl, double dx, GArray *links,
		 gboolean keep, int src_line)
{
	layout_add_lines_padded(ctx, pl, dx, links, keep, src_line, 0, 0);
}

/* Pango stops breaking lines somewhere past 200 KB of text in one layout:
 * the rest of a longer paragraph ends up on one endless line.  Text longer
 * than this is laid out in pieces: each piece's last line is laid out
 * again as the start of the next piece, so the lines break exactly where
 * one layout would break them (Pango fills lines greedily). */
#define LAYOUT_MAX_PIECE (64 * 1024)

void
layout_add_inline(layout_ctx *ctx, layout_inline *in, layout_style style,
		  const layout_rgb *color, double pad, int src_line)
{
	guint len = (guint)in->text->len, pos = 0;

	if (len <= LAYOUT_MAX_PIECE) {
		PangoLayout *pl = layout_inline_layout(in, style, 0,
						       ctx->w - 2 * pad, color);
		add_lines(ctx, pl, pad, in->links, FALSE, src_line, pad, pad,
			  G_MAXINT, TRUE, TRUE);
		g_object_unref(pl);
		return;
	}
	while (pos < len) {
		guint end = MIN(pos + LAYOUT_MAX_PIECE, len);
		while (end < len && (in->text->str[end] & 0xc0) == 0x80)
			end--;
		layout_inline piece;
		layout_inline_slice(in, pos, end, &piece);
		PangoLayout *pl = layout_inline_layout(&piece, style, 0,
						       ctx->w - 2 * pad, color);
		int n = pango_layout_get_line_count(pl);
		gboolean tail = end == len || n < 2;
		add_lines(ctx, pl, pad, piece.links, FALSE, src_line, pad, pad,
			  tail ? n : n - 1, pos == 0, end == len);
		if (tail) {
			pos = end;
		} else {
			PangoLayoutLine *last = pango_layout_get_line_readonly(pl, n - 1);
			pos += (guint)last->start_index;
		}
		g_object_unref(pl);
		layout_inline_clear(&piece);
	}
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
	return ctx->tight ? ctx->doc->theme->space_paragraph * ctx->doc->theme->space_tight :
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

/* The item of image `im`, centred and scaled to the column's width and to
 * 85% of the page's height. */
static layout_item *
image_item(layout_ctx *ctx, layout_image *im)
{
	layout_doc *doc = ctx->doc;
	double w = im->width, h = im->height;
	double max_h = (doc->body_bottom - doc->body_top) * doc->theme->figure_height;
	if (w > ctx->w) {
		h *= ctx->w / w;
		w = ctx->w;
	}
	if (h > max_h) {
		w *= max_h / h;
		h = max_h;
	}
	layout_item *it = layout_item_new(ctx, h);
	layout_take_marker(ctx, it, doc->theme->size_body);
	layout_box *b = layout_box_add(it, LAYOUT_BOX_IMAGE,
				       ctx->x + (ctx->w - w) / 2, 0, w, h);
	b->image = im;
	return it;
}

/* Draft mode: a framed placeholder naming the missing file. */
static layout_item *
image_placeholder(layout_ctx *ctx, const char *url)
{
	layout_doc *doc = ctx->doc;
	const typeset_theme *th = doc->theme;
	double h = th->size_body * 4;
	layout_item *it = layout_item_new(ctx, h);
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
	return it;
}

/* The alt text under an image, centred in the theme's caption size,
 * after its number in bold ("Figure 3. ", captions.label; figures are
 * counted from 1 in each document). */
static void
image_caption(layout_ctx *ctx, const char *alt, int line)
{
	layout_doc *doc = ctx->doc;
	const typeset_theme *th = doc->theme;
	layout_inline in;
	layout_inline_init(&in, doc, line);
	if (th->caption_label && *th->caption_label) {
		g_autofree char *num = g_strdup_printf("%s %d.", th->caption_label,
						       ++doc->figures);
		layout_inline_add_text(&in, num);
		/* Bold, upright and on one line. */
		PangoAttribute *a[3] = { pango_attr_weight_new(PANGO_WEIGHT_BOLD),
					 pango_attr_style_new(PANGO_STYLE_NORMAL),
					 pango_attr_allow_breaks_new(FALSE) };
		for (int k = 0; k < 3; k++) {
			a[k]->start_index = 0;
			a[k]->end_index = in.text->len;
			pango_attr_list_insert(in.attrs, a[k]);
		}
		layout_inline_add_text(&in, " ");
	}
	layout_inline_add_text(&in, alt);
	PangoLayout *pl = layout_inline_layout(&in, LAYOUT_STYLE_CAPTION, 0,
					       ctx->w, &th->color_muted);
	pango_layout_set_alignment(pl, PANGO_ALIGN_CENTER);
	layout_want_gap(ctx, th->space_caption);
	layout_add_lines(ctx, pl, 0, NULL, FALSE, line);
	g_object_unref(pl);
	layout_inline_clear(&in);
}

/* An image on its own line, centred, scaled to fit, with its alt text as
 * caption.  A missing image is an error (a placeholder in draft mode). */
/* What a screen reader says for a figure: its alt text, then what a chart
 * or diagram says of itself (its data), NULL when there is neither. */
static const char *
figure_alt(layout_doc *doc, const char *alt, const char *desc)
{
	gboolean has_alt = *alt && !blank(alt);
	if (!has_alt && !desc)
		return NULL;
	g_autofree char *a = g_strstrip(g_strdup(has_alt ? alt : ""));
	size_t n = strlen(a);
	g_autofree char *both = g_strconcat(a, !desc || !n ? "" : strchr(".!?", a[n - 1]) ? " " : ". ",
					    desc ? desc : "", NULL);
	return g_string_chunk_insert_const(doc->strings, both);
}

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

	if (ctx->error)
		return;
	layout_want_gap(ctx, th->space_paragraph);
	/* The image and its caption are one Figure: the caption is the
	 * figure's description in the tagged PDF. */
	layout_struct *outer = ctx->st;
	ctx->st = layout_struct_new(doc, outer, LAYOUT_ROLE_FIGURE);
	ctx->st->alt = figure_alt(doc, alt, im ? im->desc : NULL);
	if (ctx->list_depth == 0 && (!ctx->frames || ctx->frames->len == 0))
		doc->block++;	/* a block of its own: it may float */
	layout_item *it = im ? image_item(ctx, im) : image_placeholder(ctx, url);
	guint fig = it->index;
	if (*alt && !blank(alt)) {
		it->keep_with_next = TRUE;
		image_caption(ctx, alt, line);
	}
	/* A figure in a list or quote stays where it is (its marker or
	 * frame belongs to the flow around it). */
	if (it->n_frames == 0 && ctx->list_depth == 0)
		it->float_items = (int)(doc->items->len - fig);
	ctx->st = outer;
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
		layout_struct *outer = ctx->st;
		ctx->st = layout_struct_new(doc, outer, LAYOUT_ROLE_P);
		layout_add_inline(ctx, &in, LAYOUT_STYLE_BODY, text_color(ctx), 0,
				  line);
		ctx->st = outer;
		/* "... as follows:" introduces what comes next. */
		g_autofree char *plain = g_strchomp(g_strdup(in.text->str));
		if (g_str_has_suffix(plain, ":") && !ctx->sink && doc->items->len)
			((layout_item *)g_ptr_array_index(doc->items, doc->items->len - 1))->lead_in = TRUE;
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
	layout_struct *outer = ctx->st;
	ctx->st = layout_struct_new(doc, outer, LAYOUT_ROLE_H);
	ctx->st->level = level;
	PangoLayout *pl = layout_inline_layout(&in, LAYOUT_STYLE_HEADING, level,
					       ctx->w, &th->color_heading);
	GPtrArray *items = ctx->sink ? ctx->sink : doc->items;
	guint first = items->len;
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
	for (guint k = first; k < items->len; k++)
		((layout_item *)g_ptr_array_index(items, k))->heading = level;
	ctx->st = outer;
	layout_want_gap(ctx, th->size_h[level - 1] * th->space_after_heading);
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
	layout_want_gap(ctx, para_space(ctx) + (ctx->tight ? 2 : 0));
	if (code)
		g_ptr_array_add(ctx->frames,
				layout_frame_new(doc, LAYOUT_FRAME_CODE, ctx->x,
						 ctx->w, &th->color_code_bg, pad));
	layout_struct *outer = ctx->st;
	ctx->st = layout_struct_new(doc, outer, code ? LAYOUT_ROLE_CODE :
				    LAYOUT_ROLE_P);
	layout_add_inline(ctx, &in, LAYOUT_STYLE_CODE,
			  code ? &th->color_text : &th->color_muted, pad, in.line);
	ctx->st = outer;
	if (code)
		g_ptr_array_set_size(ctx->frames, ctx->frames->len - 1);
	layout_want_gap(ctx, para_space(ctx) + (ctx->tight ? 2 : 0));
	layout_inline_clear(&in);
}

static void
layout_rule(layout_ctx *ctx)
{
	const typeset_theme *th = ctx->doc->theme;

	layout_want_gap(ctx, th->space_paragraph * th->space_rule);
	layout_item *it = layout_item_new(ctx, 1);
	/* A rule belongs to what follows it: never the last thing on a page,
	 * and shown at the top of the page it moves to. */
	it->keep_with_next = TRUE;
	layout_take_marker(ctx, it, 0);
	layout_box *b = layout_box_add(it, LAYOUT_BOX_LINE, ctx->x, 0.5, ctx->w, 0);
	b->color = th->color_rule;
	b->stroke = 0.75;
	layout_want_gap(ctx, th->space_paragraph * th->space_rule);
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
	layout_frame *f = layout_frame_new(doc, LAYOUT_FRAME_QUOTE, ctx->x + 1,
					   2.5, &th->color_quote_bar, 0);
	layout_ctx sub = *ctx;

	layout_want_gap(ctx, para_space(ctx));
	sub.gap = ctx->gap;
	if (in > 0)
		g_ptr_array_add(ctx->frames, f);
	sub.x += in;
	sub.w -= in;
	sub.quote = TRUE;
	sub.tight = FALSE;
	sub.st = layout_struct_new(doc, ctx->st, LAYOUT_ROLE_BLOCKQUOTE);
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
	    double gutter, const layout_struct *lbl)
{
	layout_doc *doc = ctx->doc;
	const typeset_theme *th = doc->theme;
	GPtrArray *boxes = layout_box_list_new();

	if (is_task_item(item)) {
		double s = th->size_body * 0.95;
		layout_box *b = layout_box_new(LAYOUT_BOX_CHECKBOX, ctx->x + 1,
					       -s * 0.85, s, s);
		g_ptr_array_add(boxes, b);
		b->color = th->color_accent;
		b->checked = cmark_gfm_extensions_get_tasklist_item_checked(item);
		b->st = lbl;
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
	layout_box *b = layout_box_new(LAYOUT_BOX_TEXT,
				       MAX(ctx->x + gutter - w - th->size_body * th->marker_gap, ctx->x),
				       -pango_layout_get_baseline(pl) / (double)PANGO_SCALE,
				       w, r.height / (double)PANGO_SCALE);
	g_ptr_array_add(boxes, b);
	b->layout = pl;
	b->st = lbl;
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
			     th->size_body * th->number_gutter);
		g_object_unref(pl);
	}
	gutter = indent_by(ctx, gutter);
	layout_want_gap(ctx, para_space(ctx));
	/* A list inside an item, after its text: the item keeps with its
	 * first sub-item. */
	if (ctx->list_depth > 0 && cmark_node_previous(list) && !ctx->sink &&
	    doc->items->len)
		((layout_item *)g_ptr_array_index(doc->items, doc->items->len - 1))->keep_with_next = TRUE;
	layout_struct *l = layout_struct_new(doc, ctx->st, LAYOUT_ROLE_L);
	for (cmark_node *item = cmark_node_first_child(list); item && !ctx->error;
	     item = cmark_node_next(item), number++) {
		layout_ctx sub = *ctx;
		if (item != cmark_node_first_child(list))
			layout_want_gap(ctx, tight ? th->space_paragraph * th->space_tight_items :
					th->space_paragraph);
		sub.gap = ctx->gap;
		/* LI: its marker (Lbl), then its content (LBody). */
		layout_struct *li = layout_struct_new(doc, l, LAYOUT_ROLE_LI);
		layout_struct *lbl = layout_struct_new(doc, li, LAYOUT_ROLE_LBL);
		sub.st = layout_struct_new(doc, li, LAYOUT_ROLE_LBODY);
		GPtrArray *m = list_marker(ctx, list, item, number, gutter, lbl);
		if (ctx->marker) {
			/* An item that starts another list ("- - a"): both
			 * markers go on its first line. */
			g_ptr_array_extend_and_steal(ctx->marker, m);
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
	layout_want_gap(ctx, para_space(ctx));
	layout_struct *outer = ctx->st;
	ctx->st = layout_struct_new(ctx->doc, outer, LAYOUT_ROLE_P);
	layout_add_inline(ctx, &in, LAYOUT_STYLE_BODY, text_color(ctx), 0,
			  in.line);
	ctx->st = outer;
	layout_want_gap(ctx, para_space(ctx));
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
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		break;		/* typeset at the foot of its page */
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

/* ---- footnotes ----------------------------------------------------------- */

/* A footnote's number as it stands in front of the note: a superscript. */
static PangoLayout *
note_label(layout_doc *doc, int number)
{
	layout_inline in;
	char buf[16];

	g_snprintf(buf, sizeof buf, "%d", number);
	layout_inline_init(&in, doc, 0);
	layout_inline_add_super(&in, buf);
	PangoLayout *pl = layout_inline_layout(&in, LAYOUT_STYLE_NOTE, 0, -1,
					       &doc->theme->color_text);
	layout_inline_clear(&in);
	return pl;
}

/* The lines of one footnote into note->lines: its number in a gutter
 * `gutter` wide (linking back to the first reference, and the place its
 * references link to), its paragraphs in the note style beside it.
 * Blocks other than paragraphs are set as their plain text. */
static void
layout_note_lines(layout_ctx *ctx, layout_note *note, cmark_node *def,
		  double gutter)
{
	layout_doc *doc = ctx->doc;
	const typeset_theme *th = doc->theme;
	layout_ctx sub = *ctx;
	PangoLayout *label = note_label(doc, note->number);
	PangoRectangle r;

	sub.sink = note->lines;
	sub.st = note->st;
	sub.x = ctx->x + gutter;
	sub.w = ctx->w - gutter;
	sub.list_depth = 0;
	sub.tight = sub.quote = FALSE;
	pango_layout_get_extents(label, NULL, &r);
	double lw = r.width / (double)PANGO_SCALE;
	double lx = ctx->x + gutter - lw - th->size_small * th->note_number_gap;
	double base = pango_layout_get_baseline(label) / (double)PANGO_SCALE;
	sub.marker = layout_box_list_new();
	layout_box *b = layout_box_new(LAYOUT_BOX_TEXT, lx, -base, lw,
				       r.height / (double)PANGO_SCALE);
	b->layout = label;
	g_ptr_array_add(sub.marker, b);
	b = layout_box_new(LAYOUT_BOX_LINK, lx - 1, -th->size_small, lw + 2,
			   th->size_small * 1.2);
	g_autofree char *back = g_strdup_printf("#fnref:%d", note->number);
	b->target = g_string_chunk_insert_const(doc->strings, back);
	b->file = ctx->file;
	b->src_line = cmark_node_get_start_line(def);
	g_ptr_array_add(sub.marker, b);
	b = layout_box_new(LAYOUT_BOX_DEST, ctx->x, -th->size_small, 0, 0);
	b->target = note->name;
	g_ptr_array_add(sub.marker, b);

	/* A little space above each note and between its paragraphs. */
	sub.gap = th->size_small * th->note_gap;
	for (cmark_node *c = cmark_node_first_child(def); c; c = cmark_node_next(c)) {
		layout_inline in;
		int line = cmark_node_get_start_line(c);
		layout_inline_init(&in, doc, line);
		if (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH) {
			layout_inline_add_children(&in, c);
		} else {
			g_autofree char *text = layout_plain_text(c);
			g_strchomp(text);
			layout_inline_add_text(&in, text);
		}
		layout_want_gap(&sub, th->size_small * th->note_gap);
		layout_add_inline(&sub, &in, LAYOUT_STYLE_NOTE, &th->color_text,
				  0, line);
		layout_inline_clear(&in);
	}
	if (sub.marker) {
		/* An empty note still shows its number. */
		layout_item *it = layout_item_new(&sub, th->size_small * 1.2);
		layout_take_marker(&sub, it, th->size_small);
	}
	/* The number is drawn (and read) before the text it numbers. */
	GPtrArray *first = ((layout_item *)g_ptr_array_index(note->lines, 0))->boxes;
	for (guint k = 1; k < first->len; k++) {
		if (((layout_box *)g_ptr_array_index(first, k))->layout == label) {
			gpointer b0 = g_ptr_array_steal_index(first, k);
			g_ptr_array_insert(first, 0, b0);
			break;
		}
	}
}

/* The footnote definitions of a document, which cmark-gfm has put at its
 * end in the order of their first references: a note each, made before
 * the text (references look their note up) and laid out after it. */
static GPtrArray *
notes_begin(layout_doc *doc, cmark_node *root)
{
	GPtrArray *defs = g_ptr_array_new();

	doc->note_base = doc->notes->len;
	for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) != CMARK_NODE_FOOTNOTE_DEFINITION)
			continue;
		layout_note_new(doc, (int)defs->len + 1);
		g_ptr_array_add(defs, c);
	}
	return defs;
}

static void
notes_end(layout_ctx *ctx, GPtrArray *defs)
{
	layout_doc *doc = ctx->doc;
	double gutter = 0;

	if (defs->len) {
		PangoLayout *pl = note_label(doc, (int)defs->len);
		PangoRectangle r;
		pango_layout_get_extents(pl, NULL, &r);
		gutter = MAX(r.width / (double)PANGO_SCALE, doc->theme->size_small) +
			doc->theme->size_small * doc->theme->note_gutter;
		g_object_unref(pl);
	}
	for (guint i = 0; i < defs->len && !ctx->error; i++) {
		layout_note *n = g_ptr_array_index(doc->notes, doc->note_base + i);
		/* Not cited in the text: after it (a note cited in a note
		 * gets its element here, as its number comes after them). */
		if (!n->st)
			n->st = layout_struct_new(doc, ctx->st, LAYOUT_ROLE_NOTE);
		layout_note_lines(ctx, n, g_ptr_array_index(defs, i), gutter);
	}
	/* A note whose references were all left out (in an image's alt
	 * text) has nothing to link back to. */
	for (guint i = 0; i < defs->len && !ctx->error; i++) {
		layout_note *n = g_ptr_array_index(doc->notes, doc->note_base + i);
		if (n->referenced || !n->lines->len)
			continue;
		layout_item *first = g_ptr_array_index(n->lines, 0);
		for (guint k = 0; k < first->boxes->len; k++) {
			layout_box *b = g_ptr_array_index(first->boxes, k);
			if (b->kind == LAYOUT_BOX_LINK && g_str_has_prefix(b->target, "#fnref:")) {
				g_ptr_array_remove_index(first->boxes, k);
				break;
			}
		}
	}
	g_ptr_array_free(defs, TRUE);
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
		.st = doc->flow_st,
	};

	if (doc->parts->len == 0)
		layout_begin_part(doc, NULL, "", TRUE, 0);
	doc->file = ctx.file;
	GPtrArray *defs = notes_begin(doc, root);
	guint cited = doc->note_base;
	for (cmark_node *c = cmark_node_first_child(root); c && !ctx.error;
	     c = cmark_node_next(c)) {
		guint first_st = doc->structs->len;
		doc->block++;
		walk_block(&ctx, c, 0);
		/* The NOTE element of each note this block cites first comes
		 * right after the block's own elements, so that it is read
		 * after the text citing it: inside the block when that is a
		 * paragraph or heading, else after it. */
		layout_struct *in = first_st < doc->structs->len ?
			g_ptr_array_index(doc->structs, first_st) : NULL;
		if (!in || in->parent != ctx.st ||
		    (in->role != LAYOUT_ROLE_P && in->role != LAYOUT_ROLE_H))
			in = ctx.st;
		for (; cited < doc->notes->len; cited++) {
			layout_note *n = g_ptr_array_index(doc->notes, cited);
			if (!n->referenced)
				break;
			n->st = layout_struct_new(doc, in, LAYOUT_ROLE_NOTE);
		}
	}
	ctx.gap = 0;
	notes_end(&ctx, defs);
	if (ctx.marker)
		g_ptr_array_free(ctx.marker, TRUE);
	g_ptr_array_free(ctx.frames, TRUE);
	if (!ctx.error && layout_report_missing_glyphs(doc, ctx.file) < 0)
		ctx.error = 1;
	g_array_set_size(doc->missing, 0);
	return ctx.error ? -1 : 0;
}

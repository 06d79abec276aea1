/* layout_doc.c - the life of a layout: document, parts, anchors, items and
 * boxes (typeset stage).
 *
 * Every layout_doc, layout_item, layout_note and layout_box is made and
 * freed here, and nowhere else: the block walk (layout_block.c), tables (layout_table.c),
 * pagination (layout_page.c) and the dossier (dossier.c) ask this file for
 * them.  It calls no other layout file, so the layout files form no circle:
 * block → table → doc, block → inline → doc, page → doc.
 *
 * Ownership: a doc owns its items, notes, pages, frames, images, anchors,
 * parts and strings; an item owns its boxes; a box holds a reference to its
 * PangoLayout.
 */
#include <string.h>

#include "typeset/layout.h"

gboolean
layout_paper_size(const char *name, double *w, double *h)
{
	if (!name || g_ascii_strcasecmp(name, "a4") == 0) {
		*w = 595.2756;	/* 210 mm */
		*h = 841.8898;	/* 297 mm */
		return TRUE;
	}
	if (g_ascii_strcasecmp(name, "letter") == 0) {
		*w = 612;	/* 8.5 in */
		*h = 792;	/* 11 in */
		return TRUE;
	}
	return FALSE;
}

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
	doc->shared_images = g_ptr_array_new();
	doc->anchors = g_array_new(FALSE, TRUE, sizeof(layout_anchor));
	doc->notes = g_ptr_array_new();
	doc->parts = g_array_new(FALSE, TRUE, sizeof(layout_part));
	doc->pages = g_ptr_array_new();
	doc->strings = g_string_chunk_new(4096);
	doc->pending_anchors = g_array_new(FALSE, FALSE, sizeof(guint));
	doc->structs = g_ptr_array_new_with_free_func(g_free);
	doc->flow_st = layout_struct_new(doc, NULL, LAYOUT_ROLE_DOCUMENT);
	doc->missing = g_array_new(FALSE, FALSE, sizeof(layout_missing));
	return doc;
}

layout_struct *
layout_struct_new(layout_doc *doc, layout_struct *parent, layout_role role)
{
	layout_struct *st = g_new0(layout_struct, 1);

	st->role = role;
	st->parent = parent ? parent : (doc->structs->len ?
					g_ptr_array_index(doc->structs, 0) : NULL);
	st->id = doc->structs->len;
	g_ptr_array_add(doc->structs, st);
	return st;
}

void
layout_box_free(layout_box *b)
{
	if (!b)
		return;
	if (b->layout)
		g_object_unref(b->layout);
	g_free(b);
}

static void
item_free(layout_item *it)
{
	g_ptr_array_free(it->boxes, TRUE);
	layout_box_free(it->cut_top);
	layout_box_free(it->cut_bottom);
	if (it->cont_boxes)
		g_ptr_array_free(it->cont_boxes, TRUE);
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
	for (guint i = 0; i < doc->notes->len; i++) {
		layout_note *n = g_ptr_array_index(doc->notes, i);
		for (guint k = 0; k < n->lines->len; k++)
			item_free(g_ptr_array_index(n->lines, k));
		g_ptr_array_free(n->lines, TRUE);
		g_free(n);
	}
	g_ptr_array_free(doc->notes, TRUE);
	g_array_free(doc->missing, TRUE);
	for (guint i = 0; i < doc->pages->len; i++) {
		layout_page *pg = g_ptr_array_index(doc->pages, i);
		g_ptr_array_free(pg->boxes, TRUE);
		g_free(pg);
	}
	g_ptr_array_free(doc->pages, TRUE);
	for (guint i = 0; i < doc->images->len; i++) {
		layout_image *im = g_ptr_array_index(doc->images, i);
		g_free(im->path);
		g_free(im->desc);
		pictures_release(im->picture);
		if (im->data)
			g_bytes_unref(im->data);
		if (im->pixels)
			g_object_unref(im->pixels);
		g_free(im);
	}
	g_ptr_array_free(doc->images, TRUE);
	g_ptr_array_free(doc->shared_images, TRUE);
	for (guint i = 0; i < doc->parts->len; i++)
		g_hash_table_unref(g_array_index(doc->parts, layout_part, i).slugs);
	g_array_free(doc->parts, TRUE);
	g_array_free(doc->anchors, TRUE);
	g_array_free(doc->pending_anchors, TRUE);
	g_ptr_array_free(doc->frames, TRUE);
	g_ptr_array_free(doc->structs, TRUE);
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
	doc->figures = 0;
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

layout_note *
layout_note_new(layout_doc *doc, int number)
{
	const layout_part *part = &g_array_index(doc->parts, layout_part, doc->parts->len - 1);
	layout_note *n = g_new0(layout_note, 1);

	n->number = number;
	n->index = doc->notes->len;
	n->part = (int)doc->parts->len - 1;
	n->lines = g_ptr_array_new();
	g_autofree char *ref = g_strdup_printf("%sfnref:%d", part->prefix, number);
	g_autofree char *name = g_strdup_printf("%sfn:%d", part->prefix, number);
	n->ref_name = g_string_chunk_insert_const(doc->strings, ref);
	n->name = g_string_chunk_insert_const(doc->strings, name);
	g_ptr_array_add(doc->notes, n);
	return n;
}

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
layout_box_copy(const layout_box *b, double dy)
{
	layout_box *c = g_memdup2(b, sizeof *b);

	c->y += dy;
	c->baseline += dy;
	if (c->layout)
		g_object_ref(c->layout);
	return c;
}

GPtrArray *
layout_box_list_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)layout_box_free);
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
	it->boxes = layout_box_list_new();
	if (ctx->sink) {
		/* A line of a footnote: outside the flow, no anchors. */
		it->part = (int)doc->parts->len - 1;
		it->index = ctx->sink->len;
		it->st = ctx->st;
		g_ptr_array_add(ctx->sink, it);
		return it;
	}
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
	it->st = ctx->st;
	it->block = doc->block;
	if (it->index == 0)
		doc->first_x = ctx->x;
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

layout_page *
layout_page_new(layout_doc *doc)
{
	layout_page *pg = g_new0(layout_page, 1);

	pg->boxes = layout_box_list_new();
	g_ptr_array_add(doc->pages, pg);
	return pg;
}

layout_frame *
layout_frame_new(layout_doc *doc, layout_frame_kind kind, double x, double w,
		 const layout_rgb *color, double pad)
{
	layout_frame *f = g_new0(layout_frame, 1);

	f->kind = kind;
	f->x = x;
	f->w = w;
	f->color = *color;
	f->pad = pad;
	g_ptr_array_add(doc->frames, f);
	return f;
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
	}
	g_ptr_array_extend_and_steal(item->boxes, ctx->marker);
	ctx->marker = NULL;
}


/* ---- a flow laid out elsewhere ------------------------------------------ */

/* The image of `doc` for the path of `im`: the one it shows already, else
 * `im` itself, borrowed (layout_image_load's one image per path). */
static layout_image *
shared_image(layout_doc *doc, layout_image *im)
{
	GPtrArray *lists[2] = { doc->images, doc->shared_images };

	for (int l = 0; l < 2; l++)
		for (guint i = 0; i < lists[l]->len; i++) {
			layout_image *o = g_ptr_array_index(lists[l], i);
			if (strcmp(o->path, im->path) == 0)
				return o;
		}
	g_ptr_array_add(doc->shared_images, im);
	return im;
}

/* What a copy maps from src to doc. */
typedef struct {
	layout_doc *doc;
	const layout_doc *src;
	layout_part *part;	/* doc's last part, which src joins */
	int pidx;		/* its index */
	guint base;		/* the index in doc of src's first item */
	GHashTable *frames;	/* src frame → copy */
	GHashTable *names;	/* src destination name → renamed */
	GHashTable *structs;	/* src element → copy */
	GHashTable *notes;	/* src note → copy */
} copy_maps;

static layout_box *
copy_box(const copy_maps *m, const layout_box *src)
{
	if (!src)
		return NULL;
	layout_box *b = layout_box_copy(src, 0);
	if (b->kind == LAYOUT_BOX_DEST)
		b->target = g_hash_table_lookup(m->names, b->target);
	else if (b->target)
		b->target = g_string_chunk_insert_const(m->doc->strings, b->target);
	if (b->image)
		b->image = shared_image(m->doc, b->image);
	if (b->st)
		b->st = g_hash_table_lookup(m->structs, b->st);
	if (b->note)
		b->note = g_hash_table_lookup(m->notes, b->note);
	return b;
}

/* A copy of item `s` of src, in part `part`, at `index`. */
static layout_item *
copy_item(const copy_maps *m, const layout_item *s, int part, guint index)
{
	layout_item *it = g_memdup2(s, sizeof *s);
	it->boxes = layout_box_list_new();
	it->index = index;
	it->part = part;
	if (s->st)
		it->st = g_hash_table_lookup(m->structs, s->st);
	if (s->frames) {
		it->frames = g_new(layout_frame *, s->n_frames);
		for (int f = 0; f < s->n_frames; f++)
			it->frames[f] = g_hash_table_lookup(m->frames, s->frames[f]);
	}
	it->cut_top = copy_box(m, s->cut_top);
	it->cut_bottom = copy_box(m, s->cut_bottom);
	if (s->cont_boxes) {
		it->cont_boxes = layout_box_list_new();
		for (guint k = 0; k < s->cont_boxes->len; k++)
			g_ptr_array_add(it->cont_boxes, copy_box(m, g_ptr_array_index(s->cont_boxes, k)));
	}
	for (guint k = 0; k < s->boxes->len; k++)
		g_ptr_array_add(it->boxes, copy_box(m, g_ptr_array_index(s->boxes, k)));
	return it;
}

static const char *
renamed(layout_doc *doc, const layout_part *part, const char *name)
{
	g_autofree char *n = g_strconcat(part->prefix, name, NULL);
	return g_string_chunk_insert_const(doc->strings, n);
}

/* The structure tree: src's root is where this doc puts a flow (a
 * dossier's Part); the rest follows in document order. */
static void
append_structs(copy_maps *m)
{
	const layout_doc *src = m->src;
	g_hash_table_insert(m->structs, g_ptr_array_index(src->structs, 0), m->doc->flow_st);
	for (guint i = 1; i < src->structs->len; i++) {
		const layout_struct *st = g_ptr_array_index(src->structs, i);
		layout_struct *c = layout_struct_new(m->doc, g_hash_table_lookup(m->structs, st->parent),
						     st->role);
		c->level = st->level;
		if (st->alt)
			c->alt = g_string_chunk_insert_const(m->doc->strings, st->alt);
		g_hash_table_insert(m->structs, (gpointer)st, c);
	}
}

static void
append_frames(copy_maps *m)
{
	for (guint i = 0; i < m->src->frames->len; i++) {
		const layout_frame *f = g_ptr_array_index(m->src->frames, i);
		layout_frame *c = g_memdup2(f, sizeof *f);
		c->first += m->base;
		c->last += m->base;
		g_ptr_array_add(m->doc->frames, c);
		g_hash_table_insert(m->frames, (gpointer)f, c);
	}
}

/* Anchors as layout_heading would have made them in this part. */
static void
append_anchors(copy_maps *m)
{
	layout_doc *doc = m->doc;
	layout_part *part = m->part;
	for (guint i = 0; i < m->src->anchors->len; i++) {
		const layout_anchor *a = &g_array_index(m->src->anchors, layout_anchor, i);
		int level = doc->anchor_level < 0 ? -1 : doc->anchor_level + a->level;
		if (a->level == 0 && part->title && !part->title_seen &&
		    strcmp(a->title, part->title) == 0) {
			part->title_seen = TRUE;
			level = -1;
		}
		layout_anchor c = {
			.name = renamed(doc, part, a->name),
			.title = g_string_chunk_insert(doc->strings, a->title),
			.level = level,
			.item = a->item + m->base,
		};
		g_array_append_val(doc->anchors, c);
		g_hash_table_insert(m->names, (gpointer)a->name, (gpointer)c.name);
	}
}

/* Footnotes: their names renamed too, then their lines copied (a line may
 * link to any note's name). */
static void
append_notes(copy_maps *m)
{
	layout_doc *doc = m->doc;
	const layout_doc *src = m->src;
	doc->note_base = doc->notes->len;
	for (guint i = 0; i < src->notes->len; i++) {
		const layout_note *n = g_ptr_array_index(src->notes, i);
		layout_note *c = g_memdup2(n, sizeof *n);
		c->index = doc->notes->len;
		c->part = m->pidx;
		c->lines = g_ptr_array_new();
		c->ref_name = renamed(doc, m->part, n->ref_name);
		c->name = renamed(doc, m->part, n->name);
		if (n->st)
			c->st = g_hash_table_lookup(m->structs, n->st);
		g_ptr_array_add(doc->notes, c);
		g_hash_table_insert(m->notes, (gpointer)n, c);
		g_hash_table_insert(m->names, (gpointer)n->ref_name, (gpointer)c->ref_name);
		g_hash_table_insert(m->names, (gpointer)n->name, (gpointer)c->name);
	}
	for (guint i = 0; i < src->notes->len; i++) {
		const layout_note *n = g_ptr_array_index(src->notes, i);
		layout_note *c = g_hash_table_lookup(m->notes, n);
		for (guint k = 0; k < n->lines->len; k++)
			g_ptr_array_add(c->lines, copy_item(m, g_ptr_array_index(n->lines, k), m->pidx, k));
	}
}

/* The part's own destinations and page break, given to its first item `it`
 * as layout_item_new gives them. */
static void
take_pending(copy_maps *m, layout_item *it)
{
	layout_doc *doc = m->doc;
	it->break_before = doc->break_pending;
	doc->break_pending = FALSE;
	for (guint k = 0; k < doc->pending_anchors->len; k++) {
		guint a = g_array_index(doc->pending_anchors, guint, k);
		layout_anchor *an = &g_array_index(doc->anchors, layout_anchor, a);
		an->item = m->base;
		layout_box *b = layout_box_new(LAYOUT_BOX_DEST, m->src->first_x, 0, 0, 0);
		b->target = an->name;
		g_ptr_array_insert(it->boxes, (gint)k, b);
	}
	g_array_set_size(doc->pending_anchors, 0);
}

static void
append_items(copy_maps *m)
{
	layout_doc *doc = m->doc;
	guint block = doc->block;
	for (guint i = 0; i < m->src->items->len; i++) {
		const layout_item *s = g_ptr_array_index(m->src->items, i);
		layout_item *it = copy_item(m, s, m->pidx, m->base + i);
		it->block = block + s->block;
		doc->block = MAX(doc->block, it->block);
		if (s->header)
			it->header = g_ptr_array_index(doc->items, m->base + s->header->index);
		if (i == 0)
			take_pending(m, it);
		g_ptr_array_add(doc->items, it);
	}
}

void
layout_append(layout_doc *doc, const layout_doc *src)
{
	copy_maps m = {
		.doc = doc,
		.src = src,
		.part = &g_array_index(doc->parts, layout_part, doc->parts->len - 1),
		.pidx = (int)doc->parts->len - 1,
		.base = doc->items->len,
		.frames = g_hash_table_new(NULL, NULL),
		.names = g_hash_table_new(NULL, NULL),
		.structs = g_hash_table_new(NULL, NULL),
		.notes = g_hash_table_new(NULL, NULL),
	};
	append_structs(&m);
	append_frames(&m);
	append_anchors(&m);
	append_notes(&m);
	append_items(&m);
	if (!doc->first_heading && src->first_heading)
		doc->first_heading = g_strdup(src->first_heading);
	g_hash_table_unref(m.notes);
	g_hash_table_unref(m.structs);
	g_hash_table_unref(m.names);
	g_hash_table_unref(m.frames);
}

/* layout_page.c - pagination, page furniture and the layout dump
 * (typeset stage).
 *
 * The flow of items built by layout_block.c is cut into pages greedily: an
 * item that does not fit moves to the next page together with the items
 * before it that asked to be kept with it (a heading with its first lines,
 * the first two lines of a paragraph, a table header with its first row).
 * Continued tables get their header row again.  Then every box is copied to
 * its page at page coordinates, frames (code grounds, quote bars) are drawn
 * once per page they touch, and the running header and the footer
 * ("Page N of M") are added.  Nothing here draws; the dump turns the result
 * into text for tests.
 */
#include <string.h>

#include "base/diag.h"
#include "typeset/layout.h"

typedef struct {
	guint item;
	int page;
	double y;
	gboolean repeat;	/* a table header repeated on a new page */
	guint fe, ref;		/* the breaker's footnote state before it */
} placement;

/* ---- footnotes ----------------------------------------------------------- */

/* The lines of the footnotes in the order they go to the page feet: the
 * notes first referenced by an item right after it, a note first
 * referenced in another note after that one.  Notes whose references were
 * all left out come last. */
typedef struct {
	GPtrArray *lines;	/* layout_item* (borrowed from the notes) */
	double *cum;		/* cum[k]: height of lines [0, k), space above
				 * each line included */
	guint *after;		/* per flow item: the stream's length once the
				 * notes it references are in */
} note_stream;

static void
stream_add(note_stream *ns, gboolean *in, layout_note *first)
{
	GPtrArray *todo = g_ptr_array_new();

	g_ptr_array_add(todo, first);
	in[first->index] = TRUE;
	for (guint t = 0; t < todo->len; t++) {
		layout_note *n = g_ptr_array_index(todo, t);
		for (guint l = 0; l < n->lines->len; l++) {
			layout_item *line = g_ptr_array_index(n->lines, l);
			g_ptr_array_add(ns->lines, line);
			for (guint k = 0; k < line->boxes->len; k++) {
				layout_box *b = g_ptr_array_index(line->boxes, k);
				if (b->kind == LAYOUT_BOX_DEST && b->note &&
				    !in[b->note->index]) {
					in[b->note->index] = TRUE;
					g_ptr_array_add(todo, b->note);
				}
			}
		}
	}
	g_ptr_array_free(todo, TRUE);
}

static void
stream_init(note_stream *ns, const layout_doc *doc)
{
	gboolean *in = g_new0(gboolean, doc->notes->len + 1);

	ns->lines = g_ptr_array_new();
	ns->after = g_new0(guint, doc->items->len + 1);
	for (guint i = 0; i < doc->items->len && doc->notes->len; i++) {
		layout_item *it = g_ptr_array_index(doc->items, i);
		for (guint k = 0; k < it->boxes->len; k++) {
			layout_box *b = g_ptr_array_index(it->boxes, k);
			if (b->kind == LAYOUT_BOX_DEST && b->note && !in[b->note->index])
				stream_add(ns, in, b->note);
		}
		ns->after[i] = ns->lines->len;
	}
	for (guint n = 0; n < doc->notes->len; n++)
		if (!in[n])
			stream_add(ns, in, g_ptr_array_index(doc->notes, n));
	ns->cum = g_new(double, ns->lines->len + 1);
	ns->cum[0] = 0;
	for (guint l = 0; l < ns->lines->len; l++) {
		layout_item *it = g_ptr_array_index(ns->lines, l);
		ns->cum[l + 1] = ns->cum[l] + it->space_before + it->h;
	}
	g_free(in);
}

static void
stream_clear(note_stream *ns)
{
	g_ptr_array_free(ns->lines, TRUE);
	g_free(ns->cum);
	g_free(ns->after);
}

/* Room above the notes of a page: the short rule and the space around it. */
static double
note_sep(const layout_doc *doc)
{
	return doc->theme->size_small * doc->theme->note_space;
}

/* Height of the foot holding stream lines [from, to). */
static double
foot_height(const layout_doc *doc, const note_stream *ns, guint from, guint to)
{
	return to > from ? note_sep(doc) + ns->cum[to] - ns->cum[from] : 0;
}

/* Room a frame needs where a page break cuts it: above an item that
 * continues a frame from the previous page (top), below an item that the
 * frame continues after (bottom). */
static double
frame_pad(const layout_item *it, guint i, gboolean top)
{
	double pad = 0;

	for (int f = 0; f < it->n_frames; f++) {
		const layout_frame *fr = it->frames[f];
		if (top ? fr->first != i : fr->last != i)
			pad = MAX(pad, fr->pad);
	}
	return pad;
}

/* What the page breaker does for a document (a part) whose last page
 * would be nearly empty (layout_paginate): tighter spacing, or a page
 * break forced earlier so that the last page gets more. */
typedef struct {
	double squeeze;		/* factor of the space between blocks */
	guint force;		/* break before this item (G_MAXUINT: none) */
	int state;		/* FILL_* */
	int pages;		/* its pages before it was squeezed */
} fill_opts;

enum {
	FILL_NONE,		/* as it comes */
	FILL_SQUEEZED,		/* tighter spacing tried */
	FILL_LOOSE,		/* tighter spacing gained no page: undone */
	FILL_DONE,		/* nothing more to try */
};

/* The space above item `it` as this breaker sets it. */
#define SPACE(br, it) ((it)->space_before * (br)->opts[(it)->part].squeeze)

/* The state of the page breaker. */
typedef struct {
	const layout_doc *doc;
	GArray *out;		/* placement, in the order placed */
	int page;
	double y;		/* where the next item goes */
	gboolean empty;		/* nothing placed on the page yet */
	gboolean fresh;		/* no item of the flow placed yet (a
				 * figure carried over may be) */
	guint first;		/* the first flow item of the page */
	GArray *queue;		/* guint: figures waiting for a page top, in
				 * their order */
	const note_stream *ns;
	guint fs, fe;		/* footnote lines [fs, fe) at this page's foot */
	guint ref;		/* lines of the notes referenced so far end
				 * here: [fe, ref) are carried to the next page */
	GArray *feet;		/* guint pairs fs, fe per finished page */
	const gboolean *keep;	/* per item: no page break after it (its own
				 * keep_with_next and the keeps of headings
				 * and lead-ins, see keeps()) */
	const int *section;	/* per item: the level of the heading whose
				 * section it is in (7: before any heading) */
	int qlevel;		/* the lowest section level of the figures
				 * waiting: a heading of that level or
				 * higher (a lower number) is not passed */
	const fill_opts *opts;	/* per part: how tight, where to break */
} breaker;

static void
place(breaker *br, guint item, double y, gboolean repeat)
{
	placement p = { item, br->page, y, repeat, br->fe, br->ref };
	g_array_append_val(br->out, p);
}

/* The bottom of the page's text above its footnotes. */
static double
body_end(const breaker *br)
{
	return br->doc->body_bottom - foot_height(br->doc, br->ns, br->fs, br->fe);
}

/* The most footnote lines up to `want` this page's foot can hold when
 * its text ends at `end`. */
static guint
notes_fit(const breaker *br, double end, guint want)
{
	guint e = br->fe;

	while (e < want && end + foot_height(br->doc, br->ns, br->fs, e + 1) <=
	       br->doc->body_bottom + 0.01)
		e++;
	return e;
}

/* At the end of a page: the rest of a note that was cut (and the notes
 * after it) fills whatever room the text left. */
static void
foot_fill(breaker *br)
{
	const layout_doc *doc = br->doc;
	double end = doc->body_top;

	if (br->fe >= br->ref)
		return;
	if (br->out->len) {
		const placement *last = &g_array_index(br->out, placement, br->out->len - 1);
		if (last->page == br->page)
			end = last->y + ((layout_item *)g_ptr_array_index(doc->items,
									   last->item))->h;
	}
	br->fe = notes_fit(br, end, br->ref);
}

static double
group_height(const breaker *br, guint i, int n)
{
	double h = 0;

	for (int k = 0; k < n; k++) {
		layout_item *it = g_ptr_array_index(br->doc->items, i + (guint)k);
		h += (k ? SPACE(br, it) : 0) + it->h;
	}
	return h;
}

/* Start a new page.  Footnote lines carried over go to its foot, up to
 * half the page (all of it when `flush`: no text follows), at least one;
 * figures carried over go at its top, as many as fit (at least one), in
 * their order. */
static void
new_page(breaker *br, guint next, gboolean flush)
{
	const layout_doc *doc = br->doc;
	guint done = 0;

	if (br->page >= 0) {
		foot_fill(br);
		g_array_append_val(br->feet, br->fs);
		g_array_append_val(br->feet, br->fe);
	}
	br->page++;
	br->y = doc->body_top;
	br->empty = br->fresh = TRUE;
	br->first = next;
	br->fs = br->fe;
	double cap = (doc->body_bottom - doc->body_top) * (flush ? 1 : 0.5);
	while (br->fe < br->ref && (br->fe == br->fs ||
	       foot_height(doc, br->ns, br->fs, br->fe + 1) <= cap))
		br->fe++;
	while (done < br->queue->len) {
		guint f = g_array_index(br->queue, guint, done);
		layout_item *fig = g_ptr_array_index(doc->items, f);
		double sb = br->empty ? 0 : SPACE(br, fig);
		if (!br->empty && br->y + sb + group_height(br, f, fig->float_items) >
		    body_end(br))
			break;
		for (int k = 0; k < fig->float_items; k++) {
			layout_item *it = g_ptr_array_index(doc->items, f + (guint)k);
			double s = k ? SPACE(br, it) : sb;
			place(br, f + (guint)k, br->y + s, FALSE);
			br->y += s + it->h;
		}
		br->empty = FALSE;
		done++;
	}
	g_array_remove_range(br->queue, 0, done);
	br->qlevel = 0;
	for (guint k = 0; k < br->queue->len; k++) {
		int lv = br->section[g_array_index(br->queue, guint, k)];
		br->qlevel = k ? MIN(br->qlevel, lv) : lv;
	}
}

/* A figure that does not fit the rest of the page floats to the top of
 * the next one while the items after it fill this page - unless the item
 * before it must stay with it (a heading).  Once one figure waits, the
 * figures after it wait too, so they keep their order. */
static gboolean
may_float(const breaker *br, guint i, const layout_item *it, gboolean fits)
{
	const layout_doc *doc = br->doc;

	if (it->float_items <= 0 || (fits && br->queue->len == 0))
		return FALSE;
	if (br->queue->len == 0 && br->fresh)
		return FALSE;
	if (i > 0 && br->keep[i - 1])
		return FALSE;
	if (i + (guint)it->float_items >= doc->items->len)
		return FALSE;
	layout_item *after = g_ptr_array_index(doc->items, i + (guint)it->float_items);
	return !after->break_before;
}

/* Item i does not fit: the page breaks before the earliest item of the
 * keep chain ending at i - or right at i, inside a table row that
 * continues.  While a figure waits for the next page's top, the page
 * breaks between blocks only: the block the break would cut goes whole
 * after the figure, which so never lands inside a paragraph, a list or a
 * table.  The placements of this page from there are taken back, with
 * the footnote lines they had placed.  Returns the item the next page
 * starts with. */
static guint
break_back(breaker *br, guint i)
{
	GPtrArray *items = br->doc->items;
	const layout_item *it = g_ptr_array_index(items, i);
	guint j = i;
	while (!it->row_cont && j > br->first && br->keep[j - 1])
		j--;
	if (j == br->first)
		j = i;
	if (br->queue->len) {
		guint q = g_array_index(br->queue, guint, br->queue->len - 1);
		guint b = j, block = ((layout_item *)g_ptr_array_index(items, j))->block;
		while (b > br->first && b > q &&
		       ((layout_item *)g_ptr_array_index(items, b - 1))->block == block)
			b--;
		if (b > br->first && b > q)
			j = b;
	}
	while (br->out->len) {
		placement *last = &g_array_index(br->out, placement, br->out->len - 1);
		if (last->page != br->page || last->item < j)
			break;
		br->fe = last->fe;
		br->ref = last->ref;
		g_array_set_size(br->out, br->out->len - 1);
	}
	return j;
}

/* The first line of a heading. */
static gboolean
heading_starts(const layout_doc *doc, guint i)
{
	const layout_item *it = g_ptr_array_index(doc->items, i);
	if (!it->heading)
		return FALSE;
	if (i == 0)
		return TRUE;
	const layout_item *prev = g_ptr_array_index(doc->items, i - 1);
	return !prev->heading || prev->block != it->block;
}

/* What must not be parted from the item after it: the item's own
 * keep_with_next (heading lines, widows and orphans, table headers, a
 * list item with its first sub-item), and beyond that a heading keeps
 * with two lines of what follows it, a paragraph ending in a colon with
 * the first two lines (or the header and first rows) of what it
 * introduces.  Also each item's section level. */
static void
keeps(const layout_doc *doc, gboolean *keep, int *section)
{
	guint n = doc->items->len;
	int level = 7;

	for (guint i = 0; i < n; i++) {
		const layout_item *it = g_ptr_array_index(doc->items, i);
		keep[i] = keep[i] || it->keep_with_next;
		if (it->break_before)
			level = 7;
		if (heading_starts(doc, i))
			level = it->heading;
		section[i] = level;
		if (i + 1 >= n)
			continue;
		const layout_item *next = g_ptr_array_index(doc->items, i + 1);
		if (it->heading && !next->heading && !next->break_before) {
			keep[i] = TRUE;
			if (next->float_items <= 0)
				keep[i + 1] = TRUE;
		}
		if (it->lead_in && !next->heading && !next->break_before) {
			keep[i] = TRUE;
			if (next->float_items <= 0)
				keep[i + 1] = TRUE;
		}
	}
}

/* The breaks that come before item *i whatever fits: a new part starts on
 * a page of its own, after the notes of the one before; a waiting figure
 * never passes the next heading of its section's level or higher (it
 * goes first, on a new page); a break that makes the last page fuller
 * (layout_paginate), once.  Returns TRUE when the page was broken, with
 * the item to go on with in *i. */
static gboolean
break_first(breaker *br, guint *i, guint *forced)
{
	const layout_item *it = g_ptr_array_index(br->doc->items, *i);

	if (it->break_before && (!br->empty || br->queue->len ||
				 br->fe > br->fs || br->fe < br->ref)) {
		new_page(br, *i, br->empty && br->fe < br->ref);
		return TRUE;
	}
	if (br->queue->len && heading_starts(br->doc, *i) && it->heading <= br->qlevel) {
		*i = br->empty ? *i : break_back(br, *i);
		new_page(br, *i, FALSE);
		return TRUE;
	}
	if (*i == br->opts[it->part].force && !br->empty && *forced != *i) {
		*forced = *i;
		*i = break_back(br, *i);
		new_page(br, *i, FALSE);
		return TRUE;
	}
	return FALSE;
}

/* The greedy page breaker; fills `out` with placements (items of a page
 * in reading order, apart from figures that floated) and `feet` with the
 * footnote lines of each page (pairs of stream indices).  An item that
 * references a footnote goes on a page only with at least the first line
 * of its note; the rest of a note that does not fit is carried to the
 * next page's foot (and the notes after it with it).  Returns the number
 * of pages. */
static int
break_pages(const layout_doc *doc, const note_stream *ns, GArray *out,
	    GArray *feet, const fill_opts *opts)
{
	GPtrArray *items = doc->items;
	gboolean *keep = g_new0(gboolean, items->len + 1);
	int *section = g_new0(int, items->len + 1);
	breaker br = { doc, out, -1, 0, TRUE, TRUE, 0,
		       g_array_new(FALSE, FALSE, sizeof(guint)), ns, 0, 0, 0, feet,
		       keep, section, 0, opts };
	guint i = 0;

	guint forced = G_MAXUINT;

	keeps(doc, keep, section);
	new_page(&br, 0, FALSE);
	while (i < items->len) {
		layout_item *it = g_ptr_array_index(items, i);
		if (break_first(&br, &i, &forced))
			continue;
		if (br.fresh && it->header) {
			place(&br, it->header->index, br.y, TRUE);
			br.y += it->header->h;
			br.empty = FALSE;
		}
		double sb = br.empty ? frame_pad(it, i, TRUE) : SPACE(&br, it);
		double h = it->float_items > 0 ? group_height(&br, i, it->float_items) : it->h;
		double end = br.y + sb + h + frame_pad(it, i, FALSE);
		/* Footnotes it references for the first time, lines
		 * [br.ref, want) of the stream, go on its page whole; or, when
		 * they don't fit and no note is cut yet, at least the first
		 * line (the rest fills the room the page's text leaves, or is
		 * carried: foot_fill); else the item waits for the next page. */
		guint want = MAX(ns->after[i], br.ref), fe = br.fe;
		gboolean fits = end <= body_end(&br) + 0.01;
		if (want > br.ref && fits) {
			if (notes_fit(&br, end, want) == want)
				fe = want;
			else if (br.fe == br.ref)
				fits = (fe = notes_fit(&br, end, br.ref + 1)) > br.fe;
		}
		fits = fits || br.empty;
		if (may_float(&br, i, it, fits)) {
			br.qlevel = br.queue->len ? MIN(br.qlevel, section[i]) : section[i];
			g_array_append_val(br.queue, i);
			i += (guint)it->float_items;
			continue;
		}
		if (fits) {
			place(&br, i, br.y + sb, FALSE);
			br.fe = fe;
			br.ref = want;
			br.y += sb + it->h;
			if (br.fresh)
				br.first = i;
			br.empty = br.fresh = FALSE;
			i++;
			continue;
		}
		i = break_back(&br, i);
		new_page(&br, i, FALSE);
	}
	/* Notes no reference placed (they come last), then whatever is
	 * carried and the figures still waiting. */
	br.ref = ns->lines->len;
	foot_fill(&br);
	while (br.queue->len || br.fe < br.ref)
		new_page(&br, i, TRUE);
	g_array_append_val(feet, br.fs);
	g_array_append_val(feet, br.fe);
	g_array_free(br.queue, TRUE);
	g_free(keep);
	g_free(section);
	return br.page + 1;
}

typedef struct {
	layout_frame *frame;
	double top, bottom;
} frame_span;

static layout_box *
page_box(layout_page *pg, layout_box_kind kind, double x, double y, double w,
	 double h)
{
	layout_box *b = layout_box_new(kind, x, y, w, h);
	g_ptr_array_add(pg->boxes, b);
	return b;
}

/* One line of small text on a page; `right` aligns its end at x. */
static void
page_text(const layout_doc *doc, layout_page *pg, const char *text, double x,
	  double baseline, double max_w, gboolean right)
{
	PangoLayout *pl = layout_text(doc, LAYOUT_STYLE_SMALL, text,
				      &doc->theme->color_muted);
	PangoRectangle r;

	pango_layout_set_width(pl, (int)(max_w * PANGO_SCALE));
	pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
	pango_layout_get_extents(pl, NULL, &r);
	double w = r.width / (double)PANGO_SCALE;
	double base = pango_layout_get_baseline(pl) / (double)PANGO_SCALE;
	layout_box *b = page_box(pg, LAYOUT_BOX_TEXT, right ? x - w : x,
				 baseline - base, w, r.height / (double)PANGO_SCALE);
	b->baseline = baseline;
	b->layout = pl;
}

void
layout_furniture_bounds(const layout_doc *doc, double *header_bottom, double *footer_top)
{
	const typeset_theme *th = doc->theme;

	/* page_furniture's header rule and footer rule, and their widths */
	*header_bottom = doc->body_top - th->size_small * th->page_header + th->size_small * th->page_header_rule + 0.5;
	*footer_top = doc->body_bottom + th->size_small * th->page_footer - th->size_small * th->page_footer_rule - 0.5;
}

/* The running header repeats the document's title, so it is left off the
 * first page of each document, where the title itself stands. */
static void
page_furniture(const layout_doc *doc, layout_page *pg, gboolean first,
	       int number, int total)
{
	const typeset_theme *th = doc->theme;
	const layout_part *part = &g_array_index(doc->parts, layout_part, pg->part);
	double x = doc->col_x, w = doc->col_w;
	layout_box *b;

	if (!part->furniture)
		return;
	double hb = doc->body_top - th->size_small * th->page_header;
	if (part->title && *part->title && !first && !(pg->bare & LAYOUT_BARE_HEADER)) {
		page_text(doc, pg, part->title, x, hb, w, FALSE);
		b = page_box(pg, LAYOUT_BOX_LINE, x, hb + th->size_small * th->page_header_rule, w, 0);
		b->color = th->color_rule;
		b->stroke = 0.5;
	}
	if (pg->bare & LAYOUT_BARE_FOOTER)
		return;
	double fb = doc->body_bottom + th->size_small * th->page_footer;
	b = page_box(pg, LAYOUT_BOX_LINE, x, fb - th->size_small * th->page_footer_rule, w, 0);
	b->color = th->color_rule;
	b->stroke = 0.5;
	g_autofree char *num = g_strdup_printf("Page %d of %d", number, total);
	if (doc->footer && *doc->footer)
		page_text(doc, pg, doc->footer, x, fb, w * 0.6, FALSE);
	page_text(doc, pg, num, x + w, fb, w * 0.35, TRUE);
}

/* The destination a "#fragment" names in a part (with the part's prefix,
 * as given or as a heading's slug), or NULL. */
static char *
find_dest(GHashTable *names, const layout_part *part, const char *fragment)
{
	g_autofree char *frag = g_uri_unescape_string(fragment, NULL);
	char *name = g_strconcat(part->prefix, frag ? frag : fragment, NULL);
	if (!g_hash_table_contains(names, name)) {
		g_autofree char *slug = layout_slug(frag ? frag : "");
		g_free(name);
		name = g_strconcat(part->prefix, slug, NULL);
	}
	if (g_hash_table_contains(names, name))
		return name;
	g_free(name);
	return NULL;
}

/* A cross-reference to another Markdown document, a relative link such as
 * "../company/company-overview.md" or "x.md#fees": in a combined PDF that
 * holds that document it leads to its start (or the heading), elsewhere
 * to the document's own PDF beside it ("../company/company-overview.pdf").
 * Returns the new target (doc strings), or NULL when `target` is not such
 * a link. */
static const char *
document_link(layout_doc *doc, GHashTable *names, const layout_part *part,
	      const char *target)
{
	if (!*target || target[0] == '#' || target[0] == '/' || g_uri_peek_scheme(target))
		return NULL;
	const char *hash = strchr(target, '#');
	g_autofree char *path = g_strndup(target, hash ? (gsize)(hash - target) : strlen(target));
	if (!g_str_has_suffix(path, ".md"))
		return NULL;
	g_autofree char *rel = g_uri_unescape_string(path, NULL);
	if (part->file && rel) {
		g_autofree char *dir = g_path_get_dirname(part->file);
		g_autofree char *canon = g_canonicalize_filename(rel, dir);
		for (guint p = 0; p < doc->parts->len; p++) {
			const layout_part *o = &g_array_index(doc->parts, layout_part, p);
			if (!o->file || !o->start || strcmp(o->file, canon) != 0)
				continue;
			g_autofree char *name = hash && hash[1] ? find_dest(names, o, hash + 1) : NULL;
			g_autofree char *t = g_strconcat("#", name ? name : o->start, NULL);
			return g_string_chunk_insert_const(doc->strings, t);
		}
	}
	g_autofree char *pdf = g_strdup_printf("%.*s.pdf%s", (int)strlen(path) - 3, path,
					       hash ? hash : "");
	return g_string_chunk_insert_const(doc->strings, pdf);
}

/* Resolve the "#fragment" links of `it` against the destinations, and
 * the links to other documents; drop dead ones. */
static void
resolve_item_links(layout_doc *doc, GHashTable *names, layout_item *it)
{
	const layout_part *part = &g_array_index(doc->parts, layout_part,
						 MAX(it->part, 0));

	for (guint k = 0; k < it->boxes->len; k++) {
		layout_box *b = g_ptr_array_index(it->boxes, k);
		if (b->kind != LAYOUT_BOX_LINK)
			continue;
		const char *other = document_link(doc, names, part, b->target);
		if (other)
			b->target = other;
		if (other || b->target[0] != '#')
			continue;
		g_autofree char *name = find_dest(names, part, b->target + 1);
		if (name) {
			g_autofree char *t = g_strconcat("#", name, NULL);
			b->target = g_string_chunk_insert_const(doc->strings, t);
		} else {
			diag(DIAG_WARNING, b->file ? b->file : "<stdin>",
			     b->src_line, b->src_col,
			     "link to '%s': no heading has that anchor; "
			     "the link is left out", b->target);
			b->kind = LAYOUT_BOX_RECT;
			b->w = b->h = 0;
		}
	}
}

static void
resolve_links(layout_doc *doc)
{
	GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < doc->anchors->len; i++)
		g_hash_table_add(names, (gpointer)g_array_index(doc->anchors,
							     layout_anchor, i).name);
	for (guint n = 0; n < doc->notes->len; n++) {
		layout_note *note = g_ptr_array_index(doc->notes, n);
		g_hash_table_add(names, (gpointer)note->name);
		if (note->referenced)
			g_hash_table_add(names, (gpointer)note->ref_name);
	}
	for (guint i = 0; i < doc->items->len; i++)
		resolve_item_links(doc, names, g_ptr_array_index(doc->items, i));
	for (guint n = 0; n < doc->notes->len; n++) {
		layout_note *note = g_ptr_array_index(doc->notes, n);
		for (guint l = 0; l < note->lines->len; l++)
			resolve_item_links(doc, names, g_ptr_array_index(note->lines, l));
	}
	g_hash_table_unref(names);
}

/* The footnotes of a page, lines [fs, fe) of the stream, at the foot of
 * its text column under a short rule. */
static void
page_notes(layout_doc *doc, layout_page *pg, const note_stream *ns, guint fs,
	   guint fe)
{
	const typeset_theme *th = doc->theme;

	if (fe <= fs)
		return;
	double y = doc->body_bottom - foot_height(doc, ns, fs, fe);
	layout_box *b = page_box(pg, LAYOUT_BOX_LINE, doc->col_x,
				 y + note_sep(doc) * 0.45, doc->col_w * th->note_rule, 0);
	b->color = th->color_rule;
	b->stroke = 0.5;
	y += note_sep(doc);
	/* Each note's lines are its NOTE element (layout_note.st). */
	for (guint l = fs; l < fe; l++) {
		layout_item *it = g_ptr_array_index(ns->lines, l);
		y += it->space_before;
		for (guint k = 0; k < it->boxes->len; k++) {
			layout_box *bx = g_ptr_array_index(it->boxes, k);
			if (bx->kind == LAYOUT_BOX_RECT && bx->w == 0 && bx->h == 0)
				continue;
			layout_box *c = layout_box_copy(bx, y);
			c->st = bx->st ? bx->st : it->st;
			g_ptr_array_add(pg->boxes, c);
		}
		y += it->h;
	}
}

/* The frames (code grounds, quote bars) of the placements [start, end) of
 * one page, one rectangle per frame, behind its text. */
static void
page_frames(layout_doc *doc, layout_page *pg, GArray *pl, guint start,
	    guint end)
{
	GArray *spans = g_array_new(FALSE, FALSE, sizeof(frame_span));

	for (guint k = start; k < end; k++) {
		placement *pc = &g_array_index(pl, placement, k);
		layout_item *it = g_ptr_array_index(doc->items, pc->item);
		for (int f = 0; f < it->n_frames; f++) {
			guint s;
			for (s = 0; s < spans->len; s++)
				if (g_array_index(spans, frame_span, s).frame ==
				    it->frames[f])
					break;
			const layout_frame *fr = it->frames[f];
			if (s == spans->len) {
				/* Cut by the break above: the padding the
				 * text gets back. */
				double top = pc->y - (fr->first != pc->item ? fr->pad : 0);
				frame_span fs = { it->frames[f], top, top };
				g_array_append_val(spans, fs);
			}
			g_array_index(spans, frame_span, s).bottom = pc->y + it->h +
				(fr->last != pc->item ? fr->pad : 0);
		}
	}
	for (guint s = 0; s < spans->len; s++) {
		frame_span *fs = &g_array_index(spans, frame_span, s);
		layout_box *b = page_box(pg, LAYOUT_BOX_RECT, fs->frame->x,
					 fs->top, fs->frame->w,
					 fs->bottom - fs->top);
		b->color = fs->frame->color;
	}
	g_array_free(spans, TRUE);
}

/* Copy the boxes of the placements [start, end) to their page. */
static void
page_boxes(layout_doc *doc, layout_page *pg, GArray *pl, guint start,
	   guint end)
{
	for (guint q = start; q < end; q++) {
		placement *pc = &g_array_index(pl, placement, q);
		layout_item *it = g_ptr_array_index(doc->items, pc->item);
		/* A table row cut by the page: its rules where it is cut. */
		if (it->cut_top && (q == start || g_array_index(pl, placement, q - 1).item != pc->item - 1 ||
				    g_array_index(pl, placement, q - 1).repeat)) {
			layout_box *c = layout_box_copy(it->cut_top, pc->y);
			c->st = it->st;
			g_ptr_array_add(pg->boxes, c);
		}
		if (it->cut_bottom && (q + 1 == end ||
				       g_array_index(pl, placement, q + 1).item != pc->item + 1)) {
			layout_box *c = layout_box_copy(it->cut_bottom, pc->y);
			c->st = it->st;
			g_ptr_array_add(pg->boxes, c);
		}
		for (guint b = 0; b < it->boxes->len; b++) {
			layout_box *bx = g_ptr_array_index(it->boxes, b);
			if (bx->kind == LAYOUT_BOX_RECT && bx->w == 0 && bx->h == 0)
				continue;
			/* A repeated header carries no destinations. */
			if (bx->kind == LAYOUT_BOX_DEST && pc->repeat)
				continue;
			layout_box *c = layout_box_copy(bx, pc->y);
			/* A repeated header is furniture: its cells are
			 * in the tree once, where the table starts. */
			c->st = pc->repeat ? NULL : bx->st ? bx->st : it->st;
			g_ptr_array_add(pg->boxes, c);
		}
		/* A row continued on a new page: its first cell's text
		 * again, as furniture (it is in the tree once), over the row's ground. */
		for (guint b = 0; it->cont_boxes && b < it->cont_boxes->len &&
		     (q == start || g_array_index(pl, placement, q - 1).repeat); b++) {
			layout_box *c = layout_box_copy(g_ptr_array_index(it->cont_boxes, b), pc->y);
			c->st = NULL;
			g_ptr_array_add(pg->boxes, c);
		}
	}
}

/* Anchors: where their item was placed (an item is placed once, apart
 * from repeated table headers). */
static void
place_anchors(layout_doc *doc, GArray *pl)
{
	gint *where = g_new(gint, doc->items->len + 1);

	for (guint q = 0; q <= doc->items->len; q++)
		where[q] = -1;
	for (guint q = 0; q < pl->len; q++) {
		placement *pc = &g_array_index(pl, placement, q);
		if (!pc->repeat)
			where[pc->item] = (gint)q;
	}
	for (guint a = 0; a < doc->anchors->len; a++) {
		layout_anchor *an = &g_array_index(doc->anchors, layout_anchor, a);
		if (an->item < doc->items->len && where[an->item] >= 0) {
			placement *pc = &g_array_index(pl, placement, where[an->item]);
			an->page = pc->page + 1;
			an->y = pc->y;
		}
	}
	g_free(where);
}

/* ---- the last page of a document ----------------------------------------- */

/* How full page `page` is (0-1): its text down to the lowest item, and
 * its footnotes. */
static double
page_fill(const layout_doc *doc, const note_stream *ns, GArray *pl,
	  GArray *feet, guint from, guint to, int page)
{
	double bottom = doc->body_top;

	for (guint q = from; q < to; q++) {
		const placement *pc = &g_array_index(pl, placement, q);
		const layout_item *it = g_ptr_array_index(doc->items, pc->item);
		if (pc->page == page)
			bottom = MAX(bottom, pc->y + it->h);
	}
	double foot = 0;
	if ((guint)(2 * page + 1) < feet->len)
		foot = foot_height(doc, ns, g_array_index(feet, guint, 2 * page),
				   g_array_index(feet, guint, 2 * page + 1));
	return (bottom - doc->body_top + foot) / (doc->body_bottom - doc->body_top);
}

/* The break that moves enough of page `page - 1` onto page `page` for it
 * to be `want` full: before the earliest item of the last placements
 * [from, to) of that page whose height makes up `need` points; none
 * (G_MAXUINT) if that would empty the page. */
static guint
fill_break(const layout_doc *doc, GArray *pl, guint from, guint to, int page,
	   double need)
{
	double got = 0;
	guint first = G_MAXUINT;

	for (guint q = from; q < to; q++)
		if (g_array_index(pl, placement, q).page == page - 1 &&
		    !g_array_index(pl, placement, q).repeat && first == G_MAXUINT)
			first = q;
	for (guint q = to; q > from; q--) {
		const placement *pc = &g_array_index(pl, placement, q - 1);
		if (pc->page != page - 1 || pc->repeat)
			continue;
		const layout_item *it = g_ptr_array_index(doc->items, pc->item);
		got += it->h + it->space_before;
		if (got >= need)
			return q - 1 > first ? pc->item : G_MAXUINT;
	}
	return G_MAXUINT;
}

/* A document (a part) of more than one page whose last page would be
 * less than the theme's pages.last_fill full tries tighter choices
 * first: the space between its blocks squeezed (pages.squeeze), kept if
 * that saves a page.  If not, the page before the last breaks earlier,
 * so that the last page holds enough.  Returns TRUE when `opts` changed
 * and the flow must be broken again. */
static gboolean
fill_review(const layout_doc *doc, const note_stream *ns, GArray *pl,
	    GArray *feet, fill_opts *opts)
{
	const typeset_theme *th = doc->theme;
	double body = doc->body_bottom - doc->body_top;
	gboolean again = FALSE;
	guint q = 0;

	while (q < pl->len) {
		int part = ((layout_item *)g_ptr_array_index(
			doc->items, g_array_index(pl, placement, q).item))->part;
		guint from = q;
		while (q < pl->len && ((layout_item *)g_ptr_array_index(
			doc->items, g_array_index(pl, placement, q).item))->part == part)
			q++;
		fill_opts *o = &opts[part];
		int first = g_array_index(pl, placement, from).page;
		int last = g_array_index(pl, placement, q - 1).page;
		for (guint k = from; k < q; k++)
			last = MAX(last, g_array_index(pl, placement, k).page);
		double fill = page_fill(doc, ns, pl, feet, from, q, last);
		if (o->state == FILL_DONE || last == first)
			continue;
		if (o->state == FILL_SQUEEZED && last - first + 1 >= o->pages) {
			o->squeeze = 1;		/* no page saved: undo */
			o->state = FILL_LOOSE;
			again = TRUE;
			continue;
		}
		if (fill >= th->fill_last) {
			if (o->state == FILL_NONE)
				o->state = FILL_DONE;
			continue;
		}
		if (o->state == FILL_NONE && th->fill_squeeze < 1) {
			o->squeeze = th->fill_squeeze;
			o->pages = last - first + 1;
			o->state = FILL_SQUEEZED;
			again = TRUE;
			continue;
		}
		o->force = fill_break(doc, pl, from, q, last,
				      (th->fill_last - fill) * body + 1);
		o->state = FILL_DONE;
		again = again || o->force != G_MAXUINT;
	}
	return again;
}

int
layout_paginate(layout_doc *doc)
{
	GArray *pl = g_array_new(FALSE, FALSE, sizeof(placement));
	GArray *feet = g_array_new(FALSE, FALSE, sizeof(guint));
	fill_opts *opts = g_new(fill_opts, doc->parts->len + 1);
	for (guint p = 0; p <= doc->parts->len; p++)
		opts[p] = (fill_opts){ 1, G_MAXUINT, FILL_NONE, 0 };
	note_stream ns;
	stream_init(&ns, doc);
	int npages = break_pages(doc, &ns, pl, feet, opts);
	for (int round = 0; round < 4 && fill_review(doc, &ns, pl, feet, opts); round++) {
		g_array_set_size(pl, 0);
		g_array_set_size(feet, 0);
		npages = break_pages(doc, &ns, pl, feet, opts);
	}
	g_free(opts);

	resolve_links(doc);
	for (int p = 0; p < npages; p++)
		layout_page_new(doc);
	guint k = 0;
	for (int p = 0; p < npages; p++) {
		layout_page *pg = g_ptr_array_index(doc->pages, p);
		guint start = k;
		pg->part = p > 0 ? ((layout_page *)g_ptr_array_index(doc->pages, p - 1))->part : 0;
		while (k < pl->len && g_array_index(pl, placement, k).page == p)
			k++;
		if (k > start) {
			placement *pc = &g_array_index(pl, placement, start);
			pg->part = ((layout_item *)g_ptr_array_index(doc->items,
								     pc->item))->part;
		}
		for (guint q = start; q < k; q++)
			pg->bare |= ((layout_item *)g_ptr_array_index(
				doc->items, g_array_index(pl, placement, q).item))->bare;
		page_frames(doc, pg, pl, start, k);
		page_boxes(doc, pg, pl, start, k);
		page_notes(doc, pg, &ns, g_array_index(feet, guint, 2 * p),
			   g_array_index(feet, guint, 2 * p + 1));
	}
	place_anchors(doc, pl);
	for (int p = 0; p < npages; p++) {
		layout_page *pg = g_ptr_array_index(doc->pages, p);
		layout_page *prev = p ? g_ptr_array_index(doc->pages, p - 1) : NULL;
		page_furniture(doc, pg, !prev || prev->part != pg->part, p + 1, npages);
	}
	g_array_free(pl, TRUE);
	g_array_free(feet, TRUE);
	stream_clear(&ns);
	return npages;
}

/* ---- dump ---------------------------------------------------------------- */

static const char *const kind_names[LAYOUT_BOX_N_KINDS] = {
	[LAYOUT_BOX_TEXT] = "text",
	[LAYOUT_BOX_RECT] = "rect",
	[LAYOUT_BOX_LINE] = "line",
	[LAYOUT_BOX_IMAGE] = "image",
	[LAYOUT_BOX_CHECKBOX] = "checkbox",
	[LAYOUT_BOX_LINK] = "link",
	[LAYOUT_BOX_DEST] = "dest",
	[LAYOUT_BOX_PDF_PAGE] = "pdf-page",
};

static void
dump_line_text(GString *out, const layout_box *b)
{
	PangoLayoutLine *line = pango_layout_get_line_readonly(b->layout, b->line);
	const char *text = pango_layout_get_text(b->layout);

	if (!line)
		return;
	const char *p = text + line->start_index, *end = p + line->length;
	while (p < end) {
		gunichar c = g_utf8_get_char(p);
		if (c == '\n' || c == 0x2028 || c == '\r')
			;
		else if (c == '\'' || c == '\\')
			g_string_append_printf(out, "\\%c", (char)c);
		else if (c < 0x20)
			g_string_append_printf(out, "\\x%02x", c);
		else
			g_string_append_unichar(out, c);
		p = g_utf8_next_char(p);
	}
}

char *
layout_dump(const layout_doc *doc)
{
	GString *out = g_string_new(NULL);

	for (guint p = 0; p < doc->pages->len; p++) {
		const layout_page *pg = g_ptr_array_index(doc->pages, p);
		for (guint i = 0; i < pg->boxes->len; i++) {
			const layout_box *b = g_ptr_array_index(pg->boxes, i);
			g_string_append_printf(out, "page %u: %s x=%.1f y=%.1f", p + 1,
					       kind_names[b->kind], b->x,
					       b->kind == LAYOUT_BOX_TEXT ? b->baseline : b->y);
			switch (b->kind) {
			case LAYOUT_BOX_TEXT:
				g_string_append(out, " '");
				dump_line_text(out, b);
				g_string_append_c(out, '\'');
				break;
			case LAYOUT_BOX_CHECKBOX:
				g_string_append(out, b->checked ? " checked" : " unchecked");
				break;
			case LAYOUT_BOX_LINK:
			case LAYOUT_BOX_DEST:
				g_string_append_printf(out, " w=%.1f h=%.1f '%s'", b->w,
						       b->h, b->target);
				break;
			case LAYOUT_BOX_IMAGE:
				g_string_append_printf(out, " w=%.1f h=%.1f '%s'", b->w,
						       b->h, b->image->path);
				break;
			case LAYOUT_BOX_PDF_PAGE:
				g_string_append_printf(out, " w=%.1f h=%.1f '%s' page %d", b->w,
						       b->h, b->pdf->path, b->pdf_page + 1);
				break;
			default:
				g_string_append_printf(out, " w=%.1f h=%.1f", b->w, b->h);
				break;
			}
			g_string_append_c(out, '\n');
		}
	}
	for (guint a = 0; a < doc->anchors->len; a++) {
		const layout_anchor *an = &g_array_index(doc->anchors, layout_anchor, a);
		if (an->level >= 0)
			g_string_append_printf(out, "outline %d: page %d y=%.1f '%s'\n",
					       an->level, an->page, an->y, an->title);
	}
	return g_string_free(out, FALSE);
}

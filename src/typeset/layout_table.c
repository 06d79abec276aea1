/* layout_table.c - GFM tables as rows of the flow (typeset stage).
 *
 * Column widths come from the content, the way browsers do it: every
 * column gets at least its longest word and the room left over goes to the
 * columns in proportion to how much more they would like; when even the
 * longest words don't fit, the words themselves are broken.  So a table
 * never crosses the margin, however many columns of long text it has.
 * Each row is one item of the flow (a row taller than a page is cut between
 * lines into several); the header row is shaded, kept with the first row
 * and repeated at the top of every page the table continues on.
 */
#include <string.h>

#include <cmark-gfm-core-extensions.h>

#include "typeset/layout.h"

extern cmark_node_type CMARK_NODE_TABLE_ROW;
extern cmark_node_type CMARK_NODE_TABLE_CELL;

typedef struct {
	layout_inline in;	/* the cell's text */
	double min, nat;	/* widths incl. padding: longest word, no wrap */
	PangoLayout *pl;	/* unwrapped, then at the final width */
	double h;		/* text height */
} cell;

static double
layout_width(PangoLayout *pl)
{
	PangoRectangle r;

	pango_layout_get_extents(pl, NULL, &r);
	return r.width / (double)PANGO_SCALE;
}

/* The widest stretch of an unwrapped layout between two places where a
 * line may break: the narrowest the cell can be without breaking words.
 * Measured on the glyphs already shaped, cluster by cluster, so no second
 * layout is needed and a long cell costs linear time. */
static double
min_width(PangoLayout *pl)
{
	int n = 0;
	const PangoLogAttr *la = pango_layout_get_log_attrs_readonly(pl, &n);
	const char *text = pango_layout_get_text(pl), *p = text;
	PangoLayoutIter *it = pango_layout_get_iter(pl);
	double start = -1, end = 0, best = 0;
	int ci = 0;

	do {
		int idx = pango_layout_iter_get_index(it);
		PangoRectangle r;
		pango_layout_iter_get_cluster_extents(it, NULL, &r);
		while (*p && p < text + idx) {
			p = g_utf8_next_char(p);
			ci++;
		}
		double x = r.x / (double)PANGO_SCALE;
		/* Only breaks after white space count: an identifier such as
		 * "ai-assistant" or "follow-ups" is one word here, so it is
		 * split at its hyphen only when no column can give room. */
		if (start < 0 || (ci < n && ci > 0 && la[ci].is_line_break &&
				  (la[ci - 1].is_white || la[ci].is_mandatory_break ||
				   g_utf8_get_char(g_utf8_prev_char(p)) == 0x200b))) {
			if (start >= 0)
				best = MAX(best, end - start);
			start = end = x;
		}
		if (*p && !g_unichar_isspace(g_utf8_get_char(p)))
			end = x + r.width / (double)PANGO_SCALE;
	} while (pango_layout_iter_next_cluster(it));
	pango_layout_iter_free(it);
	if (start >= 0)
		best = MAX(best, end - start);
	return best;
}

/* Widths of the columns (incl. padding), summing to `avail`, from three
 * widths of each column: its longest word (min), the natural width of its
 * short cells (shrt: dates, amounts, names; never below min) and the
 * natural width of all its cells (nat).  As in CSS's automatic table
 * layout, room is given level by level: every column gets its longest
 * word; then, while there is room, its short cells unwrapped, before any
 * column gets room to unwrap its long text; then the rest in proportion
 * to what each column still wants.  So "September 2025" or "$24,310"
 * never wraps while a column of sentences has room to give. */
static void
column_widths(const double *min, const double *shrt, const double *nat, int n,
	      double avail, double *out)
{
	double smin = 0, ssh = 0, snat = 0;

	for (int c = 0; c < n; c++) {
		smin += min[c];
		ssh += shrt[c];
		snat += nat[c];
	}
	for (int c = 0; c < n; c++) {
		if (snat <= avail)
			out[c] = nat[c] + (avail - snat) * nat[c] / snat;
		else if (ssh <= avail)
			out[c] = shrt[c] + (nat[c] - shrt[c]) *
				(avail - ssh) / (snat - ssh);
		else if (smin <= avail)
			out[c] = min[c] + (ssh > smin ? (shrt[c] - min[c]) *
					   (avail - smin) / (ssh - smin) : 0);
		else
			out[c] = avail * min[c] / smin;
	}
}

/* One row's boxes, before it is cut into items. */
typedef struct {
	GPtrArray *boxes;	/* layout_box* (owned), y relative to the row top */
	double h;
	GArray **lines;		/* per cell: top and bottom (doubles) of each
				 * line, in order */
	int ncells;
	const layout_box *line0; /* the first cell's first line (borrowed: it
				 * moves into the row's first item), or NULL */
} row_boxes;

/* The measured table: cells by row, widths by column. */
typedef struct {
	int ncols;
	const uint8_t *align;	/* 'l', 'c', 'r' or 0 per column (cmark's) */
	double pad_x, pad_y;	/* cell padding */
	GPtrArray *rows;	/* cell[ncols] per row */
	GPtrArray *nodes;	/* the row's cmark node */
	double *min, *nat;	/* column widths: longest word, no wrap */
	double *shrt;		/* and the short cells unwrapped */
	double short_max;	/* a body cell this wide or less is short */
	double *width;		/* the widths given */
	int body_rows;		/* rows that are not the header */
	gboolean total;		/* its last row sums up the others: a first
				 * cell all in bold ("**Total**") */
} table;

static void
row_cell_lines(layout_ctx *ctx, row_boxes *row, int c, cell *cl, double x0,
	       double w, char align, double pad_y, int src_line)
{
	PangoLayoutIter *iter = pango_layout_get_iter(cl->pl);
	int i = 0;

	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
		PangoRectangle logical;
		int y0, y1;
		pango_layout_iter_get_line_yrange(iter, &y0, &y1);
		pango_layout_iter_get_line_extents(iter, NULL, &logical);
		/* Alignment by hand: the unwrapped layout has no width. */
		double lw = logical.width / (double)PANGO_SCALE;
		double x = x0 + (align == 'c' ? (w - lw) / 2 : align == 'r' ? w - lw : 0);
		layout_box *b = layout_box_new(LAYOUT_BOX_TEXT,
					       x + logical.x / (double)PANGO_SCALE,
					       pad_y + y0 / (double)PANGO_SCALE, lw,
					       (y1 - y0) / (double)PANGO_SCALE);
		b->baseline = pad_y + pango_layout_iter_get_baseline(iter) /
			(double)PANGO_SCALE;
		b->layout = g_object_ref(cl->pl);
		b->line = i++;
		g_ptr_array_add(row->boxes, b);
		double tb[2] = { b->y, b->y + b->h };
		g_array_append_vals(row->lines[c], tb, 2);
		layout_link_boxes(row->boxes, line, cl->in.links, x, b->y, b->h,
				  0, ctx->file, src_line);
	} while (pango_layout_iter_next_line(iter));
	pango_layout_iter_free(iter);
}

/* Ground and rules of a row piece `h` high: the rule above it if it
 * starts the row (`top`), below it if it ends the row (`bottom`); where a
 * page cuts the row between pieces, rules are drawn there
 * (item->cut_top, item->cut_bottom; `thick`: the header is repeated above
 * a continued piece). */
static void
row_decorate(layout_ctx *ctx, layout_item *it, gboolean header, gboolean stripe,
	     gboolean top, gboolean bottom, gboolean last, gboolean thick, double h)
{
	const typeset_theme *th = ctx->doc->theme;
	layout_box *b;

	if (header || stripe) {
		b = layout_box_add(it, LAYOUT_BOX_RECT, ctx->x, 0, ctx->w, h);
		b->color = header ? th->color_table_header_bg :
			th->color_table_stripe_bg;
	}
	/* A shaded row would cover half of the rule above it: draw that
	 * rule again over its ground. */
	if (header || stripe) {
		b = layout_box_new(LAYOUT_BOX_LINE, ctx->x, 0, ctx->w, 0);
		b->color = th->color_table_rule;
		b->stroke = header || (!top && thick) ? 0.9 : 0.35;
		if (top)
			g_ptr_array_add(it->boxes, b);
		else
			it->cut_top = b;
	}
	b = layout_box_new(LAYOUT_BOX_LINE, ctx->x, h, ctx->w, 0);
	b->color = th->color_table_rule;
	b->stroke = header || last ? 0.9 : 0.35;
	if (bottom)
		g_ptr_array_add(it->boxes, b);
	else
		it->cut_bottom = b;
}

/* Where to end the piece of a row that starts at `start` and may be at
 * most max_h high: above any line of text the cut would straddle. */
static double
row_cut(const row_boxes *row, double start, double max_h)
{
	double cut = MIN(start + max_h, row->h);

	if (cut >= row->h)
		return cut;
	for (guint i = 0; i < row->boxes->len; i++) {
		layout_box *b = g_ptr_array_index(row->boxes, i);
		if (b && b->kind == LAYOUT_BOX_TEXT && b->y > start &&
		    b->y < cut && b->y + b->h > cut)
			cut = b->y;
	}
	if (cut <= start + 1)
		cut = MIN(start + max_h, row->h);
	return cut;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The places a page may cut a row (y from its top, ascending): between
 * lines of every cell, with every cell either done above the cut or
 * keeping at least two lines on each side of it, and some line left
 * below. */
static GArray *
row_cuts(const row_boxes *row)
{
	GArray *cuts = g_array_new(FALSE, FALSE, sizeof(double));
	GArray *cand = g_array_new(FALSE, FALSE, sizeof(double));
	guint *k = g_new0(guint, row->ncells);

	for (int c = 0; c < row->ncells; c++)
		for (guint l = 1; l < row->lines[c]->len; l += 2)
			g_array_append_val(cand, g_array_index(row->lines[c], double, l));
	g_array_sort(cand, cmp_double);
	for (guint i = 0; i < cand->len; i++) {
		double y = g_array_index(cand, double, i);
		if (y >= row->h - 0.01 || (cuts->len &&
		    y <= g_array_index(cuts, double, cuts->len - 1) + 0.01))
			continue;
		gboolean ok = TRUE, more = FALSE;
		for (int c = 0; c < row->ncells; c++) {
			GArray *ls = row->lines[c];
			guint n = ls->len / 2;
			while (k[c] < n && g_array_index(ls, double, 2 * k[c] + 1) <= y + 0.01)
				k[c]++;
			if ((k[c] < n && g_array_index(ls, double, 2 * k[c]) < y - 0.01) ||
			    (k[c] < n && (k[c] < 2 || n - k[c] < 2)))
				ok = FALSE;
			more |= k[c] < n;
		}
		if (ok && more)
			g_array_append_val(cuts, y);
	}
	g_free(k);
	g_array_free(cand, TRUE);
	return cuts;
}

/* A cell whose text is all in bold, such as "**Total**". */
static gboolean
all_strong(cmark_node *cell)
{
	gboolean strong = FALSE;

	for (cmark_node *n = cell ? cmark_node_first_child(cell) : NULL; n;
	     n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_STRONG)
			strong = TRUE;
		else if (cmark_node_get_type(n) != CMARK_NODE_TEXT ||
			 strspn(cmark_node_get_literal(n), " ") != strlen(cmark_node_get_literal(n)))
			return FALSE;
	}
	return strong;
}

/* Turn a row into items, one per stretch between the places a page may
 * cut it (row_cuts); the row's boxes move into them.  The stretches are
 * kept together, but the page may break between two of them (row_cont):
 * a row taller than the rest of the page continues on the next under the
 * repeated header when at least two lines of every cell fit here, and
 * moves whole when they don't.  A stretch taller than a page is cut
 * between any lines; each piece is then at least half a page high, so
 * the loop always advances: a header row taller than half a page is not
 * repeated (it would leave no room for the rows it heads) and is itself
 * cut like any other row. */
/* The first line of cell `cl` (its box `line0`, `w` wide) in the muted
 * colour: what a piece of its row continued on a new page shows in the
 * first column once the cell's own lines are all above the cut. */
static layout_box *
row_label(layout_ctx *ctx, cell *cl, const layout_box *line0, double w)
{
	if (line0->kind != LAYOUT_BOX_TEXT || line0->line != 0)
		return NULL;
	layout_box *b = layout_box_copy(line0, 0);
	g_object_unref(b->layout);
	b->layout = layout_inline_layout(&cl->in, LAYOUT_STYLE_TABLE, 0,
					 pango_layout_get_width(cl->pl) < 0 ? -1 : w,
					 &ctx->doc->theme->color_muted);
	b->st = NULL;
	return b;
}

/* A piece of a row from `start` down: its first column repeats the first
 * cell's first line, muted, where the page breaks before it (the piece's
 * cont_boxes), when that cell's lines all ended above.  The label is made
 * once per row, for the first piece that needs it (*label). */
static void
row_continue(layout_ctx *ctx, const row_boxes *row, layout_item *it, double start,
	     cell *c0, double w0, layout_box **label)
{
	GArray *ls = row->lines[0];
	double min_y = G_MAXDOUBLE;

	if (!c0 || !row->line0 || !ls->len ||
	    g_array_index(ls, double, ls->len - 1) > start + 0.01)
		return;
	if (!*label && !(*label = row_label(ctx, c0, row->line0, w0)))
		return;
	for (guint i = 0; i < it->boxes->len; i++) {
		const layout_box *b = g_ptr_array_index(it->boxes, i);
		if (b->kind == LAYOUT_BOX_TEXT)
			min_y = MIN(min_y, b->y);
	}
	it->cont_boxes = layout_box_list_new();
	g_ptr_array_add(it->cont_boxes, layout_box_copy(*label, min_y < G_MAXDOUBLE ?
							  min_y - (*label)->y : 0));
}

static layout_item *
row_emit(layout_ctx *ctx, row_boxes *row, gboolean header, gboolean stripe,
	 gboolean last, layout_item *header_item, cell *c0, double w0)
{
	layout_doc *doc = ctx->doc;
	double body = doc->body_bottom - doc->body_top;
	double start = 0;
	layout_item *first = NULL;

	if (header_item && header_item->h > body / 2)
		header_item = NULL;
	double max_h = body - (header_item ? header_item->h : 0) - 2;
	GArray *cuts = header ? g_array_new(FALSE, FALSE, sizeof(double)) : row_cuts(row);
	guint ci = 0;
	layout_box *label = NULL;
	while (start < row->h - 0.01) {
		while (ci < cuts->len && g_array_index(cuts, double, ci) <= start + 0.01)
			ci++;
		double cut = ci < cuts->len ? g_array_index(cuts, double, ci) : row->h;
		if (cut - start > max_h)
			cut = row_cut(row, start, max_h);
		gboolean end = cut >= row->h - 0.01;
		layout_item *it = layout_item_new(ctx, cut - start);
		row_decorate(ctx, it, header, stripe, !first, end, last && end,
			     header_item != NULL, cut - start);
		for (guint i = 0; i < row->boxes->len; i++) {
			layout_box *b = g_ptr_array_index(row->boxes, i);
			if (!b || b->y < start - 0.01 || (b->y >= cut - 0.01 && !end))
				continue;
			b->y -= start;
			b->baseline -= start;
			g_ptr_array_add(it->boxes, b);
			row->boxes->pdata[i] = NULL;
		}
		it->header = header ? NULL : header_item;
		it->keep_with_next = header || !end;
		it->row_cont = first != NULL;
		if (first && !header)
			row_continue(ctx, row, it, start, c0, w0, &label);
		if (!first)
			first = it;
		start = cut;
	}
	layout_box_free(label);
	g_array_free(cuts, TRUE);
	if (!first) {
		first = layout_item_new(ctx, row->h);
		first->header = header ? NULL : header_item;
	}
	return first;
}

static void
table_free(table *t)
{
	for (guint ri = 0; ri < t->rows->len; ri++) {
		cell *cells = g_ptr_array_index(t->rows, ri);
		for (int c = 0; c < t->ncols; c++) {
			layout_inline_clear(&cells[c].in);
			if (cells[c].pl)
				g_object_unref(cells[c].pl);
		}
		g_free(cells);
	}
	g_ptr_array_free(t->rows, TRUE);
	g_ptr_array_free(t->nodes, TRUE);
	g_free(t->min);
	g_free(t->nat);
	g_free(t->shrt);
	g_free(t->width);
}

static const layout_rgb *
cell_color(const layout_ctx *ctx, gboolean header)
{
	return header ? &ctx->doc->theme->color_heading :
		&ctx->doc->theme->color_text;
}

/* Lay out every cell unwrapped and note each column's minimum and
 * natural width. */
static void
table_measure(layout_ctx *ctx, cmark_node *node, table *t)
{
	layout_doc *doc = ctx->doc;

	for (int c = 0; c < t->ncols; c++)
		t->min[c] = t->nat[c] = t->shrt[c] = 2 * t->pad_x + 1;
	for (cmark_node *r = cmark_node_first_child(node); r; r = cmark_node_next(r)) {
		if (cmark_node_get_type(r) != CMARK_NODE_TABLE_ROW)
			continue;
		gboolean header = cmark_gfm_extensions_get_table_row_is_header(r);
		cell *cells = g_new0(cell, t->ncols);
		cmark_node *cn = cmark_node_first_child(r);
		for (int c = 0; c < t->ncols; c++) {
			cell *cl = &cells[c];
			layout_inline_init(&cl->in, doc, cmark_node_get_start_line(r));
			if (cn && cmark_node_get_type(cn) == CMARK_NODE_TABLE_CELL) {
				layout_inline_add_children(&cl->in, cn);
				cn = cmark_node_next(cn);
			}
			cl->pl = layout_inline_layout(&cl->in, header ?
						      LAYOUT_STYLE_TABLE_HEADER :
						      LAYOUT_STYLE_TABLE, 0, -1,
						      cell_color(ctx, header));
			cl->nat = layout_width(cl->pl) + 2 * t->pad_x;
			cl->min = min_width(cl->pl) + 2 * t->pad_x;
			t->nat[c] = MAX(t->nat[c], cl->nat);
			t->min[c] = MAX(t->min[c], MIN(cl->min, cl->nat));
			if (!header && cl->nat <= t->short_max)
				t->shrt[c] = MAX(t->shrt[c], cl->nat);
		}
		g_ptr_array_add(t->rows, cells);
		g_ptr_array_add(t->nodes, r);
		if (!header)
			t->body_rows++;
		t->total = !header && all_strong(cmark_node_first_child(r));
	}
	for (int c = 0; c < t->ncols; c++)
		t->shrt[c] = MAX(t->shrt[c], t->min[c]);
}

/* The boxes of row `ri` at the final column widths. */
static row_boxes
table_row(layout_ctx *ctx, table *t, guint ri, gboolean header,
	  layout_struct *tr)
{
	cell *cells = g_ptr_array_index(t->rows, ri);
	row_boxes row = { layout_box_list_new(), 0, g_new(GArray *, t->ncols), t->ncols, NULL };
	double x = ctx->x, text_h = 0;

	for (int c = 0; c < t->ncols; c++)
		row.lines[c] = g_array_new(FALSE, FALSE, sizeof(double));

	for (int c = 0; c < t->ncols; c++) {
		cell *cl = &cells[c];
		if (cl->nat > t->width[c] + 0.01) {
			/* Too wide: lay it out again, wrapped. */
			g_object_unref(cl->pl);
			cl->pl = layout_inline_layout(&cl->in, header ?
						      LAYOUT_STYLE_TABLE_HEADER :
						      LAYOUT_STYLE_TABLE, 0,
						      MAX(t->width[c] - 2 * t->pad_x, 1),
						      cell_color(ctx, header));
		}
		PangoRectangle lr;
		pango_layout_get_extents(cl->pl, NULL, &lr);
		cl->h = lr.height / (double)PANGO_SCALE;
		/* Each cell is an element, TH in a header row (an empty
		 * cell draws nothing and is left out of the tree). */
		layout_struct *st = layout_struct_new(ctx->doc, tr, header ?
						      LAYOUT_ROLE_TH : LAYOUT_ROLE_TD);
		guint first = row.boxes->len;
		if (cl->in.text->len)
			row_cell_lines(ctx, &row, c, cl, x + t->pad_x,
				       t->width[c] - 2 * t->pad_x,
				       t->align ? (char)t->align[c] : 0, t->pad_y,
				       cl->in.line);
		for (guint k = first; k < row.boxes->len; k++)
			((layout_box *)g_ptr_array_index(row.boxes, k))->st = st;
		if (c == 0 && row.boxes->len > first)
			row.line0 = g_ptr_array_index(row.boxes, first);
		text_h = MAX(text_h, cl->h);
		x += t->width[c];
	}
	row.h = text_h + 2 * t->pad_y;
	return row;
}

void
layout_table(layout_ctx *ctx, cmark_node *node)
{
	layout_doc *doc = ctx->doc;
	const typeset_theme *th = doc->theme;
	table t = {
		.ncols = cmark_gfm_extensions_get_table_columns(node),
		.align = cmark_gfm_extensions_get_table_alignments(node),
		.pad_x = th->cell_padding,
		.pad_y = th->cell_padding * th->cell_padding_y,
	};

	if (t.ncols <= 0)
		return;
	t.rows = g_ptr_array_new();
	t.nodes = g_ptr_array_new();
	t.min = g_new0(double, t.ncols);
	t.nat = g_new0(double, t.ncols);
	t.width = g_new0(double, t.ncols);
	t.shrt = g_new0(double, t.ncols);
	t.short_max = ctx->w * th->table_short_cell;
	table_measure(ctx, node, &t);
	column_widths(t.min, t.shrt, t.nat, t.ncols, ctx->w, t.width);

	layout_want_gap(ctx, th->space_paragraph);
	layout_item *header_item = NULL;
	int body_row = 0;
	layout_struct *outer = ctx->st;
	layout_struct *tbl = layout_struct_new(doc, outer, LAYOUT_ROLE_TABLE);
	for (guint ri = 0; ri < t.rows->len; ri++) {
		gboolean header = cmark_gfm_extensions_get_table_row_is_header(
			g_ptr_array_index(t.nodes, ri));
		ctx->st = layout_struct_new(doc, tbl, LAYOUT_ROLE_TR);
		row_boxes row = table_row(ctx, &t, ri, header, ctx->st);
		cell *cells = g_ptr_array_index(t.rows, ri);
		layout_item *it = row_emit(ctx, &row, header,
					   !header && (body_row % 2) == 1,
					   ri + 1 == t.rows->len, header_item, &cells[0],
					   MAX(t.width[0] - 2 * t.pad_x, 1));
		ctx->st = outer;
		if (ri == 0)
			layout_take_marker(ctx, it, t.pad_y + th->size_table);
		if (header) {
			header_item = it;
		} else {
			/* At least two rows under a header, never one row
			 * alone on a page after the rest, nor one row and
			 * the total under it. */
			layout_item *lastp = g_ptr_array_index(doc->items,
							       doc->items->len - 1);
			if (t.body_rows >= 3 &&
			    (body_row == 0 || body_row == t.body_rows - 2 ||
			     (body_row == t.body_rows - 3 && t.total)))
				lastp->keep_with_next = TRUE;
			body_row++;
		}
		g_ptr_array_free(row.boxes, TRUE);
		for (int c = 0; c < row.ncells; c++)
			g_array_free(row.lines[c], TRUE);
		g_free(row.lines);
	}
	layout_want_gap(ctx, th->space_paragraph);
	table_free(&t);
}

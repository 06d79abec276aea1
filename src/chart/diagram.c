/* diagram.c - box-and-arrow diagrams laid out by Graphviz (see diagram.h).
 *
 * Graphviz only places things here; it never sees a word of text.  Every
 * box and every arrow label is measured with the caller's function (Pango,
 * in the theme's font) and given to Graphviz as a fixed-size box: nodes as
 * `fixedsize` boxes, labels and group titles as empty HTML tables of the
 * measured size.  So Graphviz's own font metrics and plugins play no part,
 * and no content string is ever written into the DOT text.
 */
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <math.h>
#include <string.h>

#include "chart/diagram.h"

#define PAD_X 9.0		/* inside a box */
#define PAD_Y 6.0
#define MIN_BOX_W 64.0
#define LINE 1.25		/* line height, times the font size */
#define ASCENT 0.95		/* baseline below a line's top, times the size */
#define MARGIN 4.0		/* around the whole diagram */
#define GROUP_GAP 4.0		/* between a group's title and its frame's top */
#define GROUP_INSET 4.0		/* Graphviz lets the frames of clusters touch */

/* ---- the diagram --------------------------------------------------------- */

diagram *
diagram_new(const char *title, diagram_direction dir)
{
	diagram *d = g_new0(diagram, 1);
	d->title = g_strdup(title);
	d->dir = dir;
	d->nodes = g_ptr_array_new();
	d->edges = g_ptr_array_new();
	d->groups = g_ptr_array_new_with_free_func(g_free);
	return d;
}

void
diagram_free(diagram *d)
{
	if (!d)
		return;
	for (guint i = 0; i < d->nodes->len; i++) {
		diagram_node *n = d->nodes->pdata[i];
		g_free(n->name);
		g_free(n->note);
		g_free(n);
	}
	for (guint i = 0; i < d->edges->len; i++) {
		diagram_edge *e = d->edges->pdata[i];
		g_free(e->label);
		g_free(e);
	}
	g_ptr_array_free(d->nodes, TRUE);
	g_ptr_array_free(d->edges, TRUE);
	g_ptr_array_free(d->groups, TRUE);
	g_free(d->title);
	g_free(d->desc);
	g_free(d);
}

int
diagram_group_add(diagram *d, const char *title)
{
	g_ptr_array_add(d->groups, g_strdup(title));
	return (int)d->groups->len - 1;
}

int
diagram_node_add(diagram *d, const char *name, const char *note, diagram_box box, int group)
{
	diagram_node *n = g_new0(diagram_node, 1);
	n->name = g_strdup(name);
	n->note = note && *note ? g_strdup(note) : NULL;
	n->box = box;
	n->group = group;
	g_ptr_array_add(d->nodes, n);
	return (int)d->nodes->len - 1;
}

void
diagram_edge_add(diagram *d, int from, int to, const char *label)
{
	g_return_if_fail(from >= 0 && (guint)from < d->nodes->len);
	g_return_if_fail(to >= 0 && (guint)to < d->nodes->len);
	diagram_edge *e = g_new0(diagram_edge, 1);
	e->from = from;
	e->to = to;
	e->label = label && *label ? g_strdup(label) : NULL;
	g_ptr_array_add(d->edges, e);
}

/* ---- text blocks ---------------------------------------------------------- */

/* Lines of measured text, relative to the block's top left. */
typedef struct {
	GPtrArray *lines;	/* diagram_text* */
	double w, h;
} block;

static void
text_free(gpointer p)
{
	diagram_text *t = p;
	g_free(t->text);
	g_free(t);
}

/* Break `text` at spaces into lines no wider than `wrap` (a single word
 * wider than that gets a line of its own) and append them to b, each line
 * centred on x = 0. */
static void
block_add(block *b, const char *text, double size, bool bold, double wrap,
	  diagram_measure_fn measure, void *ud)
{
	g_auto(GStrv) words = g_strsplit(text, " ", -1);
	GString *line = g_string_new(NULL);
	guint i = 0;

	while (words[i]) {
		g_string_truncate(line, 0);
		g_string_append(line, words[i++]);
		while (words[i]) {
			g_autofree char *longer = g_strconcat(line->str, " ", words[i], NULL);
			if (measure(longer, size, bold, ud) > wrap)
				break;
			g_string_assign(line, longer);
			i++;
		}
		double w = measure(line->str, size, bold, ud);
		diagram_text *t = g_new0(diagram_text, 1);
		t->text = g_strdup(line->str);
		t->size = size;
		t->bold = bold;
		t->x = -w / 2;
		t->y = b->h + size * ASCENT;
		b->h += size * LINE;
		b->w = MAX(b->w, w);
		g_ptr_array_add(b->lines, t);
	}
	g_string_free(line, TRUE);
}

/* A node's lines and box size. */
static block
node_block(const diagram_node *n, diagram_measure_fn measure, void *ud)
{
	block b = { g_ptr_array_new_with_free_func(text_free), 0, 0 };
	block_add(&b, n->name, DIAGRAM_NAME_SIZE, true, DIAGRAM_WRAP, measure, ud);
	if (n->note)
		block_add(&b, n->note, DIAGRAM_NOTE_SIZE, false, DIAGRAM_WRAP, measure, ud);
	return b;
}

static block
label_block(const char *label, diagram_measure_fn measure, void *ud)
{
	block b = { g_ptr_array_new_with_free_func(text_free), 0, 0 };
	if (label)
		block_add(&b, label, DIAGRAM_LABEL_SIZE, false, DIAGRAM_LABEL_WRAP, measure, ud);
	return b;
}

static double
box_w(const block *b)
{
	return MAX(MIN_BOX_W, ceil(b->w + 2 * PAD_X));
}

static double
box_h(const block *b)
{
	return ceil(b->h + 2 * PAD_Y);
}

/* ---- the DOT text --------------------------------------------------------- */

static void
put_num(GString *s, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_string_append(s, g_ascii_formatd(buf, sizeof buf, "%.4f", v));
}

/* An empty HTML table of w x h points: space Graphviz keeps free. */
static void
put_space(GString *s, double w, double h)
{
	g_string_append_printf(s, "<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" "
			       "CELLPADDING=\"0\" FIXEDSIZE=\"TRUE\" WIDTH=\"%d\" HEIGHT=\"%d\">"
			       "<TR><TD></TD></TR></TABLE>>", (int)ceil(w), (int)ceil(h));
}

static void
put_node(GString *s, const diagram *d, guint i, diagram_measure_fn measure, void *ud)
{
	block b = node_block(d->nodes->pdata[i], measure, ud);
	g_string_append_printf(s, "  n%u [width=", i);
	put_num(s, box_w(&b) / 72);
	g_string_append(s, ", height=");
	put_num(s, box_h(&b) / 72);
	g_string_append(s, "];\n");
	g_ptr_array_free(b.lines, TRUE);
}

static double
group_title_h(void)
{
	return ceil(DIAGRAM_GROUP_SIZE * LINE + GROUP_GAP);
}

char *
diagram_dot(const diagram *d, diagram_measure_fn measure, void *ud)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "digraph diagram {\n"
			       "  graph [rankdir=%s, nodesep=0.28, ranksep=0.42, margin=0, "
			       "pad=0, splines=true, labeljust=l, labelloc=t];\n"
			       "  node [shape=box, fixedsize=true, label=\"\"];\n"
			       "  edge [arrowhead=normal, arrowsize=0.7];\n",
			       d->dir == DIAGRAM_LEFT_RIGHT ? "LR" : "TB");
	/* Graphviz stacks the clusters of a left-to-right diagram bottom up:
	 * the last declared is drawn on top, so the first group is last. */
	for (guint gi = 0; gi < d->groups->len; gi++) {
		guint g = d->dir == DIAGRAM_LEFT_RIGHT ? d->groups->len - 1 - gi : gi;
		const char *title = d->groups->pdata[g];
		g_string_append_printf(s, "  subgraph cluster_%u {\n    margin=10; label=", g);
		put_space(s, measure(title, DIAGRAM_GROUP_SIZE, true, ud), group_title_h());
		g_string_append(s, ";\n");
		for (guint i = 0; i < d->nodes->len; i++)
			if (((diagram_node *)d->nodes->pdata[i])->group == (int)g) {
				g_string_append(s, "  ");
				put_node(s, d, i, measure, ud);
			}
		g_string_append(s, "  }\n");
	}
	for (guint i = 0; i < d->nodes->len; i++) {
		int g = ((diagram_node *)d->nodes->pdata[i])->group;
		if (g < 0 || (guint)g >= d->groups->len)
			put_node(s, d, i, measure, ud);
	}
	for (guint k = 0; k < d->edges->len; k++) {
		const diagram_edge *e = d->edges->pdata[k];
		g_string_append_printf(s, "  n%d -> n%d [key=e%u", e->from, e->to, k);
		if (e->label) {
			block b = label_block(e->label, measure, ud);
			g_string_append(s, ", label=");
			put_space(s, b.w + 4, b.h + 2);
			g_ptr_array_free(b.lines, TRUE);
		}
		g_string_append(s, "];\n");
	}
	g_string_append(s, "}\n");
	return g_string_free(s, FALSE);
}

/* ---- layout --------------------------------------------------------------- */

/* Graphviz keeps global state (its error handler, symbol tables). */
static GMutex graphviz_lock;
static GString *graphviz_errors;	/* under graphviz_lock */
static GVC_t *gvc;			/* under graphviz_lock */

static int
collect_error(char *msg)
{
	if (graphviz_errors)
		g_string_append(graphviz_errors, msg);
	return 0;
}

typedef struct {
	double x0, y1;		/* Graphviz's bounding box: left, top */
} frame;

static double
fx(const frame *f, double x)
{
	return x - f->x0 + MARGIN;
}

static double
fy(const frame *f, double y)
{
	return f->y1 - y + MARGIN;
}

/* Moves b's lines (centred on x = 0, from y = 0) to centre x, top y. */
static GPtrArray *
place_lines(block *b, double cx, double top)
{
	for (guint i = 0; i < b->lines->len; i++) {
		diagram_text *t = b->lines->pdata[i];
		t->x += cx;
		t->y += top;
	}
	GPtrArray *lines = b->lines;
	b->lines = NULL;
	return lines;
}

static Agnode_t *
node_of(Agraph_t *g, guint i)
{
	char name[32];
	g_snprintf(name, sizeof name, "n%u", i);
	return agnode(g, name, 0);
}

static bool
read_layout(Agraph_t *g, const diagram *d, diagram_layout *l, diagram_measure_fn measure,
	    void *ud)
{
	boxf bb = GD_bb(g);
	frame f = { bb.LL.x, bb.UR.y };

	l->width = ceil(bb.UR.x - bb.LL.x + 2 * MARGIN);
	l->height = ceil(bb.UR.y - bb.LL.y + 2 * MARGIN);
	for (guint i = 0; i < l->n_nodes; i++) {
		Agnode_t *n = node_of(g, i);
		if (!n)
			return false;
		block b = node_block(d->nodes->pdata[i], measure, ud);
		double w = ND_width(n) * 72, h = ND_height(n) * 72;
		double cx = fx(&f, ND_coord(n).x), cy = fy(&f, ND_coord(n).y);
		l->nodes[i].box = (diagram_rect){ cx - w / 2, cy - h / 2, w, h };
		l->nodes[i].lines = place_lines(&b, cx, cy - b.h / 2);
	}
	for (guint k = 0; k < l->n_edges; k++) {
		const diagram_edge *de = d->edges->pdata[k];
		diagram_edge_place *p = &l->edges[k];
		char name[32];
		Agnode_t *t = node_of(g, (guint)de->from), *h = node_of(g, (guint)de->to);
		g_snprintf(name, sizeof name, "e%u", k);
		Agedge_t *e = t && h ? agedge(g, t, h, name, 0) : NULL;
		if (!e || !ED_spl(e) || ED_spl(e)->size < 1)
			return false;
		const bezier *bz = &ED_spl(e)->list[0];
		p->n_pts = bz->size;
		p->pts = g_new(double, 2 * bz->size);
		for (int j = 0; j < bz->size; j++) {
			p->pts[2 * j] = fx(&f, bz->list[j].x);
			p->pts[2 * j + 1] = fy(&f, bz->list[j].y);
		}
		pointf tip = bz->eflag ? bz->ep : bz->list[bz->size - 1];
		p->tip_x = fx(&f, tip.x);
		p->tip_y = fy(&f, tip.y);
		block b = label_block(de->label, measure, ud);
		if (de->label && ED_label(e)) {
			double cx = fx(&f, ED_label(e)->pos.x), cy = fy(&f, ED_label(e)->pos.y);
			p->label_box = (diagram_rect){ cx - b.w / 2 - 2, cy - b.h / 2 - 1,
						       b.w + 4, b.h + 2 };
			p->lines = place_lines(&b, cx, cy - b.h / 2);
		} else {
			p->lines = b.lines;
		}
	}
	for (guint g2 = 0; g2 < l->n_groups; g2++) {
		char name[32];
		g_snprintf(name, sizeof name, "cluster_%u", g2);
		Agraph_t *sg = agsubg(g, name, 0);
		if (!sg)
			return false;
		boxf sb = GD_bb(sg);
		diagram_group_place *p = &l->groups[g2];
		p->box = (diagram_rect){ fx(&f, sb.LL.x) + GROUP_INSET,
					 fy(&f, sb.UR.y) + GROUP_INSET,
					 sb.UR.x - sb.LL.x - 2 * GROUP_INSET,
					 sb.UR.y - sb.LL.y - 2 * GROUP_INSET };
		p->title.text = g_strdup(d->groups->pdata[g2]);
		p->title.size = DIAGRAM_GROUP_SIZE;
		p->title.bold = true;
		p->title.x = p->box.x + 8;
		p->title.y = p->box.y + DIAGRAM_GROUP_SIZE * ASCENT + 4;
	}
	return true;
}

diagram_layout *
diagram_layout_new(const diagram *d, diagram_measure_fn measure, void *ud, char **why)
{
	g_autofree char *dot = diagram_dot(d, measure, ud);
	diagram_layout *l = g_new0(diagram_layout, 1);
	l->n_nodes = d->nodes->len;
	l->n_edges = d->edges->len;
	l->n_groups = d->groups->len;
	l->nodes = g_new0(diagram_node_place, MAX(l->n_nodes, 1));
	l->edges = g_new0(diagram_edge_place, MAX(l->n_edges, 1));
	l->groups = g_new0(diagram_group_place, MAX(l->n_groups, 1));

	g_mutex_lock(&graphviz_lock);
	graphviz_errors = g_string_new(NULL);
	agusererrf old = agseterrf(collect_error);
	if (!gvc)	/* one for the process: gvContext() reads the plugin config */
		gvc = gvContext();
	Agraph_t *g = agmemread(dot);
	bool ok = g && gvLayout(gvc, g, "dot") == 0;
	if (ok)
		ok = read_layout(g, d, l, measure, ud);
	if (g) {
		gvFreeLayout(gvc, g);
		agclose(g);
	}
	agseterrf(old);
	g_autofree char *msg = g_string_free(graphviz_errors, FALSE);
	graphviz_errors = NULL;
	g_mutex_unlock(&graphviz_lock);

	if (!ok) {
		g_strstrip(msg);
		*why = g_strdup_printf("Graphviz could not lay out '%s'%s%s", d->title,
				       *msg ? ": " : "", msg);
		diagram_layout_free(l);
		return NULL;
	}
	return l;
}

void
diagram_layout_free(diagram_layout *l)
{
	if (!l)
		return;
	for (guint i = 0; i < l->n_nodes; i++)
		if (l->nodes[i].lines)
			g_ptr_array_free(l->nodes[i].lines, TRUE);
	for (guint k = 0; k < l->n_edges; k++) {
		g_free(l->edges[k].pts);
		if (l->edges[k].lines)
			g_ptr_array_free(l->edges[k].lines, TRUE);
	}
	for (guint g = 0; g < l->n_groups; g++)
		g_free(l->groups[g].title.text);
	g_free(l->nodes);
	g_free(l->edges);
	g_free(l->groups);
	g_free(l);
}

/* test_diagram.c - the architecture diagrams: from a fixture architecture
 * tree (the shape of docs/data-model.md, a company that is not the shipped
 * example) to Graphviz layouts and SVG.  Asserts what a reader sees: the
 * flow reads top down in step order, arrows join the boxes they name, the
 * current route sits above the direct one and reads left to right, labels
 * sit clear of boxes, the same input gives the same layout and bytes, an
 * unknown component id is a located error, and the picture the PDFs draw
 * directly is the SVG's.
 */
#include <check.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "chart/diagram_svg.h"
#include "load/yaml.h"
#include "write/diagrams.h"

static const char fixture[] =
	"architecture:\n"
	"  components:\n"
	"    - {id: client, name: \"Client (WhatsApp user)\", kind: person, role: r}\n"
	"    - {id: meta, name: \"Meta Cloud API\", kind: meta, role: r}\n"
	"    - {id: bsp, name: \"Gupshup\", kind: external, role: r}\n"
	"    - {id: firm, name: \"Nuvem & <Cia>\", kind: company, role: r}\n"
	"    - {id: api, name: \"Webhook API\", kind: service, provider: AWS, region: sa-east-1, role: r}\n"
	"    - {id: sqs, name: \"Inbound queue\", kind: queue, provider: Amazon SQS, role: r}\n"
	"    - {id: worker, name: \"Reply worker\", kind: service, provider: AWS Lambda, role: r}\n"
	"  message_flow:\n"
	"    - {from: client, to: meta, label: \"WhatsApp message\"}\n"
	"    - {from: meta, to: bsp, label: \"Event\"}\n"
	"    - {from: bsp, to: api, label: \"Signed webhook\"}\n"
	"    - {from: api, to: sqs, label: \"Enqueued\"}\n"
	"    - {from: sqs, to: worker, label: \"Job\"}\n"
	"    - {from: worker, to: meta, label: \"Reply\"}\n"
	"    - {from: meta, to: client, label: \"Reply delivered\"}\n"
	"  routes:\n"
	"    current: [client, firm, bsp, meta]\n"
	"    direct: [client, firm, meta]\n";

/* Text width without fonts: 0.55 em a character. */
static double
fake_measure(const char *text, double size, bool bold, void *ud)
{
	return g_utf8_strlen(text, -1) * size * (bold ? 0.6 : 0.55);
}

static val *
load_fixture(const char *text)
{
	val *root = yaml_load_string("architecture.yaml", text, strlen(text));
	ck_assert_ptr_nonnull(root);
	return root;
}

static int
node_named(const diagram *d, const char *name)
{
	for (guint i = 0; i < d->nodes->len; i++)
		if (strcmp(((diagram_node *)d->nodes->pdata[i])->name, name) == 0)
			return (int)i;
	ck_abort_msg("no box named %s", name);
	return -1;
}

/* Distance from (x, y) to the rectangle's edge (0 on it, >0 outside). */
static double
dist_to_box(const diagram_rect *r, double x, double y)
{
	double dx = MAX(MAX(r->x - x, x - (r->x + r->w)), 0);
	double dy = MAX(MAX(r->y - y, y - (r->y + r->h)), 0);
	double out = hypot(dx, dy);
	if (out > 0)
		return out;
	return MIN(MIN(x - r->x, r->x + r->w - x), MIN(y - r->y, r->y + r->h - y));
}

static bool
overlap(const diagram_rect *a, const diagram_rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
	       b->y < a->y + a->h;
}

static void
ck_inside(const diagram_layout *l, const diagram_rect *r)
{
	ck_assert(r->x >= 0 && r->y >= 0);
	ck_assert(r->x + r->w <= l->width + 0.01 && r->y + r->h <= l->height + 0.01);
}

START_TEST(message_flow)
{
	val *root = load_fixture(fixture);
	diagram *flow, *routes;
	ck_assert(diagrams_from_tree(val_get(root, "architecture"), &flow, &routes));
	ck_assert_ptr_nonnull(flow);
	ck_assert_int_eq(flow->nodes->len, 6);	/* the company itself is not in the flow */
	ck_assert_int_eq(flow->edges->len, 7);
	ck_assert_str_eq(((diagram_edge *)flow->edges->pdata[0])->label, "1. WhatsApp message");
	ck_assert_msg(strstr(flow->desc, "3. Gupshup to Webhook API: Signed webhook;"), "%s", flow->desc);
	int api = node_named(flow, "Webhook API");
	ck_assert_str_eq(((diagram_node *)flow->nodes->pdata[api])->note, "AWS · sa-east-1");

	char *err = NULL;
	diagram_layout *l = diagram_layout_new(flow, fake_measure, NULL, &err);
	ck_assert_msg(l != NULL, "%s", err);
	ck_assert(l->width > 100 && l->height > 300);

	/* Top down in step order along the inbound path. */
	const char *order[] = { "Client (WhatsApp user)", "Meta Cloud API", "Gupshup",
				"Webhook API", "Inbound queue", "Reply worker" };
	double prev = -1;
	for (size_t k = 0; k < G_N_ELEMENTS(order); k++) {
		const diagram_node_place *p = &l->nodes[node_named(flow, order[k])];
		ck_inside(l, &p->box);
		ck_assert_msg(p->box.y > prev, "%s above the box before it", order[k]);
		prev = p->box.y + p->box.h;
		/* The name is inside its box, bold, centred. */
		const diagram_text *t = p->lines->pdata[0];
		ck_assert(t->bold && t->y > p->box.y && t->y < p->box.y + p->box.h);
		ck_assert(t->x > p->box.x);
		double w = fake_measure(t->text, t->size, true, NULL);
		ck_assert_double_eq_tol(t->x + w / 2, p->box.x + p->box.w / 2, 0.01);
	}
	/* Every arrow starts at its box and ends at the other with its tip. */
	for (guint k = 0; k < flow->edges->len; k++) {
		const diagram_edge *e = flow->edges->pdata[k];
		const diagram_edge_place *p = &l->edges[k];
		ck_assert(p->n_pts >= 4 && (p->n_pts - 1) % 3 == 0);
		ck_assert_msg(fabs(dist_to_box(&l->nodes[e->from].box, p->pts[0], p->pts[1])) < 2,
			      "edge %u starts off its box", k);
		ck_assert_msg(fabs(dist_to_box(&l->nodes[e->to].box, p->tip_x, p->tip_y)) < 2,
			      "edge %u ends off its box", k);
		/* Labels are clear of every box. */
		ck_assert(p->label_box.w > 0);
		for (guint i = 0; i < l->n_nodes; i++)
			ck_assert_msg(!overlap(&p->label_box, &l->nodes[i].box),
				      "label %u over box %u", k, i);
		ck_assert_str_eq(((diagram_text *)p->lines->pdata[0])->text, e->label);
	}

	/* Deterministic: the same diagram gives the same numbers. */
	diagram_layout *again = diagram_layout_new(flow, fake_measure, NULL, &err);
	ck_assert_double_eq(again->width, l->width);
	for (guint i = 0; i < l->n_nodes; i++) {
		ck_assert_double_eq(again->nodes[i].box.x, l->nodes[i].box.x);
		ck_assert_double_eq(again->nodes[i].box.y, l->nodes[i].box.y);
	}
	for (guint k = 0; k < l->n_edges; k++)
		ck_assert(memcmp(again->edges[k].pts, l->edges[k].pts,
				 sizeof(double) * 2 * l->edges[k].n_pts) == 0);
	diagram_layout_free(again);
	diagram_layout_free(l);
	diagram_free(flow);
	diagram_free(routes);
	val_free(root);
}
END_TEST

START_TEST(routes)
{
	val *root = load_fixture(fixture);
	diagram *flow, *routes;
	ck_assert(diagrams_from_tree(val_get(root, "architecture"), &flow, &routes));
	ck_assert_ptr_nonnull(routes);
	ck_assert_int_eq(routes->groups->len, 2);
	ck_assert_int_eq(routes->nodes->len, 7);
	ck_assert_int_eq(routes->edges->len, 5);
	char *err = NULL;
	diagram_layout *l = diagram_layout_new(routes, fake_measure, NULL, &err);
	ck_assert_msg(l != NULL, "%s", err);

	/* The current route's frame above the direct one's, apart. */
	const diagram_rect *cur = &l->groups[0].box, *dir = &l->groups[1].box;
	ck_assert_msg(cur->y + cur->h < dir->y, "current %.1f+%.1f, direct %.1f", cur->y, cur->h,
		      dir->y);
	ck_inside(l, cur);
	ck_inside(l, dir);
	ck_assert_str_eq(l->groups[0].title.text, "Current route: through a BSP");
	/* Each route left to right, inside its frame; the title above its boxes. */
	for (guint g = 0; g < 2; g++) {
		double right = -1;
		for (guint i = 0; i < l->n_nodes; i++) {
			const diagram_node *n = routes->nodes->pdata[i];
			if (n->group != (int)g)
				continue;
			const diagram_rect *b = &l->nodes[i].box, *f = &l->groups[g].box;
			ck_assert_msg(b->x > right, "%s out of order", n->name);
			right = b->x + b->w;
			ck_assert(b->x > f->x && b->x + b->w < f->x + f->w);
			ck_assert(b->y > l->groups[g].title.y && b->y + b->h < f->y + f->h);
		}
	}
	/* On the direct route the company is its own BSP. */
	const diagram_node *firm = routes->nodes->pdata[5];
	ck_assert_str_eq(firm->name, "Nuvem & <Cia>");
	ck_assert_str_eq(firm->note, "as a BSP");
	ck_assert_int_eq(firm->box, DIAGRAM_BOX_FOCUS);

	/* The SVG: real text, escaped; the same bytes twice. */
	diagram_style st = { .font = "DejaVu Sans", .text = 0x0e2f4d, .muted = 0x5b6675,
			     .accent = 0x1b66a6, .frame = 0xc5ced8, .fill = 0xffffff,
			     .group_fill = 0xf1f4f7 };
	diagram_device *dev = diagram_device_new(&st);
	char *svg = diagram_svg(dev, routes, l);
	ck_assert_msg(strstr(svg, "font-weight=\"bold\" fill=\"#ffffff\">Nuvem &amp; &lt;Cia&gt;</text>"),
		      "%s", svg);
	ck_assert(strstr(svg, "<title>Routes to Meta: current and direct</title>"));
	ck_assert(strstr(svg, "stroke-dasharray"));	/* the other companies' boxes */
	char *svg2 = diagram_svg(dev, routes, l);
	ck_assert_str_eq(svg, svg2);
	g_free(svg);
	g_free(svg2);
	diagram_device_free(dev);
	diagram_layout_free(l);
	diagram_free(flow);
	diagram_free(routes);
	val_free(root);
}
END_TEST

/* Grey levels of a picture drawn at 3 px a point on white. */
static guchar *
raster(const diagram_layout *l, void (*paint)(cairo_t *, gpointer), gpointer data, int *w,
       int *h)
{
	*w = (int)ceil(l->width * 3), *h = (int)ceil(l->height * 3);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, *w, *h);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, 3, 3);
	/* Unhinted glyphs, as on a PDF page (librsvg takes the context's). */
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
	paint(cr, data);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	guchar *grey = g_malloc((gsize)*w * *h);
	const guchar *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < *h; y++)
		for (int x = 0; x < *w; x++) {
			guint32 v = ((const guint32 *)(const void *)(px + (gsize)y * stride))[x];
			grey[(gsize)y * *w + x] = (guchar)((((v >> 16) & 0xff) + ((v >> 8) & 0xff) +
							   (v & 0xff)) / 3);
		}
	cairo_surface_destroy(s);
	return grey;
}

typedef struct {
	const diagram_style *st;
	const diagram *d;
	const diagram_layout *l;
	const char *svg;
} pic;

static void
paint_direct(cairo_t *cr, gpointer p)
{
	const pic *x = p;
	diagram_draw(cr, x->st, x->d, x->l);
}

static void
paint_svg(cairo_t *cr, gpointer p)
{
	const pic *x = p;
	RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)x->svg, strlen(x->svg), NULL);
	ck_assert_ptr_nonnull(h);
	RsvgRectangle vp = { 0, 0, x->l->width, x->l->height };
	ck_assert(rsvg_handle_render_document(h, cr, &vp, NULL));
	g_object_unref(h);
}

/* The PDFs draw a diagram with diagram_draw, not from its SVG: the two
 * pictures are the same (fewer than 1 cell of 2 x 2 points in 1,000
 * differs by a tenth of black or more): boxes, arrows and every word in
 * place. */
START_TEST(drawn_as_its_svg)
{
	val *root = load_fixture(fixture);
	diagram *flow, *routes;
	ck_assert(diagrams_from_tree(val_get(root, "architecture"), &flow, &routes));
	diagram_style st = { .font = "DejaVu Sans", .text = 0x0e2f4d, .muted = 0x5b6675,
			     .accent = 0x1b66a6, .frame = 0xc5ced8, .fill = 0xffffff,
			     .group_fill = 0xf1f4f7 };
	diagram_device *dev = diagram_device_new(&st);
	diagram *both[2] = { flow, routes };
	for (int k = 0; k < 2; k++) {
		g_autofree char *why = NULL;
		diagram_layout *l = diagram_layout_new(both[k], diagram_device_measure, dev, &why);
		ck_assert_ptr_nonnull(l);
		g_autofree char *svg = diagram_svg(dev, both[k], l);
		pic x = { diagram_device_style(dev), both[k], l, svg };
		int w1, h1, w2, h2;
		g_autofree guchar *a = raster(l, paint_direct, &x, &w1, &h1);
		g_autofree guchar *b = raster(l, paint_svg, &x, &w2, &h2);
		ck_assert_int_eq(w1, w2);
		ck_assert_int_eq(h1, h2);
		/* Compared by cells of 2 x 2 points: the glyphs' edges even
		 * out; a word or a box out of place does not. */
		gsize differ = 0, ink = 0, cells = 0;
		for (int cy = 0; cy + 6 <= h1; cy += 6)
			for (int cx = 0; cx + 6 <= w1; cx += 6) {
				int sa = 0, sb = 0;
				for (int y = cy; y < cy + 6; y++)
					for (int x = cx; x < cx + 6; x++) {
						sa += a[(gsize)y * w1 + x];
						sb += b[(gsize)y * w1 + x];
					}
				cells++;
				differ += abs(sa - sb) > 36 * 24;
				ink += sa < 36 * 200;
			}
		ck_assert_msg(ink > cells / 20, "diagram %d: hardly anything drawn (%zu of %zu cells)",
			      k, ink, cells);
		ck_assert_msg(differ * 1000 < cells, "diagram %d: %zu of %zu cells differ", k, differ,
			      cells);
		diagram_layout_free(l);
	}
	diagram_device_free(dev);
	diagram_free(flow);
	diagram_free(routes);
	val_free(root);
}
END_TEST

START_TEST(unknown_component)
{
	g_autofree char *text = g_strdup(fixture);
	char *at = strstr(text, "to: sqs");
	memcpy(at, "to: sq_", 7);
	val *root = load_fixture(text);
	diagram *flow, *routes;
	diag_capture_begin();
	ck_assert(!diagrams_from_tree(val_get(root, "architecture"), &flow, &routes));
	g_autofree char *msg = diag_capture_end();
	ck_assert_msg(strstr(msg, "architecture.yaml:14:23: error: 'sq_' is not the id of a "
			      "component in architecture.components"), "%s", msg);
	ck_assert_ptr_null(flow);
	ck_assert_ptr_null(routes);
	val_free(root);
}
END_TEST

Suite *
suite_diagram(void)
{
	Suite *s = suite_create("diagram");
	TCase *tc = tcase_create("diagram");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, message_flow);
	tcase_add_test(tc, routes);
	tcase_add_test(tc, unknown_component);
	tcase_add_test(tc, drawn_as_its_svg);
	suite_add_tcase(s, tc);
	return s;
}

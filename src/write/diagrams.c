/* write/diagrams.c - the architecture diagrams from the data tree (see
 * diagrams.h).  Turns architecture.components, .message_flow and .routes
 * into chart/diagram.h diagrams and writes them with diagram_svg.c; the
 * PDFs that show them draw the same layout with diagram_draw() (in the
 * build's typeset_pictures, ctx->pictures), not librsvg reading the SVG
 * back.  The
 * words come from content only: component names and the step labels; the
 * only fixed words are the route diagram's two group titles.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/fileop.h"
#include "base/searchpath.h"
#include "chart/diagram_svg.h"
#include "typeset/typeset.h"
#include "write/kept.h"
#include "load/yaml.h"
#include "write/diagrams.h"
#include "write/write.h"

/* The box of a component kind (docs/data-model.md lists the kinds). */
static diagram_box
box_of(const char *kind)
{
	static const struct {
		const char *kind;
		diagram_box box;
	} boxes[] = {
		{ "person", DIAGRAM_BOX_ACTOR },   { "company", DIAGRAM_BOX_FOCUS },
		{ "service", DIAGRAM_BOX_PLAIN },  { "queue", DIAGRAM_BOX_STORE },
		{ "database", DIAGRAM_BOX_STORE }, { "external", DIAGRAM_BOX_OUTSIDE },
		{ "meta", DIAGRAM_BOX_OUTSIDE },
	};
	for (size_t i = 0; kind && i < G_N_ELEMENTS(boxes); i++)
		if (strcmp(kind, boxes[i].kind) == 0)
			return boxes[i].box;
	return DIAGRAM_BOX_PLAIN;
}

static const char *
str_of(const val *map, const char *key)
{
	const val *v = val_get(map, key);
	return v && v->kind == VAL_STRING ? v->str : NULL;
}

/* The component with id `ref`'s string, or NULL after a located error. */
static const val *
component(const val *components, const val *ref)
{
	for (guint i = 0; ref && ref->kind == VAL_STRING && i < val_len(components); i++) {
		const char *id = str_of(val_index(components, i), "id");
		if (id && strcmp(id, ref->str) == 0)
			return val_index(components, i);
	}
	diag(DIAG_ERROR, ref ? ref->file : NULL, ref ? ref->line : 0, ref ? ref->col : 0,
	     "'%s' is not the id of a component in architecture.components",
	     ref && ref->str ? ref->str : "");
	return NULL;
}

/* "provider · region", either part optional; NULL when both are empty. */
static char *
note_of(const val *c)
{
	const char *p = str_of(c, "provider"), *r = str_of(c, "region");
	bool hp = p && *p, hr = r && *r;
	if (!hp && !hr)
		return NULL;
	return g_strdup_printf("%s%s%s", hp ? p : "", hp && hr ? " · " : "", hr ? r : "");
}

/* The node of component `c` in d, added the first time it is asked for. */
static int
node_for(diagram *d, GHashTable *nodes, const val *c, const char *note, int group)
{
	gpointer idx;
	if (g_hash_table_lookup_extended(nodes, c, NULL, &idx))
		return GPOINTER_TO_INT(idx);
	g_autofree char *own = note ? NULL : note_of(c);
	int i = diagram_node_add(d, str_of(c, "name") ? str_of(c, "name") : str_of(c, "id"),
				 note ? note : own, box_of(str_of(c, "kind")), group);
	g_hash_table_insert(nodes, (gpointer)c, GINT_TO_POINTER(i));
	return i;
}

static diagram *
flow_diagram(const val *components, const val *steps)
{
	g_autoptr(diagram) d = diagram_new("Message flow", DIAGRAM_TOP_DOWN);
	g_autoptr(GHashTable) nodes = g_hash_table_new(NULL, NULL);
	GString *desc = g_string_new("Message flow: ");
	bool ok = true;

	/* Boxes in the components' reading order, only those the flow uses. */
	for (guint i = 0; i < val_len(components); i++) {
		const val *c = val_index(components, i);
		const char *id = str_of(c, "id");
		for (guint k = 0; id && k < val_len(steps); k++) {
			const val *s = val_index(steps, k);
			const char *from = str_of(s, "from"), *to = str_of(s, "to");
			if ((from && strcmp(from, id) == 0) || (to && strcmp(to, id) == 0)) {
				node_for(d, nodes, c, NULL, -1);
				break;
			}
		}
	}
	for (guint k = 0; k < val_len(steps); k++) {
		const val *s = val_index(steps, k);
		const val *from = component(components, val_get(s, "from"));
		const val *to = component(components, val_get(s, "to"));
		if (!from || !to) {
			ok = false;
			continue;
		}
		const char *what = str_of(s, "label");
		g_autofree char *label = g_strdup_printf("%u. %s", k + 1, what ? what : "");
		diagram_edge_add(d, node_for(d, nodes, from, NULL, -1),
				 node_for(d, nodes, to, NULL, -1), label);
		g_string_append_printf(desc, "%s%u. %s to %s: %s", k ? "; " : "", k + 1,
				       str_of(from, "name"), str_of(to, "name"), what ? what : "");
	}
	g_string_append_c(desc, '.');
	d->desc = g_string_free(desc, FALSE);
	return ok && val_len(steps) > 0 ? g_steal_pointer(&d) : NULL;
}

/* One route as a row of boxes in group `group`; false after an error. */
static bool
add_route(diagram *d, const val *components, const val *route, int group, GString *desc)
{
	g_autoptr(GHashTable) nodes = g_hash_table_new(NULL, NULL);
	bool direct = group == 1;
	int prev = -1;

	g_string_append_printf(desc, "%s%s: ", group ? " " : "",
			       (const char *)d->groups->pdata[group]);
	for (guint i = 0; i < val_len(route); i++) {
		const val *c = component(components, val_index(route, i));
		if (!c)
			return false;
		/* On the direct route the company is its own BSP. */
		const char *note = direct && box_of(str_of(c, "kind")) == DIAGRAM_BOX_FOCUS
			? "as a BSP" : "";
		int n = node_for(d, nodes, c, note, group);
		if (prev >= 0)
			diagram_edge_add(d, prev, n, NULL);
		prev = n;
		g_string_append_printf(desc, "%s%s", i ? " → " : "", str_of(c, "name"));
	}
	g_string_append_c(desc, '.');
	return true;
}

static diagram *
route_diagram(const val *components, const val *routes)
{
	const val *current = val_get(routes, "current"), *direct = val_get(routes, "direct");
	if (val_len(current) == 0 || val_len(direct) == 0)
		return NULL;
	g_autoptr(diagram) d = diagram_new("Routes to Meta: current and direct", DIAGRAM_LEFT_RIGHT);
	GString *desc = g_string_new(NULL);
	diagram_group_add(d, "Current route: through a BSP");
	diagram_group_add(d, "Direct route: as a BSP");
	bool ok = add_route(d, components, current, 0, desc);
	ok = add_route(d, components, direct, 1, desc) && ok;
	d->desc = g_string_free(desc, FALSE);
	return ok ? g_steal_pointer(&d) : NULL;
}

bool
diagrams_from_tree(const val *arch, diagram **flow, diagram **routes)
{
	const val *components = val_get(arch, "components");
	int errors = 0;

	*flow = *routes = NULL;
	const val *steps = val_get(arch, "message_flow");
	if (val_len(steps) > 0 && !(*flow = flow_diagram(components, steps)))
		errors++;
	const val *r = val_get(arch, "routes");
	if (r && !(*routes = route_diagram(components, r)) &&
	    val_len(val_get(r, "current")) > 0 && val_len(val_get(r, "direct")) > 0)
		errors++;
	if (errors) {
		diagram_free(*flow);
		diagram_free(*routes);
		*flow = *routes = NULL;
	}
	return errors == 0;
}

/* ---- the look, from the theme --------------------------------------------- */

static guint32
theme_rgb(const val *theme, const char *key, guint32 fallback)
{
	const val *c = val_path(theme, key);
	if (!c || c->kind != VAL_STRING || c->str[0] != '#' || strlen(c->str) != 7 ||
	    strspn(c->str + 1, "0123456789abcdefABCDEF") != 6)
		return fallback;
	return (guint32)strtoul(c->str + 1, NULL, 16);
}

/* templates/theme.yaml's heading font and colours (the built-in defaults
 * where it says nothing; a bad theme is the typesetter's to report). */
static diagram_style
theme_style(const char *templates_dir, val **theme)
{
	g_autofree char *path = searchpath_find(templates_dir, "theme.yaml");
	*theme = NULL;
	if (file_exists(path)) {
		diag_capture_begin();
		*theme = yaml_load_file(path);
		g_free(diag_capture_end());
	}
	const val *font = val_path(*theme, "fonts.heading");
	return (diagram_style){
		.font = font && font->kind == VAL_STRING ? font->str : "DejaVu Sans",
		.text = theme_rgb(*theme, "colors.heading", 0x0e2f4d),
		.muted = theme_rgb(*theme, "colors.muted", 0x5b6675),
		.accent = theme_rgb(*theme, "colors.accent", 0x1b66a6),
		.frame = theme_rgb(*theme, "colors.rule", 0xc5ced8),
		.fill = 0xffffff,
		.group_fill = theme_rgb(*theme, "colors.code_background", 0xf1f4f7),
	};
}

/* A diagram as the PDFs draw it (typeset_pictures). */
typedef struct {
	diagram_style style;	/* its font owned */
	diagram *d;
	diagram_layout *l;
} picture;

static void
picture_free(gpointer p)
{
	picture *pic = p;
	g_free(pic->style.font);
	diagram_free(pic->d);
	diagram_layout_free(pic->l);
	g_free(pic);
}

static void
picture_draw(cairo_t *cr, void *p)
{
	picture *pic = p;
	diagram_draw(cr, &pic->style, pic->d, pic->l);
}

/* One diagram's SVG, as a counted file operation (base/fileop.h), and the
 * same picture registered for the PDFs, which draw it directly.  Takes `d`. */
static bool
write_one(const WriteCtx *ctx, diagram_device *dev, diagram *d, const char *rel)
{
	g_autofree char *path = g_build_filename(ctx->pkg, rel, NULL);
	if (!fileop_ok()) {
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", g_strerror(errno));
		diagram_free(d);
		return false;
	}
	g_autofree char *why = NULL;
	diagram_layout *l = diagram_layout_new(d, diagram_device_measure, dev, &why);
	if (!l) {
		diag(DIAG_ERROR, path, 0, 0, "%s", why);
		diagram_free(d);
		return false;
	}
	g_autofree char *svg = diagram_svg(dev, d, l);
	gsize len = strlen(svg);
	picture *pic = g_new0(picture, 1);
	*pic = (picture){ *diagram_device_style(dev), d, l };
	pic->style.font = g_strdup(pic->style.font);
	if (!kept_write(ctx, rel, svg, len)) {
		picture_free(pic);
		return false;
	}
	g_autofree char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)svg, len);
	typeset_pictures_add(ctx->pictures, sha, l->width, l->height, picture_draw, pic, picture_free);
	return true;
}

/* Every diagram into PKG/charts/, styled by TEMPLATES/theme.yaml (when
 * present).  Nothing is written when the content has no architecture. */
bool
diagrams_write(const WriteCtx *ctx)
{
	const val *arch = val_get(ctx->pl->root, "architecture");
	if (!arch)
		return true;
	diagram *flow, *routes;
	if (!diagrams_from_tree(arch, &flow, &routes))
		return false;
	g_autoptr(diagram) f = flow, r = routes;
	if (!f && !r)
		return true;
	g_autofree char *dir = g_build_filename(ctx->pkg, DIAGRAMS_DIR, NULL);
	if (!fileop_mkdirs(dir))
		return false;
	val *theme;
	diagram_style st = theme_style(ctx->pl->templates_dir, &theme);
	g_autoptr(diagram_device) dev = diagram_device_new(&st);
	val_free(theme);
	g_autofree char *fp = g_build_filename(DIAGRAMS_DIR, "message-flow.svg", NULL);
	g_autofree char *rp = g_build_filename(DIAGRAMS_DIR, "routes.svg", NULL);
	if (f && !write_one(ctx, dev, g_steal_pointer(&f), fp))
		return false;
	return !r || write_one(ctx, dev, g_steal_pointer(&r), rp);
}

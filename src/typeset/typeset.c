/* typeset.c - the typeset stage's entry points (see typeset.h).
 *
 * Glue between the stage's parts: the theme (templates/theme.yaml through
 * the YAML loader, over built-in defaults), cmark-gfm parsing with the GFM
 * extensions, layout (layout*.c) and the PDF device (pdf_device.c).  Also
 * the combined dossier: cover, table of contents whose page numbers come
 * from the finished pagination, then every document on a new page.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>

#include "base/diag.h"
#include "typeset/layout.h"
#include "typeset/pdf_pages.h"
#include "load/yaml.h"
#include "typeset/typeset.h"

/* ---- theme ------------------------------------------------------------- */

static layout_rgb
rgb(unsigned hex)
{
	return (layout_rgb){ ((hex >> 16) & 0xff) / 255.0,
			     ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0 };
}

typeset_theme *
layout_theme_default(void)
{
	typeset_theme *t = g_new0(typeset_theme, 1);

	t->paper = g_strdup("a4");
	t->margin_top = 74;
	t->margin_bottom = 70;
	t->margin_left = 70;
	t->margin_right = 70;
	t->font_body = g_strdup("DejaVu Serif");
	t->font_heading = g_strdup("DejaVu Sans");
	t->font_mono = g_strdup("DejaVu Sans Mono");
	t->size_body = 10;
	t->size_code = 8.4;
	t->size_small = 7.8;
	t->size_table = 8.6;
	const double h[6] = { 20, 14.5, 12, 10.5, 10, 10 };
	memcpy(t->size_h, h, sizeof h);
	t->line_height = 1.22;
	t->space_paragraph = 7;
	t->space_heading = 15;
	t->list_indent = 18;
	t->quote_indent = 14;
	t->code_padding = 7;
	t->cell_padding = 5;
	t->color_text = rgb(0x1f2328);
	t->color_heading = rgb(0x0e2f4d);
	t->color_link = rgb(0x0b5cad);
	t->color_muted = rgb(0x5b6675);
	t->color_rule = rgb(0xc5ced8);
	t->color_code_bg = rgb(0xf1f4f7);
	t->color_quote_bar = rgb(0xa9bcd0);
	t->color_accent = rgb(0x1b66a6);
	t->color_table_header_bg = rgb(0xe2eaf2);
	t->color_table_stripe_bg = rgb(0xf6f8fa);
	t->color_table_rule = rgb(0x8ea3b9);
	return t;
}

void
typeset_theme_free(typeset_theme *t)
{
	if (!t)
		return;
	g_free(t->paper);
	g_free(t->font_body);
	g_free(t->font_heading);
	g_free(t->font_mono);
	g_free(t);
}

typedef enum { TK_LENGTH, TK_SIZE, TK_FACTOR, TK_FONT, TK_COLOR } theme_kind;

/* Every key a theme file may set: section, key, kind, field. */
static const struct theme_key {
	const char *section, *key;
	theme_kind kind;
	size_t off;
} theme_keys[] = {
#define K(sec, key, kind, field) { sec, key, kind, offsetof(typeset_theme, field) }
	K("margins", "top", TK_LENGTH, margin_top),
	K("margins", "bottom", TK_LENGTH, margin_bottom),
	K("margins", "left", TK_LENGTH, margin_left),
	K("margins", "right", TK_LENGTH, margin_right),
	K("fonts", "body", TK_FONT, font_body),
	K("fonts", "heading", TK_FONT, font_heading),
	K("fonts", "mono", TK_FONT, font_mono),
	K("sizes", "body", TK_SIZE, size_body),
	K("sizes", "code", TK_SIZE, size_code),
	K("sizes", "small", TK_SIZE, size_small),
	K("sizes", "table", TK_SIZE, size_table),
	K("sizes", "h1", TK_SIZE, size_h[0]),
	K("sizes", "h2", TK_SIZE, size_h[1]),
	K("sizes", "h3", TK_SIZE, size_h[2]),
	K("sizes", "h4", TK_SIZE, size_h[3]),
	K("sizes", "h5", TK_SIZE, size_h[4]),
	K("sizes", "h6", TK_SIZE, size_h[5]),
	K("spacing", "line_height", TK_FACTOR, line_height),
	K("spacing", "paragraph", TK_LENGTH, space_paragraph),
	K("spacing", "heading", TK_LENGTH, space_heading),
	K("spacing", "list_indent", TK_LENGTH, list_indent),
	K("spacing", "quote_indent", TK_LENGTH, quote_indent),
	K("spacing", "code_padding", TK_LENGTH, code_padding),
	K("spacing", "cell_padding", TK_LENGTH, cell_padding),
	K("colors", "text", TK_COLOR, color_text),
	K("colors", "heading", TK_COLOR, color_heading),
	K("colors", "link", TK_COLOR, color_link),
	K("colors", "muted", TK_COLOR, color_muted),
	K("colors", "rule", TK_COLOR, color_rule),
	K("colors", "code_background", TK_COLOR, color_code_bg),
	K("colors", "quote_bar", TK_COLOR, color_quote_bar),
	K("colors", "accent", TK_COLOR, color_accent),
	K("colors", "table_header", TK_COLOR, color_table_header_bg),
	K("colors", "table_stripe", TK_COLOR, color_table_stripe_bg),
	K("colors", "table_rule", TK_COLOR, color_table_rule),
#undef K
};

static const char *const theme_sections[] = {
	"paper", "margins", "fonts", "sizes", "spacing", "colors", NULL
};

/* "25mm", "1in", "2.5cm", "12pt" or a plain number of points. */
static gboolean
parse_length(const val *v, double *out)
{
	if (v->kind == VAL_NUMBER) {
		*out = v->num;
		return TRUE;
	}
	if (v->kind != VAL_STRING)
		return FALSE;
	char *end;
	double n = g_ascii_strtod(v->str, &end);
	if (end == v->str)
		return FALSE;
	while (*end == ' ')
		end++;
	static const struct { const char *unit; double pt; } units[] = {
		{ "", 1 }, { "pt", 1 }, { "mm", 72 / 25.4 }, { "cm", 72 / 2.54 },
		{ "in", 72 },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++)
		if (strcmp(end, units[i].unit) == 0) {
			*out = n * units[i].pt;
			return TRUE;
		}
	return FALSE;
}

static gboolean
parse_color(const val *v, layout_rgb *out)
{
	if (v->kind != VAL_STRING || v->str[0] != '#')
		return FALSE;
	size_t n = strlen(v->str + 1);
	for (size_t i = 1; i <= n; i++)
		if (!g_ascii_isxdigit(v->str[i]))
			return FALSE;
	unsigned x = (unsigned)strtoul(v->str + 1, NULL, 16);
	if (n == 3)
		x = ((x >> 8) & 0xf) * 0x110000 + ((x >> 4) & 0xf) * 0x1100 +
			(x & 0xf) * 0x11;
	else if (n != 6)
		return FALSE;
	*out = rgb(x);
	return TRUE;
}

static int
theme_set(typeset_theme *t, const struct theme_key *k, const val *v)
{
	char *field = (char *)t + k->off;
	double d;

	switch (k->kind) {
	case TK_LENGTH:
	case TK_SIZE:
		if (!parse_length(v, &d) || d < 0 || d > 400 ||
		    (k->kind == TK_SIZE && (d < 2 || d > 96))) {
			diag(DIAG_ERROR, v->file, v->line, v->col,
			     "%s.%s must be a %s such as %s", k->section, k->key,
			     k->kind == TK_SIZE ? "font size in points (2 to 96)" :
			     "length (points, or with mm, cm, in)",
			     k->kind == TK_SIZE ? "10" : "\"20mm\"");
			return -1;
		}
		*(double *)field = d;
		return 0;
	case TK_FACTOR:
		if (v->kind != VAL_NUMBER || v->num < 0.8 || v->num > 3) {
			diag(DIAG_ERROR, v->file, v->line, v->col,
			     "%s.%s must be a number from 0.8 to 3", k->section, k->key);
			return -1;
		}
		*(double *)field = v->num;
		return 0;
	case TK_FONT:
		if (v->kind != VAL_STRING || !*v->str) {
			diag(DIAG_ERROR, v->file, v->line, v->col,
			     "%s.%s must be a font family name such as \"DejaVu Sans\"",
			     k->section, k->key);
			return -1;
		}
		g_free(*(char **)field);
		*(char **)field = g_strdup(v->str);
		return 0;
	case TK_COLOR:
		if (!parse_color(v, (layout_rgb *)field)) {
			diag(DIAG_ERROR, v->file, v->line, v->col,
			     "%s.%s must be a colour such as \"#1b66a6\"",
			     k->section, k->key);
			return -1;
		}
		return 0;
	}
	return -1;
}

static int
theme_section(typeset_theme *t, const char *section, const val *map)
{
	if (map->kind != VAL_MAP) {
		diag(DIAG_ERROR, map->file, map->line, map->col,
		     "%s must be a mapping of keys to values", section);
		return -1;
	}
	for (guint i = 0; i < val_len(map); i++) {
		const char *key = val_key(map, i);
		const val *v = val_index(map, i);
		const struct theme_key *k = NULL;
		const char *names[G_N_ELEMENTS(theme_keys) + 1];
		size_t nn = 0;
		for (size_t j = 0; j < G_N_ELEMENTS(theme_keys); j++) {
			if (strcmp(theme_keys[j].section, section) != 0)
				continue;
			names[nn++] = theme_keys[j].key;
			if (strcmp(theme_keys[j].key, key) == 0)
				k = &theme_keys[j];
		}
		names[nn] = NULL;
		if (!k) {
			const char *hint = diag_suggest(key, names);
			diag(DIAG_ERROR, v->file, v->line, v->col,
			     "unknown theme key %s.%s%s%s%s", section, key,
			     hint ? " (did you mean " : "", hint ? hint : "",
			     hint ? "?)" : "");
			return -1;
		}
		if (theme_set(t, k, v) < 0)
			return -1;
	}
	return 0;
}

typeset_theme *
typeset_theme_load(const char *path)
{
	typeset_theme *t = layout_theme_default();

	if (!path)
		return t;
	val *root = yaml_load_file(path);
	if (!root)
		goto fail;
	if (root->kind == VAL_NULL) {
		val_free(root);
		return t;
	}
	if (root->kind != VAL_MAP) {
		diag(DIAG_ERROR, root->file, root->line, root->col,
		     "a theme is a mapping with the keys paper, margins, fonts, "
		     "sizes, spacing and colors");
		goto fail_root;
	}
	for (guint i = 0; i < val_len(root); i++) {
		const char *key = val_key(root, i);
		const val *v = val_index(root, i);
		if (strcmp(key, "paper") == 0) {
			double w, h;
			if (v->kind != VAL_STRING || !layout_paper_size(v->str, &w, &h)) {
				diag(DIAG_ERROR, v->file, v->line, v->col,
				     "paper must be \"a4\" or \"letter\"");
				goto fail_root;
			}
			g_free(t->paper);
			t->paper = g_ascii_strdown(v->str, -1);
			continue;
		}
		if (!g_strv_contains(theme_sections, key)) {
			const char *hint = diag_suggest(key, theme_sections);
			diag(DIAG_ERROR, v->file, v->line, v->col,
			     "unknown theme section '%s'%s%s%s", key,
			     hint ? " (did you mean " : "", hint ? hint : "",
			     hint ? "?)" : "");
			goto fail_root;
		}
		if (theme_section(t, key, v) < 0)
			goto fail_root;
	}
	/* The narrowest paper (A4) must keep a usable column. */
	if (t->margin_left + t->margin_right > 595 - 144 ||
	    t->margin_top + t->margin_bottom > 792 - 144) {
		diag(DIAG_ERROR, path, 0, 0,
		     "the margins leave less than 2 inches for the text");
		goto fail_root;
	}
	val_free(root);
	return t;
fail_root:
	val_free(root);
fail:
	typeset_theme_free(t);
	return NULL;
}

/* ---- parsing ----------------------------------------------------------- */

static gpointer
register_extensions(gpointer unused)
{
	(void)unused;
	cmark_gfm_core_extensions_ensure_registered();
	return NULL;
}

/* The cmark-gfm tree of a document with the GFM extensions (typeset.h). */
cmark_node *
typeset_parse_markdown(const char *md, size_t len)
{
	static GOnce once = G_ONCE_INIT;
	static const char *const exts[] = {
		"table", "tasklist", "strikethrough", "autolink",
	};

	/* One parse at a time: cmark-gfm 0.29 keeps the inline parser's table
	 * of special characters in a global that every parse rewrites (an
	 * extension's characters are added before its inlines are parsed and
	 * removed after), so two parses at once on different threads drop
	 * each other's autolinks and strikethroughs (github/cmark-gfm#176).
	 * Parsing is a small part of typesetting; layout runs in parallel. */
	static GMutex lock;

	g_once(&once, register_extensions, NULL);
	g_mutex_lock(&lock);
	/* Smart punctuation: curly quotes, en and em dashes, ellipses (never
	 * in code, which cmark-gfm leaves alone).  Footnotes: references
	 * numbered in order, the definitions moved to the end
	 * (layout_block.c sets them at the foot of their pages). */
	cmark_parser *p = cmark_parser_new(CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART |
					   CMARK_OPT_FOOTNOTES);
	for (size_t i = 0; i < G_N_ELEMENTS(exts); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, md, len);
	cmark_node *root = cmark_parser_finish(p);
	cmark_parser_free(p);
	g_mutex_unlock(&lock);
	return root;
}

/* ---- single documents -------------------------------------------------- */

static const char *
paper_of(const typeset_theme *theme, const typeset_meta *meta)
{
	const char *paper = meta->paper ? meta->paper : theme->paper;
	double w, h;

	if (!layout_paper_size(paper, &w, &h)) {
		diag(DIAG_ERROR, NULL, 0, 0, "unknown paper '%s' (a4 or letter)", paper);
		return NULL;
	}
	return paper;
}

static char *
dir_of(const char *md_file)
{
	if (!md_file || strcmp(md_file, "-") == 0)
		return NULL;
	return g_path_get_dirname(md_file);
}

/* ---- turns at Pango ------------------------------------------------------ */

/* Pango objects are not thread-safe, and each thread lays out with fonts
 * of its own (Pango's default font map is per thread).  A typeset_doc's
 * PangoLayouts are drawn by other threads, though, into its own PDF and
 * into the dossier at once.  So: laying out (typeset_doc_new, and the
 * independent typeset_markdown and typeset_dump) shares the lock as
 * readers, each on its own font map; drawing laid-out docs
 * (typeset_doc_render, typeset_dossier) holds it alone, page output and
 * the font subsets of cairo_surface_finish() included: those go through
 * FreeType faces the layout threads share (a build crashed about 1 in 20
 * times while Cairo wrote pages unlocked).  Drawing never overlaps layout,
 * and two drawings touch Pango and FreeType in turns. */
static GRWLock pango_lock;
static _Thread_local int held;	/* 0, 1: reading, 2: writing */

static void
lock_as(int how)
{
	if (how == 1)
		g_rw_lock_reader_lock(&pango_lock);
	else if (how == 2)
		g_rw_lock_writer_lock(&pango_lock);
	held = how;
}

void
layout_lock(void)
{
	lock_as(2);
}

static void
layout_lock_shared(void)
{
	lock_as(1);
}

void
layout_unlock(void)
{
	if (held == 1)
		g_rw_lock_reader_unlock(&pango_lock);
	else if (held == 2)
		g_rw_lock_writer_unlock(&pango_lock);
	held = 0;
}

/* ---- one document ---------------------------------------------------------- */

/* Lay out one document into a doc of its own, not paginated; NULL after a
 * located error.  The document's title (meta->title, else its first
 * heading, else the file name) is returned in *title (the caller frees
 * it) and is the running header of its part. */
static layout_doc *
layout_flow(const typeset_theme *theme, const typeset_meta *meta,
	    const char *md, size_t len, const char *md_file, char **title)
{
	const char *paper = paper_of(theme, meta);

	*title = NULL;
	if (!paper)
		return NULL;
	PangoContext *pango = pdf_device_pango_context();
#ifdef DOSSIER_TESTING
	/* DOSSIER_LEAK=pango-layout: one PangoLayout never unreferenced, which
	 * the leak checkers must report (tests/e2e/leak.sh). */
	if (!g_strcmp0(g_getenv("DOSSIER_LEAK"), "pango-layout"))
		(void)pango_layout_new(pango);
#endif
	layout_doc *doc = layout_new(theme, pango, paper, meta->footer, meta->flags);
	g_object_unref(pango);
	g_autofree char *dir = meta->base_dir ? g_strdup(meta->base_dir) : dir_of(md_file);
	cmark_node *root = typeset_parse_markdown(md, len);

	layout_begin_part(doc, NULL, "", TRUE, 0);
	int rc = layout_markdown(doc, root, md_file ? md_file : "<stdin>", dir);
	cmark_node_free(root);
	if (rc < 0) {
		layout_free(doc);
		return NULL;
	}
	if (meta->title && *meta->title)
		*title = g_strdup(meta->title);
	else if (doc->first_heading)
		*title = g_strdup(doc->first_heading);
	else if (md_file && strcmp(md_file, "-") != 0)
		*title = g_path_get_basename(md_file);
	else
		*title = g_strdup("");
	g_array_index(doc->parts, layout_part, 0).title =
		g_string_chunk_insert(doc->strings, *title);
	return doc;
}

/* Lay out and paginate one document; NULL after a located error.  *title
 * as layout_flow's. */
layout_doc *
typeset_layout(const typeset_theme *theme, const typeset_meta *meta,
	       const char *md, size_t len, const char *md_file, char **title)
{
	layout_doc *doc = layout_flow(theme, meta, md, len, md_file, title);
	if (doc)
		layout_paginate(doc);
	return doc;
}

struct typeset_doc {
	layout_doc *flow;	/* laid out, never paginated: only copied from */
	char *title;
	char *paper;
};

typeset_doc *
typeset_doc_new(const typeset_theme *theme, const typeset_meta *meta,
		const char *md, size_t len, const char *md_file)
{
	char *title = NULL;

	layout_lock_shared();
	layout_doc *flow = layout_flow(theme, meta, md, len, md_file, &title);
	layout_unlock();
	if (!flow)
		return NULL;
	typeset_doc *d = g_new0(typeset_doc, 1);
	d->flow = flow;
	d->title = title;
	d->paper = g_strdup(paper_of(theme, meta));
	return d;
}

void
typeset_doc_free(typeset_doc *d)
{
	if (!d)
		return;
	layout_lock();
	layout_free(d->flow);
	layout_unlock();
	g_free(d->title);
	g_free(d->paper);
	g_free(d);
}

/* A copy of the flow of `d` in a doc of its own, as layout_flow made it. */
static layout_doc *
doc_copy(const typeset_doc *d)
{
	const layout_doc *f = d->flow;
	layout_doc *doc = layout_new(f->theme, f->pango, d->paper, f->footer, f->flags);

	layout_begin_part(doc, NULL, "", TRUE, 0);
	layout_append(doc, f);
	g_array_index(doc->parts, layout_part, 0).title =
		g_string_chunk_insert(doc->strings, d->title);
	return doc;
}

int
typeset_doc_render(const typeset_doc *d, const typeset_meta *meta,
		   const char *name, GBytes **pdf)
{
	int pages = -1;

	layout_lock();
	layout_doc *doc = doc_copy(d);
	layout_paginate(doc);
	if (pdf_device_render(doc, meta, d->title, name, pdf) == 0)
		pages = (int)doc->pages->len;
	layout_free(doc);
	layout_unlock();
	return pages;
}

int
typeset_markdown(const typeset_theme *theme, const typeset_meta *meta,
		 const char *md, size_t len, const char *md_file,
		 const char *name, GBytes **pdf)
{
	typeset_theme *own = theme ? NULL : layout_theme_default();
	g_autofree char *title = NULL;
	int pages = -1;

	*pdf = NULL;
	layout_lock_shared();
	layout_doc *doc = typeset_layout(theme ? theme : own, meta, md, len,
					 md_file, &title);
	if (doc) {
		if (pdf_device_render(doc, meta, title, name, pdf) == 0)
			pages = (int)doc->pages->len;
		layout_free(doc);
	}
	layout_unlock();
	typeset_theme_free(own);
	return pages;
}

char *
typeset_dump(const typeset_theme *theme, const typeset_meta *meta,
	     const char *md, size_t len, const char *md_file)
{
	typeset_theme *own = theme ? NULL : layout_theme_default();
	g_autofree char *title = NULL;
	char *out = NULL;

	layout_lock_shared();
	layout_doc *doc = typeset_layout(theme ? theme : own, meta, md, len,
					 md_file, &title);
	if (doc) {
		out = layout_dump(doc);
		layout_free(doc);
	}
	layout_unlock();
	typeset_theme_free(own);
	return out;
}

/* ---- the combined dossier ---------------------------------------------- */

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
			d->pdfs[i] = layout_pdf_open(d->doc, p->attachment_file);
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
		if (d->pdfs[i]) {	/* a supplied original, page by page */
			layout_pdf_pages(doc, d->pdfs[i]);
			continue;
		}
		guint before = doc->items->len;
		if (p->doc) {	/* laid out already: a copy */
			layout_append(doc, p->doc->flow);
		} else {
			g_autofree char *dir = dir_of(p->md_file);
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
	g_free(d->roots);
	g_free(d->pdfs);
	g_free(d->titles);
	layout_free(d->doc);
}

int
typeset_dossier(const typeset_theme *theme, const typeset_meta *cover,
		const typeset_part *parts, size_t n_parts, const char *name,
		GBytes **pdf)
{
	typeset_theme *own = theme ? NULL : layout_theme_default();
	const typeset_theme *th = theme ? theme : own;
	const char *paper = paper_of(th, cover);
	int pages = -1;

	*pdf = NULL;
	if (!paper) {
		typeset_theme_free(own);
		return -1;
	}
	/* Parts laid out already are drawn by other threads too: turns. */
	gboolean shared = FALSE;
	for (size_t i = 0; i < n_parts; i++)
		shared |= parts[i].doc != NULL;
	if (shared)
		layout_lock();
	PangoContext *pango = pdf_device_pango_context();
	dossier d = {
		.doc = layout_new(th, pango, paper, cover->footer, cover->flags),
		.parts = parts,
		.n_parts = n_parts,
		.numbers = g_array_new(FALSE, FALSE, sizeof(toc_number)),
		.part_anchor = g_array_new(FALSE, FALSE, sizeof(int)),
	};
	g_object_unref(pango);
	dossier_parse(&d);
	layout_cover(d.doc, cover);
	ensure_item(d.doc, 0);
	dossier_contents(&d);
	if (dossier_documents(&d) == 0) {
		layout_paginate(d.doc);
		dossier_page_numbers(&d);
		if (pdf_device_render(d.doc, cover, cover->title, name, pdf) == 0)
			pages = (int)d.doc->pages->len;
	}
	dossier_clear(&d);
	if (shared)
		layout_unlock();
	typeset_theme_free(own);
	return pages;
}

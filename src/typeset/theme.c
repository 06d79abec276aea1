/* theme.c - the look of the typeset pages: margins, fonts, sizes, spacing
 * and colours (typeset stage; struct typeset_theme is in layout.h).
 *
 * The built-in defaults, and templates/theme.yaml read through the YAML
 * loader over them: every key optional, unknown keys and bad values
 * located errors with a suggestion for a misspelt key.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "load/yaml.h"
#include "typeset/layout.h"
#include "typeset/typeset.h"

static layout_rgb
rgb(unsigned hex)
{
	return (layout_rgb){ ((hex >> 16) & 0xff) / 255.0,
			     ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0 };
}

typeset_theme *
typeset_theme_default(void)
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
	t->package_fonts = g_strdup("fonts-noto-core");
	t->package_cjk = g_strdup("fonts-noto-cjk");
	t->package_emoji = g_strdup("fonts-noto-color-emoji");
	t->size_body = 10;
	t->size_code = 8.4;
	t->size_small = 7.8;
	t->size_caption = 9;
	t->caption_label = g_strdup("Figure");
	t->size_table = 9;
	const double h[6] = { 20, 14.5, 12, 10.5, 10, 10 };
	memcpy(t->size_h, h, sizeof h);
	t->line_height = 1.22;
	t->space_paragraph = 7;
	t->space_heading = 15;
	t->list_indent = 18;
	t->quote_indent = 14;
	t->code_padding = 7;
	t->cell_padding = 5;
	t->table_short_cell = 0.25;
	t->space_tight = 0.3;
	t->space_tight_items = 0.25;
	t->space_after_heading = 0.45;
	t->space_rule = 1.2;
	t->space_caption = 4;
	t->cell_padding_y = 0.55;
	t->marker_gap = 0.5;
	t->number_gutter = 0.8;
	t->note_gap = 0.35;
	t->note_number_gap = 0.35;
	t->note_gutter = 0.7;
	t->figure_height = 0.85;
	t->page_header = 2.6;
	t->page_header_rule = 0.7;
	t->page_footer = 3.2;
	t->page_footer_rule = 1.5;
	t->note_space = 1.8;
	t->note_rule = 0.3;
	t->fill_last = 0.25;
	t->fill_squeeze = 0.7;
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
	t->draft_top = 14;
	t->draft_height = 22;
	t->size_draft = 10;
	t->color_draft_bg = rgb(0xfce6e6);
	t->color_draft = rgb(0xb31414);
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
	g_free(t->caption_label);
	g_free(t->package_fonts);
	g_free(t->package_cjk);
	g_free(t->package_emoji);
	g_free(t);
}

typedef enum { TK_LENGTH, TK_SIZE, TK_FACTOR, TK_RATIO, TK_SHARE, TK_FONT, TK_PACKAGE, TK_TEXT,
	       TK_COLOR } theme_kind;

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
	K("font_packages", "scripts", TK_PACKAGE, package_fonts),
	K("font_packages", "cjk", TK_PACKAGE, package_cjk),
	K("font_packages", "emoji", TK_PACKAGE, package_emoji),
	K("sizes", "body", TK_SIZE, size_body),
	K("sizes", "code", TK_SIZE, size_code),
	K("sizes", "small", TK_SIZE, size_small),
	K("sizes", "table", TK_SIZE, size_table),
	K("sizes", "caption", TK_SIZE, size_caption),
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
	K("spacing", "tight", TK_RATIO, space_tight),
	K("spacing", "tight_items", TK_RATIO, space_tight_items),
	K("spacing", "after_heading", TK_RATIO, space_after_heading),
	K("spacing", "around_rule", TK_RATIO, space_rule),
	K("spacing", "above_caption", TK_LENGTH, space_caption),
	K("spacing", "cell_padding_y", TK_RATIO, cell_padding_y),
	K("spacing", "marker_gap", TK_RATIO, marker_gap),
	K("spacing", "number_gutter", TK_RATIO, number_gutter),
	K("spacing", "note_gap", TK_RATIO, note_gap),
	K("spacing", "note_number_gap", TK_RATIO, note_number_gap),
	K("spacing", "note_gutter", TK_RATIO, note_gutter),
	K("pages", "figure_height", TK_SHARE, figure_height),
	K("pages", "header", TK_RATIO, page_header),
	K("pages", "header_rule", TK_RATIO, page_header_rule),
	K("pages", "footer", TK_RATIO, page_footer),
	K("pages", "footer_rule", TK_RATIO, page_footer_rule),
	K("pages", "note_space", TK_RATIO, note_space),
	K("pages", "note_rule", TK_SHARE, note_rule),
	K("captions", "label", TK_TEXT, caption_label),
	K("tables", "short_cell", TK_SHARE, table_short_cell),
	K("pages", "last_fill", TK_SHARE, fill_last),
	K("pages", "squeeze", TK_SHARE, fill_squeeze),
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
	K("draft", "top", TK_LENGTH, draft_top),
	K("draft", "height", TK_LENGTH, draft_height),
	K("draft", "size", TK_SIZE, size_draft),
	K("draft", "background", TK_COLOR, color_draft_bg),
	K("draft", "color", TK_COLOR, color_draft),
#undef K
};

static const char *const theme_sections[] = {
	"paper", "margins", "fonts", "font_packages", "sizes", "spacing", "captions",
	"tables", "pages", "colors", "draft", NULL
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
	case TK_RATIO:
		if (v->kind != VAL_NUMBER || v->num < 0 || v->num > 10) {
			diag(DIAG_ERROR, v->file, v->line, v->col,
			     "%s.%s must be a number from 0 to 10 such as 0.5", k->section, k->key);
			return -1;
		}
		*(double *)field = v->num;
		return 0;
	case TK_SHARE:
		if (v->kind != VAL_NUMBER || v->num < 0 || v->num > 1) {
			diag(DIAG_ERROR, v->file, v->line, v->col,
			     "%s.%s must be a share from 0 to 1 such as 0.25", k->section, k->key);
			return -1;
		}
		*(double *)field = v->num;
		return 0;
	case TK_FONT:
	case TK_PACKAGE:
		if (v->kind != VAL_STRING || !*v->str) {
			diag(DIAG_ERROR, v->file, v->line, v->col,
			     "%s.%s must be %s", k->section, k->key, k->kind == TK_FONT ?
			     "a font family name such as \"DejaVu Sans\"" :
			     "a package name such as \"fonts-noto-core\"");
			return -1;
		}
		g_free(*(char **)field);
		*(char **)field = g_strdup(v->str);
		return 0;
	case TK_TEXT:
		if (v->kind != VAL_STRING) {
			diag(DIAG_ERROR, v->file, v->line, v->col,
			     "%s.%s must be a text such as \"Figure\" (\"\" for none)",
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
	typeset_theme *t = typeset_theme_default();

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
		     "sizes, spacing, captions, tables, pages, colors and draft");
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

/* layout_inline.c - inline Markdown to a styled PangoLayout (typeset stage).
 *
 * The block walk (layout_block.c, layout_table.c) hands each paragraph,
 * heading or table cell here.  Its inline children become one UTF-8 string
 * plus a PangoAttrList (bold, italic, strikethrough, code, link colour) and
 * the byte ranges of its links, which layout_add_lines later turns into
 * clickable areas.  The walk uses cmark's iterator, not recursion, so deeply
 * nested emphasis cannot exhaust the stack.  Also here: fonts per style,
 * direction (runs against the document's direction isolated), characters
 * no font can draw, plain text of a node, heading slugs.
 */
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "base/diag.h"
#include "typeset/layout.h"

extern cmark_node_type CMARK_NODE_STRIKETHROUGH;

/* ---- fonts ------------------------------------------------------------- */

PangoFontDescription *
layout_font(const layout_doc *doc, layout_style style, int level)
{
	const typeset_theme *th = doc->theme;
	const char *family = th->font_body;
	double size = th->size_body;
	PangoWeight weight = PANGO_WEIGHT_NORMAL;
	PangoStyle slant = PANGO_STYLE_NORMAL;

	switch (style) {
	case LAYOUT_STYLE_BODY:
	case LAYOUT_STYLE_QUOTE:
		break;
	case LAYOUT_STYLE_HEADING:
		level = CLAMP(level, 1, 6);
		family = th->font_heading;
		size = th->size_h[level - 1];
		weight = level <= 5 ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_SEMIBOLD;
		if (level == 6)
			slant = PANGO_STYLE_ITALIC;
		break;
	case LAYOUT_STYLE_TABLE:
		size = th->size_table;
		break;
	case LAYOUT_STYLE_TABLE_HEADER:
		family = th->font_heading;
		size = th->size_table;
		weight = PANGO_WEIGHT_BOLD;
		break;
	case LAYOUT_STYLE_CODE:
		family = th->font_mono;
		size = th->size_code;
		break;
	case LAYOUT_STYLE_SMALL:
		family = th->font_heading;
		size = th->size_small;
		break;
	case LAYOUT_STYLE_NOTE:
		size = th->size_small;
		break;
	case LAYOUT_STYLE_CAPTION:
		size = th->size_caption;
		slant = PANGO_STYLE_ITALIC;
		break;
	}
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_size(fd, (int)(size * PANGO_SCALE + 0.5));
	pango_font_description_set_weight(fd, weight);
	pango_font_description_set_style(fd, slant);
	return fd;
}

static PangoAttribute *
color_attr(const layout_rgb *c)
{
	return pango_attr_foreground_new((guint16)(c->r * 65535),
					 (guint16)(c->g * 65535),
					 (guint16)(c->b * 65535));
}

static void
attr_add(PangoAttrList *list, PangoAttribute *a, guint start, guint end)
{
	a->start_index = start;
	a->end_index = end;
	pango_attr_list_insert(list, a);
}

PangoLayout *
layout_text(const layout_doc *doc, layout_style style, const char *text,
	    const layout_rgb *color)
{
	layout_inline in;

	layout_inline_init(&in, (layout_doc *)doc, 0);
	layout_inline_add_text(&in, text);
	PangoLayout *pl = layout_inline_layout(&in, style, 0, -1, color);
	layout_inline_clear(&in);
	return pl;
}

/* ---- direction -------------------------------------------------------- */

/* The strong direction of c (ICU's bidi class): 1 left to right, -1 right
 * to left, 0 neither (digits, punctuation, spaces, marks). */
static int
strong_dir(gunichar c)
{
	switch (u_charDirection((UChar32)c)) {
	case U_LEFT_TO_RIGHT:
		return 1;
	case U_RIGHT_TO_LEFT:
	case U_RIGHT_TO_LEFT_ARABIC:
		return -1;
	default:
		return 0;
	}
}

/* Insert `bytes` (n of them) at byte `at` of the text: styles and links
 * that start at or after it move with the text after it. */
static void
insert_at(layout_inline *in, guint at, const char *bytes, guint n)
{
	g_string_insert_len(in->text, at, bytes, n);
	pango_attr_list_update(in->attrs, (int)at, 0, (int)n);
	for (guint k = 0; k < in->links->len; k++) {
		layout_link *l = &g_array_index(in->links, layout_link, k);
		if (l->start >= at)
			l->start += n;
		if (l->end >= at)
			l->end += n;
	}
}

/* Each run of text written against the document's direction `base` (an
 * Arabic company name in an English paragraph) between U+2068 FIRST STRONG
 * ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, so that it reads in its own
 * direction and leaves the text around it alone: "شركة النور 46,820
 * messages" keeps the number after the name.  A run starts at a letter of
 * the other direction and ends after the last one (and its marks) before a
 * letter of the document's direction or a line break. */
static void
isolate_runs(layout_inline *in, int base)
{
	if (in->isolated)
		return;
	in->isolated = TRUE;
	GArray *runs = g_array_new(FALSE, FALSE, sizeof(guint));
	const char *s = in->text->str;
	gssize start = -1;
	guint last = 0;
	for (const char *p = s; ; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		guint at = (guint)(p - s), next = (guint)(g_utf8_next_char(p) - s);
		int d = *p ? strong_dir(c) : base;
		if (d == -base) {
			if (start < 0)
				start = at;
			last = next;
		} else if (start >= 0 && last == at && u_charType((UChar32)c) == U_NON_SPACING_MARK) {
			last = next;
		} else if (start >= 0 && (d == base || c == 0x2028 || c == '\n')) {
			guint a = (guint)start;
			g_array_append_val(runs, a);
			g_array_append_val(runs, last);
			start = -1;
		}
		if (!*p)
			break;
	}
	for (guint i = runs->len; i > 0; i -= 2) {
		insert_at(in, g_array_index(runs, guint, i - 1), "\u2069", 3);
		insert_at(in, g_array_index(runs, guint, i - 2), "\u2068", 3);
	}
	g_array_free(runs, TRUE);
}

/* ---- places a line must not break ---------------------------------------- */

/* A word of the text: bytes [start, end), no space inside. */
typedef struct {
	guint start, end;
} word_span;

static gboolean
all_digits(const char *s, guint n)
{
	for (guint i = 0; i < n; i++)
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
	return n > 0;
}

/* A year: four digits, then at most one punctuation mark (",", "."). */
static gboolean
is_year(const char *s, guint n)
{
	if (n == 5 && g_ascii_ispunct(s[4]))
		n = 4;
	return n == 4 && all_digits(s, 4) && (s[0] == '1' || s[0] == '2');
}

/* Letters at the start of a word (a unit "ms", "KB", a short "Not"),
 * -1 if it has a character other than letters and trailing punctuation. */
static int
letters(const char *s, guint n)
{
	int k = 0;
	const char *p = s, *end = s + n;
	while (p < end && g_unichar_isalpha(g_utf8_get_char(p))) {
		k++;
		p = g_utf8_next_char(p);
	}
	for (; p < end; p++)
		if (!g_ascii_ispunct(*p))
			return -1;
	return k;
}

/* A picture character on its own: an emoji or a mark such as ❌ ✅ ⚠
 * (with its variation selector or joined sequence). */
static gboolean
is_picture(const char *s, guint n)
{
	gboolean any = FALSE;
	for (const char *p = s; p < s + n; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (u_hasBinaryProperty((UChar32)c, UCHAR_EXTENDED_PICTOGRAPHIC))
			any = TRUE;
		else if (c != 0x200d && c != 0xfe0f && c != 0x20e3 &&
			 !(c >= 0x1f3fb && c <= 0x1f3ff))
			return FALSE;
	}
	return any;
}

/* The space between words a and b must not break the line:
 * - a number and a short unit after it ("500 ms", "12 KB", "99.9 %");
 * - a day and the month's name after it ("31 October"), a word or
 *   "31," and the year after it ("October 2026", "October 31, 2026");
 * - a picture mark and the word after it ("📊 Current", "❌ Not"). */
static gboolean
glue(const char *s, const word_span *a, const word_span *b)
{
	const char *as = s + a->start, *bs = s + b->start;
	guint an = a->end - a->start, bn = b->end - b->start;
	gunichar b0 = g_utf8_get_char(bs);

	if (g_ascii_isdigit(as[an - 1])) {
		int l = letters(bs, bn);
		if ((l >= 1 && l <= 3) || b0 == '%' || b0 == 0x2030)
			return TRUE;
		if (an <= 2 && all_digits(as, an) && g_unichar_isupper(b0))
			return TRUE;
	}
	if (is_year(bs, bn) &&
	    (g_unichar_isupper(g_utf8_get_char(as)) ||
	     (an <= 3 && as[an - 1] == ',' && all_digits(as, an - 1))))
		return TRUE;
	return is_picture(as, an);
}

/* Pango attributes that keep the glued words of `text` on one line (see
 * glue(); after a picture mark, a short word takes the next one along:
 * "❌ Not met.").  Words are separated by single spaces; other white
 * space and line breaks end a run. */
static void
keep_together(const char *text, gsize len, PangoAttrList *attrs)
{
	word_span prev = { 0, 0 }, cur;
	gboolean have_prev = FALSE, after_mark = FALSE;
	gssize run = -1;	/* start of the glued run, or -1 */
	guint run_end = 0;
	const char *p = text, *end = text + len;

	while (p < end) {
		while (p < end && g_unichar_isspace(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		if (p >= end)
			break;
		cur.start = (guint)(p - text);
		while (p < end && !g_unichar_isspace(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		cur.end = (guint)(p - text);
		/* Only a single space joins two words. */
		gboolean joined = have_prev && cur.start == prev.end + 1 &&
			text[prev.end] == ' ';
		gboolean g = joined && (glue(text, &prev, &cur) ||
					(after_mark && letters(text + prev.start,
							       prev.end - prev.start) >= 1 &&
					 letters(text + prev.start, prev.end - prev.start) <= 3));
		after_mark = joined && is_picture(text + prev.start, prev.end - prev.start);
		if (g) {
			/* From the space on: the attribute covers the break
			 * opportunities only, not the words' own runs. */
			if (run < 0)
				run = prev.end;
			run_end = cur.end;
		} else if (run >= 0) {
			PangoAttribute *a = pango_attr_allow_breaks_new(FALSE);
			a->start_index = (guint)run;
			a->end_index = run_end;
			pango_attr_list_insert(attrs, a);
			run = -1;
		}
		prev = cur;
		have_prev = TRUE;
		/* White space other than a space ends the word chain. */
		if (p < end && *p != ' ')
			have_prev = FALSE;
	}
	if (run >= 0) {
		PangoAttribute *a = pango_attr_allow_breaks_new(FALSE);
		a->start_index = (guint)run;
		a->end_index = run_end;
		pango_attr_list_insert(attrs, a);
	}
}

/* ---- characters no font has --------------------------------------------- */

/* The script of c; a character several scripts share (the danda of
 * Devanagari and Bengali, the ideographic full stop) counts as one of
 * them already met, else as the first. */
static int
shared_script(const layout_doc *doc, gunichar c)
{
	UErrorCode err = U_ZERO_ERROR;
	UScriptCode ext[64];
	int script = uscript_getScript((UChar32)c, &err);
	if (script != USCRIPT_COMMON && script != USCRIPT_INHERITED)
		return script;
	int n = uscript_getScriptExtensions((UChar32)c, ext, G_N_ELEMENTS(ext), &err);
	if (U_FAILURE(err) || n <= 0)
		return script;
	for (int i = 0; i < n; i++)
		for (guint k = 0; k < doc->missing->len; k++)
			if (g_array_index(doc->missing, layout_missing, k).script == (int)ext[i])
				return ext[i];
	return ext[0];
}

void
layout_note_missing_glyphs(layout_doc *doc, PangoLayout *pl, int line)
{
	if (pango_layout_get_unknown_glyphs_count(pl) == 0)
		return;
	PangoLayoutIter *it = pango_layout_get_iter(pl);
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
		for (int g = 0; run && g < run->glyphs->num_glyphs; g++) {
			PangoGlyph glyph = run->glyphs->glyphs[g].glyph;
			if (!(glyph & PANGO_GLYPH_UNKNOWN_FLAG) || glyph == PANGO_GLYPH_INVALID_INPUT)
				continue;
			gunichar c = glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
			gboolean emoji = u_hasBinaryProperty((UChar32)c, UCHAR_EMOJI_PRESENTATION);
			int script = shared_script(doc, c);
			layout_missing *m = NULL;
			for (guint k = 0; k < doc->missing->len && !m; k++)
				if (g_array_index(doc->missing, layout_missing, k).script == script &&
				    g_array_index(doc->missing, layout_missing, k).emoji == emoji)
					m = &g_array_index(doc->missing, layout_missing, k);
			if (!m) {
				layout_missing add = { script, c, emoji, line, 0 };
				g_array_append_val(doc->missing, add);
				m = &g_array_index(doc->missing, layout_missing, doc->missing->len - 1);
			}
			m->count++;
		}
	} while (pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
}

/* Scripts whose fonts Debian packages apart: Chinese, Japanese, Korean. */
static gboolean
cjk_script(int script)
{
	return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
	       script == USCRIPT_HANGUL || script == USCRIPT_BOPOMOFO;
}

int
layout_report_missing_glyphs(layout_doc *doc, const char *file)
{
	gboolean final = (doc->flags & TYPESET_FINAL) != 0;
	const typeset_theme *th = doc->theme;
	for (guint k = 0; k < doc->missing->len; k++) {
		const layout_missing *m = &g_array_index(doc->missing, layout_missing, k);
		const char *name = m->emoji ? "emoji" :
			m->script == USCRIPT_COMMON || m->script == USCRIPT_INHERITED ? "symbol" :
			uscript_getName((UScriptCode)m->script);
		const char *package = m->emoji ? th->package_emoji :
			cjk_script(m->script) ? th->package_cjk : th->package_fonts;
		char ch[8] = { 0 };
		g_unichar_to_utf8(m->first, ch);
		diag(final ? DIAG_ERROR : DIAG_WARNING, file ? file : "<stdin>", m->line, 0,
		     "no installed font draws %s text (first '%s', U+%04X): it would print as boxes; "
		     "install %s (make deps installs it)", name, ch, (unsigned)m->first, package);
	}
	return final && doc->missing->len ? -1 : 0;
}

/* ---- building ---------------------------------------------------------- */

void
layout_inline_init(layout_inline *in, layout_doc *doc, int line)
{
	memset(in, 0, sizeof *in);
	in->doc = doc;
	in->text = g_string_new(NULL);
	in->attrs = pango_attr_list_new();
	in->links = g_array_new(FALSE, FALSE, sizeof(layout_link));
	in->images = g_ptr_array_new();
	in->line = line;
}

void
layout_inline_clear(layout_inline *in)
{
	g_string_free(in->text, TRUE);
	pango_attr_list_unref(in->attrs);
	g_array_free(in->links, TRUE);
	g_ptr_array_free(in->images, TRUE);
}

void
layout_inline_slice(const layout_inline *in, guint start, guint end,
		    layout_inline *out)
{
	guint len = (guint)in->text->len;

	layout_inline_init(out, in->doc, in->line);
	out->super = in->super;
	g_string_append_len(out->text, in->text->str + start, end - start);
	pango_attr_list_unref(out->attrs);
	out->attrs = pango_attr_list_copy(in->attrs);
	if (!out->attrs)
		out->attrs = pango_attr_list_new();
	pango_attr_list_update(out->attrs, (int)end, (int)(len - end), 0);
	pango_attr_list_update(out->attrs, 0, (int)start, 0);
	for (guint k = 0; k < in->links->len; k++) {
		layout_link l = g_array_index(in->links, layout_link, k);
		if (l.end <= start || l.start >= end)
			continue;
		l.start = MAX(l.start, start) - start;
		l.end = MIN(l.end, end) - start;
		g_array_append_val(out->links, l);
	}
}

/* Pango breaks a line inside a word by shaping the rest of the word again,
 * so one enormous word costs time quadratic in its length (a 200,000
 * character word took half a minute).  A zero-width space every
 * LAYOUT_MAX_RUN characters of an unbroken run gives Pango places to break
 * cheaply; ordinary words and URLs are far shorter and never get one. */
#define LAYOUT_MAX_RUN 400

void
layout_inline_add_len(layout_inline *in, const char *text, gssize len)
{
	const char *p = text, *end = len < 0 ? text + strlen(text) : text + len;
	const char *from = text;

	while (p < end) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || c == 0x200b) {
			in->run = 0;
		} else if (++in->run > LAYOUT_MAX_RUN) {
			g_string_append_len(in->text, from, p - from);
			g_string_append(in->text, "\u200b");
			from = p;
			in->run = 1;
		}
		p = g_utf8_next_char(p);
	}
	g_string_append_len(in->text, from, end - from);
}

void
layout_inline_add_text(layout_inline *in, const char *text)
{
	layout_inline_add_len(in, text, -1);
}

void
layout_inline_add_super(layout_inline *in, const char *text)
{
	guint start = in->text->len;

	layout_inline_add_text(in, text);
	/* Pango's superscript size (the font's own, relative to whatever
	 * style the text is set in); the rise is set with the style. */
	attr_add(in->attrs, pango_attr_font_scale_new(PANGO_FONT_SCALE_SUPERSCRIPT),
		 start, in->text->len);
	attr_add(in->attrs, pango_attr_rise_new(0), start, in->text->len);
	in->super = TRUE;
}

/* Superscripts rise by three tenths of the font size: high enough to read as
 * superscripts, low enough to keep within the line (the font's own
 * superscript offset would make their lines taller than the others). */
static gboolean
set_rise(PangoAttribute *a, gpointer rise)
{
	if (a->klass->type == PANGO_ATTR_RISE)
		((PangoAttrInt *)a)->value = GPOINTER_TO_INT(rise);
	return FALSE;
}

/* A footnote reference: its number as a superscript linked to the note.
 * cmark-gfm has numbered the references (1, 2, ... in order of first
 * reference) and put the definitions, in that order, at the end of the
 * document; layout_markdown made a note of each. */
static void
add_note_ref(layout_inline *in, cmark_node *n)
{
	layout_doc *doc = in->doc;
	const char *num = cmark_node_get_literal(n);
	guint k = num ? (guint)g_ascii_strtoull(num, NULL, 10) : 0;
	guint start = in->text->len;

	layout_inline_add_super(in, num ? num : "");
	if (k == 0 || doc->note_base + k - 1 >= doc->notes->len)
		return;
	layout_note *note = g_ptr_array_index(doc->notes, doc->note_base + k - 1);
	g_autofree char *target = g_strdup_printf("#fn:%u", k);
	layout_link l = {
		.start = start, .end = in->text->len,
		.target = g_string_chunk_insert_const(doc->strings, target),
		.line = cmark_node_get_start_line(n),
		.col = cmark_node_get_start_column(n),
		.note = note,
	};
	g_array_append_val(in->links, l);
	attr_add(in->attrs, color_attr(&doc->theme->color_link), start,
		 in->text->len);
}

/* An open inline container on the walk's stack. */
typedef struct {
	cmark_node *node;
	guint start;
} open_span;

static void
close_span(layout_inline *in, const open_span *sp)
{
	const typeset_theme *th = in->doc->theme;
	cmark_node_type t = cmark_node_get_type(sp->node);
	guint end = in->text->len;

	if (end == sp->start)
		return;
	if (t == CMARK_NODE_EMPH) {
		attr_add(in->attrs, pango_attr_style_new(PANGO_STYLE_ITALIC),
			 sp->start, end);
	} else if (t == CMARK_NODE_STRONG) {
		attr_add(in->attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD),
			 sp->start, end);
	} else if (t == CMARK_NODE_STRIKETHROUGH) {
		attr_add(in->attrs, pango_attr_strikethrough_new(TRUE),
			 sp->start, end);
	} else if (t == CMARK_NODE_LINK) {
		const char *url = cmark_node_get_url(sp->node);
		attr_add(in->attrs, color_attr(&th->color_link), sp->start, end);
		if (url && *url) {
			layout_link l = {
				.start = sp->start, .end = end,
				.target = g_string_chunk_insert_const(
					in->doc->strings, url),
				.line = cmark_node_get_start_line(sp->node),
				.col = cmark_node_get_start_column(sp->node),
			};
			g_array_append_val(in->links, l);
		}
	} else if (t == CMARK_NODE_IMAGE) {
		attr_add(in->attrs, pango_attr_style_new(PANGO_STYLE_ITALIC),
			 sp->start, end);
	}
}

/* Literal text in the monospace font: inline code and raw HTML. */
static void
add_mono(layout_inline *in, const char *lit, gboolean html)
{
	const typeset_theme *th = in->doc->theme;
	guint start = in->text->len;

	layout_inline_add_text(in, lit ? lit : "");
	guint end = in->text->len;
	if (end == start)
		return;
	attr_add(in->attrs, pango_attr_family_new(th->font_mono), start, end);
	/* A hyphen at a break inside code would read as part of the code. */
	attr_add(in->attrs, pango_attr_insert_hyphens_new(FALSE), start, end);
	attr_add(in->attrs, pango_attr_scale_new(th->size_code / th->size_body),
		 start, end);
	if (html) {
		attr_add(in->attrs, color_attr(&th->color_muted), start, end);
	} else {
		const layout_rgb *bg = &th->color_code_bg;
		attr_add(in->attrs,
			 pango_attr_background_new((guint16)(bg->r * 65535),
						   (guint16)(bg->g * 65535),
						   (guint16)(bg->b * 65535)),
			 start, end);
	}
}

/* A footnote reference with no definition ("[^x]"): cmark-gfm leaves it
 * text, printed as written (as on GitHub), and merges it with the text
 * around it, so its line is found from the nodes before it: the last one
 * with a position, plus the line breaks after that one.  (Its column is
 * not known: the text may have been changed by smart punctuation.) */
static void
warn_no_note(const layout_inline *in, cmark_node *n, const char *lit)
{
	int line = cmark_node_get_start_line(n), breaks = 0;
	for (cmark_node *c = n; line <= 0 && c; ) {
		cmark_node *prev = cmark_node_previous(c);
		if (!prev) {
			cmark_node *up = cmark_node_parent(c);
			line = up ? cmark_node_get_start_line(up) : 0;
			break;
		}
		cmark_node_type t = cmark_node_get_type(prev);
		if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			breaks++;
		else if (cmark_node_get_end_line(prev) > 0)
			line = cmark_node_get_end_line(prev);
		c = prev;
	}
	for (const char *p = strstr(lit, "[^"); p; p = strstr(p + 2, "[^")) {
		const char *q = p + 2;
		while (*q && *q != ']' && *q != '[' && !g_ascii_isspace(*q))
			q++;
		if (*q != ']' || q == p + 2)
			continue;
		g_autofree char *ref = g_strndup(p, (gsize)(q - p + 1));
		diag(DIAG_WARNING, in->doc->file ? in->doc->file : "<stdin>",
		     line > 0 ? line + breaks : in->line, 0,
		     "footnote reference '%s' has no definition; it is printed as written", ref);
	}
}

void
layout_inline_add_children(layout_inline *in, cmark_node *parent)
{
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(open_span));
	cmark_iter *it = cmark_iter_new(parent);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (n == parent)
			continue;
		cmark_node_type t = cmark_node_get_type(n);

		if (ev == CMARK_EVENT_EXIT) {
			if (stack->len > 0) {
				open_span *sp = &g_array_index(stack, open_span,
							       stack->len - 1);
				if (sp->node == n) {
					close_span(in, sp);
					g_array_set_size(stack, stack->len - 1);
				}
			}
			continue;
		}
		if (t == CMARK_NODE_TEXT) {
			const char *lit = cmark_node_get_literal(n);
			if (lit && strstr(lit, "[^"))
				warn_no_note(in, n, lit);
			layout_inline_add_text(in, lit);
		} else if (t == CMARK_NODE_SOFTBREAK) {
			layout_inline_add_text(in, " ");
		} else if (t == CMARK_NODE_LINEBREAK) {
			layout_inline_add_text(in, "\u2028");
		} else if (t == CMARK_NODE_CODE) {
			add_mono(in, cmark_node_get_literal(n), FALSE);
		} else if (t == CMARK_NODE_HTML_INLINE) {
			const char *lit = cmark_node_get_literal(n);
			/* <br> breaks the line (tables have no other way); a
			 * comment is a note to the author, as on GitHub. */
			if (lit && g_regex_match_simple("^<br\\s*/?>$", lit,
							G_REGEX_CASELESS, 0))
				layout_inline_add_text(in, "\u2028");
			else if (lit && !g_str_has_prefix(lit, "<!--"))
				add_mono(in, lit, TRUE);
		} else if (t == CMARK_NODE_IMAGE && in->collect_images) {
			g_ptr_array_add(in->images, n);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		} else if (t == CMARK_NODE_FOOTNOTE_REFERENCE) {
			add_note_ref(in, n);
		} else if (cmark_node_first_child(n) || t == CMARK_NODE_LINK ||
			   t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG ||
			   t == CMARK_NODE_IMAGE ||
			   t == CMARK_NODE_STRIKETHROUGH) {
			if (cmark_node_first_child(n)) {
				open_span sp = { n, in->text->len };
				g_array_append_val(stack, sp);
			}
		} else {
			/* Any other leaf (an extension's): keep its text. */
			const char *lit = cmark_node_get_literal(n);
			if (lit)
				layout_inline_add_text(in, lit);
		}
	}
	cmark_iter_free(it);
	g_array_free(stack, TRUE);
}

PangoLayout *
layout_inline_layout(layout_inline *in, layout_style style, int level,
		     double width, const layout_rgb *color)
{
	layout_doc *doc = in->doc;
	/* The paragraph's direction is the document's (document.c), never
	 * its first letter's; what is written the other way is isolated. */
	PangoDirection dir = pango_context_get_base_dir(doc->pango);
	isolate_runs(in, dir == PANGO_DIRECTION_RTL ? -1 : 1);
	PangoLayout *pl = pango_layout_new(doc->pango);
	PangoFontDescription *fd = layout_font(doc, style, level);
	PangoAttrList *attrs = pango_attr_list_copy(in->attrs);
	PangoAttribute *a;

	if (!attrs)
		attrs = pango_attr_list_new();
	pango_layout_set_auto_dir(pl, FALSE);
	if (dir == PANGO_DIRECTION_RTL)
		pango_layout_set_alignment(pl, PANGO_ALIGN_RIGHT);
	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	/* Lowest priority: the base colour and line height, under every span. */
	a = color_attr(color);
	pango_attr_list_insert_before(attrs, a);
	if (style != LAYOUT_STYLE_CODE && style != LAYOUT_STYLE_SMALL &&
	    style != LAYOUT_STYLE_NOTE) {
		a = pango_attr_line_height_new(doc->theme->line_height);
		pango_attr_list_insert_before(attrs, a);
	}
	if (style == LAYOUT_STYLE_CODE) {
		a = pango_attr_insert_hyphens_new(FALSE);
		pango_attr_list_insert_before(attrs, a);
	}
	if (in->super) {
		fd = layout_font(doc, style, level);
		int rise = pango_font_description_get_size(fd) * 3 / 10;
		pango_font_description_free(fd);
		PangoAttrList *none = pango_attr_list_filter(attrs, set_rise,
							     GINT_TO_POINTER(rise));
		if (none)
			pango_attr_list_unref(none);
	}
	if (style != LAYOUT_STYLE_CODE)
		keep_together(in->text->str, in->text->len, attrs);
	pango_layout_set_text(pl, in->text->str, (int)in->text->len);
	pango_layout_set_attributes(pl, attrs);
	pango_attr_list_unref(attrs);
	if (width > 0) {
		pango_layout_set_width(pl, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(pl, style == LAYOUT_STYLE_CODE ?
				      PANGO_WRAP_CHAR : PANGO_WRAP_WORD_CHAR);
	}
	layout_note_missing_glyphs(doc, pl, in->line);
	return pl;
}

void
layout_link_boxes(GPtrArray *boxes, PangoLayoutLine *line, GArray *links,
		  double x0, double top, double h, double min_w,
		  const char *file, int src_line)
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
			if (l->note && !l->note->referenced) {
				/* The first reference: the note goes on its
				 * page and links back to it. */
				layout_box *d = layout_box_new(LAYOUT_BOX_DEST, x0 + a,
							       top, 0, 0);
				d->target = l->note->ref_name;
				d->note = l->note;
				l->note->referenced = TRUE;
				g_ptr_array_add(boxes, d);
			}
			if (b - a < min_w)
				continue;
			layout_box *box = layout_box_new(LAYOUT_BOX_LINK, x0 + a,
							 top, b - a, h);
			box->target = l->target;
			box->file = file;
			box->src_line = l->line > 0 ? l->line : src_line;
			box->src_col = l->line > 0 ? l->col : 0;
			g_ptr_array_add(boxes, box);
		}
		g_free(ranges);
	}
}

/* ---- plain text and slugs ---------------------------------------------- */

char *
layout_plain_text(cmark_node *node)
{
	GString *s = g_string_new(NULL);
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_EXIT) {
			if (n != node && (t == CMARK_NODE_PARAGRAPH ||
					  t == CMARK_NODE_HEADING) &&
			    s->len && s->str[s->len - 1] != '\n')
				g_string_append_c(s, '\n');
			continue;
		}
		if (t == CMARK_NODE_SOFTBREAK)
			g_string_append_c(s, ' ');
		else if (t == CMARK_NODE_LINEBREAK)
			g_string_append_c(s, '\n');
		else if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
			 t == CMARK_NODE_HTML_INLINE ||
			 t == CMARK_NODE_CODE_BLOCK ||
			 t == CMARK_NODE_HTML_BLOCK) {
			const char *lit = cmark_node_get_literal(n);
			if (lit)
				g_string_append(s, lit);
		}
	}
	cmark_iter_free(it);
	return g_string_free(s, FALSE);
}

char *
layout_slug(const char *text)
{
	GString *s = g_string_new(NULL);

	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isalnum(c) || c == '_' || c == '-')
			g_string_append_unichar(s, g_unichar_tolower(c));
		else if (c == ' ')
			g_string_append_c(s, '-');
	}
	return g_string_free(s, FALSE);
}

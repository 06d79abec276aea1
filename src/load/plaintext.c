/* load/plaintext.c - the text a reader sees, normalised for matching, each
 * byte tied to its source (see plaintext.h).
 *
 * Two steps, each keeping the map: plaintext_markdown() walks cmark-gfm's
 * tree and lines each node's text up with the source it came from (cmark
 * gives a node's line and column, not where each of its characters was:
 * a text node runs over escapes and entities); plaintext_fold() normalises
 * with ICU, one normalisation segment (a character and the marks that
 * combine with it) at a time, so that every output character maps to the
 * segment that gave it.
 */
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

#include "base/markdown.h"
#include "load/plaintext.h"

void
plaintext_init(plaintext *t)
{
	t->s = g_string_new(NULL);
	t->from = g_array_new(FALSE, FALSE, sizeof(guint32));
	t->to = g_array_new(FALSE, FALSE, sizeof(guint32));
}

void
plaintext_clear(plaintext *t)
{
	if (!t->s)
		return;
	g_string_free(t->s, TRUE);
	g_array_unref(t->from);
	g_array_unref(t->to);
	t->s = NULL;
}

/* Append n bytes, each from source [from, to). */
static void
put(plaintext *t, const char *bytes, gsize n, guint32 from, guint32 to)
{
	g_string_append_len(t->s, bytes, (gssize)n);
	for (gsize i = 0; i < n; i++) {
		g_array_append_val(t->from, from);
		g_array_append_val(t->to, to);
	}
}

/* Append n bytes written at src[at] as they are: each character from itself. */
static void
put_exact(plaintext *t, const char *bytes, gsize n, guint32 at)
{
	for (gsize i = 0; i < n; ) {
		gsize k = (gsize)(g_utf8_next_char(bytes + i) - (bytes + i));
		k = MIN(k, n - i);
		put(t, bytes + i, k, at + (guint32)i, at + (guint32)(i + k));
		i += k;
	}
}

static void
put_unichar(plaintext *t, gunichar c, guint32 from, guint32 to)
{
	char buf[6];
	put(t, buf, (gsize)g_unichar_to_utf8(c, buf), from, to);
}

static bool
ends_with(const plaintext *t, char c)
{
	return t->s->len > 0 && t->s->str[t->s->len - 1] == c;
}

bool
plaintext_span(const plaintext *t, gsize a, gsize b, guint32 *from, guint32 *to)
{
	guint32 lo = G_MAXUINT32, hi = 0;
	for (gsize i = a; i < b; i++) {
		guint32 f = g_array_index(t->from, guint32, i), e = g_array_index(t->to, guint32, i);
		if (f < e) {
			lo = MIN(lo, f);
			hi = MAX(hi, e);
		}
	}
	*from = lo;
	*to = hi;
	return lo < hi;
}

/* ---- Markdown: the text of cmark's tree, lined up with the source ---- */

typedef struct {
	const char *src;
	guint32 len;
	GArray *lines;		/* guint32: where line n + 1 starts */
	guint32 cursor;		/* just after the source of the last text */
	plaintext *out;
	plaintext_image_fn image;
	void *data;
} md_walk;

static guint32
line_start(const md_walk *w, int line)
{
	if (line < 1)
		return 0;
	if ((guint)line > w->lines->len)
		return w->len;
	return g_array_index(w->lines, guint32, line - 1);
}

/* Where the line ends: its '\n' (or the end of the source). */
static guint32
line_end(const md_walk *w, int line)
{
	if ((guint)MAX(line, 1) >= w->lines->len)
		return w->len;
	return g_array_index(w->lines, guint32, MAX(line, 1)) - 1;
}

/* cmark's (line, column): columns count bytes from 1. */
static guint32
offset_of(const md_walk *w, int line, int col)
{
	guint32 at = line_start(w, line) + (guint32)MAX(col - 1, 0);
	return MIN(at, line_end(w, line));
}

/* The end of the entity at src[at] ("&amp;", "&#64;", "&#x40;"), or 0. */
static guint32
entity_end(const md_walk *w, guint32 at, guint32 limit)
{
	if (w->src[at] != '&')
		return 0;
	for (guint32 i = at + 1; i < limit && i < at + 40; i++) {
		char c = w->src[i];
		if (c == ';')
			return i > at + 1 ? i + 1 : 0;
		if (!g_ascii_isalnum(c) && c != '#')
			return 0;
	}
	return 0;
}

/* The end of the source of the smart punctuation `c` at src[at], or 0. */
static guint32
smart_end(const md_walk *w, guint32 at, guint32 limit, gunichar c)
{
	const char *want;
	switch (c) {
	case 0x2013: want = "--"; break;
	case 0x2014: want = "---"; break;
	case 0x2026: want = "..."; break;
	case 0x2018: case 0x2019: want = "'"; break;
	case 0x201C: case 0x201D: want = "\""; break;
	default: return 0;
	}
	gsize n = strlen(want);
	return at + n <= limit && !memcmp(w->src + at, want, n) ? at + (guint32)n : 0;
}

/* Where the next characters of `lit` (up to three) are written in the
 * next 64 bytes of source from `at`: past indentation, container markers
 * ('>', list bullets), table pipes and markup the literal does not hold. */
static guint32
resync(const md_walk *w, guint32 at, guint32 limit, const char *lit)
{
	const char *e = lit;
	for (int i = 0; i < 3 && *e; i++)
		e = g_utf8_next_char(e);
	gsize n = (gsize)(e - lit);
	guint32 stop = MIN(limit, at + 64);
	if (stop <= at || stop - at < n)
		return G_MAXUINT32;
	const char *hit = memmem(w->src + at, stop - at, lit, n);
	return hit ? (guint32)(hit - w->src) : G_MAXUINT32;
}

/* Append a node's text `lit`, whose source starts near `at` and ends
 * before `limit`: each character from where it was written, through
 * escapes, entities and smart punctuation.  What cannot be lined up maps,
 * as a whole, to the rest of the node's source. */
static void
put_aligned(md_walk *w, const char *lit, guint32 at, guint32 limit)
{
	const char *src = w->src;
	const char *l = lit;
	limit = MAX(limit, at);
	while (*l) {
		gsize n = (gsize)(g_utf8_next_char(l) - l);
		guint32 e;
		if (at + n <= limit && !memcmp(src + at, l, n)) {
			e = at + (guint32)n;
		} else if (at + 2 <= limit && src[at] == '\\' && src[at + 1] == *l && g_ascii_ispunct(*l)) {
			e = at + 2;
		} else if ((e = entity_end(w, at, limit)) || (e = smart_end(w, at, limit, g_utf8_get_char(l)))) {
			/* e is set */
		} else {
			guint32 r = resync(w, at, limit, l);
			if (r != G_MAXUINT32) {
				at = r;
				continue;
			}
			put(w->out, l, strlen(l), at, limit);
			w->cursor = limit;
			return;
		}
		put(w->out, l, n, at, e);
		l += n;
		at = e;
	}
	w->cursor = at;
}

/* Where a node's source starts and the end of its last line. */
static void
node_span(const md_walk *w, cmark_node *n, guint32 *at, guint32 *limit)
{
	int sl = cmark_node_get_start_line(n), el = cmark_node_get_end_line(n);
	if (sl > 0) {
		*at = offset_of(w, sl, cmark_node_get_start_column(n));
		*limit = line_end(w, MAX(el, sl));
	} else {	/* an autolink: no position; its text follows the last */
		*at = w->cursor;
		const char *nl = memchr(w->src + *at, '\n', w->len - *at);
		*limit = nl ? (guint32)(nl - w->src) : w->len;
	}
}

static void
separate(md_walk *w)
{
	if (w->out->s->len > 0 && !ends_with(w->out, '\n'))
		put(w->out, "\n", 1, w->cursor, w->cursor);
}

/* A link's or image's URL or title, on a line of its own, unless the text
 * already shows it (an autolink) or the source holds it elsewhere as
 * written (a reference definition: the scan of the source finds it). */
static void
put_target(md_walk *w, cmark_node *n, const char *s, gsize shown_from)
{
	if (!s || !*s)
		return;
	/* "mailto:ana@x.com" shows as "ana@x.com", "http://www.x.com" as "www.x.com". */
	const char *rest = s;
	g_autofree char *scheme = g_uri_parse_scheme(s);
	if (scheme) {
		rest = s + strlen(scheme) + 1;
		rest += strncmp(rest, "//", 2) ? 0 : 2;
	}
	if (*rest && strstr(w->out->s->str + shown_from, rest))
		return;
	guint32 at, limit;
	node_span(w, n, &at, &limit);
	const char *hit = at < limit ? memmem(w->src + at, limit - at, s, strlen(s)) : NULL;
	if (!hit && memmem(w->src, w->len, s, strlen(s)))
		return;
	guint32 keep = w->cursor;
	separate(w);
	if (hit)
		put_exact(w->out, s, strlen(s), (guint32)(hit - w->src));
	else
		put(w->out, s, strlen(s), at, MAX(limit, at));
	put(w->out, "\n", 1, keep, keep);
	w->cursor = keep;
}

static bool
is_block(cmark_node *n)
{
	return (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK;
}

static void
walk_enter(md_walk *w, cmark_node *n)
{
	guint32 at, limit;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
		node_span(w, n, &at, &limit);
		put_aligned(w, cmark_node_get_literal(n), at, limit);
		break;
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_BLOCK:
		separate(w);
		node_span(w, n, &at, &limit);
		put_aligned(w, cmark_node_get_literal(n), at, limit);
		separate(w);
		break;
	case CMARK_NODE_SOFTBREAK:
		if (!ends_with(w->out, ' '))
			put(w->out, " ", 1, w->cursor, w->cursor);
		break;
	case CMARK_NODE_LINEBREAK:
		put(w->out, "\n", 1, w->cursor, w->cursor);
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		/* Remember where its text starts, for put_target(). */
		cmark_node_set_user_data(n, GSIZE_TO_POINTER(w->out->s->len + 1));
		if (cmark_node_get_type(n) == CMARK_NODE_IMAGE && w->image) {
			node_span(w, n, &at, &limit);
			w->image(cmark_node_get_url(n) ? cmark_node_get_url(n) : "", at, w->data);
		}
		break;
	default:
		if (is_block(n))
			separate(w);
		break;
	}
}

static void
walk_exit(md_walk *w, cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
		gsize shown = GPOINTER_TO_SIZE(cmark_node_get_user_data(n)) - 1;
		put_target(w, n, cmark_node_get_url(n), shown);
		put_target(w, n, cmark_node_get_title(n), shown);
	} else if (is_block(n)) {
		separate(w);
	}
}

void
plaintext_markdown(plaintext *out, const char *src, gsize len, plaintext_image_fn image, void *data)
{
	plaintext_init(out);
	g_return_if_fail(len < G_MAXUINT32);
	md_walk w = { src, (guint32)len, g_array_new(FALSE, FALSE, sizeof(guint32)), 0, out, image, data };
	guint32 zero = 0;
	g_array_append_val(w.lines, zero);
	for (guint32 i = 0; i < len; i++)
		if (src[i] == '\n') {
			guint32 next = i + 1;
			g_array_append_val(w.lines, next);
		}
	cmark_node *doc = markdown_parse(src, len);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER)
			walk_enter(&w, n);
		else if (ev == CMARK_EVENT_EXIT)
			walk_exit(&w, n);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	g_array_unref(w.lines);
}

/* ---- normalisation (ICU) --------------------------------------------- */

/* One character of a PLAINTEXT_CHARS text, or 0 to leave it out. */
static UChar32
char_form(UChar32 c)
{
	if (c == '\n' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 || c == 0x2029)
		return '\n';
	if (c == '\r')
		return 0;
	int8_t type = u_charType(c);
	if (type == U_FORMAT_CHAR)		/* soft hyphen, ZWSP, ZWJ, bidi controls */
		return 0;
	if (u_isUWhiteSpace(c))
		return ' ';
	if (type == U_DECIMAL_DIGIT_NUMBER)
		return '0' + u_charDigitValue(c);
	/* The dashes shared by scripts (U+2011 non-breaking hyphen, the en
	 * dash...) and the minus sign; a script's own hyphen (the Hebrew
	 * maqaf joins words) stays. */
	UErrorCode err = U_ZERO_ERROR;
	if ((type == U_DASH_PUNCTUATION && uscript_getScript(c, &err) == USCRIPT_COMMON) || c == 0x2212)
		return '-';
	return c;
}

/* A diacritic writers leave out: a combining mark shared by scripts
 * (Latin accents; Arabic vowel marks are of this kind too) or a Hebrew
 * point.  The vowel signs of Devanagari, Thai and other scripts are
 * letters of the word and stay. */
static bool
optional_mark(UChar32 c)
{
	if (u_charType(c) != U_NON_SPACING_MARK)
		return false;
	UErrorCode err = U_ZERO_ERROR;
	UScriptCode s = uscript_getScript(c, &err);
	return s == USCRIPT_INHERITED || s == USCRIPT_COMMON || s == USCRIPT_HEBREW || s == USCRIPT_ARABIC;
}

typedef struct {
	plaintext *out;
	plaintext_fold_how how;
	guint32 from, to;	/* the source of the current segment */
} folder;

static bool
is_gap(UChar32 c)
{
	return c == ' ' || c == '\n' || c == '*' || c == '_';
}

/* A PLAINTEXT_WORDS character: case folded, optional marks dropped, gaps
 * run together. */
static void
emit_word_char(folder *f, UChar32 c)
{
	if (is_gap(c)) {
		if (f->out->s->len > 0 && !ends_with(f->out, ' '))
			put(f->out, " ", 1, f->from, f->to);
		return;
	}
	if (c < 0x80) {
		put_unichar(f->out, (gunichar)g_ascii_tolower((char)c), f->from, f->to);
		return;
	}
	UChar in[2], folded[8], decomposed[32];
	int32_t n = 0;
	UBool bad = false;
	U16_APPEND(in, n, 2, c, bad);
	UErrorCode err = U_ZERO_ERROR;
	int32_t m = u_strFoldCase(folded, G_N_ELEMENTS(folded), in, n, U_FOLD_CASE_DEFAULT, &err);
	if (U_FAILURE(err) || bad)
		return;
	for (int32_t i = 0; i < m; ) {
		UChar32 d;
		U16_NEXT(folded, i, m, d);
		const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
		int32_t k = U_SUCCESS(err) ? unorm2_getDecomposition(nfd, d, decomposed, G_N_ELEMENTS(decomposed), &err) : -1;
		bool drop_any = false;
		for (int32_t j = 0; U_SUCCESS(err) && j < k; ) {
			UChar32 e;
			U16_NEXT(decomposed, j, k, e);
			drop_any |= optional_mark(e);
		}
		if (!drop_any || U_FAILURE(err) || k < 0) {
			if (!optional_mark(d))
				put_unichar(f->out, (gunichar)d, f->from, f->to);
			err = U_ZERO_ERROR;
			continue;
		}
		/* Only when a mark goes: Hangul syllables and the like stay whole. */
		for (int32_t j = 0; j < k; ) {
			UChar32 e;
			U16_NEXT(decomposed, j, k, e);
			if (!optional_mark(e))
				put_unichar(f->out, (gunichar)e, f->from, f->to);
		}
	}
}

static void
emit(folder *f, UChar32 c)
{
	if (f->how == PLAINTEXT_WORDS) {
		emit_word_char(f, c);
		return;
	}
	UChar32 d = char_form(c);
	if (d)
		put_unichar(f->out, (gunichar)d, f->from, f->to);
}

/* One normalisation segment text[a, b): NFKC for PLAINTEXT_CHARS (the
 * input of PLAINTEXT_WORDS is already normalised). */
static void
fold_segment(folder *f, const char *text, gsize a, gsize b)
{
	if (f->how == PLAINTEXT_WORDS || (b - a == 1 && (unsigned char)text[a] < 0x80)) {
		for (const char *p = text + a; p < text + b; p = g_utf8_next_char(p))
			emit(f, (UChar32)g_utf8_get_char(p));
		return;
	}
	UChar stack[64], out_stack[128];
	UChar *in = stack, *out = out_stack;
	int32_t n = 0, cap = G_N_ELEMENTS(stack);
	UErrorCode err = U_ZERO_ERROR;
	u_strFromUTF8(in, cap, &n, text + a, (int32_t)(b - a), &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		in = g_new(UChar, n + 1);
		cap = n + 1;
		err = U_ZERO_ERROR;
		u_strFromUTF8(in, cap, &n, text + a, (int32_t)(b - a), &err);
	}
	const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
	int32_t m = 0, ocap = G_N_ELEMENTS(out_stack);
	if (U_SUCCESS(err))
		m = unorm2_normalize(nfkc, in, n, out, ocap, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		out = g_new(UChar, m + 1);
		ocap = m + 1;
		err = U_ZERO_ERROR;
		m = unorm2_normalize(nfkc, in, n, out, ocap, &err);
	}
	if (U_FAILURE(err)) {	/* not expected for valid UTF-8: keep it as it is */
		in != stack ? g_free(in) : (void)0;
		out != out_stack ? g_free(out) : (void)0;
		for (const char *p = text + a; p < text + b; p = g_utf8_next_char(p))
			emit(f, (UChar32)g_utf8_get_char(p));
		return;
	}
	for (int32_t i = 0; i < m; ) {
		UChar32 c;
		U16_NEXT(out, i, m, c);
		emit(f, c);
	}
	if (in != stack)
		g_free(in);
	if (out != out_stack)
		g_free(out);
}

void
plaintext_fold(plaintext *out, const char *text, gsize len, const plaintext *in_map, plaintext_fold_how how)
{
	plaintext_init(out);
	g_return_if_fail(len < G_MAXUINT32);
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
	folder f = { out, how, 0, 0 };
	gsize i = 0;
	while (i < len) {
		/* The segment: a character and what does not start a new one. */
		gsize j = (gsize)(g_utf8_next_char(text + i) - text);
		if (how == PLAINTEXT_CHARS && U_SUCCESS(err))
			while (j < len && (unsigned char)text[j] >= 0x80 &&
			       !unorm2_hasBoundaryBefore(nfkc, (UChar32)g_utf8_get_char(text + j)))
				j = (gsize)(g_utf8_next_char(text + j) - text);
		j = MIN(j, len);
		if (in_map) {
			if (!plaintext_span(in_map, i, j, &f.from, &f.to))
				f.from = f.to = g_array_index(in_map->from, guint32, i);
		} else {
			f.from = (guint32)i;
			f.to = (guint32)j;
		}
		fold_segment(&f, text, i, j);
		i = j;
	}
}

static char *
fold_plain(const char *s, bool words)
{
	plaintext a, b;
	plaintext_fold(&a, s, strlen(s), NULL, PLAINTEXT_CHARS);
	if (!words) {
		char *r = g_strdup(a.s->str);
		plaintext_clear(&a);
		return r;
	}
	plaintext_fold(&b, a.s->str, a.s->len, &a, PLAINTEXT_WORDS);
	plaintext_clear(&a);
	char *r = g_strstrip(g_strdup(b.s->str));
	plaintext_clear(&b);
	return r;
}

char *
plaintext_words(const char *s)
{
	return fold_plain(s, true);
}

char *
plaintext_chars(const char *s)
{
	return fold_plain(s, false);
}

/* render/tmpl.c - the Mustache engine of the render stage: compile, then execute.
 *
 * tmpl_parse() reads a template in three passes: the tokenizer cuts the
 * text into text runs (one per line) and tags, following set-delimiter tags
 * as it goes; a quick pass pairs close tags with their openers; then the
 * builder walks the tokens line by line, applies the spec's standalone-line
 * rules and builds the operation tree.  Every line start that survives
 * becomes a LINE op holding the line's indentation, which is what lets a
 * standalone partial or block indent (or re-indent) the lines of what it
 * includes at render time, exactly as if the text had been indented first.
 * tmpl_render() walks the tree with the context stack, a stack of
 * indentation frames and the chain of block arguments of the parents being
 * expanded; one function per op kind, picked from a table.
 */
#include <stdarg.h>
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/searchpath.h"
#include "render/tmpl.h"

/* Bounds on the work of one tmpl_render(), so that partials or sections
 * that multiply (each including the next twice, lists inside lists) fail
 * instead of running for hours.  The example's largest document takes
 * about a thousand times less. */
#define TMPL_MAX_STEPS 20000000		/* operations executed */
#define TMPL_MAX_OUTPUT (64u << 20)	/* bytes of output */

/* ---------------------------------------------------------------- tree */

typedef enum {
	TMPL_OP_TEXT,		/* literal text */
	TMPL_OP_LINE,		/* a template line starts here; text is its indentation */
	TMPL_OP_VAR,		/* {{x}}: HTML-escaped */
	TMPL_OP_RAW,		/* {{{x}}}, {{&x}} */
	TMPL_OP_SECTION,	/* {{#x}}...{{/x}} */
	TMPL_OP_INVERTED,	/* {{^x}}...{{/x}} */
	TMPL_OP_PARTIAL,	/* {{>x}} */
	TMPL_OP_PARENT,		/* {{<x}}...{{/x}}; its BLOCK kids are the arguments */
	TMPL_OP_BLOCK,		/* {{$x}}default{{/x}} */
	TMPL_OP_COUNT
} tmpl_op_kind;

typedef struct tmpl_op tmpl_op;

struct tmpl_op {
	tmpl_op_kind kind;
	const char *file;	/* interned name of the template it is in */
	int line, col;		/* 1-based start of its tag (or text) */
	char *text;		/* TEXT, LINE: the text; tags: the name as written */
	char **path;		/* names looked up: the dotted name split; NULL for "." */
	GPtrArray *kids;	/* SECTION, INVERTED, PARENT, BLOCK: the ops inside */
	char *indent;		/* PARTIAL, PARENT, BLOCK: indentation added when standalone, else NULL */
	char *dedent;		/* BLOCK: indentation its content is written with, when its
				 * opening tag is standalone, else NULL */
	bool dynamic;		/* PARTIAL, PARENT: {{>*x}}, the name is looked up */
};

struct tmpl {
	const char *file;	/* interned */
	GPtrArray *ops;		/* tmpl_op* */
};

static void
tmpl_op_free(gpointer p)
{
	tmpl_op *op = p;

	if (!op)
		return;
	g_free(op->text);
	g_strfreev(op->path);
	if (op->kids)
		g_ptr_array_unref(op->kids);
	g_free(op->indent);
	g_free(op->dedent);
	g_free(op);
}

void
tmpl_free(tmpl *t)
{
	if (!t)
		return;
	g_ptr_array_unref(t->ops);
	g_free(t);
}

/* ------------------------------------------------------------- tokens */

typedef struct {
	char sigil;		/* 0 for text; else 'v' (variable), '{', '&', '#', '^', '/',
				 * '!', '=', '>', '<', '$' */
	size_t start, end;	/* bytes of the token in the source */
	int line, col;		/* where it starts */
	char *name;		/* tags: the trimmed name ("*x" when dynamic) */
	bool nl;		/* text: ends with a newline */
	char opener;		/* '/': sigil of the tag it closes, if it matches */
} tmpl_tok;

typedef struct {
	const char *file;	/* interned */
	const char *src;
	size_t len;
	GArray *toks;		/* tmpl_tok */
	int line;		/* position tracking: line of byte `at` */
	size_t line_start;	/* byte where that line starts */
	size_t at;		/* tracked up to here */
	size_t col_at;		/* last byte whose column was counted, */
	int col;		/* and that column (so long lines stay linear) */
	char *err;		/* the first error, reported when parsing ends */
	int err_line, err_col;
	bool cut;		/* the tokenizer stopped at an error: the end is not the end */
} tmpl_parser;

static void
tmpl_tok_clear(gpointer p)
{
	g_free(((tmpl_tok *)p)->name);
}

static void G_GNUC_PRINTF(4, 5)
tmpl_parse_error(tmpl_parser *p, int line, int col, const char *fmt, ...)
{
	va_list ap;

	if (p->err)
		return;
	va_start(ap, fmt);
	p->err = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	p->err_line = line;
	p->err_col = col;
}

/* Move position tracking forward to byte `to`. */
static void
tmpl_track(tmpl_parser *p, size_t to)
{
	for (; p->at < to; p->at++)
		if (p->src[p->at] == '\n') {
			p->line++;
			p->line_start = p->at + 1;
		}
}

/* 1-based column of byte `pos`, counted in characters.  Positions asked
 * for only move forward, and are tracked already. */
static int
tmpl_column(tmpl_parser *p, size_t pos)
{
	if (p->col_at < p->line_start || p->col_at > pos) {
		p->col_at = p->line_start;
		p->col = 1;
	}
	for (; p->col_at < pos; p->col_at++)
		if ((p->src[p->col_at] & 0xC0) != 0x80)
			p->col++;
	return p->col;
}

static bool
tmpl_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
tmpl_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Add the text [a, b) as one token per line. */
static void
tmpl_add_text(tmpl_parser *p, size_t a, size_t b)
{
	while (a < b) {
		const char *nl = memchr(p->src + a, '\n', b - a);
		size_t e = nl ? (size_t)(nl - p->src) + 1 : b;
		tmpl_tok t = { .start = a, .end = e, .nl = nl != NULL };

		tmpl_track(p, a);
		t.line = p->line;
		t.col = tmpl_column(p, a);
		g_array_append_val(p->toks, t);
		a = e;
	}
}

/* A tag as written, for messages: up to its first line break, at most 60 bytes. */
static char *
tmpl_tok_shown(const tmpl_parser *p, const tmpl_tok *t)
{
	size_t n = 0, len = t->end - t->start;

	while (n < len && n < 60 && p->src[t->start + n] != '\n' && p->src[t->start + n] != '\r')
		n++;
	return n == len ? g_strndup(p->src + t->start, n) :
		g_strdup_printf("%.*s...", (int)n, p->src + t->start);
}

/* The name inside a tag: trimmed and checked; "*x" for a dynamic name
 * ({{>*x}}, {{> * x }}). */
static char *
tmpl_tag_name(tmpl_parser *p, const tmpl_tok *t, size_t a, size_t b)
{
	bool dynamic = false;

	while (a < b && tmpl_is_space(p->src[a]))
		a++;
	while (b > a && tmpl_is_space(p->src[b - 1]))
		b--;
	if ((t->sigil == '>' || t->sigil == '<') && a < b && p->src[a] == '*') {
		dynamic = true;
		for (a++; a < b && tmpl_is_space(p->src[a]); a++)
			;
	}
	if (a == b) {
		g_autofree char *shown = tmpl_tok_shown(p, t);
		tmpl_parse_error(p, t->line, t->col, "empty tag '%s'", shown);
		return NULL;
	}
	for (size_t i = a; i < b; i++)
		if (tmpl_is_space(p->src[i])) {
			g_autofree char *shown = tmpl_tok_shown(p, t);
			tmpl_parse_error(p, t->line, t->col, "space inside the name of tag '%s'", shown);
			return NULL;
		}
	return g_strdup_printf("%s%.*s", dynamic ? "*" : "", (int)(b - a), p->src + a);
}

/* {{=<% %>=}}: the body [a, b) holds the new delimiters. */
static bool
tmpl_set_delims(tmpl_parser *p, const tmpl_tok *t, size_t a, size_t b, char **open, char **close)
{
	g_autofree char *body = g_strndup(p->src + a, b - a);
	g_auto(GStrv) parts = g_strsplit_set(g_strstrip(body), " \t\r\n", -1);
	const char *d[2];
	int n = 0;

	for (int i = 0; parts[i]; i++) {
		if (!*parts[i])
			continue;
		if (n == 2 || strchr(parts[i], '=')) {
			n = 3;
			break;
		}
		d[n++] = parts[i];
	}
	if (n != 2) {
		g_autofree char *shown = tmpl_tok_shown(p, t);
		tmpl_parse_error(p, t->line, t->col,
				 "bad delimiters '%s': give two delimiters, without spaces "
				 "or '=' in them, such as {{=<%% %%>=}}", shown);
		return false;
	}
	g_free(*open);
	g_free(*close);
	*open = g_strdup(d[0]);
	*close = g_strdup(d[1]);
	return true;
}

static void
tmpl_tokenize(tmpl_parser *p)
{
	g_autofree char *open = g_strdup("{{");
	g_autofree char *close = g_strdup("}}");
	size_t pos = 0;

	while (pos < p->len) {
		const char *o = strstr(p->src + pos, open);
		size_t at = o ? (size_t)(o - p->src) : p->len;

		tmpl_add_text(p, pos, at);
		if (!o)
			break;
		tmpl_track(p, at);
		tmpl_tok t = { .start = at, .line = p->line, .col = tmpl_column(p, at) };
		size_t body = at + strlen(open);
		char sigil = p->src[body];
		g_autofree char *ending = NULL;

		if (sigil == '{' || sigil == '=') {
			ending = g_strdup_printf("%c%s", sigil == '{' ? '}' : '=', close);
			body++;
		} else if (sigil && strchr("&#^/!><$", sigil)) {
			ending = g_strdup(close);
			body++;
		} else {
			sigil = 'v';
			ending = g_strdup(close);
		}
		t.sigil = sigil;
		const char *e = strstr(p->src + body, ending);
		if (!e) {
			tmpl_parse_error(p, t.line, t.col, "unclosed tag: no '%s' after '%s%s'",
					 ending, open, sigil == '{' ? "{" : sigil == '=' ? "=" : "");
			return;
		}
		const char *next = sigil == '!' ? NULL : strstr(p->src + body, open);
		if (next && next < e) {	/* {{{city} | {{x}}: the ending is missing */
			tmpl_parse_error(p, t.line, t.col, "unclosed tag: no '%s' after '%s%s' "
					 "before the next '%s'", ending, open,
					 sigil == '{' ? "{" : sigil == '=' ? "=" : "", open);
			return;
		}
		size_t body_end = (size_t)(e - p->src);
		t.end = body_end + strlen(ending);
		if (sigil == '=') {
			if (!tmpl_set_delims(p, &t, body, body_end, &open, &close))
				return;
		} else if (sigil != '!') {
			t.name = tmpl_tag_name(p, &t, body, body_end);
			if (!t.name)
				return;
		}
		g_array_append_val(p->toks, t);
		pos = t.end;
	}
}

/* Pair each close tag with its opener, for the standalone rules of
 * inheritance; a mismatch stops here and is reported by the builder. */
static void
tmpl_pair_closers(tmpl_parser *p)
{
	g_autoptr(GArray) open = g_array_new(FALSE, FALSE, sizeof(guint));

	for (guint i = 0; i < p->toks->len; i++) {
		tmpl_tok *t = &g_array_index(p->toks, tmpl_tok, i);

		if (t->sigil && strchr("#^<$", t->sigil)) {
			g_array_append_val(open, i);
		} else if (t->sigil == '/') {
			if (!open->len)
				return;
			guint o = g_array_index(open, guint, open->len - 1);
			tmpl_tok *ot = &g_array_index(p->toks, tmpl_tok, o);
			if (strcmp(ot->name, t->name))
				return;
			t->opener = ot->sigil;
			g_array_set_size(open, open->len - 1);
		}
	}
}

/* ------------------------------------------------------------ builder */

typedef enum {
	TMPL_LINE_PLAIN,	/* kept as written */
	TMPL_LINE_STANDALONE,	/* its indentation and line ending go */
	TMPL_LINE_KEEP_NL,	/* {{$b}}{{/b}} alone: indentation goes, line ending stays */
} tmpl_line_kind;

/* The spec's standalone rule for the line of tokens [i, j): whitespace and
 * one tag that prints nothing; or, for inheritance, one of the adjacent
 * pairs {{<p}}{{/p}}, {{<p}}{{$b}}, {{/b}}{{/p}} and {{$b}}{{/b}}. */
static tmpl_line_kind
tmpl_line_kind_of(const tmpl_parser *p, guint i, guint j)
{
	guint tags[2] = { 0, 0 };
	guint n = 0;

	for (guint k = i; k < j; k++) {
		const tmpl_tok *t = &g_array_index(p->toks, tmpl_tok, k);

		if (t->sigil) {
			if (n == 2)
				return TMPL_LINE_PLAIN;
			tags[n++] = k;
			continue;
		}
		size_t end = t->end;
		if (t->nl) {
			end--;
			if (end > t->start && p->src[end - 1] == '\r')
				end--;
		}
		for (size_t c = t->start; c < end; c++)
			if (!tmpl_is_blank(p->src[c]))
				return TMPL_LINE_PLAIN;
	}
	if (n == 0)
		return TMPL_LINE_PLAIN;
	const tmpl_tok *a = &g_array_index(p->toks, tmpl_tok, tags[0]);
	if (n == 1)
		return strchr("#^/!=><$", a->sigil) ? TMPL_LINE_STANDALONE : TMPL_LINE_PLAIN;
	if (tags[1] != tags[0] + 1)
		return TMPL_LINE_PLAIN;
	const tmpl_tok *b = &g_array_index(p->toks, tmpl_tok, tags[1]);
	if (a->sigil == '<' && ((b->sigil == '/' && b->opener == '<') || b->sigil == '$'))
		return TMPL_LINE_STANDALONE;
	if (a->sigil == '/' && a->opener == '$' && b->sigil == '/' && b->opener == '<')
		return TMPL_LINE_STANDALONE;
	if (a->sigil == '$' && b->sigil == '/' && b->opener == '$')
		return TMPL_LINE_KEEP_NL;
	return TMPL_LINE_PLAIN;
}

/* The indentation common to the non-blank lines of [a, b). */
static char *
tmpl_common_indent(const char *s, size_t a, size_t b)
{
	const char *best = NULL;
	size_t best_len = 0;

	while (a < b) {
		size_t ws = a, eol;
		while (ws < b && tmpl_is_blank(s[ws]))
			ws++;
		for (eol = ws; eol < b && s[eol] != '\n'; eol++)
			;
		bool blank = ws == eol || (s[ws] == '\r' && ws + 1 == eol);
		if (!blank) {
			if (!best) {
				best = s + a;
				best_len = ws - a;
			} else {
				size_t k = 0;
				while (k < best_len && k < ws - a && best[k] == s[a + k])
					k++;
				best_len = k;
			}
		}
		a = eol + 1;
	}
	return g_strndup(best ? best : "", best_len);
}

typedef struct {
	tmpl_op *op;
	const tmpl_tok *tok;	/* its opening tag */
	bool standalone;	/* the opening tag was standalone */
	size_t content;		/* where its content starts in the source */
	char *before;		/* BLOCK: whitespace before a standalone opening tag */
} tmpl_open;

typedef struct {
	tmpl_parser *p;
	tmpl *t;
	GArray *open;		/* tmpl_open: the sections being built */
	GPtrArray *cur;		/* where ops go now */
} tmpl_builder;

static tmpl_op *
tmpl_op_add(tmpl_builder *b, tmpl_op_kind kind, int line, int col, char *text)
{
	tmpl_op *op = g_new0(tmpl_op, 1);

	op->kind = kind;
	op->file = b->t->file;
	op->line = line;
	op->col = col;
	op->text = text;
	g_ptr_array_add(b->cur, op);
	return op;
}

/* The LINE op of a line that starts with token t: it takes the leading
 * blanks of t when t is text. */
static void
tmpl_line_start(tmpl_builder *b, tmpl_tok *t)
{
	size_t ws = 0;

	if (!t->sigil)
		while (t->start + ws < t->end && tmpl_is_blank(b->p->src[t->start + ws]))
			ws++;
	tmpl_op_add(b, TMPL_OP_LINE, t->line, t->col, g_strndup(b->p->src + t->start, ws));
	t->start += ws;
}

static char **
tmpl_split_name(const char *name)
{
	return strcmp(name, ".") ? g_strsplit(name, ".", -1) : NULL;
}

static const char *
tmpl_kind_word(char sigil)
{
	return sigil == '<' ? "parent" : sigil == '$' ? "block" : "section";
}

static void
tmpl_open_section(tmpl_builder *b, const tmpl_tok *t, bool standalone, const char *ws,
		  size_t line_end)
{
	static const tmpl_op_kind kinds[] = {
		['#'] = TMPL_OP_SECTION, ['^'] = TMPL_OP_INVERTED,
		['<'] = TMPL_OP_PARENT, ['$'] = TMPL_OP_BLOCK,
	};

	if (b->open->len >= TMPL_MAX_NEST) {
		tmpl_parse_error(b->p, t->line, t->col, "sections nest deeper than %d levels",
				 TMPL_MAX_NEST);
		return;
	}
	tmpl_op *op = tmpl_op_add(b, kinds[(unsigned char)t->sigil], t->line, t->col,
				  g_strdup(t->name));
	op->kids = g_ptr_array_new_with_free_func(tmpl_op_free);
	if (t->sigil == '<') {
		op->dynamic = t->name[0] == '*';
		op->path = op->dynamic ? tmpl_split_name(t->name + 1) : NULL;
		op->indent = standalone ? g_strdup(ws) : NULL;
	} else if (t->sigil != '$') {
		op->path = tmpl_split_name(t->name);
	}
	tmpl_open o = {
		.op = op, .tok = t, .standalone = standalone,
		.content = standalone ? line_end : t->end,
		.before = t->sigil == '$' && standalone ? g_strdup(ws) : NULL,
	};
	g_array_append_val(b->open, o);
	b->cur = op->kids;
}

static void
tmpl_close_section(tmpl_builder *b, const tmpl_tok *t, bool standalone, size_t line_begin)
{
	tmpl_parser *p = b->p;

	if (!b->open->len) {
		g_autofree char *shown = tmpl_tok_shown(p, t);
		tmpl_parse_error(p, t->line, t->col, "'%s' closes nothing: no section is open", shown);
		return;
	}
	tmpl_open *o = &g_array_index(b->open, tmpl_open, b->open->len - 1);
	if (strcmp(o->tok->name, t->name)) {
		g_autofree char *shown = tmpl_tok_shown(p, t);
		tmpl_parse_error(p, t->line, t->col, "'%s' closes %s '%s' opened at %d:%d",
				 shown, tmpl_kind_word(o->tok->sigil), o->tok->name,
				 o->tok->line, o->tok->col);
		return;
	}
	tmpl_op *op = o->op;
	if (op->kind == TMPL_OP_BLOCK) {
		/* A line start at the very end of a block belongs to the text after it. */
		while (op->kids->len) {
			tmpl_op *last = g_ptr_array_index(op->kids, op->kids->len - 1);
			if (last->kind != TMPL_OP_LINE || *last->text)
				break;
			g_ptr_array_remove_index(op->kids, op->kids->len - 1);
		}
		if (o->standalone) {
			size_t end = standalone ? line_begin : t->start;
			op->dedent = tmpl_common_indent(p->src, o->content, MAX(end, o->content));
			op->indent = g_strdup(*op->dedent ? op->dedent : o->before);
		}
	}
	g_free(o->before);
	g_array_set_size(b->open, b->open->len - 1);
	b->cur = b->open->len ?
		g_array_index(b->open, tmpl_open, b->open->len - 1).op->kids : b->t->ops;
}

/* One tag t of the line [line_begin, line_end), which starts with `ws`. */
static void
tmpl_build_tag(tmpl_builder *b, const tmpl_tok *t, bool standalone, const char *ws,
	       size_t line_begin, size_t line_end)
{
	tmpl_op *op;

	switch (t->sigil) {
	case '!':
	case '=':
		break;
	case 'v':
	case '{':
	case '&':
		op = tmpl_op_add(b, t->sigil == 'v' ? TMPL_OP_VAR : TMPL_OP_RAW,
				 t->line, t->col, g_strdup(t->name));
		op->path = tmpl_split_name(t->name);
		break;
	case '>':
		op = tmpl_op_add(b, TMPL_OP_PARTIAL, t->line, t->col, g_strdup(t->name));
		op->dynamic = t->name[0] == '*';
		op->path = op->dynamic ? tmpl_split_name(t->name + 1) : NULL;
		op->indent = standalone ? g_strdup(ws) : NULL;
		break;
	case '#':
	case '^':
	case '<':
	case '$':
		tmpl_open_section(b, t, standalone, ws, line_end);
		break;
	case '/':
		tmpl_close_section(b, t, standalone, line_begin);
		break;
	}
}

static void
tmpl_build(tmpl_builder *b)
{
	tmpl_parser *p = b->p;
	guint n = p->toks->len;

	for (guint i = 0; i < n && !p->err;) {
		guint j = i;
		while (j < n) {
			const tmpl_tok *t = &g_array_index(p->toks, tmpl_tok, j++);
			if (!t->sigil && t->nl)
				break;
		}
		tmpl_line_kind lk = tmpl_line_kind_of(p, i, j);
		size_t line_begin = g_array_index(p->toks, tmpl_tok, i).start;
		size_t line_end = g_array_index(p->toks, tmpl_tok, j - 1).end;
		g_autofree char *ws = NULL;

		if (lk == TMPL_LINE_PLAIN) {
			tmpl_line_start(b, &g_array_index(p->toks, tmpl_tok, i));
		} else {
			size_t e = line_begin;
			while (tmpl_is_blank(p->src[e]))
				e++;
			ws = g_strndup(p->src + line_begin, e - line_begin);
		}
		for (guint k = i; k < j && !p->err; k++) {
			tmpl_tok *t = &g_array_index(p->toks, tmpl_tok, k);

			if (t->sigil) {
				tmpl_build_tag(b, t, lk != TMPL_LINE_PLAIN, ws, line_begin, line_end);
				continue;
			}
			size_t a = t->start;
			if (lk == TMPL_LINE_STANDALONE || (lk == TMPL_LINE_KEEP_NL && !t->nl))
				continue;
			if (lk == TMPL_LINE_KEEP_NL) {
				a = t->end - 1;
				if (a > t->start && p->src[a - 1] == '\r')
					a--;
			}
			if (a < t->end)
				tmpl_op_add(b, TMPL_OP_TEXT, t->line, t->col,
					    g_strndup(p->src + a, t->end - a));
		}
		i = j;
	}
	if (!p->err && !p->cut && b->open->len) {
		const tmpl_open *o = &g_array_index(b->open, tmpl_open, b->open->len - 1);
		tmpl_track(p, p->len);
		tmpl_parse_error(p, p->line, tmpl_column(p, p->len),
				 "unclosed %s '%s' opened at %d:%d", tmpl_kind_word(o->tok->sigil),
				 o->tok->name, o->tok->line, o->tok->col);
	}
	for (guint i = 0; i < b->open->len; i++)
		g_free(g_array_index(b->open, tmpl_open, i).before);
}

tmpl *
tmpl_parse(const char *file, const char *text)
{
	tmpl_parser p = {
		.file = g_intern_string(file ? file : "<template>"),
		.src = text ? text : "",
		.line = 1,
		.col = 1,
	};
	p.len = strlen(p.src);
	p.toks = g_array_new(FALSE, TRUE, sizeof(tmpl_tok));
	g_array_set_clear_func(p.toks, tmpl_tok_clear);

	tmpl *t = g_new0(tmpl, 1);
	t->file = p.file;
	t->ops = g_ptr_array_new_with_free_func(tmpl_op_free);

	tmpl_tokenize(&p);
	/* Report a structural error before a tokenizer error further on. */
	char *tok_err = p.err;
	int tok_line = p.err_line, tok_col = p.err_col;
	p.err = NULL;
	tmpl_pair_closers(&p);

	tmpl_builder b = { .p = &p, .t = t, .cur = t->ops };
	b.open = g_array_new(FALSE, FALSE, sizeof(tmpl_open));
	p.cut = tok_err != NULL;
	tmpl_build(&b);
	if (tok_err && !p.err) {
		p.err = tok_err;
		p.err_line = tok_line;
		p.err_col = tok_col;
	} else {
		g_free(tok_err);
	}
	g_array_unref(b.open);
	g_array_unref(p.toks);
	if (p.err) {
		diag(DIAG_ERROR, p.file, p.err_line, p.err_col, "%s", p.err);
		g_free(p.err);
		tmpl_free(t);
		return NULL;
	}
	return t;
}

/* ------------------------------------------------------------ execute */

/* Indentation frames: each standalone partial, parent or block site adds
 * one; a LINE op's indentation goes through them, innermost first. */
typedef struct tmpl_indent tmpl_indent;
struct tmpl_indent {
	const char *strip;		/* indentation the content was written with */
	const char *add;		/* indentation of the site that includes it */
	const tmpl_indent *up;		/* the enclosing frame */
};

/* Block arguments of the parents being expanded.  A parent puts its blocks
 * in front of the chain, except those a parent further out overrides
 * already: the outermost override wins ("Multi-level inheritance"). */
typedef struct tmpl_arg tmpl_arg;
struct tmpl_arg {
	const tmpl_op *block;		/* the overriding {{$x}} */
	const tmpl_arg *next;
};

typedef struct {
	const tmpl_opts *opts;
	GString *out;
	GPtrArray *stack;		/* const val*: the context stack, top last */
	GHashTable *partials;		/* name -> tmpl*, or NULL (missing), or &tmpl_bad */
	GHashTable *reported;		/* ops already complained about */
	int expansions;			/* partials, parents and overrides being expanded */
	int depth;			/* all nesting, sections included */
	gsize steps;			/* operations executed, against TMPL_MAX_STEPS */
	bool failed;			/* an error was reported: the result is NULL */
	bool stop;			/* give up at once */
} tmpl_run;

typedef void tmpl_exec_fn(tmpl_run *r, const tmpl_op *op, const tmpl_indent *ind,
			  const tmpl_arg *args);

static tmpl tmpl_bad;			/* cached: a partial with a syntax error */

static void G_GNUC_PRINTF(3, 4)
tmpl_fail(tmpl_run *r, const tmpl_op *op, const char *fmt, ...)
{
	va_list ap;

	r->failed = true;
	if (!g_hash_table_add(r->reported, (gpointer)op))
		return;		/* once per tag, not once per list item */
	va_start(ap, fmt);
	diag_v(DIAG_ERROR, op->file, op->line, op->col, fmt, ap);
	va_end(ap);
}

static void tmpl_exec_ops(tmpl_run *r, const GPtrArray *ops, const tmpl_indent *ind,
			  const tmpl_arg *args);

/* The spec's lookup: the first name through the context stack, from the top;
 * the rest of a dotted name only inside what that found.  NULL: no value. */
static const val *
tmpl_lookup(const tmpl_run *r, char *const *path)
{
	const val *v = NULL;

	if (!path)
		return r->stack->len ? g_ptr_array_index(r->stack, r->stack->len - 1) : NULL;
	for (guint i = r->stack->len; i-- > 0 && !v;) {
		const val *c = g_ptr_array_index(r->stack, i);
		if (c && c->kind == VAL_MAP)
			v = val_get(c, path[0]);
	}
	for (guint k = 1; v && path[k]; k++)
		v = val_get(v, path[k]);
	return v;
}

static void
tmpl_put_escaped(GString *out, const char *s)
{
	for (const char *run = s;; s++) {
		const char *esc;

		switch (*s) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '"': esc = "&quot;"; break;
		case '\0':
			g_string_append_len(out, run, s - run);
			return;
		default:
			continue;
		}
		g_string_append_len(out, run, s - run);
		g_string_append(out, esc);
		run = s + 1;
	}
}

static void
tmpl_exec_text(tmpl_run *r, const tmpl_op *op, const tmpl_indent *ind, const tmpl_arg *args)
{
	g_string_append(r->out, op->text);
}

/* What the indentation `ws` of a line start becomes through the frames. */
static char *
tmpl_indent_apply(const tmpl_indent *ind, const char *ws)
{
	GString *s = g_string_new(ws);

	for (; ind; ind = ind->up) {
		size_t k = 0;
		while (ind->strip[k] && ind->strip[k] == s->str[k])
			k++;
		g_string_erase(s, 0, k);
		g_string_prepend(s, ind->add);
	}
	return g_string_free(s, FALSE);
}

static void
tmpl_exec_line(tmpl_run *r, const tmpl_op *op, const tmpl_indent *ind, const tmpl_arg *args)
{
	if (!ind) {
		g_string_append(r->out, op->text);
		return;
	}
	g_autofree char *ws = tmpl_indent_apply(ind, op->text);
	g_string_append(r->out, ws);
}

static void
tmpl_exec_var(tmpl_run *r, const tmpl_op *op, const tmpl_indent *ind, const tmpl_arg *args)
{
	const val *v = tmpl_lookup(r, op->path);

	if (!v) {
		if (r->opts->strict)
			tmpl_fail(r, op, "no value for '%s'", op->text);
		return;
	}
	if (v->kind == VAL_LIST || v->kind == VAL_MAP) {
		if (r->opts->strict)
			tmpl_fail(r, op, "'%s' is a %s, not text (use a section: {{#%s}}...{{/%s}})",
				  op->text, val_kind_name(v->kind), op->text, op->text);
		return;
	}
	g_autofree char *s = v->kind == VAL_STRING ? NULL : val_to_text(v);
	const char *text = v->kind == VAL_STRING ? v->str : s;
	if (!text)
		return;
	if (op->kind == TMPL_OP_VAR)
		tmpl_put_escaped(r->out, text);
	else
		g_string_append(r->out, text);
}

/* Run `ops` one level deeper, with `ctx` on top of the context stack. */
static void
tmpl_exec_in(tmpl_run *r, const tmpl_op *op, const val *ctx, const tmpl_indent *ind,
	     const tmpl_arg *args)
{
	g_ptr_array_add(r->stack, (gpointer)ctx);
	tmpl_exec_ops(r, op->kids, ind, args);
	g_ptr_array_set_size(r->stack, r->stack->len - 1);
}

static void
tmpl_exec_section(tmpl_run *r, const tmpl_op *op, const tmpl_indent *ind, const tmpl_arg *args)
{
	const val *v = tmpl_lookup(r, op->path);

	if (!v || !val_truthy(v))
		return;
	if (v->kind != VAL_LIST) {
		tmpl_exec_in(r, op, v, ind, args);
		return;
	}
	for (guint i = 0; i < val_len(v) && !r->stop; i++)
		tmpl_exec_in(r, op, val_index(v, i), ind, args);
}

static void
tmpl_exec_inverted(tmpl_run *r, const tmpl_op *op, const tmpl_indent *ind, const tmpl_arg *args)
{
	const val *v = tmpl_lookup(r, op->path);

	if (!v || !val_truthy(v))
		tmpl_exec_ops(r, op->kids, ind, args);
}

static void
tmpl_partial_value_free(gpointer p)
{
	if (p != &tmpl_bad)
		tmpl_free(p);
}

/* The partial or parent `op` names: loaded and parsed on first use.  NULL
 * when there is none (an error in strict mode) or it is broken (reported). */
static const tmpl *
tmpl_partial(tmpl_run *r, const tmpl_op *op)
{
	g_autofree char *dyn = NULL;
	const char *name = op->text;
	gpointer found;

	if (op->dynamic) {
		const val *v = tmpl_lookup(r, op->path);
		dyn = v ? val_to_text(v) : NULL;
		if (!dyn) {
			if (r->opts->strict)
				tmpl_fail(r, op, "no value for '%s'", op->text + 1);
			return NULL;
		}
		name = dyn;
	}
	if (!g_hash_table_lookup_extended(r->partials, name, NULL, &found)) {
		unsigned errors = diag_errors();
		g_autofree char *file = NULL;
		g_autofree char *text = r->opts->load ?
			r->opts->load(r->opts->load_ud, name, &file) : NULL;
		found = NULL;
		if (text) {
			found = tmpl_parse(file ? file : name, text);
			if (!found)
				found = &tmpl_bad;
		} else if (diag_errors() > errors) {
			found = &tmpl_bad;	/* the loader said why */
		}
		g_hash_table_insert(r->partials, g_strdup(name), found);
	}
	if (found == &tmpl_bad) {
		r->failed = true;
		return NULL;
	}
	if (!found && r->opts->strict) {
		g_auto(GStrv) names = r->opts->names_dir ?
			tmpl_dir_names(r->opts->names_dir, ".mustache", true) : NULL;
		const char *hint = names ? diag_suggest(name, (const char *const *)names) : NULL;
		if (hint)
			tmpl_fail(r, op, "no partial named '%s' (did you mean '%s'?)", name, hint);
		else
			tmpl_fail(r, op, "no partial named '%s'", name);
	}
	if (found && r->expansions >= TMPL_MAX_PARTIAL_DEPTH) {
		tmpl_fail(r, op, "partial '%s' nests deeper than %d levels (recursive partial?)",
			  name, TMPL_MAX_PARTIAL_DEPTH);
		r->stop = true;
		return NULL;
	}
	return found;
}

/* Run the ops of an included template one expansion deeper. */
static void
tmpl_expand(tmpl_run *r, const GPtrArray *ops, const tmpl_indent *ind, const tmpl_arg *args)
{
	r->expansions++;
	tmpl_exec_ops(r, ops, ind, args);
	r->expansions--;
}

/* Another template's text is indented only by the indentation of a
 * standalone tag that includes it, as that tag's own line shows it. */
static void
tmpl_exec_partial(tmpl_run *r, const tmpl_op *op, const tmpl_indent *ind, const tmpl_arg *args)
{
	const tmpl *t = tmpl_partial(r, op);
	g_autofree char *add = op->indent ? tmpl_indent_apply(ind, op->indent) : NULL;
	tmpl_indent frame = { "", add, NULL };

	if (t)
		tmpl_expand(r, t->ops, add && *add ? &frame : NULL, args);
}

static const tmpl_arg *
tmpl_arg_find(const tmpl_arg *a, const char *name)
{
	for (; a; a = a->next)
		if (!strcmp(a->block->text, name))
			return a;
	return NULL;
}

static void
tmpl_exec_parent(tmpl_run *r, const tmpl_op *op, const tmpl_indent *ind, const tmpl_arg *args)
{
	const tmpl *t = tmpl_partial(r, op);
	g_autofree char *add = op->indent ? tmpl_indent_apply(ind, op->indent) : NULL;
	tmpl_indent frame = { "", add, NULL };

	if (!t)
		return;
	/* This parent's blocks, unless a parent further out overrides them. */
	g_autofree tmpl_arg *mine = g_new(tmpl_arg, op->kids->len);
	guint n = 0;
	for (guint i = 0; i < op->kids->len; i++) {
		const tmpl_op *k = g_ptr_array_index(op->kids, i);
		if (k->kind != TMPL_OP_BLOCK || tmpl_arg_find(args, k->text))
			continue;
		mine[n] = (tmpl_arg){ k, args };
		args = &mine[n++];
	}
	tmpl_expand(r, t->ops, add && *add ? &frame : NULL, args);
}

/* A block site renders its default content, part of the same text, or the
 * content of an override, written in another template.  At a standalone
 * site either is re-indented: the indentation it was written with goes, the
 * site's goes in front (see the spec's "Block reindentation"). */
static void
tmpl_exec_block(tmpl_run *r, const tmpl_op *op, const tmpl_indent *ind, const tmpl_arg *args)
{
	const tmpl_arg *a = tmpl_arg_find(args, op->text);

	if (!a) {
		tmpl_indent frame = { op->dedent, op->indent, ind };
		tmpl_exec_ops(r, op->kids, op->indent ? &frame : ind, args);
		return;
	}
	const tmpl_op *content = a->block;
	g_autofree char *add = op->indent ? tmpl_indent_apply(ind, op->indent) : NULL;
	tmpl_indent frame = { content->dedent ? content->dedent : "", add ? add : "", NULL };

	if (r->expansions >= TMPL_MAX_PARTIAL_DEPTH) {
		tmpl_fail(r, op, "block '%s' nests deeper than %d levels (recursive block?)",
			  op->text, TMPL_MAX_PARTIAL_DEPTH);
		r->stop = true;
		return;
	}
	/* Content that starts inside a line has no LINE op of its own first. */
	if (add && !content->dedent)
		g_string_append(r->out, add);
	tmpl_expand(r, content->kids, *frame.strip || *frame.add ? &frame : NULL, args);
}

static tmpl_exec_fn *const tmpl_exec[TMPL_OP_COUNT] = {
	[TMPL_OP_TEXT] = tmpl_exec_text,
	[TMPL_OP_LINE] = tmpl_exec_line,
	[TMPL_OP_VAR] = tmpl_exec_var,
	[TMPL_OP_RAW] = tmpl_exec_var,
	[TMPL_OP_SECTION] = tmpl_exec_section,
	[TMPL_OP_INVERTED] = tmpl_exec_inverted,
	[TMPL_OP_PARTIAL] = tmpl_exec_partial,
	[TMPL_OP_PARENT] = tmpl_exec_parent,
	[TMPL_OP_BLOCK] = tmpl_exec_block,
};

static void
tmpl_exec_ops(tmpl_run *r, const GPtrArray *ops, const tmpl_indent *ind, const tmpl_arg *args)
{
	if (r->stop)
		return;
	if (r->depth >= TMPL_MAX_DEPTH && ops->len) {
		tmpl_fail(r, g_ptr_array_index(ops, 0), "templates nest deeper than %d levels",
			  TMPL_MAX_DEPTH);
		r->stop = true;
		return;
	}
	r->depth++;
	for (guint i = 0; i < ops->len && !r->stop; i++) {
		const tmpl_op *op = g_ptr_array_index(ops, i);
		if (++r->steps > TMPL_MAX_STEPS || r->out->len > TMPL_MAX_OUTPUT) {
			tmpl_fail(r, op, "rendering stopped here after %s (partials or sections "
				  "that repeat each other too often?)",
				  r->steps > TMPL_MAX_STEPS ? "20,000,000 steps" : "64 MiB of output");
			r->stop = true;
			break;
		}
		tmpl_exec[op->kind](r, op, ind, args);
	}
	r->depth--;
}

char *
tmpl_render(const tmpl *t, const val *data, const tmpl_opts *opts)
{
	static const tmpl_opts defaults;
	tmpl_run r = { .opts = opts ? opts : &defaults };

	r.out = g_string_new(NULL);
	r.stack = g_ptr_array_new();
	g_ptr_array_add(r.stack, (gpointer)data);
	r.partials = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   tmpl_partial_value_free);
	r.reported = g_hash_table_new(NULL, NULL);

	tmpl_exec_ops(&r, t->ops, NULL, NULL);

	g_hash_table_unref(r.reported);
	g_hash_table_unref(r.partials);
	g_ptr_array_unref(r.stack);
	if (r.failed) {
		g_string_free(r.out, TRUE);
		return NULL;
	}
	return g_string_free(r.out, FALSE);
}

char *
tmpl_render_string(const char *file, const char *text, const val *data, const tmpl_opts *opts)
{
	g_autoptr(tmpl) t = tmpl_parse(file, text);

	return t ? tmpl_render(t, data, opts) : NULL;
}

/* ------------------------------------------------------------- loader */

static gint
cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
tmpl_dir_names(const char *dir, const char *ext, bool cut)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autoptr(GPtrArray) files = searchpath_list(dir, ext);	/* every folder of the list */
	for (guint i = 0; i < files->len; i++) {
		const char *n = files->pdata[i];
		g_ptr_array_add(names, cut ? g_strndup(n, strlen(n) - strlen(ext)) : g_strdup(n));
	}
	g_ptr_array_sort(names, cmp_names);
	g_ptr_array_add(names, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

char *
tmpl_load_dir(void *ud, const char *name, char **file_out)
{
	const char *dir = ud;
	g_auto(GStrv) parts = g_strsplit(name, "/", -1);

	if (!*name || g_path_is_absolute(name))
		return NULL;
	for (int i = 0; parts[i]; i++)
		if (!strcmp(parts[i], ".."))
			return NULL;

	g_autofree char *with_ext = g_strconcat(name, ".mustache", NULL);
	const char *tries[] = { with_ext, name };
	for (size_t i = 0; i < G_N_ELEMENTS(tries); i++) {
		g_autofree char *path = g_build_filename(dir, tries[i], NULL);
		g_autofree char *why = NULL;
		char *text = NULL;

		if (!file_exists(path))
			continue;
		if (!file_read(path, FILE_MAX_CONTENT, &text, NULL, &why)) {
			diag(DIAG_ERROR, path, 0, 0, "%s", why);
			return NULL;
		}
		*file_out = g_steal_pointer(&path);
		return text;
	}
	return NULL;
}

/* pdf_file.c - a PDF as Cairo 1.16 writes it, read into objects, changed
 * and written again with object streams (typeset stage; pdf_file.h).
 *
 * Why not libqpdf: it did this job first, but its object model made the
 * finishing step cost a third of the time of typesetting a document
 * (bench/README.md, issue 23): ~75 ms of a 250 ms document went on
 * parsing, copying and freeing every object of the file in C++.  The
 * finishing step needs much less: one revision in the shape Cairo writes,
 * a few dictionaries changed, every object written once.  The tests check
 * what this writes with qpdf and poppler (tests/e2e/tags.sh, pdf.sh).
 */
#include <string.h>
#include <zlib.h>

#include "typeset/pdf_file.h"

enum { NOT_READ, READING, READ, BROKEN };

typedef struct {
	gsize offset;		/* of "N 0 obj" in the input; 0: none there */
	pdf_val *v;		/* the object; a stream's dictionary */
	const guchar *data;	/* a stream's bytes as stored */
	gsize len;
	guint8 state;
	gboolean stream;
	gboolean compress;	/* new data, to deflate when written */
} object;

#define ARENA_BLOCK (64 * 1024)
#define MAX_DEPTH 64		/* nesting of arrays and dictionaries */
#define OBJSTM_SIZE 100		/* objects per object stream */

struct pdf_file {
	const guchar *s;
	gsize n;
	GArray *objects;	/* object, by number; 0 is never used */
	pdf_val *trailer;
	const char *error;
	GSList *blocks;		/* the arena values live in */
	guchar *at;
	gsize left;
};

/* ---- memory ------------------------------------------------------------- */

static void *
alloc(pdf_file *f, gsize size)
{
	size = (size + 7) & ~(gsize)7;
	if (size > f->left) {
		gsize block = MAX(size, ARENA_BLOCK);
		f->at = g_malloc(block);
		f->blocks = g_slist_prepend(f->blocks, f->at);
		f->left = block;
	}
	void *p = f->at;
	f->at += size;
	f->left -= size;
	return p;
}

static pdf_val *
new_val(pdf_file *f, pdf_kind kind)
{
	pdf_val *v = alloc(f, sizeof *v);
	*v = (pdf_val){ .kind = kind };
	return v;
}

static void
push(pdf_file *f, pdf_val *v, pdf_val *item)
{
	if (v->n == v->cap) {
		guint32 cap = v->cap ? v->cap * 2 : 8;
		pdf_val **items = alloc(f, cap * sizeof *items);
		if (v->n)
			memcpy(items, v->items, v->n * sizeof *items);
		v->items = items;
		v->cap = cap;
	}
	v->items[v->n++] = item;
}

static object *
obj(pdf_file *f, guint32 num)
{
	return num > 0 && num < f->objects->len ? &g_array_index(f->objects, object, num) : NULL;
}

/* ---- tokens --------------------------------------------------------------- */

/* ISO 32000-1, 7.2.2: white space and delimiters, by byte. */
enum { SPACE = 1, DELIM = 2 };
static const guint8 char_class[256] = {
	[0] = SPACE, ['\t'] = SPACE, ['\n'] = SPACE, ['\f'] = SPACE, ['\r'] = SPACE, [' '] = SPACE,
	['('] = DELIM, [')'] = DELIM, ['<'] = DELIM, ['>'] = DELIM, ['['] = DELIM, [']'] = DELIM,
	['{'] = DELIM, ['}'] = DELIM, ['/'] = DELIM, ['%'] = DELIM,
};

gboolean
pdf_is_space(guchar c)
{
	return char_class[c] == SPACE;
}

gboolean
pdf_is_delim(guchar c)
{
	return char_class[c] == DELIM;
}

gboolean
pdf_next_token(const guchar *s, gsize n, gsize *pos, gsize *start, gsize *end,
	       gboolean *keyword)
{
	gsize p = *pos;

	for (;;) {
		while (p < n && char_class[s[p]] == SPACE)
			p++;
		if (p >= n || s[p] != '%')
			break;
		while (p < n && s[p] != '\n' && s[p] != '\r')
			p++;
	}
	if (p >= n) {
		*pos = n;
		return FALSE;
	}
	*start = p;
	*keyword = FALSE;
	guchar c = s[p];
	if (c == '(') {			/* a string: nested parentheses, escapes */
		int depth = 0;
		for (; p < n; p++) {
			if (s[p] == '\\')
				p++;
			else if (s[p] == '(')
				depth++;
			else if (s[p] == ')' && --depth == 0)
				break;
		}
		p = MIN(p + 1, n);
	} else if ((c == '<' || c == '>') && p + 1 < n && s[p + 1] == c) {
		p += 2;			/* a dictionary's edge */
	} else if (c == '<') {		/* a hex string */
		while (p < n && s[p] != '>')
			p++;
		p = MIN(p + 1, n);
	} else if (c == '/') {
		for (p++; p < n && !char_class[s[p]]; p++)
			;
	} else if (pdf_is_delim(c)) {
		p++;			/* [ ] { } or a stray ) > */
	} else {
		while (p < n && !char_class[s[p]])
			p++;
		gsize len = p - *start;
		const char *w = (const char *)s + *start;
		*keyword = (g_ascii_isalpha(c) || c == '\'' || c == '"') &&
			!(len == 4 && (!memcmp(w, "true", 4) || !memcmp(w, "null", 4))) &&
			!(len == 5 && !memcmp(w, "false", 5));
	}
	*end = p;
	*pos = p;
	return TRUE;
}

/* ---- reading -------------------------------------------------------------- */

typedef struct {
	pdf_file *f;
	const guchar *s;
	gsize n, pos;
} reader;

typedef struct {
	gsize a, b;
	gboolean kw;
} token;

static gboolean
next(reader *r, token *t)
{
	return pdf_next_token(r->s, r->n, &r->pos, &t->a, &t->b, &t->kw);
}

static gboolean
tok_is(const reader *r, const token *t, const char *text)
{
	gsize len = strlen(text);
	return t->b - t->a == len && memcmp(r->s + t->a, text, len) == 0;
}

/* An unsigned integer token: TRUE with its value. */
static gboolean
tok_uint(const reader *r, const token *t, guint64 *out)
{
	guint64 v = 0;

	if (t->b == t->a || t->b - t->a > 18)
		return FALSE;
	for (gsize i = t->a; i < t->b; i++) {
		if (!g_ascii_isdigit(r->s[i]))
			return FALSE;
		v = v * 10 + (guint64)(r->s[i] - '0');
	}
	*out = v;
	return TRUE;
}

static pdf_val *
fail(pdf_file *f, const char *why)
{
	if (!f->error)
		f->error = why;
	return NULL;
}

/* The value that begins with token `t`. */
static pdf_val *
value(reader *r, const token *t, int depth)
{
	pdf_file *f = r->f;
	token u;

	if (depth > MAX_DEPTH)
		return fail(f, "its objects nest too deeply");
	if (tok_is(r, t, "<<") || tok_is(r, t, "[")) {
		gboolean dict = r->s[t->a] == '<';
		pdf_val *v = new_val(f, dict ? PDF_DICT : PDF_ARRAY);
		for (;;) {
			if (!next(r, &u))
				return fail(f, "a dictionary or array does not end");
			if (tok_is(r, &u, dict ? ">>" : "]"))
				return v;
			if (dict && r->s[u.a] != '/')
				return fail(f, "a dictionary key is not a name");
			pdf_val *item = value(r, &u, depth + 1);
			if (!item)
				return NULL;
			push(f, v, item);
			if (dict) {
				if (!next(r, &u))
					return fail(f, "a dictionary does not end");
				if (!(item = value(r, &u, depth + 1)))
					return NULL;
				push(f, v, item);
			}
		}
	}
	if (t->kw || tok_is(r, t, ">>") || tok_is(r, t, "]") || tok_is(r, t, ")") ||
	    tok_is(r, t, ">") || tok_is(r, t, "{") || tok_is(r, t, "}"))
		return fail(f, "an object holds what is no value");
	guint64 num, gen;
	if (tok_uint(r, t, &num)) {	/* "N G R"? */
		gsize back = r->pos;
		token g, R;
		if (next(r, &g) && tok_uint(r, &g, &gen) && next(r, &R) && tok_is(r, &R, "R")) {
			if (gen != 0 || num >= G_MAXUINT32)
				return fail(f, "an object reference is not to a generation-0 object");
			pdf_val *v = new_val(f, PDF_REF);
			v->n = (guint32)num;
			return v;
		}
		r->pos = back;
	}
	pdf_val *v = new_val(f, PDF_ATOM);
	v->s = (const char *)r->s + t->a;
	v->len = t->b - t->a;
	return v;
}

/* Object `num`, parsed on first use. */
static pdf_val *
load(pdf_file *f, guint32 num)
{
	object *o = obj(f, num);

	if (!o)
		return NULL;
	if (o->state == READ)
		return o->v;
	if (o->state != NOT_READ || o->offset == 0)
		return o->state == NOT_READ ? NULL :
			fail(f, "an object is broken, or its length is itself");
	o->state = READING;
	reader r = { f, f->s, f->n, o->offset };
	token t;
	guint64 a, b;
	if (!next(&r, &t) || !tok_uint(&r, &t, &a) || a != num || !next(&r, &t) ||
	    !tok_uint(&r, &t, &b) || b != 0 || !next(&r, &t) || !tok_is(&r, &t, "obj") ||
	    !next(&r, &t))
		goto broken;
	pdf_val *v = value(&r, &t, 0);
	if (!v || !next(&r, &t))
		goto broken;
	if (tok_is(&r, &t, "stream")) {
		gsize at = r.pos;
		if (at < f->n && f->s[at] == '\r')
			at++;
		if (at >= f->n || f->s[at] != '\n' || v->kind != PDF_DICT)
			goto broken;
		at++;
		gint64 len;
		pdf_val *l = pdf_get_direct(v, "/Length");
		if (l && l->kind == PDF_REF)
			l = load(f, l->n);
		if (!pdf_int_value(l, &len) || len < 0 || (guint64)len > f->n - at)
			goto broken;
		r.pos = at + (gsize)len;
		if (!next(&r, &t) || !tok_is(&r, &t, "endstream"))
			goto broken;
		o->stream = TRUE;
		o->data = f->s + at;
		o->len = (gsize)len;
	} else if (!tok_is(&r, &t, "endobj")) {
		goto broken;
	}
	o = obj(f, num);
	o->v = v;
	o->state = READ;
	return v;
broken:
	o = obj(f, num);
	o->state = BROKEN;
	return fail(f, "an object is not as Cairo writes one");
}

/* The cross-reference table and the trailer at `at`. */
static gboolean
read_xref(pdf_file *f, gsize at)
{
	reader r = { f, f->s, f->n, at };
	token t, u;
	guint64 first, count, off, gen;

	if (!next(&r, &t) || !tok_is(&r, &t, "xref"))
		return fail(f, "it has no cross-reference table where it says"), FALSE;
	for (;;) {
		if (!next(&r, &t))
			return fail(f, "its cross-reference table does not end"), FALSE;
		if (tok_is(&r, &t, "trailer"))
			break;
		if (!tok_uint(&r, &t, &first) || !next(&r, &u) || !tok_uint(&r, &u, &count) ||
		    first + count > 8 * 1024 * 1024)
			return fail(f, "its cross-reference table is broken"), FALSE;
		if (f->objects->len < first + count)
			g_array_set_size(f->objects, (guint)(first + count));
		for (guint64 i = 0; i < count; i++) {
			token o, g, k;
			if (!next(&r, &o) || !tok_uint(&r, &o, &off) || !next(&r, &g) ||
			    !tok_uint(&r, &g, &gen) || !next(&r, &k))
				return fail(f, "its cross-reference table is broken"), FALSE;
			if (tok_is(&r, &k, "n")) {
				if (gen != 0 || off >= f->n)
					return fail(f, "its cross-reference table is broken"), FALSE;
				g_array_index(f->objects, object, first + i).offset = (gsize)off;
			}
		}
	}
	if (!next(&r, &t) || !(f->trailer = value(&r, &t, 0)) || f->trailer->kind != PDF_DICT)
		return fail(f, "its trailer is broken"), FALSE;
	if (pdf_get_direct(f->trailer, "/Prev") || pdf_get_direct(f->trailer, "/Encrypt"))
		return fail(f, "it has more than one revision, or is encrypted"), FALSE;
	return TRUE;
}

pdf_file *
pdf_file_read(const guchar *data, gsize len, const char **why)
{
	pdf_file *f = g_new0(pdf_file, 1);
	static const char startxref[] = "startxref";

	f->s = data;
	f->n = len;
	f->objects = g_array_sized_new(FALSE, TRUE, sizeof(object), 256);
	g_array_set_size(f->objects, 1);
	/* The last "startxref", searched byte by byte (the tail may hold a
	 * NUL, which would stop a string search). */
	const char *sx = NULL;
	gsize sl = strlen(startxref);
	for (gsize i = len >= sl ? len - sl + 1 : 0; !sx && i-- > (len > 1024 ? len - 1024 : 0);)
		if (memcmp(data + i, startxref, sl) == 0)
			sx = (const char *)data + i;
	gsize at = 0;
	if (len < 8 || memcmp(data, "%PDF-", 5) != 0 || !sx) {
		fail(f, "it is not a PDF");
	} else {
		reader r = { f, data, len, (gsize)(sx - (const char *)data) + strlen(startxref) };
		token t;
		guint64 off;
		if (!next(&r, &t) || !tok_uint(&r, &t, &off) || off >= len)
			fail(f, "its startxref is broken");
		else
			at = (gsize)off;
	}
	if (f->error || !read_xref(f, at)) {
		*why = f->error;
		pdf_file_free(f);
		return NULL;
	}
	return f;
}

void
pdf_file_free(pdf_file *f)
{
	if (!f)
		return;
	g_array_free(f->objects, TRUE);
	g_slist_free_full(f->blocks, g_free);
	g_free(f);
}

const char *
pdf_file_error(const pdf_file *f)
{
	return f->error;
}

pdf_val *
pdf_file_trailer(pdf_file *f)
{
	return f->trailer;
}

/* ---- values --------------------------------------------------------------- */

pdf_val *
pdf_resolve(pdf_file *f, pdf_val *v)
{
	return v && v->kind == PDF_REF ? load(f, v->n) : v;
}

static gboolean
atom_is(const pdf_val *v, const char *text)
{
	gsize len = strlen(text);
	return v && v->kind == PDF_ATOM && v->len == len && memcmp(v->s, text, len) == 0;
}

pdf_val *
pdf_get_direct(pdf_val *dict, const char *key)
{
	if (!dict || dict->kind != PDF_DICT)
		return NULL;
	for (guint32 i = 0; i + 1 < dict->n; i += 2)
		if (atom_is(dict->items[i], key))
			return dict->items[i + 1];
	return NULL;
}

pdf_val *
pdf_get(pdf_file *f, pdf_val *dict, const char *key)
{
	return pdf_resolve(f, pdf_get_direct(dict, key));
}

void
pdf_set(pdf_file *f, pdf_val *dict, const char *key, pdf_val *v)
{
	for (guint32 i = 0; i + 1 < dict->n; i += 2)
		if (atom_is(dict->items[i], key)) {
			dict->items[i + 1] = v;
			return;
		}
	push(f, dict, pdf_new_atom(f, key));
	push(f, dict, v);
}

gboolean
pdf_is_name(const pdf_val *v, const char *name)
{
	return atom_is(v, name);
}

gboolean
pdf_int_value(const pdf_val *v, gint64 *out)
{
	if (!v || v->kind != PDF_ATOM || v->len == 0 || v->len > 18)
		return FALSE;
	gint64 x = 0;
	gsize i = v->s[0] == '-' || v->s[0] == '+';
	if (i == v->len)
		return FALSE;
	for (; i < v->len; i++) {
		if (!g_ascii_isdigit(v->s[i]))
			return FALSE;
		x = x * 10 + (v->s[i] - '0');
	}
	*out = v->s[0] == '-' ? -x : x;
	return TRUE;
}

/* A string's bytes: a literal's escapes undone, a hex string read. */
static GByteArray *
string_bytes(const pdf_val *v)
{
	GByteArray *b = g_byte_array_sized_new((guint)v->len);
	const char *s = v->s;
	gsize n = v->len;

	if (s[0] == '<') {
		int hi = -1;
		for (gsize i = 1; i < n && s[i] != '>'; i++) {
			int d = g_ascii_xdigit_value(s[i]);
			if (d < 0)
				continue;
			if (hi < 0) {
				hi = d;
			} else {
				guint8 c = (guint8)(hi << 4 | d);
				g_byte_array_append(b, &c, 1);
				hi = -1;
			}
		}
		if (hi >= 0) {
			guint8 c = (guint8)(hi << 4);
			g_byte_array_append(b, &c, 1);
		}
		return b;
	}
	for (gsize i = 1; i + 1 < n; i++) {	/* inside ( ) */
		guint8 c = (guint8)s[i];
		if (c == '\\' && i + 2 < n) {
			c = (guint8)s[++i];
			switch (c) {
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case '\r':
				if (i + 2 < n && s[i + 1] == '\n')
					i++;
				continue;
			case '\n':
				continue;
			default:
				if (c >= '0' && c <= '7') {
					int o = c - '0';
					for (int k = 0; k < 2 && i + 2 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
						o = o * 8 + (s[++i] - '0');
					c = (guint8)o;
				}
			}
		}
		g_byte_array_append(b, &c, 1);
	}
	return b;
}

char *
pdf_text_value(const pdf_val *v)
{
	if (!v || v->kind != PDF_ATOM || v->len < 2 || (v->s[0] != '(' && v->s[0] != '<'))
		return NULL;
	g_autoptr(GByteArray) b = string_bytes(v);
	if (b->len >= 2 && b->data[0] == 0xFE && b->data[1] == 0xFF) {
		guint n = (b->len - 2) / 2;
		g_autofree gunichar2 *u = g_new(gunichar2, n + 1);
		for (guint i = 0; i < n; i++)
			u[i] = (gunichar2)(b->data[2 + 2 * i] << 8 | b->data[3 + 2 * i]);
		char *s = g_utf16_to_utf8(u, n, NULL, NULL, NULL);
		return s ? s : g_strdup("");
	}
	GString *s = g_string_sized_new(b->len);	/* PDFDocEncoding, read as Latin-1 */
	for (guint i = 0; i < b->len; i++)
		g_string_append_unichar(s, b->data[i]);
	return g_string_free(s, FALSE);
}

pdf_val *
pdf_new_atom(pdf_file *f, const char *text)
{
	pdf_val *v = new_val(f, PDF_ATOM);
	gsize len = strlen(text);
	char *s = alloc(f, len + 1);

	memcpy(s, text, len + 1);
	v->s = s;
	v->len = len;
	return v;
}

pdf_val *
pdf_new_int(pdf_file *f, gint64 i)
{
	char buf[24];

	g_snprintf(buf, sizeof buf, "%" G_GINT64_FORMAT, i);
	return pdf_new_atom(f, buf);
}

pdf_val *
pdf_new_text(pdf_file *f, const char *utf8)
{
	gboolean ascii = TRUE;

	for (const char *p = utf8; *p && ascii; p++)
		ascii = *p >= 0x20 && *p < 0x7f;
	GString *s = g_string_new(ascii ? "(" : "<FEFF");
	if (ascii) {
		for (const char *p = utf8; *p; p++) {
			if (*p == '(' || *p == ')' || *p == '\\')
				g_string_append_c(s, '\\');
			g_string_append_c(s, *p);
		}
		g_string_append_c(s, ')');
	} else {
		glong n = 0;
		g_autofree gunichar2 *u = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);
		for (glong i = 0; u && i < n; i++)
			g_string_append_printf(s, "%04X", u[i]);
		g_string_append_c(s, '>');
	}
	pdf_val *v = pdf_new_atom(f, s->str);
	g_string_free(s, TRUE);
	return v;
}

pdf_val *
pdf_new_array(pdf_file *f)
{
	return new_val(f, PDF_ARRAY);
}

pdf_val *
pdf_new_dict(pdf_file *f)
{
	return new_val(f, PDF_DICT);
}

pdf_val *
pdf_new_ref(pdf_file *f, guint32 num)
{
	pdf_val *v = new_val(f, PDF_REF);
	v->n = num;
	return v;
}

void
pdf_append(pdf_file *f, pdf_val *array, pdf_val *v)
{
	push(f, array, v);
}

pdf_val *
pdf_parse(pdf_file *f, const char *text)
{
	gsize len = strlen(text);
	char *copy = alloc(f, len + 1);
	memcpy(copy, text, len + 1);
	reader r = { f, (const guchar *)copy, len, 0 };
	token t;

	return next(&r, &t) ? value(&r, &t, 0) : NULL;
}

guint32
pdf_ref_num(const pdf_val *v)
{
	return v && v->kind == PDF_REF ? v->n : 0;
}

guint32
pdf_add_object(pdf_file *f, pdf_val *v)
{
	object o = { .v = v, .state = READ };

	g_array_append_val(f->objects, o);
	return f->objects->len - 1;
}

guint32
pdf_add_stream(pdf_file *f, pdf_val *dict, const void *data, gsize len, gboolean compress)
{
	guchar *copy = alloc(f, len ? len : 1);
	object o = { .v = dict, .state = READ, .stream = TRUE, .data = copy, .len = len,
		     .compress = compress };

	memcpy(copy, data, len);
	g_array_append_val(f->objects, o);
	return f->objects->len - 1;
}

gboolean
pdf_stream_raw(pdf_file *f, const pdf_val *v, const guchar **data, gsize *len)
{
	guint32 num = pdf_ref_num(v);

	if (!load(f, num) || !obj(f, num)->stream)
		return FALSE;
	*data = obj(f, num)->data;
	*len = obj(f, num)->len;
	return TRUE;
}

GBytes *
pdf_stream_decoded(pdf_file *f, const pdf_val *v)
{
	const guchar *data;
	gsize len;

	if (!pdf_stream_raw(f, v, &data, &len))
		return fail(f, "a stream is missing"), NULL;
	pdf_val *dict = obj(f, v->n)->v;
	pdf_val *filter = pdf_get(f, dict, "/Filter");
	if (filter && filter->kind == PDF_ARRAY && filter->n == 1)
		filter = pdf_resolve(f, filter->items[0]);
	if (!filter && !obj(f, v->n)->compress)
		return g_bytes_new(data, len);
	if (!obj(f, v->n)->compress && (!pdf_is_name(filter, "/FlateDecode") ||
					pdf_get(f, dict, "/DecodeParms")))
		return fail(f, "a stream has a filter other than /FlateDecode"), NULL;
	if (obj(f, v->n)->compress)
		return g_bytes_new(data, len);
	z_stream z = { 0 };
	if (inflateInit(&z) != Z_OK)
		return fail(f, "zlib cannot start"), NULL;
	GByteArray *out = g_byte_array_sized_new((guint)MIN(len * 4 + 64, G_MAXUINT32 / 2));
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	int rc = Z_OK;
	while (rc == Z_OK) {
		if (out->len > 512u * 1024 * 1024) {
			rc = Z_DATA_ERROR;
			break;
		}
		guint have = out->len;
		g_byte_array_set_size(out, have + MAX(len * 2, 16384));
		z.next_out = out->data + have;
		z.avail_out = out->len - have;
		rc = inflate(&z, Z_NO_FLUSH);
		g_byte_array_set_size(out, out->len - z.avail_out);
		if (rc == Z_BUF_ERROR && z.avail_in == 0)
			break;		/* no end mark: what there is */
		if (rc == Z_BUF_ERROR)
			rc = Z_OK;
	}
	inflateEnd(&z);
	if (rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
		g_byte_array_unref(out);
		return fail(f, "a stream does not inflate"), NULL;
	}
	return g_byte_array_free_to_bytes(out);
}

/* ---- writing -------------------------------------------------------------- */

typedef struct {
	pdf_file *f;
	guint32 *number;	/* old number -> new, 0: not written */
	GArray *order;		/* old numbers, in the new order */
} plan;

/* Give every object `v` refers to (directly or inside) a new number. */
static gboolean
reach(plan *p, pdf_val *v)
{
	switch (v->kind) {
	case PDF_ATOM:
		return TRUE;
	case PDF_REF:
		if (obj(p->f, v->n) && !p->number[v->n] && load(p->f, v->n)) {
			g_array_append_val(p->order, v->n);
			p->number[v->n] = p->order->len;
		}
		return !p->f->error;
	case PDF_ARRAY:
	case PDF_DICT:
		for (guint32 i = 0; i < v->n; i++)
			if (!reach(p, v->items[i]))
				return FALSE;
		return TRUE;
	}
	return TRUE;
}

/* What object `ob` refers to; a stream's /Length is written as a number. */
static gboolean
reach_object(plan *p, const object *ob)
{
	if (!ob->stream)
		return reach(p, ob->v);
	for (guint32 i = 0; i + 1 < ob->v->n; i += 2)
		if (!atom_is(ob->v->items[i], "/Length") && !reach(p, ob->v->items[i + 1]))
			return FALSE;
	return TRUE;
}

static void
put(GString *o, const plan *p, const pdf_val *v)
{
	switch (v->kind) {
	case PDF_ATOM:
		g_string_append_len(o, v->s, (gssize)v->len);
		break;
	case PDF_REF:
		if (obj(p->f, v->n) && p->number[v->n]) {
			char buf[16], *e = buf + sizeof buf, *d = e;
			guint32 x = p->number[v->n];
			do
				*--d = (char)('0' + x % 10);
			while ((x /= 10));
			g_string_append_len(o, d, e - d);
			g_string_append(o, " 0 R");
		} else
			g_string_append(o, "null");
		break;
	case PDF_ARRAY:
	case PDF_DICT:
		g_string_append(o, v->kind == PDF_DICT ? "<<" : "[");
		for (guint32 i = 0; i < v->n; i++) {
			if (i)
				g_string_append_c(o, ' ');
			put(o, p, v->items[i]);
		}
		g_string_append(o, v->kind == PDF_DICT ? ">>" : "]");
		break;
	}
}

static GBytes *
deflate_bytes(const void *data, gsize len)
{
	uLongf size = compressBound((uLong)len);
	guchar *buf = g_malloc(size);

	if (compress2(buf, &size, data, (uLong)len, Z_DEFAULT_COMPRESSION) != Z_OK) {
		g_free(buf);
		return NULL;
	}
	return g_bytes_new_take(buf, size);
}

/* "N 0 obj", a stream object's dictionary (with `extra` keys and the
 * length of `data`), its data, "endobj". */
static void
put_stream(GString *o, const plan *p, guint32 num, const pdf_val *dict, gboolean deflated,
	   const char *extra, const void *data, gsize len)
{
	g_string_append_printf(o, "%u 0 obj\n<<", num);
	for (guint32 i = 0; dict && i + 1 < dict->n; i += 2) {
		const pdf_val *k = dict->items[i];
		if (atom_is(k, "/Length") ||
		    (deflated && (atom_is(k, "/Filter") || atom_is(k, "/DecodeParms"))))
			continue;
		put(o, p, k);
		g_string_append_c(o, ' ');
		put(o, p, dict->items[i + 1]);
		g_string_append_c(o, ' ');
	}
	g_string_append_printf(o, "%s%s/Length %" G_GSIZE_FORMAT ">>\nstream\n",
			       deflated ? "/Filter /FlateDecode " : "", extra, len);
	g_string_append_len(o, data, (gssize)len);
	g_string_append(o, "\nendstream\nendobj\n");
}

/* Stream object `ob`, numbered `num`, deflated when it asks to be. */
static gboolean
put_object_stream(GString *o, const plan *p, guint32 num, const object *ob)
{
	/* A stream Cairo left as it is gets deflated, but XMP metadata,
	 * which PDF/A wants readable. */
	if (!ob->compress && (pdf_get_direct(ob->v, "/Filter") ||
			      pdf_is_name(pdf_get_direct(ob->v, "/Type"), "/Metadata"))) {
		put_stream(o, p, num, ob->v, FALSE, "", ob->data, ob->len);
		return TRUE;
	}
	g_autoptr(GBytes) z = deflate_bytes(ob->data, ob->len);
	if (!z)
		return FALSE;
	gsize zl;
	const void *zd = g_bytes_get_data(z, &zl);
	put_stream(o, p, num, ob->v, TRUE, "", zd, zl);
	return TRUE;
}

typedef struct {
	guint8 type;		/* 1: at an offset; 2: in an object stream */
	guint32 field;		/* the offset, or the object stream's number */
	guint16 index;		/* in the object stream */
} xref_entry;

static gboolean
put_objstm(GString *o, const plan *p, guint32 num, GString *head, GString *body, guint count)
{
	gsize first = head->len;
	g_string_append_len(head, body->str, (gssize)body->len);
	g_autoptr(GBytes) z = deflate_bytes(head->str, head->len);
	if (!z)
		return FALSE;
	char extra[64];
	g_snprintf(extra, sizeof extra, "/Type /ObjStm /N %u /First %" G_GSIZE_FORMAT " ",
		   count, first);
	gsize zl;
	const void *zd = g_bytes_get_data(z, &zl);
	put_stream(o, p, num, NULL, TRUE, extra, zd, zl);
	g_string_truncate(head, 0);
	g_string_truncate(body, 0);
	return TRUE;
}

/* The cross-reference stream, object `num`: 1 byte type, 4 bytes offset
 * or object stream, 2 bytes index; its /ID the digest of all before it;
 * then startxref. */
static gboolean
put_xref(GString *o, const plan *p, GArray *xref, guint32 num, const pdf_val *root,
	 const pdf_val *info)
{
	gsize at = o->len;
	g_array_index(xref, xref_entry, num) = (xref_entry){ 1, (guint32)at, 0 };
	g_autofree char *md5 = g_compute_checksum_for_data(G_CHECKSUM_MD5, (const guchar *)o->str, o->len);
	GByteArray *rows = g_byte_array_sized_new(7 * xref->len);
	for (guint i = 0; i < xref->len; i++) {
		const xref_entry *e = &g_array_index(xref, xref_entry, i);
		guint16 idx = i == 0 ? 0xFFFF : e->index;
		guint8 row[7] = { e->type, (guint8)(e->field >> 24), (guint8)(e->field >> 16),
				  (guint8)(e->field >> 8), (guint8)e->field, (guint8)(idx >> 8), (guint8)idx };
		g_byte_array_append(rows, row, 7);
	}
	g_autoptr(GBytes) z = deflate_bytes(rows->data, rows->len);
	g_byte_array_unref(rows);
	if (!z)
		return FALSE;
	GString *extra = g_string_new(NULL);
	g_string_append_printf(extra, "/Type /XRef /Size %u /W [1 4 2] /Root ", num + 1);
	put(extra, p, root);
	if (info && p->number[pdf_ref_num(info)]) {
		g_string_append(extra, " /Info ");
		put(extra, p, info);
	}
	g_string_append_printf(extra, " /ID [<%s> <%s>] ", md5, md5);
	gsize zl;
	const void *zd = g_bytes_get_data(z, &zl);
	put_stream(o, p, num, NULL, TRUE, extra->str, zd, zl);
	g_string_free(extra, TRUE);
	g_string_append_printf(o, "startxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n", at);
	return TRUE;
}

GBytes *
pdf_file_write(pdf_file *f, const char *version, const char **why)
{
	plan p = { f, g_new0(guint32, f->objects->len), g_array_new(FALSE, FALSE, sizeof(guint32)) };
	GString *o = g_string_sized_new(f->n);
	GString *head = g_string_new(NULL), *body = g_string_new(NULL);
	GArray *xref = g_array_new(FALSE, TRUE, sizeof(xref_entry));
	GBytes *result = NULL;

	*why = NULL;
	/* Number what the trailer reaches, in the order it is reached. */
	pdf_val *root = pdf_get_direct(f->trailer, "/Root"), *info = pdf_get_direct(f->trailer, "/Info");
	if (!root || root->kind != PDF_REF || !reach(&p, root) || (info && !reach(&p, info)))
		goto out;
	for (guint i = 0; i < p.order->len; i++)
		if (!reach_object(&p, obj(f, g_array_index(p.order, guint32, i))))
			goto out;
	guint32 count = p.order->len;
	guint32 n_streams = 0;
	for (guint i = 0; i < count; i++)
		n_streams += obj(f, g_array_index(p.order, guint32, i))->stream;
	guint32 n_objstm = (count - n_streams + OBJSTM_SIZE - 1) / OBJSTM_SIZE;
	guint32 xref_num = count + n_objstm + 1;
	g_array_set_size(xref, xref_num + 1);

	g_string_append_printf(o, "%%PDF-%s\n%%\xBF\xF7\xA2\xFE\n", version);
	guint32 objstm = count, in_stm = 0;
	for (guint i = 0; i < count; i++) {
		object *ob = obj(f, g_array_index(p.order, guint32, i));
		guint32 num = i + 1;
		if (ob->stream) {
			g_array_index(xref, xref_entry, num) = (xref_entry){ 1, (guint32)o->len, 0 };
			if (!put_object_stream(o, &p, num, ob))
				goto out;
			continue;
		}
		if (in_stm == 0)
			objstm++;
		g_string_append_printf(head, "%u %" G_GSIZE_FORMAT " ", num, body->len);
		put(body, &p, ob->v);
		g_string_append_c(body, '\n');
		g_array_index(xref, xref_entry, num) = (xref_entry){ 2, objstm, (guint16)in_stm };
		if (++in_stm == OBJSTM_SIZE) {
			g_array_index(xref, xref_entry, objstm) = (xref_entry){ 1, (guint32)o->len, 0 };
			if (!put_objstm(o, &p, objstm, head, body, in_stm))
				goto out;
			in_stm = 0;
		}
	}
	if (in_stm) {
		g_array_index(xref, xref_entry, objstm) = (xref_entry){ 1, (guint32)o->len, 0 };
		if (!put_objstm(o, &p, objstm, head, body, in_stm))
			goto out;
	}
	if (o->len > G_MAXUINT32 - 1024) {
		f->error = "it is larger than 4 GB";
		goto out;
	}

	if (!put_xref(o, &p, xref, xref_num, root, info))
		goto out;
	result = g_string_free_to_bytes(o);
	o = NULL;
out:
	if (!result && !f->error)
		f->error = "it cannot be written";
	*why = result ? NULL : f->error;
	if (o)
		g_string_free(o, TRUE);
	g_string_free(head, TRUE);
	g_string_free(body, TRUE);
	g_array_free(xref, TRUE);
	g_array_free(p.order, TRUE);
	g_free(p.number);
	return result;
}

/* pdf_finish.c - the finishing step of a PDF: what Cairo 1.16 cannot write
 * into a tagged PDF, written with libqpdf into the file Cairo made (typeset
 * stage, after the device; pdf_finish.h).
 *
 * Cairo 1.16 writes a structure tree, but no attribute of an element, no
 * artifact, no /Lang, no XMP metadata, no output intent and no /ID
 * (docs/typesetting.md, "PDF/UA-1 and PDF/A-2").  This file reads the
 * finished file with libqpdf's C API and adds them:
 *
 * - the catalog: /Lang, /ViewerPreferences /DisplayDocTitle, XMP metadata
 *   (title, author, subject, dates, producer; pdfuaid:part 1, pdfaid:part 2
 *   conformance A, with the extension schema PDF/A asks for pdfuaid), an
 *   sRGB output intent (the ICC profile of Debian's icc-profiles-free,
 *   compiled in by the Makefile);
 * - the structure tree: /Alt on each Figure, /Scope /Column on each TH,
 *   a table's rows in THead and TBody, an /ID on each Note, /Contents on
 *   each link annotation
 *   from the element the device said it began; the device's list of
 *   elements must match Cairo's tree one for one, type for type;
 * - the pages: content outside any tagged element (running header, footer,
 *   page numbers, the draft band, a repeated table header, rules and
 *   grounds) marked as /Artifact; /Tabs /S and /F 4 (print) on the
 *   annotations of a page;
 * - size: an image painted twice is stored once, the objects go into
 *   compressed object streams.
 *
 * qpdf's writer gives the trailer an /ID made from the file's digest, so
 * the same input gives the same bytes.  libqpdf is opened on first use
 * (lazylib.c): linking it made every command start slower.
 */
#include <string.h>

#include "base/diag.h"
#include "typeset/lazylib.h"
#include "typeset/pdf_finish.h"

#include "srgb_icc.h"	/* srgb_icc[]: made by the Makefile */

typedef struct {
	char role[12];		/* "P", "H2", "Link" */
	char *alt;		/* Figure: /Alt */
	char *contents;		/* Link: its annotation's /Contents */
} finish_tag;

struct pdf_finish_job {
	GBytes *pdf;		/* as Cairo wrote it */
	GArray *tags;		/* finish_tag, in the order they were begun */
	char *title, *author, *subject, *lang;
	gint64 date;
};

pdf_finish_job *
pdf_finish_new(const typeset_meta *meta, const char *title)
{
	pdf_finish_job *job = g_new0(pdf_finish_job, 1);

	job->tags = g_array_new(FALSE, FALSE, sizeof(finish_tag));
	job->title = g_strdup(title ? title : "");
	job->author = g_strdup(meta->author);
	job->subject = g_strdup(meta->subject);
	/* The typesetter reads text as English unless told (document.c). */
	job->lang = g_strdup(meta->language && *meta->language ? meta->language : "en");
	job->date = meta->date;
	return job;
}

void
pdf_finish_tag(pdf_finish_job *job, const char *role, const char *alt,
	       const char *contents)
{
	finish_tag t = { .alt = g_strdup(alt), .contents = g_strdup(contents) };

	g_strlcpy(t.role, role, sizeof t.role);
	g_array_append_val(job->tags, t);
}

void
pdf_finish_set_pdf(pdf_finish_job *job, GBytes *pdf)
{
	if (job->pdf)
		g_bytes_unref(job->pdf);
	job->pdf = pdf;
}

void
pdf_finish_free(pdf_finish_job *job)
{
	if (!job)
		return;
	for (guint i = 0; i < job->tags->len; i++) {
		finish_tag *t = &g_array_index(job->tags, finish_tag, i);
		g_free(t->alt);
		g_free(t->contents);
	}
	g_array_free(job->tags, TRUE);
	if (job->pdf)
		g_bytes_unref(job->pdf);
	g_free(job->title);
	g_free(job->author);
	g_free(job->subject);
	g_free(job->lang);
	g_free(job);
}

/* ---- artifacts in a content stream ------------------------------------ */

/* Content that no tagged marked-content sequence (one with an /MCID)
 * holds is marked as an artifact: "/Artifact BMC ... EMC" around each run
 * of it.  A run starts at the first operand of an operator that paints
 * (a path's first m or re, sh, Do, an inline image, text shown) and ends
 * before a tagged sequence begins, and where the run would otherwise cross
 * a text object's or a saved graphics state's edge (BT, ET, q, Q), so the
 * sequences nest in both.  Marked content without an /MCID (Cairo's
 * ActualText spans) is no element: outside a tagged sequence it goes into
 * the artifact too. */

static gboolean
is_space(guchar c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static gboolean
is_delim(guchar c)
{
	return c && strchr("()<>[]{}/%", c);
}

typedef struct {
	const guchar *s;
	gsize n, pos;
} lexer;

/* The next token at or after lx->pos (PDF 32000-1, 7.2): TRUE with its
 * bytes [*start, *end) and whether it is an operator; FALSE at the end. */
static gboolean
next_token(lexer *lx, gsize *start, gsize *end, gboolean *op)
{
	const guchar *s = lx->s;
	gsize n = lx->n, p = lx->pos;

	for (;;) {
		while (p < n && is_space(s[p]))
			p++;
		if (p >= n || s[p] != '%')
			break;
		while (p < n && s[p] != '\n' && s[p] != '\r')
			p++;
	}
	if (p >= n) {
		lx->pos = n;
		return FALSE;
	}
	*start = p;
	*op = FALSE;
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
		for (p++; p < n && !is_space(s[p]) && !is_delim(s[p]); p++)
			;
	} else if (is_delim(c)) {
		p++;			/* [ ] { } or a stray ) > */
	} else {
		while (p < n && !is_space(s[p]) && !is_delim(s[p]))
			p++;
		gsize len = p - *start;
		const char *w = (const char *)s + *start;
		*op = (g_ascii_isalpha(c) || c == '\'' || c == '"') &&
			!(len == 4 && (!memcmp(w, "true", 4) || !memcmp(w, "null", 4))) &&
			!(len == 5 && !memcmp(w, "false", 5));
	}
	*end = p;
	lx->pos = p;
	return TRUE;
}

/* After the ID of an inline image: past its data and EI. */
static void
skip_inline_image(lexer *lx)
{
	const guchar *s = lx->s;
	gsize p = lx->pos + 1;

	for (; p + 2 <= lx->n; p++)
		if (s[p] == 'E' && s[p + 1] == 'I' && is_space(s[p - 1]) &&
		    (p + 2 == lx->n || is_space(s[p + 2]) || is_delim(s[p + 2]))) {
			lx->pos = p + 2;
			return;
		}
	lx->pos = lx->n;
}

static gboolean
op_is(const guchar *w, gsize len, const char *name)
{
	return strlen(name) == len && memcmp(w, name, len) == 0;
}

/* Operators that paint, or begin something that does. */
static gboolean
paints(const guchar *w, gsize len, gboolean in_text)
{
	static const char *const always[] = { "m", "re", "sh", "Do", "BI" };
	static const char *const text[] = { "Tj", "TJ", "'", "\"" };

	for (size_t i = 0; i < G_N_ELEMENTS(always); i++)
		if (op_is(w, len, always[i]))
			return TRUE;
	for (size_t i = 0; in_text && i < G_N_ELEMENTS(text); i++)
		if (op_is(w, len, text[i]))
			return TRUE;
	return FALSE;
}

#define MC_MAX 64	/* nesting followed; deeper sequences count as untagged */

typedef struct {
	GString *out;
	const guchar *s;
	gsize copied;		/* input copied to out so far */
	int depth;		/* open marked-content sequences */
	guint64 tagged;		/* bit d: the sequence at depth d has an /MCID */
	int tagged_open;	/* how many of them do */
	gboolean in_text;
	int art;		/* 0, or the depth + 1 the open artifact began at */
	gboolean art_text;	/* it began inside a text object */
} marker;

static void
insert_at(marker *m, gsize at, const char *text)
{
	g_string_append_len(m->out, (const char *)m->s + m->copied, (gssize)(at - m->copied));
	g_string_append(m->out, text);
	m->copied = at;
}

/* The operator [w, w+len) whose operands begin at `at`. */
static void
mark_operator(marker *m, const guchar *w, gsize len, gsize at)
{
	gboolean begin = op_is(w, len, "BDC") || op_is(w, len, "BMC");
	gboolean tagged = begin && op_is(w, len, "BDC") &&
		g_strstr_len((const char *)m->s + at, (gssize)(w - m->s - at), "/MCID");
	gboolean edge = op_is(w, len, m->art_text ? "ET" : "BT") ||
		(!m->art_text && (op_is(w, len, "q") || op_is(w, len, "Q")));

	if (m->art && m->art == m->depth + 1 && (tagged || edge || op_is(w, len, "EMC"))) {
		insert_at(m, at, "EMC\n");
		m->art = 0;
	}
	if (begin) {
		if (!tagged && !m->tagged_open && !m->art) {
			insert_at(m, at, "/Artifact BMC\n");
			m->art = m->depth + 1;
			m->art_text = m->in_text;
		}
		if (m->depth < MC_MAX && tagged) {
			m->tagged |= G_GUINT64_CONSTANT(1) << m->depth;
			m->tagged_open++;
		}
		m->depth++;
	} else if (op_is(w, len, "EMC")) {
		if (m->depth > 0) {
			m->depth--;
			if (m->depth < MC_MAX && (m->tagged & G_GUINT64_CONSTANT(1) << m->depth)) {
				m->tagged &= ~(G_GUINT64_CONSTANT(1) << m->depth);
				m->tagged_open--;
			}
		}
	} else if (op_is(w, len, "BT")) {
		m->in_text = TRUE;
	} else if (op_is(w, len, "ET")) {
		m->in_text = FALSE;
	} else if (!m->tagged_open && !m->art && paints(w, len, m->in_text)) {
		insert_at(m, at, "/Artifact BMC\n");
		m->art = m->depth + 1;
		m->art_text = m->in_text;
	}
}

GBytes *
pdf_finish_mark_artifacts(const guchar *content, gsize len)
{
	marker m = { .out = g_string_sized_new(len + len / 8), .s = content };
	lexer lx = { content, len, 0 };
	gsize start, end, operands = G_MAXSIZE;
	gboolean op;

	while (next_token(&lx, &start, &end, &op)) {
		if (!op) {
			if (operands == G_MAXSIZE)
				operands = start;
			continue;
		}
		mark_operator(&m, content + start, end - start,
			      operands == G_MAXSIZE ? start : operands);
		operands = G_MAXSIZE;
		if (op_is(content + start, end - start, "ID"))
			skip_inline_image(&lx);
	}
	insert_at(&m, len, m.art ? "\nEMC\n" : "");
	return g_string_free_to_bytes(m.out);
}

/* ---- the file, through libqpdf ------------------------------------------ */

typedef struct {
	const lazy_qpdf *Q;
	qpdf_data q;
	qpdf_oh null;
} finish;

/* A key of a dictionary; null when `oh` is none (qpdf would warn). */
static qpdf_oh
get(const finish *f, qpdf_oh oh, const char *key)
{
	if (!f->Q->oh_is_dictionary(f->q, oh))
		return f->null;
	return f->Q->oh_get_key(f->q, oh, key);
}

static void
set(const finish *f, qpdf_oh oh, const char *key, qpdf_oh value)
{
	f->Q->oh_replace_key(f->q, oh, key, value);
}

static qpdf_oh
parse(const finish *f, const char *text)
{
	return f->Q->oh_parse(f->q, text);
}

/* The name `oh` is ("/Figure"), or "" when it is no name. */
static const char *
name_of(const finish *f, qpdf_oh oh)
{
	return f->Q->oh_is_name(f->q, oh) ? f->Q->oh_get_name(f->q, oh) : "";
}

/* A new stream of `len` bytes, compressed by the writer. */
static qpdf_oh
new_stream(const finish *f, const void *data, gsize len)
{
	qpdf_oh s = f->Q->oh_new_stream(f->q);
	f->Q->oh_replace_stream_data(f->q, s, data, len, f->null, f->null);
	return s;
}

/* One structure element as the walk found it. */
typedef struct {
	qpdf_oh oh;
	qpdf_oh kids;		/* its /K */
	int n_kids;		/* how many: elements, marked content, objects */
	int parent;		/* index of its parent element, -1 under the root */
	const char *role;	/* its /S without the slash: "P", "TH" */
} elem;

/* Every structure element under `k` (an element's /K: an array, or one
 * kid), in the tree's order; returns how many kids `k` holds.  One pass,
 * with as few calls into qpdf as it takes: each call makes a handle, and
 * a tree has thousands of elements (bench/README.md, issue 23). */
static int
collect(const finish *f, qpdf_oh k, int parent, GArray *out, GStringChunk *roles,
	int depth)
{
	const lazy_qpdf *Q = f->Q;
	enum qpdf_object_type_e type = Q->oh_get_type_code(f->q, k);
	int n = type == ot_array ? Q->oh_get_array_n_items(f->q, k) :
		type == ot_dictionary || type == ot_integer;

	for (int i = 0; i < n && depth < 256; i++) {
		qpdf_oh e = k;
		if (type == ot_array) {
			e = Q->oh_get_array_item(f->q, k, i);
			if (Q->oh_get_type_code(f->q, e) != ot_dictionary)
				continue;	/* a marked-content number */
		} else if (type != ot_dictionary) {
			continue;
		}
		qpdf_oh s = Q->oh_get_key(f->q, e, "/S");
		if (Q->oh_get_type_code(f->q, s) != ot_name)
			continue;	/* a marked-content or object reference */
		elem el = {
			.oh = e, .kids = Q->oh_get_key(f->q, e, "/K"), .parent = parent,
			.role = g_string_chunk_insert_const(roles, Q->oh_get_name(f->q, s) + 1),
		};
		g_array_append_val(out, el);
		guint at = out->len - 1;
		int nk = collect(f, el.kids, (int)at, out, roles, depth + 1);
		g_array_index(out, elem, at).n_kids = nk;
	}
	return n;
}

/* A link element's annotation gets its description. */
static void
link_contents(const finish *f, qpdf_oh k, const char *text)
{
	gboolean array = f->Q->oh_is_array(f->q, k);
	int n = array ? f->Q->oh_get_array_n_items(f->q, k) : 1;

	for (int i = 0; i < n; i++) {
		qpdf_oh r = array ? f->Q->oh_get_array_item(f->q, k, i) : k;
		if (strcmp(name_of(f, get(f, r, "/Type")), "/OBJR") == 0)
			set(f, get(f, r, "/Obj"), "/Contents",
			    f->Q->oh_new_unicode_string(f->q, text));
	}
}

/* Table `t`'s rows (its kids among `el`, which follow it in tree order)
 * in a THead (the header rows it starts with: rows of TH cells only) and
 * a TBody (the rest).  Left as it is when it holds anything but rows. */
static void
table_sections(const finish *f, const elem *el, guint n_el, guint t)
{
	g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(guint));
	guint head = 0;

	for (guint i = t + 1; i < n_el && el[i].parent >= (int)t; i++) {
		if (el[i].parent != (int)t)
			continue;
		if (strcmp(el[i].role, "TR") != 0)
			return;
		int th = 0;
		for (guint c = i + 1; c < n_el && el[c].parent >= (int)i; c++)
			th += el[c].parent == (int)i && strcmp(el[c].role, "TH") == 0;
		if (head == rows->len && el[i].n_kids > 0 && th == el[i].n_kids)
			head++;
		g_array_append_val(rows, i);
	}
	if ((int)rows->len != el[t].n_kids)
		return;		/* it holds marked content of its own */
	qpdf_oh sections = f->Q->oh_new_array(f->q);
	for (int s = 0; s < 2; s++) {
		guint from = s ? head : 0, to = s ? rows->len : head;
		if (from == to)
			continue;
		qpdf_oh sec = f->Q->make_indirect_object(f->q, parse(f, s ?
			"<< /Type /StructElem /S /TBody >>" : "<< /Type /StructElem /S /THead >>"));
		qpdf_oh kids = f->Q->oh_new_array(f->q);
		for (guint r = from; r < to; r++) {
			qpdf_oh tr = el[g_array_index(rows, guint, r)].oh;
			f->Q->oh_append_item(f->q, kids, tr);
			set(f, tr, "/P", sec);
		}
		set(f, sec, "/P", el[t].oh);
		set(f, sec, "/K", kids);
		f->Q->oh_append_item(f->q, sections, sec);
	}
	set(f, el[t].oh, "/K", sections);
}

/* The attributes the device said each element has.  -1 after a diag()
 * error when Cairo's tree is not the one the device began. */
static int
finish_structure(const finish *f, const pdf_finish_job *job, const char *name)
{
	qpdf_oh root = get(f, f->Q->get_root(f->q), "/StructTreeRoot");
	g_autoptr(GArray) elems = g_array_new(FALSE, FALSE, sizeof(elem));
	GStringChunk *roles = g_string_chunk_new(64);
	int rc = -1;

	collect(f, get(f, root, "/K"), -1, elems, roles, 0);
	const elem *el = (const elem *)(void *)elems->data;
	if (elems->len != job->tags->len) {
		diag(DIAG_ERROR, name, 0, 0, "cannot finish the PDF: its structure tree has %u "
		     "elements where %u were drawn", elems->len, job->tags->len);
		goto out;
	}
	for (guint i = 0; i < elems->len; i++) {
		const finish_tag *t = &g_array_index(job->tags, finish_tag, i);
		if (strcmp(el[i].role, t->role) != 0) {
			diag(DIAG_ERROR, name, 0, 0, "cannot finish the PDF: structure element %u is "
			     "/%s where %s was drawn", i + 1, el[i].role, t->role);
			goto out;
		}
		if (t->alt)
			set(f, el[i].oh, "/Alt", f->Q->oh_new_unicode_string(f->q, t->alt));
		if (strcmp(t->role, "TH") == 0)
			set(f, el[i].oh, "/A", parse(f, "<< /O /Table /Scope /Column >>"));
		if (t->contents)
			link_contents(f, el[i].kids, t->contents);
		/* A note is referred to by its ID (Matterhorn 19-003). */
		if (strcmp(t->role, "Note") == 0) {
			char id[32];
			g_snprintf(id, sizeof id, "note-%u", i + 1);
			set(f, el[i].oh, "/ID", f->Q->oh_new_string(f->q, id));
		}
	}
	for (guint i = 0; i < elems->len; i++)
		if (strcmp(el[i].role, "Table") == 0)
			table_sections(f, el, elems->len, i);
	rc = 0;
out:
	g_string_chunk_free(roles);
	return rc;
}

/* Each page's content with its artifacts marked; /Tabs /S and the print
 * flag on the pages and annotations that have links. */
static void
finish_pages(const finish *f)
{
	const lazy_qpdf *Q = f->Q;

	for (int p = 0, n = Q->get_num_pages(f->q); p < n; p++) {
		qpdf_oh page = Q->get_page_n(f->q, (size_t)p);
		unsigned char *buf = NULL;
		size_t len = 0;
		if (!(Q->oh_get_page_content_data(f->q, page, &buf, &len) & QPDF_ERRORS)) {
			g_autoptr(GBytes) marked = pdf_finish_mark_artifacts(buf, len);
			gsize ml;
			const void *md = g_bytes_get_data(marked, &ml);
			set(f, page, "/Contents", new_stream(f, md, ml));
		}
		free(buf);
		qpdf_oh annots = get(f, page, "/Annots");
		int na = Q->oh_is_array(f->q, annots) ? Q->oh_get_array_n_items(f->q, annots) : 0;
		if (na > 0)
			set(f, page, "/Tabs", Q->oh_new_name(f->q, "/S"));
		for (int i = 0; i < na; i++) {
			qpdf_oh a = Q->oh_get_array_item(f->q, annots, i);
			set(f, a, "/F", Q->oh_new_integer(f->q, 4));
			/* A link outside any Link element (none are drawn today)
			 * is described by its URI. */
			qpdf_oh uri = get(f, get(f, a, "/A"), "/URI");
			if (!Q->oh_has_key(f->q, a, "/Contents") && Q->oh_is_string(f->q, uri))
				set(f, a, "/Contents", Q->oh_new_unicode_string(f->q,
						 Q->oh_get_utf8_value(f->q, uri)));
		}
	}
}

/* ---- one copy of each image --------------------------------------------- */

/* Cairo stores a picture painted from two surfaces twice (the device
 * paints a copy where one page shows a picture twice: Cairo 1.16 lists a
 * surface painted twice on a page twice in its resources).  Images with
 * the same bytes and dictionary become one. */
typedef struct {
	const finish *f;
	GHashTable *by_key;	/* description → the image kept */
	GHashTable *seen;	/* object id of a form or image → its kept image */
} images;

/* The image kept for image `im` (itself the first time). */
static qpdf_oh
image_kept(images *ims, qpdf_oh im)
{
	const finish *f = ims->f;
	gpointer id = GINT_TO_POINTER(f->Q->oh_get_object_id(f->q, im));
	gpointer kept = g_hash_table_lookup(ims->seen, id);

	if (kept)
		return GPOINTER_TO_UINT(kept);
	unsigned char *buf = NULL;
	size_t len = 0;
	QPDF_BOOL filtered = QPDF_FALSE;
	f->Q->oh_get_stream_data(f->q, im, qpdf_dl_none, &filtered, &buf, &len);
	g_autofree char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, buf ? buf : (guchar *)"", len);
	free(buf);
	GString *key = g_string_new(sha);
	qpdf_oh dict = f->Q->oh_get_dict(f->q, im);
	static const char *const keys[] = {
		"/Width", "/Height", "/BitsPerComponent", "/ColorSpace", "/Filter", "/DecodeParms",
		"/Decode", "/Interpolate", "/ImageMask", "/Intent", "/Mask",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		g_string_append_printf(key, " %s %s", keys[i],
				       f->Q->oh_unparse(f->q, get(f, dict, keys[i])));
	qpdf_oh smask = get(f, dict, "/SMask");
	if (f->Q->oh_is_stream(f->q, smask)) {
		qpdf_oh ks = image_kept(ims, smask);
		set(f, dict, "/SMask", ks);
		g_string_append_printf(key, " /SMask %d", f->Q->oh_get_object_id(f->q, ks));
	}
	gpointer first = g_hash_table_lookup(ims->by_key, key->str);
	qpdf_oh use = first ? GPOINTER_TO_UINT(first) : im;
	if (!first)
		g_hash_table_insert(ims->by_key, g_string_free(key, FALSE), GUINT_TO_POINTER(im));
	else
		g_string_free(key, TRUE);
	g_hash_table_insert(ims->seen, id, GUINT_TO_POINTER(use));
	return use;
}

/* The images of a resource dictionary, and of the forms it names. */
static void
resources_images(images *ims, qpdf_oh res, int depth)
{
	const finish *f = ims->f;
	qpdf_oh xo = get(f, res, "/XObject");

	if (!f->Q->oh_is_dictionary(f->q, xo) || depth > 16)
		return;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	f->Q->oh_begin_dict_key_iter(f->q, xo);
	while (f->Q->oh_dict_more_keys(f->q))
		g_ptr_array_add(names, g_strdup(f->Q->oh_dict_next_key(f->q)));
	for (guint i = 0; i < names->len; i++) {
		qpdf_oh x = get(f, xo, names->pdata[i]);
		if (!f->Q->oh_is_stream(f->q, x))
			continue;
		qpdf_oh dict = f->Q->oh_get_dict(f->q, x);
		const char *sub = name_of(f, get(f, dict, "/Subtype"));
		if (strcmp(sub, "/Image") == 0) {
			set(f, xo, names->pdata[i], image_kept(ims, x));
		} else if (strcmp(sub, "/Form") == 0) {
			gpointer id = GINT_TO_POINTER(f->Q->oh_get_object_id(f->q, x));
			if (!g_hash_table_contains(ims->seen, id)) {
				g_hash_table_insert(ims->seen, id, GUINT_TO_POINTER(x));
				resources_images(ims, get(f, dict, "/Resources"), depth + 1);
			}
		}
	}
}

static void
finish_images(const finish *f)
{
	images ims = {
		f, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		g_hash_table_new(NULL, NULL),
	};

	for (int p = 0, n = f->Q->get_num_pages(f->q); p < n; p++)
		resources_images(&ims, get(f, f->Q->get_page_n(f->q, (size_t)p), "/Resources"), 0);
	g_hash_table_unref(ims.by_key);
	g_hash_table_unref(ims.seen);
}

/* ---- the catalog: language, title, metadata, output intent -------------- */

/* An Info string as UTF-8 (borrowed until the next qpdf call), or NULL. */
static char *
info_string(const finish *f, qpdf_oh info, const char *key)
{
	qpdf_oh v = get(f, info, key);
	return f->Q->oh_is_string(f->q, v) ? g_strdup(f->Q->oh_get_utf8_value(f->q, v)) : NULL;
}

static void
xmp_text(GString *x, const char *element, const char *container, const char *text)
{
	if (!text)
		return;
	g_autofree char *esc = g_markup_escape_text(text, -1);
	if (!container)
		g_string_append_printf(x, "   <%s>%s</%s>\n", element, esc, element);
	else
		g_string_append_printf(x, "   <%s><rdf:%s><rdf:li%s>%s</rdf:li></rdf:%s></%s>\n",
				       element, container, strcmp(container, "Alt") == 0 ?
				       " xml:lang=\"x-default\"" : "", esc, container, element);
}

/* The XMP packet: what the Info dictionary says (PDF/A asks for the same
 * values in both), the language, and the parts of PDF/UA and PDF/A the
 * file claims, with the schema of pdfuaid that PDF/A wants declared. */
static GString *
xmp_packet(const finish *f, const pdf_finish_job *job, qpdf_oh info, const char *iso)
{
	GString *x = g_string_new("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
		"  <rdf:Description rdf:about=\"\"\n"
		"    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		"    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
		"    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
		"    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
		"    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\n"
		"    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
		"    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
		"    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
		"   <dc:format>application/pdf</dc:format>\n");
	g_autofree char *title = info_string(f, info, "/Title");
	g_autofree char *author = info_string(f, info, "/Author");
	g_autofree char *subject = info_string(f, info, "/Subject");
	g_autofree char *creator = info_string(f, info, "/Creator");
	g_autofree char *producer = info_string(f, info, "/Producer");
	xmp_text(x, "dc:title", "Alt", title);
	xmp_text(x, "dc:creator", "Seq", author);
	xmp_text(x, "dc:description", "Alt", subject);
	xmp_text(x, "dc:language", "Bag", job->lang);
	xmp_text(x, "xmp:CreatorTool", NULL, creator);
	xmp_text(x, "xmp:CreateDate", NULL, iso);
	xmp_text(x, "xmp:ModifyDate", NULL, iso);
	xmp_text(x, "xmp:MetadataDate", NULL, iso);
	xmp_text(x, "pdf:Producer", NULL, producer);
	g_string_append(x,
		"   <pdfaid:part>2</pdfaid:part>\n"
		"   <pdfaid:conformance>A</pdfaid:conformance>\n"
		"   <pdfuaid:part>1</pdfuaid:part>\n"
		"   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
		"    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
		"    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
		"    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
		"    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
		"     <pdfaProperty:name>part</pdfaProperty:name>\n"
		"     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
		"     <pdfaProperty:category>internal</pdfaProperty:category>\n"
		"     <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\n"
		"    </rdf:li></rdf:Seq></pdfaSchema:property>\n"
		"   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
		"  </rdf:Description>\n"
		" </rdf:RDF>\n"
		"</x:xmpmeta>\n"
		"<?xpacket end=\"w\"?>\n");
	return x;
}

static void
finish_catalog(const finish *f, const pdf_finish_job *job)
{
	const lazy_qpdf *Q = f->Q;
	qpdf_oh root = Q->get_root(f->q);
	qpdf_oh info = get(f, Q->get_trailer(f->q), "/Info");
	g_autofree char *iso = NULL;

	set(f, root, "/Lang", Q->oh_new_unicode_string(f->q, job->lang));
	set(f, root, "/ViewerPreferences", parse(f, "<< /DisplayDocTitle true >>"));
	set(f, root, "/MarkInfo", parse(f, "<< /Marked true >>"));
	/* Cairo writes dates without the D: prefix PDF 1.7 asks for. */
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(job->date);
	if (dt && Q->oh_is_dictionary(f->q, info)) {
		g_autofree char *pdf_date = g_date_time_format(dt, "D:%Y%m%d%H%M%S+00'00'");
		iso = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S+00:00");
		set(f, info, "/CreationDate", Q->oh_new_string(f->q, pdf_date));
		set(f, info, "/ModDate", Q->oh_new_string(f->q, pdf_date));
	}
	GString *x = xmp_packet(f, job, info, iso);
	qpdf_oh meta = new_stream(f, x->str, x->len);
	g_string_free(x, TRUE);
	qpdf_oh md = Q->oh_get_dict(f->q, meta);
	set(f, md, "/Type", Q->oh_new_name(f->q, "/Metadata"));
	set(f, md, "/Subtype", Q->oh_new_name(f->q, "/XML"));
	set(f, root, "/Metadata", meta);

	qpdf_oh icc = new_stream(f, srgb_icc, sizeof srgb_icc);
	set(f, Q->oh_get_dict(f->q, icc), "/N", Q->oh_new_integer(f->q, 3));
	qpdf_oh intent = parse(f, "<< /Type /OutputIntent /S /GTS_PDFA1 "
			       "/OutputConditionIdentifier (sRGB IEC61966-2.1) "
			       "/RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1) >>");
	set(f, intent, "/DestOutputProfile", icc);
	qpdf_oh intents = Q->oh_new_array(f->q);
	Q->oh_append_item(f->q, intents, intent);
	set(f, root, "/OutputIntents", intents);
}

/* The finished file, with object streams and an /ID from its digest. */
static GBytes *
finish_write(const finish *f)
{
	const lazy_qpdf *Q = f->Q;

	if (Q->init_write_memory(f->q) & QPDF_ERRORS)
		return NULL;
	Q->set_object_stream_mode(f->q, qpdf_o_generate);
	Q->set_compress_streams(f->q, QPDF_TRUE);
	Q->set_decode_level(f->q, qpdf_dl_none);	/* Cairo's streams as they are */
	Q->set_deterministic_ID(f->q, QPDF_TRUE);
	Q->set_newline_before_endstream(f->q, QPDF_TRUE);
	Q->set_minimum_pdf_version(f->q, "1.7");	/* PDF/UA-1 is on ISO 32000-1 */
	if (Q->write(f->q) & QPDF_ERRORS)
		return NULL;
	return g_bytes_new(Q->get_buffer(f->q), Q->get_buffer_length(f->q));
}

int
pdf_finish_run(pdf_finish_job *job, const char *name, GBytes **pdf)
{
	const char *why = NULL;
	finish f = { .Q = lazy_qpdf_get(&why) };
	int rc = -1;

	*pdf = NULL;
	if (!f.Q) {
		diag(DIAG_ERROR, name, 0, 0, "cannot finish the PDF: %s", why);
		pdf_finish_free(job);
		return -1;
	}
	f.q = f.Q->init();
	f.Q->silence_errors(f.q);
	f.Q->set_suppress_warnings(f.q, QPDF_TRUE);
	gsize len;
	const char *data = g_bytes_get_data(job->pdf, &len);
	if (!(f.Q->read_memory(f.q, name ? name : "PDF", data, len, NULL) & QPDF_ERRORS)) {
		f.null = f.Q->oh_new_null(f.q);
		if (finish_structure(&f, job, name) == 0) {
			finish_pages(&f);
			finish_images(&f);
			finish_catalog(&f, job);
			if (!f.Q->has_error(f.q))
				*pdf = finish_write(&f);
			rc = *pdf ? 0 : -2;
		}
	} else {
		rc = -2;
	}
	if (rc == -2) {
		const char *e = f.Q->has_error(f.q) ?
			f.Q->get_error_full_text(f.q, f.Q->get_error(f.q)) : "unknown error";
		diag(DIAG_ERROR, name, 0, 0, "cannot finish the PDF: %s", e);
		rc = -1;
	}
	f.Q->cleanup(&f.q);
	pdf_finish_free(job);
	return rc;
}

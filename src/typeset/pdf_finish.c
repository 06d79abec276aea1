/* pdf_finish.c - the finishing step of a PDF: what Cairo 1.16 cannot write
 * into a tagged PDF, written into the file Cairo made (typeset stage, after
 * the device; pdf_finish.h).
 *
 * Cairo 1.16 writes a structure tree, but no attribute of an element, no
 * artifact, no /Lang, no XMP metadata, no output intent and no /ID
 * (docs/typesetting.md, "PDF/UA-1 and PDF/A-2").  This file reads the
 * finished file into objects (pdf_file.h) and adds them:
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
 * The writer gives the trailer an /ID made from the file's digest, so the
 * same input gives the same bytes.
 */
#include <string.h>

#include "base/diag.h"
#include "typeset/pdf_file.h"
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

typedef struct {
	const guchar *s;
	gsize n, pos;
} lexer;

static gboolean
next_token(lexer *lx, gsize *start, gsize *end, gboolean *op)
{
	return pdf_next_token(lx->s, lx->n, &lx->pos, start, end, op);
}

/* After the ID of an inline image: past its data and EI. */
static void
skip_inline_image(lexer *lx)
{
	const guchar *s = lx->s;
	gsize p = lx->pos + 1;

	for (; p + 2 <= lx->n; p++)
		if (s[p] == 'E' && s[p + 1] == 'I' && pdf_is_space(s[p - 1]) &&
		    (p + 2 == lx->n || pdf_is_space(s[p + 2]) || pdf_is_delim(s[p + 2]))) {
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

/* ---- the structure tree ------------------------------------------------- */

/* One structure element as the walk found it. */
typedef struct {
	pdf_val *dict;
	guint32 num;		/* its object's number; 0 when it is direct */
	pdf_val *kids;		/* its /K as written (a kid, a reference, an array) */
	int n_kids;		/* how many: elements, marked content, objects */
	int parent;		/* index of its parent element, -1 under the root */
	const char *role;	/* its /S without the slash: "P", "TH" */
	gsize role_len;
} elem;

/* Every structure element under `k` (an element's /K: an array, or one
 * kid), in the tree's order; returns how many kids `k` holds. */
static int
collect(pdf_file *f, pdf_val *k, int parent, GArray *out, int depth)
{
	pdf_val *listed = pdf_resolve(f, k);
	if (listed && listed->kind == PDF_ARRAY)
		k = listed;	/* a /K array in an object of its own */
	pdf_val *one = k;
	int n = !k ? 0 : k->kind == PDF_ARRAY ? (int)k->n : k->kind != PDF_ATOM ||
		pdf_int_value(k, &(gint64){ 0 });

	for (int i = 0; i < n && depth < 256; i++) {
		pdf_val *ref = k->kind == PDF_ARRAY ? k->items[i] : one;
		pdf_val *e = pdf_resolve(f, ref);
		pdf_val *s = pdf_get_direct(e, "/S");
		if (!s || s->kind != PDF_ATOM || s->s[0] != '/')
			continue;	/* marked content, or an object reference */
		elem el = {
			.dict = e, .num = pdf_ref_num(ref), .kids = pdf_get_direct(e, "/K"),
			.parent = parent, .role = s->s + 1, .role_len = s->len - 1,
		};
		g_array_append_val(out, el);
		guint at = out->len - 1;
		int nk = collect(f, el.kids, (int)at, out, depth + 1);
		g_array_index(out, elem, at).n_kids = nk;
	}
	return n;
}

static gboolean
role_is(const elem *e, const char *role)
{
	return strlen(role) == e->role_len && memcmp(e->role, role, e->role_len) == 0;
}

/* A link element's annotation gets its description. */
static void
link_contents(pdf_file *f, pdf_val *k, const char *text)
{
	pdf_val *listed = pdf_resolve(f, k);
	if (listed && listed->kind == PDF_ARRAY)
		k = listed;
	int n = !k ? 0 : k->kind == PDF_ARRAY ? (int)k->n : 1;

	for (int i = 0; i < n; i++) {
		pdf_val *r = pdf_resolve(f, k->kind == PDF_ARRAY ? k->items[i] : k);
		if (pdf_is_name(pdf_get(f, r, "/Type"), "/OBJR")) {
			pdf_val *annot = pdf_get(f, r, "/Obj");
			if (annot && annot->kind == PDF_DICT)
				pdf_set(f, annot, "/Contents", pdf_new_text(f, text));
		}
	}
}

/* Table `t`'s rows (its kids among `el`, which follow it in tree order)
 * in a THead (the header rows it starts with: rows of TH cells only) and
 * a TBody (the rest).  Left as it is when it holds anything but rows, or
 * when a row is not an object of its own. */
static void
table_sections(pdf_file *f, const elem *el, guint n_el, guint t)
{
	g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(guint));
	guint head = 0;

	if (!el[t].num)
		return;
	for (guint i = t + 1; i < n_el && el[i].parent >= (int)t; i++) {
		if (el[i].parent != (int)t)
			continue;
		if (!role_is(&el[i], "TR") || !el[i].num)
			return;
		int th = 0;
		for (guint c = i + 1; c < n_el && el[c].parent >= (int)i; c++)
			th += el[c].parent == (int)i && role_is(&el[c], "TH");
		if (head == rows->len && el[i].n_kids > 0 && th == el[i].n_kids)
			head++;
		g_array_append_val(rows, i);
	}
	if ((int)rows->len != el[t].n_kids)
		return;		/* it holds marked content of its own */
	pdf_val *sections = pdf_new_array(f);
	for (int s = 0; s < 2; s++) {
		guint from = s ? head : 0, to = s ? rows->len : head;
		if (from == to)
			continue;
		pdf_val *sec = pdf_parse(f, s ? "<< /Type /StructElem /S /TBody >>" :
					 "<< /Type /StructElem /S /THead >>");
		guint32 num = pdf_add_object(f, sec);
		pdf_val *kids = pdf_new_array(f);
		for (guint r = from; r < to; r++) {
			const elem *tr = &el[g_array_index(rows, guint, r)];
			pdf_append(f, kids, pdf_new_ref(f, tr->num));
			pdf_set(f, tr->dict, "/P", pdf_new_ref(f, num));
		}
		pdf_set(f, sec, "/P", pdf_new_ref(f, el[t].num));
		pdf_set(f, sec, "/K", kids);
		pdf_append(f, sections, pdf_new_ref(f, num));
	}
	pdf_set(f, el[t].dict, "/K", sections);
}

/* The attributes the device said each element has.  -1 after a diag()
 * error when Cairo's tree is not the one the device began. */
static int
finish_structure(pdf_file *f, const pdf_finish_job *job, const char *name)
{
	pdf_val *root = pdf_get(f, pdf_get(f, pdf_file_trailer(f), "/Root"), "/StructTreeRoot");
	pdf_val *k = pdf_get_direct(root, "/K");
	g_autoptr(GArray) elems = g_array_new(FALSE, FALSE, sizeof(elem));

	collect(f, k, -1, elems, 0);
	const elem *el = (const elem *)(void *)elems->data;
	if (elems->len != job->tags->len) {
		diag(DIAG_ERROR, name, 0, 0, "cannot finish the PDF: its structure tree has %u "
		     "elements where %u were drawn", elems->len, job->tags->len);
		return -1;
	}
	for (guint i = 0; i < elems->len; i++) {
		const finish_tag *t = &g_array_index(job->tags, finish_tag, i);
		if (!role_is(&el[i], t->role)) {
			diag(DIAG_ERROR, name, 0, 0, "cannot finish the PDF: structure element %u is "
			     "/%.*s where %s was drawn", i + 1, (int)el[i].role_len, el[i].role, t->role);
			return -1;
		}
		if (t->alt)
			pdf_set(f, el[i].dict, "/Alt", pdf_new_text(f, t->alt));
		if (strcmp(t->role, "TH") == 0)
			pdf_set(f, el[i].dict, "/A", pdf_parse(f, "<< /O /Table /Scope /Column >>"));
		if (t->contents)
			link_contents(f, el[i].kids, t->contents);
		/* A note is referred to by its ID (Matterhorn 19-003). */
		if (strcmp(t->role, "Note") == 0) {
			char id[32];
			g_snprintf(id, sizeof id, "(note-%u)", i + 1);
			pdf_set(f, el[i].dict, "/ID", pdf_new_atom(f, id));
		}
	}
	for (guint i = 0; i < elems->len; i++)
		if (role_is(&el[i], "Table"))
			table_sections(f, el, elems->len, i);
	return 0;
}

/* ---- the pages ------------------------------------------------------------ */

/* The pages under node `node` of the page tree, in order. */
static void
collect_pages(pdf_file *f, pdf_val *node, GPtrArray *out, int depth)
{
	if (!node || node->kind != PDF_DICT || depth > 32)
		return;
	pdf_val *kids = pdf_get(f, node, "/Kids");
	if (!pdf_is_name(pdf_get(f, node, "/Type"), "/Pages") || !kids || kids->kind != PDF_ARRAY) {
		g_ptr_array_add(out, node);
		return;
	}
	for (guint32 i = 0; i < kids->n; i++)
		collect_pages(f, pdf_resolve(f, kids->items[i]), out, depth + 1);
}

/* A page's content, every stream of it one after the other; NULL after
 * an error (pdf_file_error()). */
static GBytes *
page_content(pdf_file *f, pdf_val *page)
{
	pdf_val *c = pdf_get_direct(page, "/Contents");
	pdf_val *list = pdf_resolve(f, c);

	if (!list)
		return g_bytes_new(NULL, 0);
	if (list->kind != PDF_ARRAY)
		return pdf_stream_decoded(f, c);
	GByteArray *all = g_byte_array_new();
	for (guint32 i = 0; i < list->n; i++) {
		GBytes *part = pdf_stream_decoded(f, list->items[i]);
		if (!part) {
			g_byte_array_unref(all);
			return NULL;
		}
		gsize len;
		const guchar *d = g_bytes_get_data(part, &len);
		g_byte_array_append(all, d, (guint)len);
		g_byte_array_append(all, (const guchar *)"\n", 1);
		g_bytes_unref(part);
	}
	return g_byte_array_free_to_bytes(all);
}

/* Each page's content with its artifacts marked; /Tabs /S and the print
 * flag on the pages and annotations that have links.  FALSE after an
 * error (pdf_file_error()). */
static gboolean
finish_pages(pdf_file *f, GPtrArray *pages)
{
	for (guint p = 0; p < pages->len; p++) {
		pdf_val *page = pages->pdata[p];
		g_autoptr(GBytes) content = page_content(f, page);
		if (!content)
			return FALSE;
		gsize len, ml;
		const guchar *d = g_bytes_get_data(content, &len);
		g_autoptr(GBytes) marked = pdf_finish_mark_artifacts(d, len);
		const void *md = g_bytes_get_data(marked, &ml);
		guint32 s = pdf_add_stream(f, pdf_new_dict(f), md, ml, TRUE);
		pdf_set(f, page, "/Contents", pdf_new_ref(f, s));
		pdf_val *annots = pdf_get(f, page, "/Annots");
		guint32 na = annots && annots->kind == PDF_ARRAY ? annots->n : 0;
		if (na > 0)
			pdf_set(f, page, "/Tabs", pdf_new_atom(f, "/S"));
		for (guint32 i = 0; i < na; i++) {
			pdf_val *a = pdf_resolve(f, annots->items[i]);
			if (!a || a->kind != PDF_DICT)
				continue;
			pdf_set(f, a, "/F", pdf_new_int(f, 4));
			/* A link outside any Link element (none are drawn today)
			 * is described by its URI. */
			g_autofree char *uri = pdf_text_value(pdf_get(f, pdf_get(f, a, "/A"), "/URI"));
			if (!pdf_get_direct(a, "/Contents") && uri)
				pdf_set(f, a, "/Contents", pdf_new_text(f, uri));
		}
	}
	return TRUE;
}

/* ---- one copy of each image --------------------------------------------- */

/* Cairo stores a picture painted from two surfaces twice (the device
 * paints a copy where one page shows a picture twice: Cairo 1.16 lists a
 * surface painted twice on a page twice in its resources).  Images with
 * the same bytes and dictionary become one. */
typedef struct {
	pdf_file *f;
	GHashTable *by_key;	/* description → the number of the image kept */
	GHashTable *seen;	/* number of a form or image → the number kept */
} images;

static void
put_key(GString *key, const pdf_val *v)
{
	if (!v) {
		g_string_append(key, "-");
	} else if (v->kind == PDF_ATOM) {
		g_string_append_len(key, v->s, (gssize)v->len);
	} else if (v->kind == PDF_REF) {
		g_string_append_printf(key, "%u R", v->n);
	} else {
		g_string_append_c(key, v->kind == PDF_DICT ? '{' : '[');
		for (guint32 i = 0; i < v->n; i++) {
			put_key(key, v->items[i]);
			g_string_append_c(key, ' ');
		}
		g_string_append_c(key, v->kind == PDF_DICT ? '}' : ']');
	}
}

/* The number of the image kept for image `num` (itself the first time). */
static guint32
image_kept(images *ims, guint32 num)
{
	pdf_file *f = ims->f;
	gpointer kept = g_hash_table_lookup(ims->seen, GUINT_TO_POINTER(num));
	pdf_val *ref = pdf_new_ref(f, num);
	const guchar *data;
	gsize len;

	if (kept)
		return GPOINTER_TO_UINT(kept);
	if (!pdf_stream_raw(f, ref, &data, &len))
		return num;
	pdf_val *dict = pdf_resolve(f, ref);
	g_autofree char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data ? data : (guchar *)"", len);
	GString *key = g_string_new(sha);
	static const char *const keys[] = {
		"/Width", "/Height", "/BitsPerComponent", "/ColorSpace", "/Filter", "/DecodeParms",
		"/Decode", "/Interpolate", "/ImageMask", "/Intent", "/Mask",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_string_append_printf(key, " %s ", keys[i]);
		put_key(key, pdf_get_direct(dict, keys[i]));
	}
	guint32 smask = pdf_ref_num(pdf_get_direct(dict, "/SMask"));
	if (smask && pdf_stream_raw(f, pdf_get_direct(dict, "/SMask"), &(const guchar *){ 0 }, &(gsize){ 0 })) {
		guint32 ks = image_kept(ims, smask);
		pdf_set(f, dict, "/SMask", pdf_new_ref(f, ks));
		g_string_append_printf(key, " /SMask %u", ks);
	}
	gpointer first = g_hash_table_lookup(ims->by_key, key->str);
	guint32 use = first ? GPOINTER_TO_UINT(first) : num;
	if (!first)
		g_hash_table_insert(ims->by_key, g_string_free(key, FALSE), GUINT_TO_POINTER(num));
	else
		g_string_free(key, TRUE);
	g_hash_table_insert(ims->seen, GUINT_TO_POINTER(num), GUINT_TO_POINTER(use));
	return use;
}

/* The images of a resource dictionary, and of the forms it names. */
static void
resources_images(images *ims, pdf_val *res, int depth)
{
	pdf_file *f = ims->f;
	pdf_val *xo = pdf_get(f, res, "/XObject");

	if (!xo || xo->kind != PDF_DICT || depth > 16)
		return;
	for (guint32 i = 0; i + 1 < xo->n; i += 2) {
		pdf_val *ref = xo->items[i + 1];
		guint32 num = pdf_ref_num(ref);
		pdf_val *dict = pdf_resolve(f, ref);
		if (!num || !pdf_stream_raw(f, ref, &(const guchar *){ 0 }, &(gsize){ 0 }))
			continue;
		pdf_val *sub = pdf_get(f, dict, "/Subtype");
		if (pdf_is_name(sub, "/Image")) {
			xo->items[i + 1] = pdf_new_ref(f, image_kept(ims, num));
		} else if (pdf_is_name(sub, "/Form") &&
			   !g_hash_table_contains(ims->seen, GUINT_TO_POINTER(num))) {
			g_hash_table_insert(ims->seen, GUINT_TO_POINTER(num), GUINT_TO_POINTER(num));
			resources_images(ims, pdf_get(f, dict, "/Resources"), depth + 1);
		}
	}
}

static void
finish_images(pdf_file *f, GPtrArray *pages)
{
	images ims = {
		f, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		g_hash_table_new(NULL, NULL),
	};

	for (guint p = 0; p < pages->len; p++)
		resources_images(&ims, pdf_get(f, pages->pdata[p], "/Resources"), 0);
	g_hash_table_unref(ims.by_key);
	g_hash_table_unref(ims.seen);
}

/* ---- the catalog: language, title, metadata, output intent -------------- */

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
xmp_packet(pdf_file *f, const pdf_finish_job *job, pdf_val *info, const char *iso)
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
	g_autofree char *title = pdf_text_value(pdf_get(f, info, "/Title"));
	g_autofree char *author = pdf_text_value(pdf_get(f, info, "/Author"));
	g_autofree char *subject = pdf_text_value(pdf_get(f, info, "/Subject"));
	g_autofree char *creator = pdf_text_value(pdf_get(f, info, "/Creator"));
	g_autofree char *producer = pdf_text_value(pdf_get(f, info, "/Producer"));
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

static gboolean
finish_catalog(pdf_file *f, const pdf_finish_job *job)
{
	pdf_val *root = pdf_get(f, pdf_file_trailer(f), "/Root");
	pdf_val *info = pdf_get(f, pdf_file_trailer(f), "/Info");
	g_autofree char *iso = NULL;

	if (!root || root->kind != PDF_DICT)
		return FALSE;
	pdf_set(f, root, "/Lang", pdf_new_text(f, job->lang));
	pdf_set(f, root, "/ViewerPreferences", pdf_parse(f, "<< /DisplayDocTitle true >>"));
	pdf_set(f, root, "/MarkInfo", pdf_parse(f, "<< /Marked true >>"));
	/* Cairo writes dates without the D: prefix PDF 1.7 asks for. */
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(job->date);
	if (dt && info && info->kind == PDF_DICT) {
		g_autofree char *pdf_date = g_date_time_format(dt, "D:%Y%m%d%H%M%S+00'00'");
		iso = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S+00:00");
		pdf_set(f, info, "/CreationDate", pdf_new_text(f, pdf_date));
		pdf_set(f, info, "/ModDate", pdf_new_text(f, pdf_date));
	}
	GString *x = xmp_packet(f, job, info, iso);
	guint32 meta = pdf_add_stream(f, pdf_parse(f, "<< /Type /Metadata /Subtype /XML >>"),
				      x->str, x->len, FALSE);
	g_string_free(x, TRUE);
	pdf_set(f, root, "/Metadata", pdf_new_ref(f, meta));

	guint32 icc = pdf_add_stream(f, pdf_parse(f, "<< /N 3 >>"), srgb_icc, sizeof srgb_icc, TRUE);
	pdf_val *intent = pdf_parse(f, "<< /Type /OutputIntent /S /GTS_PDFA1 "
				    "/OutputConditionIdentifier (sRGB IEC61966-2.1) "
				    "/RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1) >>");
	pdf_set(f, intent, "/DestOutputProfile", pdf_new_ref(f, icc));
	pdf_val *intents = pdf_new_array(f);
	pdf_append(f, intents, intent);
	pdf_set(f, root, "/OutputIntents", intents);
	return TRUE;
}

int
pdf_finish_run(pdf_finish_job *job, const char *name, GBytes **pdf)
{
	const char *why = NULL;
	gsize len;
	const guchar *data = g_bytes_get_data(job->pdf, &len);
	pdf_file *f = pdf_file_read(data, len, &why);
	int rc = -1;

	*pdf = NULL;
	if (f && finish_structure(f, job, name) == 0) {
		g_autoptr(GPtrArray) pages = g_ptr_array_new();
		collect_pages(f, pdf_get(f, pdf_get(f, pdf_file_trailer(f), "/Root"), "/Pages"),
			      pages, 0);
		if (finish_pages(f, pages) && (finish_images(f, pages), finish_catalog(f, job)) &&
		    !pdf_file_error(f))
			*pdf = pdf_file_write(f, "1.7", &why);	/* PDF/UA-1 is on ISO 32000-1 */
		else
			why = pdf_file_error(f) ? pdf_file_error(f) : "it has no catalog";
		rc = *pdf ? 0 : -2;
	} else if (!f) {
		rc = -2;
	}
	if (rc == -2) {
		diag(DIAG_ERROR, name, 0, 0, "cannot finish the PDF: %s", why ? why : "unknown error");
		rc = -1;
	}
	pdf_file_free(f);
	pdf_finish_free(job);
	return rc;
}

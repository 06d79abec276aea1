/* document.c - one Markdown document: laid out, and drawn into its own PDF
 * (typeset stage; typeset_markdown, typeset_dump and typeset_doc of
 * typeset.h).
 *
 * A document is parsed (parse.c), laid out into a flow of items (the
 * layout files), cut into pages and drawn by the device (pdf_device.c).
 * A typeset_doc keeps the flow of a document laid out once, before it is
 * cut into pages, so that its own PDF and its part of the combined dossier
 * (dossier.c) are drawn from the same layout.  Threads take turns as the
 * drawing lock (drawlock.c) says.
 */
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uloc.h>

#include "base/diag.h"
#include "typeset/document.h"
#include "typeset/drawlock.h"
#include "typeset/layout.h"
#include "typeset/pdf_device.h"
#include "typeset/typeset.h"

const char *
document_paper(const typeset_theme *theme, const typeset_meta *meta)
{
	const char *paper = meta->paper ? meta->paper : theme->paper;
	double w, h;

	if (!layout_paper_size(paper, &w, &h)) {
		diag(DIAG_ERROR, NULL, 0, 0, "unknown paper '%s' (a4 or letter)", paper);
		return NULL;
	}
	return paper;
}

void
document_direction(PangoContext *pango, const typeset_meta *meta, const char *md, size_t len)
{
	bool rtl = false;
	if (meta->language) {
		UErrorCode err = U_ZERO_ERROR;
		rtl = uloc_getCharacterOrientation(meta->language, &err) == ULOC_LAYOUT_RTL && U_SUCCESS(err);
	} else if (md) {
		/* The direction most of the text's letters have: an Arabic name
		 * in an English document does not make it right to left. */
		gsize l = 0, r = 0;
		for (const char *p = md; p < md + len; p = g_utf8_next_char(p)) {
			UCharDirection d = u_charDirection((UChar32)g_utf8_get_char(p));
			l += d == U_LEFT_TO_RIGHT;
			r += d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC;
		}
		rtl = r > l;
	}
	pango_context_set_base_dir(pango, rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
	pango_context_set_language(pango, pango_language_from_string(meta->language ? meta->language : "en"));
}

char *
document_dir(const char *md_file)
{
	if (!md_file || strcmp(md_file, "-") == 0)
		return NULL;
	return g_path_get_dirname(md_file);
}

/* Lay out one document into a doc of its own, not paginated; NULL after a
 * located error.  The document's title (meta->title, else its first
 * heading, else the file name) is returned in *title (the caller frees
 * it) and is the running header of its part. */
static layout_doc *
flow_new(const typeset_theme *theme, const typeset_meta *meta,
	 const char *md, size_t len, const char *md_file, char **title)
{
	const char *paper = document_paper(theme, meta);

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
	document_direction(pango, meta, md, len);
	layout_doc *doc = layout_new(theme, pango, paper, meta->footer, meta->flags);
	g_object_unref(pango);
	g_autofree char *dir = meta->base_dir ? g_strdup(meta->base_dir) : document_dir(md_file);
	cmark_node *root = typeset_parse_markdown(md, len);

	layout_begin_part(doc, NULL, "", TRUE, 0);
	doc->pictures = meta->pictures;
	int rc = layout_markdown(doc, root, md_file ? md_file : "<stdin>", dir);
	doc->pictures = NULL;	/* the caller's, for this call only */
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

layout_doc *
document_layout(const typeset_theme *theme, const typeset_meta *meta,
		const char *md, size_t len, const char *md_file, char **title)
{
	layout_doc *doc = flow_new(theme, meta, md, len, md_file, title);
	if (doc)
		layout_paginate(doc);
	return doc;
}

struct typeset_doc {
	layout_doc *flow;	/* laid out, never paginated: only copied from */
	char *title;
	char *paper;
};

const layout_doc *
document_flow(const typeset_doc *d)
{
	return d->flow;
}

typeset_doc *
typeset_doc_new(const typeset_theme *theme, const typeset_meta *meta,
		const char *md, size_t len, const char *md_file)
{
	char *title = NULL;

	drawlock_take(DRAWLOCK_OWN);
	layout_doc *flow = flow_new(theme, meta, md, len, md_file, &title);
	drawlock_give(DRAWLOCK_OWN);
	if (!flow)
		return NULL;
	typeset_doc *d = g_new0(typeset_doc, 1);
	d->flow = flow;
	d->title = title;
	d->paper = g_strdup(document_paper(theme, meta));
	return d;
}

void
typeset_doc_free(typeset_doc *d)
{
	if (!d)
		return;
	drawlock_take(DRAWLOCK_OTHERS);
	layout_free(d->flow);
	drawlock_give(DRAWLOCK_OTHERS);
	g_free(d->title);
	g_free(d->paper);
	g_free(d);
}

/* A copy of the flow of `d` in a doc of its own, as flow_new made it. */
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

	drawlock_take(DRAWLOCK_OTHERS);
	layout_doc *doc = doc_copy(d);
	layout_paginate(doc);
	if (drawlock_render(DRAWLOCK_OTHERS, doc, meta, d->title, name, pdf) == 0)
		pages = (int)doc->pages->len;
	layout_free(doc);
	drawlock_give(DRAWLOCK_OTHERS);
	return pages;
}

int
typeset_markdown(const typeset_theme *theme, const typeset_meta *meta,
		 const char *md, size_t len, const char *md_file,
		 const char *name, GBytes **pdf)
{
	typeset_theme *own = theme ? NULL : typeset_theme_default();
	g_autofree char *title = NULL;
	int pages = -1;

	*pdf = NULL;
	drawlock_take(DRAWLOCK_OWN);
	layout_doc *doc = document_layout(theme ? theme : own, meta, md, len,
					  md_file, &title);
	if (doc) {
		if (drawlock_render(DRAWLOCK_OWN, doc, meta, title, name, pdf) == 0)
			pages = (int)doc->pages->len;
		layout_free(doc);
	}
	drawlock_give(DRAWLOCK_OWN);
	typeset_theme_free(own);
	return pages;
}

char *
typeset_dump(const typeset_theme *theme, const typeset_meta *meta,
	     const char *md, size_t len, const char *md_file)
{
	typeset_theme *own = theme ? NULL : typeset_theme_default();
	g_autofree char *title = NULL;
	char *out = NULL;

	drawlock_take(DRAWLOCK_OWN);
	layout_doc *doc = document_layout(theme ? theme : own, meta, md, len,
					  md_file, &title);
	if (doc) {
		out = layout_dump(doc);
		layout_free(doc);
	}
	drawlock_give(DRAWLOCK_OWN);
	typeset_theme_free(own);
	return out;
}

/* write/markdown.c - every document's Markdown into the package, every
 * supplied attachment copied byte for byte in place of its PDF, and a case
 * study's images copied beside its document (package stage; see write.h).
 * Runs first: the PDFs are typeset from these files' folders (relative
 * image paths).  A document whose Markdown did not change is the previous
 * build's file (write/kept.h).
 */
#include <string.h>
#include <glib/gstdio.h>

#include "base/diag.h"
#include "base/fileop.h"
#include "base/markdown.h"
#include "write/kept.h"
#include "write/write.h"

/* `url` as a path inside the package folder `dir` ("business/case-studies"
 * + "./img/a.png" -> "business/case-studies/img/a.png"); NULL when it is
 * no relative path of plain steps (a URL, "/", ".."). */
static char *
image_rel(const char *dir, const char *url)
{
	g_autofree char *scheme = g_uri_parse_scheme(url);
	if (scheme || !*url || url[0] == '/' || strchr(url, '\\'))
		return NULL;
	GString *rel = g_string_new(strcmp(dir, ".") ? dir : "");
	g_auto(GStrv) parts = g_strsplit(url, "/", -1);
	for (char **p = parts; *p; p++) {
		if (!strcmp(*p, "..")) {
			g_string_free(rel, TRUE);
			return NULL;
		}
		if (!**p || !strcmp(*p, "."))
			continue;
		g_string_append_printf(rel, "%s%s", rel->len ? "/" : "", *p);
	}
	return g_string_free(rel, FALSE);
}

/* The images a case study's document shows from its folder in the content
 * (content/case-studies/img/team.png), copied to the same place beside the
 * document (business/case-studies/img/team.png), each once.  The loader
 * has checked that they are there (load/content.c).  False after a diag. */
static bool
copy_images(const WriteCtx *ctx, const package_doc *d, GHashTable *copied)
{
	g_autofree char *dir = g_path_get_dirname(d->path);
	cmark_node *doc = markdown_parse(d->markdown, strlen(d->markdown));
	cmark_iter *it = cmark_iter_new(doc);
	bool ok = true;
	for (cmark_event_type ev; ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *url = ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_IMAGE
				? cmark_node_get_url(n) : NULL;
		g_autofree char *rel = url ? image_rel(dir, url) : NULL;
		g_autofree char *from = rel ? g_build_filename(d->images_from, url, NULL) : NULL;
		if (!from || !g_file_test(from, G_FILE_TEST_IS_REGULAR) || g_hash_table_contains(copied, rel))
			continue;	/* not one of its own (a chart the template shows) */
		for (guint i = 0; i < ctx->pl->docs->len; i++) {
			const package_doc *o = ctx->pl->docs->pdata[i];
			if (!strcmp(rel, o->path) || !strcmp(rel, o->pdf_path)) {
				diag(DIAG_ERROR, from, 0, 0, "an image of a case study would be the package's "
				     "%s: rename it", rel);
				ok = false;
			}
		}
		g_autofree char *to = g_build_filename(ctx->pkg, rel, NULL);
		ok = ok && fileop_copy(from, to);
		g_hash_table_add(copied, g_steal_pointer(&rel));
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return ok;
}

bool
markdown_write(const WriteCtx *ctx)
{
	GPtrArray *docs = ctx->pl->docs;
	g_autoptr(GHashTable) copied = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < docs->len; i++) {
		package_doc *d = docs->pdata[i];
		bool ok;
		if (d->supplied) {
			g_autofree char *pdf = g_build_filename(ctx->pkg, d->pdf_path, NULL);
			ok = fileop_copy(d->supplied, pdf);
		} else {
			ok = kept_write(ctx, d->path, d->markdown, strlen(d->markdown));
		}
		if (ok && d->images_from)
			ok = copy_images(ctx, d, copied);
		if (!ok)
			return false;
	}
	return true;
}

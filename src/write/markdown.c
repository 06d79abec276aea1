/* write/markdown.c - every document's Markdown into the package, every
 * supplied attachment copied byte for byte in place of its PDF, and every
 * image of content/ a document shows (a case study's) copied beside it (package
 * stage; see write.h).  Runs first: the PDFs are typeset from these files'
 * folders (relative image paths).  A document whose Markdown did not
 * change is the previous build's file (write/kept.h).
 */
#include <string.h>

#include "base/fileop.h"
#include "write/kept.h"
#include "write/write.h"

/* The files of content/ the documents show (a case study's images), each
 * once, copied byte for byte beside them. */
static bool
copy_images(const WriteCtx *ctx)
{
	g_autoptr(GHashTable) done = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *docs = ctx->pl->docs;
	for (guint i = 0; i < docs->len; i++) {
		package_doc *d = docs->pdata[i];
		for (guint k = 0; k < d->images->len; k++) {
			package_image *im = d->images->pdata[k];
			if (!g_hash_table_add(done, im->path))
				continue;
			g_autofree char *to = g_build_filename(ctx->pkg, im->path, NULL);
			if (!fileop_copy(im->file, to))
				return false;
		}
	}
	return true;
}

bool
markdown_write(const WriteCtx *ctx)
{
	GPtrArray *docs = ctx->pl->docs;
	if (!copy_images(ctx))
		return false;
	for (guint i = 0; i < docs->len; i++) {
		package_doc *d = docs->pdata[i];
		bool ok;
		if (d->supplied) {
			g_autofree char *pdf = g_build_filename(ctx->pkg, d->pdf_path, NULL);
			ok = fileop_copy(d->supplied, pdf);
		} else {
			ok = kept_write(ctx, d->path, d->markdown, strlen(d->markdown));
		}
		if (!ok)
			return false;
	}
	return true;
}

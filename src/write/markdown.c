/* write/markdown.c - every document's Markdown into the package, and every
 * supplied attachment copied byte for byte in place of its PDF (package
 * stage; see write.h).  Runs first: the PDFs are typeset from these files'
 * folders (relative image paths).  A document whose Markdown did not
 * change is the previous build's file (write/kept.h).
 */
#include <string.h>

#include "base/fileop.h"
#include "write/kept.h"
#include "write/write.h"

bool
markdown_write(const WriteCtx *ctx)
{
	GPtrArray *docs = ctx->pl->docs;
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

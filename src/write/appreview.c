/* write/appreview.c - OUT/app-review/: the App Review kit beside the package (package stage;
 * see write.h and render/appreview.h).
 *
 * One Markdown file per piece of the kit, rendered in memory by the
 * pipeline; not part of the package, its manifest or its zip.  No folder
 * when no path asks for a permission.
 */
#include <string.h>

#include "base/fileop.h"
#include "render/appreview.h"
#include "write/write.h"

bool
appreview_write(const WriteCtx *ctx)
{
	GPtrArray *kit = ctx->pl->app_review;
	if (!kit || kit->len == 0)
		return true;
	g_autofree char *dir = g_build_filename(ctx->stage, WRITE_APP_REVIEW_DIR, NULL);
	if (!fileop_mkdirs(dir))
		return false;
	for (guint i = 0; i < kit->len; i++) {
		const appreview_file *f = kit->pdata[i];
		g_autofree char *path = g_build_filename(dir, f->name, NULL);
		if (!fileop_write(path, f->markdown, strlen(f->markdown)))
			return false;
	}
	return true;
}

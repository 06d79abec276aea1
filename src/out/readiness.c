/* out/readiness.c - OUT/readiness.md beside the package: what `dossier
 * check` says, from templates/readiness.mustache (package stage; see
 * out.h).  Not part of the package: it is for the team, not for Meta.
 */
#include <string.h>

#include "base/fileop.h"
#include "out/out.h"

bool
out_readiness_write(const OutCtx *ctx)
{
	g_autofree char *path = g_build_filename(ctx->stage, "readiness.md", NULL);
	const char *md = ctx->pl->readiness_md;
	return fileop_write(path, md, strlen(md));
}

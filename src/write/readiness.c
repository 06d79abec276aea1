/* write/readiness.c - OUT/readiness.md beside the package: what `dossier
 * check` says, from templates/readiness.mustache (package stage; see
 * write.h).  Not part of the package: it is for the team, not for Meta.
 */
#include <string.h>

#include "base/fileop.h"
#include "write/write.h"

bool
readiness_write(const WriteCtx *ctx)
{
	g_autofree char *path = g_build_filename(ctx->stage, "readiness.md", NULL);
	const char *md = ctx->pl->readiness_md;
	return fileop_write(path, md, strlen(md));
}

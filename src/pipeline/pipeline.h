/* pipeline.h - load → derive → render, shared by `build` and `check`.
 *
 * Everything up to the rendered Markdown happens in memory; only `build`
 * goes on to typeset and write.
 */
#ifndef DOSSIER_PIPELINE_H
#define DOSSIER_PIPELINE_H

#include "render/package.h"
#include "base/value.h"

/* What the command asked for. */
typedef struct {
	bool strict;		/* consistency findings are errors, not warnings */
	bool final;		/* readiness counts a generated stand-in for a
				 * supplied document as unmet */
} pipeline_opts;

/* From now on, a file read from the content or a templates folder must
 * lie inside that folder: a symbolic link that leads out is refused
 * (base/file.h; docs/limits.md).  pipeline_run_opts() does it itself. */
void pipeline_confine(const char *content_dir, const char *templates_dir);

/* Run the in-memory stages into a package_rendered (render/package.h).
 * NULL after errors (already reported). */
package_rendered *pipeline_run_opts(const char *content_dir, const char *templates_dir,
				    const pipeline_opts *opts);
void pipeline_free(package_rendered *pl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(package_rendered, pipeline_free)

#endif

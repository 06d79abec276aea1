/* pipeline.h - load → derive → render, shared by `build` and `check`.
 *
 * Everything up to the rendered Markdown happens in memory; only `build`
 * goes on to typeset and write.
 */
#ifndef DOSSIER_PIPELINE_H
#define DOSSIER_PIPELINE_H

#include "render/package.h"
#include "base/value.h"

typedef struct {
	char *content_dir;
	char *templates_dir;
	val *root;		/* content + derived figures */
	package *pkg;
	GPtrArray *docs;	/* package_doc*, rendered */
	GPtrArray *public_docs;	/* package_doc*, the public pages (package_render_public) */
	char *readiness_md;	/* templates/readiness.mustache rendered */
} pipeline;

/* What the command asked for. */
typedef struct {
	bool strict;		/* consistency findings are errors, not warnings */
	bool final;		/* readiness counts a generated stand-in for a
				 * supplied document as unmet */
} pipeline_opts;

/* Run the in-memory stages.  NULL after errors (already reported). */
pipeline *pipeline_run_opts(const char *content_dir, const char *templates_dir,
			    const pipeline_opts *opts);
void pipeline_free(pipeline *pl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(pipeline, pipeline_free)

#endif

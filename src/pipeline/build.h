/* build.h - one build, content → OUT, all stages (pipeline stage; the
 * orchestrator `dossier build` calls).
 *
 * Runs the in-memory stages (pipeline.h), then every output of write_table[]
 * (write/write.h) into a staging folder inside OUT
 * (OUT/.dossier-cache/stage-XXXXXX), then puts each product in place
 * (commit.h): only what dossier wrote, known from its record, is replaced
 * or removed; everything else in OUT keeps its inode, owner, mode and mtime;
 * folders are never replaced.  A failed, interrupted (SIGINT, SIGTERM:
 * interrupt.h) or killed build leaves OUT as it was, or the next build
 * completes it.
 * - A file whose bytes did not change is the previous build's file (same
 *   inode, same mtime).
 * - Builds into one OUT take turns: an flock on OUT.  The second waits (with
 *   a message) or, with no_wait, fails at once.
 * - OUT may not be inside the content or templates folder, nor hold them.
 * - A first build into a folder that holds something dossier did not write
 *   is refused, naming it, unless --force (opts.force).
 */
#ifndef DOSSIER_BUILD_H
#define DOSSIER_BUILD_H

#include "pipeline/pipeline.h"
#include "write/write.h"

typedef struct {
	const char *content_dir;
	const char *templates_dir;
	const char *out_dir;
	write_opts opts;
	bool no_wait;		/* another build into OUT: fail instead of waiting */
	pipeline_opts pipe;	/* --strict, --final */
} build_opts;

typedef struct {
	guint documents;	/* documents in the package */
	write_stats stats;	/* PDF pages, typeset and kept */
	char *package_dir;	/* OUT/<package name>, as given; the caller frees it */
	bool up_to_date;	/* nothing changed: nothing was loaded or written
				 * (pipeline/uptodate.h) */
	gint64 swapped_at;	/* when the new products were in place
				 * (g_get_real_time()), or 0 */
} build_result;

/* Is o->out_dir a folder a build may write into: not the root folder, not
 * inside the content or templates folder, not holding either?  False after
 * a diag.  (--watch asks once before it starts.) */
bool build_out_ok(const build_opts *o);

/* One build.  Returns the exit status: EXIT_OK, or EXIT_BAD after located
 * errors (diag_exit_status()), or EXIT_NO when --final was asked for and the
 * content is not final-ready (each unmet item named on stderr, nothing
 * written).  On success *res is filled in. */
int build_run(const build_opts *o, build_result *res);

#endif

/* build.h - one build, content → OUT, all stages (pipeline stage; the
 * orchestrator `dossier build` calls).
 *
 * Runs the in-memory stages (pipeline.h), then every output of write_table[]
 * (write/write.h) into a staging folder that is a complete new OUT, then swaps
 * it in for OUT in one step (renameat2 RENAME_EXCHANGE).  So everything a
 * build writes - the package, the zip, readiness.md, CHANGES.md, the caches -
 * becomes visible at once or not at all: a failed, interrupted (SIGINT,
 * SIGTERM) or killed build leaves OUT byte for byte as it was.
 *
 * - The staging folder is OUT's sibling, .OUT.dossier-new-XXXXXX; after the
 *   swap it holds the previous OUT and is deleted.  A build killed with
 *   SIGKILL leaves one behind: the next build into OUT deletes it.
 * - Files of OUT that are not a build's (a note someone put there) are kept:
 *   hard-linked into the new OUT.  A symbolic link in OUT is never followed:
 *   a linked package folder is replaced by a real one, the link's target is
 *   neither read nor written nor deleted.
 * - A file whose bytes did not change is the previous build's file (a hard
 *   link: same inode, same mtime).
 * - Builds into one OUT take turns: an flock on OUT.  The second waits (with
 *   a message) or, with no_wait, fails at once.
 * - OUT may not hold the content or templates folder.
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
	gint64 swapped_at;	/* when the new OUT took the old one's place
				 * (g_get_real_time()), or 0 */
} build_result;

/* One build.  Returns the exit status: EXIT_OK, or EXIT_BAD after located
 * errors (diag_exit_status()), or EXIT_NO when --final was asked for and the
 * content is not final-ready (each unmet item named on stderr, nothing
 * written).  On success *res is filled in. */
int build_run(const build_opts *o, build_result *res);

#endif

/* uptodate.h - the no-change fast path of a build (pipeline stage; used by
 * pipeline/build.c).
 *
 * Before anything is loaded, a build takes the fingerprint of everything
 * its output depends on: every file and folder of the content and
 * templates folders, the dossier binary and every shared library it runs
 * with, the font folders and fontconfig's configuration, SOURCE_DATE_EPOCH
 * and the options that change output.  Files are identified by size, mtime
 * and inode (base/stamp.h), so this costs a stat() each.
 *
 * A successful build records that fingerprint in
 * OUT/.dossier-cache/stamps/build, with the identity of every file it
 * leaves in OUT and the name of every folder (what else OUT holds is not
 * dossier's, and no build would touch it: pipeline/commit.h), when a second build from the same inputs would
 * leave OUT exactly as it is ("steady": its CHANGES.md compared two equal
 * states, and it said nothing on stderr).  The next build whose fingerprint
 * and OUT's files both match the record loads, renders, draws and writes
 * nothing: OUT is already what it would write.  Otherwise it says why
 * (`--verbose`) and builds as usual.
 */
#ifndef DOSSIER_UPTODATE_H
#define DOSSIER_UPTODATE_H

#include "pipeline/build.h"

typedef struct uptodate uptodate;

/* The fingerprint of the inputs of a build with `o`, taken now. */
uptodate *uptodate_new(const build_opts *o);
void uptodate_free(uptodate *u);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(uptodate, uptodate_free)

/* True when OUT is what the build would leave there; *res then says what
 * the recorded build wrote (res->package_dir as given; the caller frees
 * it).  False otherwise, with *why (the caller frees it) saying what
 * differs: the first changed input, or the first output changed since. */
bool uptodate_check(const uptodate *u, const char *out_dir, build_result *res, char **why);

/* Record the fingerprint and the identity of every file in `stage` (the
 * staged products, just before the commit: a file keeps its identity when
 * it is renamed into OUT, and a folder of OUT is never replaced).  `steady`: a build from
 * the same inputs would leave the same OUT; otherwise the record only says
 * "not steady" and the next build runs in full.  False after a diag. */
bool uptodate_record(const uptodate *u, const char *stage, const build_result *res,
		     const char *pkg_name, bool steady);

#endif

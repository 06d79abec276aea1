/* uptodate.h - the no-change fast path of a build (pipeline stage; used by
 * pipeline/build.c).
 *
 * A build keeps the record of everything it used (base/record.h): every
 * file it read or looked for, every folder it listed, the environment
 * variables it read, the program that ran (write/program.h: the dossier
 * binary, the libraries, fontconfig and the fonts) and the options and
 * folders it was given.  Nothing lists these inputs by hand: the readers
 * record what they read as they read it.
 *
 * A successful build stores that record in OUT/.dossier-cache/stamps/build,
 * with the identity of every file it leaves in OUT and the name of every
 * folder (what else OUT holds is not dossier's, and no build would touch
 * it: pipeline/commit.h), when a second build from the same inputs would
 * leave OUT exactly as it is ("steady": its CHANGES.md compared two equal
 * states, and it said nothing on stderr).  The next build checks that
 * record again and nothing else: when every input is as recorded and the
 * files it left in OUT are as they were left, it loads, renders, draws and
 * writes nothing.  Otherwise it says why (`--verbose`: the first input that
 * changed) and builds as usual.
 */
#ifndef DOSSIER_UPTODATE_H
#define DOSSIER_UPTODATE_H

#include "base/record.h"
#include "pipeline/build.h"

/* The values a build with `o` is given (options, folders, version), the
 * start of its record. */
record *uptodate_values(const build_opts *o);

/* True when OUT is what a build with `o` would leave there; *res then says
 * what the recorded build wrote (res->package_dir as given; the caller
 * frees it).  False otherwise, with *why (the caller frees it) saying what
 * differs: the first changed input, or the first output changed since. */
bool uptodate_check(const build_opts *o, const char *out_dir, build_result *res, char **why);

/* Store `inputs` (what the build used, its values and the program among
 * them) and the identity of every file in `stage` (the staged products,
 * just before the commit: a file keeps its identity when it is renamed
 * into OUT, and a folder of OUT is never replaced).  `steady`: a build
 * from the same inputs would leave the same OUT; otherwise the record only
 * says "not steady" and the next build runs in full.  False after a diag. */
bool uptodate_record(const record *inputs, const char *stage, const build_result *res,
		     const char *pkg_name, bool steady);

#endif

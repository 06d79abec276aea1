/* commit.h - a staged build into OUT, in place and all or nothing
 * (pipeline stage; used by pipeline/build.c).
 *
 * OUT is the user's folder, dossier's products are guests in it.  Dossier
 * replaces or removes only what it wrote, and it knows what it wrote from a
 * record: OUT/.dossier-cache/written, a line "f PATH" or "d PATH" for each
 * file and folder of the last build.  The cache folder itself is dossier's
 * by its name (it holds the record).
 *
 *   - A build writes a complete set of products into a staging folder
 *     inside OUT, OUT/.dossier-cache/stage-XXXXXX: the package folder, the
 *     zip, readiness.md, CHANGES.md, the web edition, the caches, the record.
 *   - The commit renames each staged file into place (a file whose bytes did
 *     not change is already the same inode, and is left), makes the folders
 *     that are missing, and moves the files the last build wrote and this
 *     one does not, and folders that become empty, into
 *     OUT/.dossier-cache/trash-XXXXXX.  No folder is ever replaced, so a
 *     shell whose current folder is in OUT stays in a live folder.
 *   - Nothing else in OUT is read, moved, re-created or deleted: it keeps its
 *     inode, owner, mode and mtime.  A mount point is never crossed.
 *   - An entry where a product goes that the record does not give to
 *     dossier (the user's own readiness.md, a link where the package folder
 *     was, a folder where a file was) is moved aside to
 *     OUT/moved-aside/PATH, and the build says so.  A mount point in the way
 *     is an error.
 *   - A first build (no record) into a folder that holds anything is
 *     refused, naming what is there, unless --force.
 *   - All or nothing: the commit writes its renames to a journal,
 *     OUT/.dossier-cache/journal, before the first one; a rename that fails
 *     undoes those before it; the next build completes the commit of a
 *     build that was killed during it (each step can tell whether it was
 *     done).  Until the journal is written OUT has not changed.
 *
 * Error convention (base/diag.h): functions returning bool report a located
 * diag() error and return false.
 */
#ifndef DOSSIER_COMMIT_H
#define DOSSIER_COMMIT_H

#include <stdbool.h>

#define COMMIT_RECORD	".dossier-cache/written"	/* relative to OUT */
#define COMMIT_ASIDE	"moved-aside"			/* OUT/moved-aside/PATH */

typedef struct commit commit;

/* Under OUT's lock, before a build: complete the commit of a build that was
 * killed during it (its journal), then remove the staging and trash
 * folders killed builds left.  `out` is OUT's real path, `given` as the
 * user wrote it (for messages).  False after a diag: the journal could not
 * be completed (OUT is then as the killed build left it). */
bool commit_recover(const char *out, const char *given);

/* May a build write into OUT?  Yes when it has a record, when it holds
 * nothing but the cache folder, or with `force`; otherwise false after a
 * diag naming what it holds. */
bool commit_may_build(const char *out, const char *given, bool force);

/* A staged file with the same bytes as the file the last build wrote at the
 * same place becomes a hard link to that file, so the commit leaves it:
 * same inode, same mtime.  Only files the record gives to dossier count. */
void commit_keep_unchanged(const char *out, const char *stage);

/* Write the record of what `stage` holds into it (COMMIT_RECORD). */
bool commit_write_record(const char *stage);

/* The steps that put the staged products in place, found by comparing the
 * staging folder with the record and with OUT as it is.  NULL after a
 * diag (a mount point in the way, a folder that cannot be read). */
commit *commit_plan(const char *out, const char *given, const char *stage, const char *trash);

/* Run the steps, all or nothing; then say what was moved aside.  False
 * after a diag, with OUT as it was. */
bool commit_run(commit *c);

void commit_free(commit *c);

#endif

/* fileop.h - the file operations of a build, in one place.
 *
 * Every file a build writes goes into its staging folder through these
 * functions (or, for files a library writes itself - a PDF, an SVG, the
 * spreadsheet, the zip - after a call to fileop_ok()).  That gives one
 * place to count them: a test binary built with -DDOSSIER_TESTING
 * (`make build/dossier-test`) honours DOSSIER_FAIL_AT=N and makes the Nth
 * operation fail with EIO, so tests/e2e/atomic.sh can fail every write of
 * a build in turn and check that OUT never changes; DOSSIER_KILL_AT=N
 * ends the process with SIGKILL at the Nth operation instead, so that the
 * test can check that the next build completes or undoes what the killed
 * one left; DOSSIER_SIGNAL_AT=N sends it SIGINT there, so that the test
 * can interrupt a build at every step.  The normal binary ignores them.
 *
 * Error convention (base/diag.h): functions returning bool report a located
 * diag() error and return false.
 */
#ifndef DOSSIER_FILEOP_H
#define DOSSIER_FILEOP_H

#include <glib.h>
#include <glib/gstdio.h>
#include <stdbool.h>

/* Before one file operation: true to go on; false with errno set (EIO)
 * when the test hook fails this one.  Does not report. */
bool fileop_ok(void);

/* True when the test hook has failed an operation in this process, so that
 * a build whose code tolerated that failure (a hard link that falls back to
 * a copy) still fails before it swaps anything in. */
bool fileop_fault_hit(void);

/* Write `len` bytes to `path` (atomically, via a temporary file beside it),
 * creating its folder.  Reports and returns false on failure. */
bool fileop_write(const char *path, const char *data, gsize len);

/* mkdir -p.  Reports and returns false on failure. */
bool fileop_mkdirs(const char *dir);

/* Copy a file byte for byte (reading `from`, writing `to` as above). */
bool fileop_copy(const char *from, const char *to);

/* A hard link `to` of `from` (creating to's folder).  False without a
 * report: callers fall back to writing the file. */
bool fileop_link(const char *from, const char *to);

/* rm -r, never following a symbolic link (a link is removed, not what it
 * points to) and never crossing into another filesystem (a mount point
 * inside is left, with the folders above it).  For dossier's own folders
 * only. */
void fileop_remove_tree(const char *path);

/* True when `path` (not followed if a link) is the root of a mounted
 * filesystem: dossier never writes into, moves or deletes one. */
bool fileop_is_mount(const char *path);

/* Every entry under `dir`, depth first, a folder's entries after it:
 * `fn(rel, full, st, data)` with its '/'-separated path relative to `dir`,
 * its full path and its lstat() (NULL when that failed).  Symbolic links
 * are reported, never followed; a folder is entered after `fn` returns
 * true for it.  `fn` returns false to stop the walk (after its own diag).
 * False when stopped, or after a diag when a folder cannot be read. */
typedef bool (*fileop_walk_fn)(const char *rel, const char *full, const GStatBuf *st,
			       void *data);
bool fileop_walk(const char *dir, fileop_walk_fn fn, void *data);

/* The regular files under `dir`, as sorted '/'-separated relative paths
 * ("company/company-overview.md"); symbolic links are skipped, never
 * followed.  NULL after a diag when a folder cannot be read.  The caller
 * unrefs the array. */
GPtrArray *fileop_files(const char *dir);

#endif

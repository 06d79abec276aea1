/* kept.h - outputs kept from the previous build when what they are made
 * from did not change (package stage; used by write/charts.c and
 * write/markdown.c).
 *
 * An output's key is the digest of its record (base/record.h): everything
 * it was made from, the program among them.  When
 * the previous build recorded the same key for the same file, and that
 * file (reached from OUT/<package> without a symbolic link) still has the
 * bytes recorded with it (by SHA-256), it is hard-linked into the new OUT,
 * keeping its inode and mtime, instead of being made again.  The record is
 * OUT/.dossier-cache/NAME, a line "KEY SHA-256 PATH" per file; --force
 * trusts none of it.  Records hold the program (write/program.h), so a
 * rebuilt dossier makes everything anew.
 */
#ifndef DOSSIER_KEPT_H
#define DOSSIER_KEPT_H

#include <glib.h>
#include <stdbool.h>

#include "write/write.h"

typedef struct kept kept;

/* The previous build's record OUT/.dossier-cache/NAME, and a new one. */
kept *kept_open(const WriteCtx *ctx, const char *name);

/* The previous package's `rel` (a path in the package) linked in at
 * PKG/rel when it was made from `key` and still has the bytes recorded
 * with it: its SHA-256 (the caller frees it); else NULL (make it). */
char *kept_take(kept *k, const char *rel, const char *key);

/* `rel`, made from `key`, has the digest `sha`: into the new record. */
void kept_note(kept *k, const char *rel, const char *key, const char *sha);

/* Write the new record into the staging folder (when `write`) and free
 * `k`.  False after a diag. */
bool kept_close(kept *k, bool write);

/* Write `len` bytes of `data` to PKG/rel, as fileop_write(); when the
 * previous package's `rel` (reached without a symbolic link) holds
 * exactly those bytes, it is linked in instead (same inode and mtime, and
 * nothing for the end of the build to compare).  False after a diag. */
bool kept_write(const WriteCtx *ctx, const char *rel, const char *data, gsize len);

#endif

/* stamp.h - cheap fingerprints of files on disk, to skip work whose inputs
 * and outputs are as the last successful run left them.
 *
 * A file is identified by its size, modification time (nanoseconds) and
 * inode (and device), not its bytes: a file rewritten by anyone gets a new
 * mtime (or, when replaced by rename, a new inode), so an unchanged
 * identity means unchanged bytes at the cost of one lstat().  Symbolic
 * links are never followed.  A stamp is a small text file holding a
 * digest; a missing or unreadable stamp just means "do the work".  Stamps
 * live in OUT/.dossier-cache/stamps/; as they hold inodes, they differ
 * between two otherwise identical output folders.
 */
#ifndef DOSSIER_STAMP_H
#define DOSSIER_STAMP_H

#include <glib.h>
#include <stdbool.h>

/* Add `name` and the identity of the file at `path` (or "missing") to `c`.
 * Returns false when the file does not exist or is not a regular file. */
bool stamp_add_file(GChecksum *c, const char *name, const char *path);

/* Add `name` and the bytes of the file at `path` (their SHA-256, read
 * once per build through base/file.h's file_sha256(); or "missing") to
 * `c`.  Returns false when it cannot be read. */
bool stamp_add_file_bytes(GChecksum *c, const char *name, const char *path);

/* Add a string and a separator, so that "ab","c" and "a","bc" differ. */
void stamp_add_str(GChecksum *c, const char *s);

/* The stamp stored in `file`, or NULL; the caller frees it. */
char *stamp_read(const char *file);

/* Store `digest` in `file` atomically (creating its folder), through
 * base/fileop.h.  False after a diag. */
bool stamp_write(const char *file, const char *digest);

#endif

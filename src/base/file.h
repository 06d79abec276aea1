/* file.h - reading a file the user controls, bounded (base).
 *
 * Every input file goes through file_read(): only a regular file is read
 * (a FIFO would block the build for ever, /dev/zero would fill memory, a
 * folder is a mistake), and its size is checked against a limit before
 * the first byte is read and again while reading (a file that grows).
 * The limits are stated in docs/limits.md.
 *
 * One symbolic-link policy for the project's folders (docs/limits.md):
 * the content folder and each templates folder are registered with
 * file_confine(); a file read from inside one of them must really be inside
 * it, so a link (to a file, or a folder on the way) that leads out of it is
 * refused, and one that stays inside is followed.  The loader, the
 * up-to-date check and --watch all see the same files that way: what a
 * link inside the folder leads to is itself part of the folder.
 */
#ifndef DOSSIER_FILE_H
#define DOSSIER_FILE_H

#include <glib.h>
#include <stdbool.h>

#define FILE_MAX_CONTENT	(16u << 20)	/* content, templates, theme, cache, manifest */
#define FILE_MAX_ATTACHMENT	(256u << 20)	/* supplied PDFs and images */

/* Every file read or looked for through these functions goes into the
 * current record of the reading thread, when it has one (base/record.h).
 *
 * Read all of `path` (at most `max` bytes) into *text, NUL-terminated, its
 * length in *len (may be NULL).  Opening never blocks; a file in a
 * folder registered with file_confine() that leads out of it is not read
 * ("cannot read: a symbolic link leads out of the content folder, to
 * /etc/passwd").  On failure returns
 * false with *why set to the message ("cannot read: No such file or directory",
 * "cannot read: a FIFO, not a regular file", "file is larger than the
 * limit of 16 MiB", ...), to be printed after "FILE: error: ";
 * the caller frees *why (and *text on success). */
bool file_read(const char *path, size_t max, char **text, size_t *len, char **why);

/* From now on, a file read from inside `dir` (as `dir` is written, or its
 * real path) must be inside `dir`'s real path (`what` names the folder in
 * messages: "content", "templates").  Thread-safe; registering a folder
 * again does nothing. */
void file_confine(const char *dir, const char *what);

/* When `path` lies in a folder registered with file_confine() but is
 * really outside it (a link leads out), a message saying so, to print
 * after "PATH: error: " (the caller frees it); else NULL.  file_read()
 * asks this itself. */
char *file_outside(const char *path);

/* True when something is at `path` (not following a final symbolic link);
 * false when nothing is, which goes into the current record
 * (base/record.h): a file looked for and not found is an input too. */
bool file_exists(const char *path);

/* The names in the folder `dir`, sorted (none when it cannot be read),
 * recorded as a folder listed (or looked for and not found).  The caller
 * unrefs the array. */
GPtrArray *file_list(const char *dir);

/* Write `len` bytes as the file `path` (mode 0644), atomically: a reader
 * sees the old file or the whole new one.  Not counted as a build's file
 * operation (base/fileop.h counts those).  With `sha`, *sha is the
 * SHA-256 of the bytes, remembered as file_sha256() would remember it
 * after reading the file back (the caller frees it).  False after a
 * located "PATH: error: cannot write: ..." diag. */
bool file_write_atomic(const char *path, const void *data, gsize len, char **sha);

/* The SHA-256 of the regular file at `path`, in lowercase hex, and its
 * size in *size (may be NULL).  Each file is read once: the digest is
 * remembered by the file's identity (device, inode, size, mtime in
 * nanoseconds) until file_sha256_forget(), so the outputs of one build
 * that hash the same file (a PDF when it is made, the manifest, the zip's
 * stamp) read it once; a file rewritten or replaced since has another
 * identity and is read again.  Any size (read in pieces); never blocks on
 * a FIFO.  Thread-safe.  NULL on failure with *why set as file_read() sets
 * it; the caller frees the result (and *why). */
char *file_sha256(const char *path, guint64 *size, char **why);

/* DIR/rel when it is a regular file and neither it nor any folder on the
 * way below DIR is a symbolic link (a previous build's file is never read
 * through a link out of OUT); else NULL.  DIR may be NULL (NULL then).
 * The caller frees the result. */
char *file_under(const char *dir, const char *rel);

/* Forget the remembered digests (the end of a build: nothing a later build
 * in the same process reads is taken on trust from this one). */
void file_sha256_forget(void);

/* "16 MiB", "256 KiB", "100 bytes": a limit for messages. Caller frees. */
char *file_size_text(size_t bytes);

#endif

/* record.h - what an output was made from (base).
 *
 * A record lists the inputs one output - or a whole build - actually used,
 * as a compiler's -MMD file lists the headers an object was compiled
 * from, and nothing else decides whether the output is made again:
 *
 *   file  PATH  SHA-256 and identity   a file read (base/file.h)
 *   none  PATH                         a file looked for and not there
 *   list  PATH  digest of its names    a folder listed
 *   value NAME  digest                 a value handed in: the Markdown of a
 *                                      document, a chart's series, the
 *                                      rows of the spreadsheet
 *   env   NAME  digest                 an environment variable read
 *   lib   PATH  identity               a library the program runs with
 *
 * No reader lists its inputs by hand.  Every thread has a current record
 * (none at first): base/file.c adds each file it reads or finds missing to
 * it, base/searchpath.c each file it looks for, record_getenv() each
 * variable, the lazily opened libraries (typeset/lazylib.h) themselves.
 * A job that makes one output pushes that output's record while it runs;
 * a build pushes its own record around everything it does.  This is the
 * one piece of per-thread state of base/ besides diag's capture; it has
 * no reset, as each push is undone by its pop.
 *
 * A record can name files under one folder relative to it, record_set_out()
 * (the staging folder of a build, whose files the next build finds in its
 * own staging folder), and leave the files under others out,
 * record_ignore() (the previous build's output: it is not an input).
 *
 * To decide whether to make an output again, the writer records the values
 * it would hand in now, and record_changed() compares them with the old
 * record and checks every file, absence, folder, variable and library of
 * the old record again.  A file whose identity (size, mtime, inode) is
 * the recorded one is taken as unchanged without being read; otherwise
 * its SHA-256 decides, so a file touched but not changed still matches.
 *
 * Records are not thread-safe: one thread adds to a record at a time
 * (merging the records of finished jobs is the caller's, afterwards).
 */
#ifndef DOSSIER_RECORD_H
#define DOSSIER_RECORD_H

#include <glib.h>
#include <stdbool.h>
#include <sys/stat.h>

typedef struct record record;

record *record_new(void);
void record_free(record *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(record, record_free)

/* Files are recorded with their identity as well as their SHA-256, so that
 * record_changed() need not read a file whose identity is the one
 * recorded.  For a record only this machine reads again (the build's): an
 * output's record holds digests only, the same in any OUT. */
void record_keep_identities(record *r);

/* Files under `dir` are recorded as "<out>/REL". */
void record_set_out(record *r, const char *dir);

/* Files under `dir` are not recorded (any number of folders). */
void record_ignore(record *r, const char *dir);

/* Make `r` (may be NULL: record nothing) this thread's current record
 * until the matching record_pop(); returns the one it replaces, for
 * record_pop(). */
record *record_push(record *r);
void record_pop(record *previous);

/* This thread's current record, or NULL. */
record *record_current(void);

/* Add entries (no-ops on a NULL record).  A file with its SHA-256 and,
 * when known, the stat of what was read; a value by its bytes. */
void record_file(record *r, const char *path, const char *sha, const struct stat *st);
void record_none(record *r, const char *path);
void record_list(record *r, const char *dir, GPtrArray *names);
void record_value(record *r, const char *name, const void *data, gsize len);
void record_value_str(record *r, const char *name, const char *s);
void record_lib(record *r, const char *path);

/* The environment variable `name` as it is now. */
void record_env(record *r, const char *name);

/* g_getenv(), recorded in the current record. */
const char *record_getenv(const char *name);

/* Every entry of `from` into `into` (files under into's own out folder
 * or ignored folders as into decides); nothing when `into` is NULL. */
void record_merge(record *into, const record *from);

/* The same without the values: what `from` read, into a record made from
 * other values (an output's reads into the build's record). */
void record_merge_reads(record *into, const record *from);

/* The names of the files read, sorted (g_ptr_array_unref; owned). */
GPtrArray *record_files(const record *r);

/* The entries as text, one per line, sorted: "KIND\tNAME\tVALUE\n". */
char *record_text(const record *r);

/* A record from record_text()'s lines; NULL when a line is not one. */
record *record_parse(const char *text);

/* The SHA-256 of record_text(). */
char *record_digest(const record *r);

/* NULL when every input of `was` is as recorded: its values equal those of
 * `now` (which holds the values that would be handed in today; its other
 * entries do not count), and every file, absence, folder, variable and
 * library is as it was.  Otherwise the first difference in words ("the
 * value markdown changed", "PATH changed").  "<out>/" names are looked up
 * under `out` (may be NULL: they then count as changed).  The caller
 * frees the result. */
char *record_changed(const record *was, const record *now, const char *out);

#endif

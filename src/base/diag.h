/* diag.h - every message of dossier goes through here, and the one error
 * convention of the code.
 *
 * Messages are one line each, in the form compilers use:
 *     content/metrics/2026-10.yaml:7:15: error: uptime_percent must be ...
 * A position of 0 leaves that part out ("FILE: error: ..." or
 * "FILE:LINE: error: ...").  diag keeps the worst severity seen; the exit
 * status of a command follows it (diag_exit_status(): any error makes it 2,
 * bad input).
 *
 * The error convention, followed everywhere:
 * - A function that can fail on bad input or I/O reports the failure itself,
 *   with diag(DIAG_ERROR, file, line, col, ...) at the spot, then returns
 *   false (bool) or NULL (a pointer), and says so in its comment.  The
 *   caller only passes the failure up; it never reports it again.
 * - A function that cannot know where the failure is (a library opened
 *   when needed, Graphviz, an image decoder: no file, no line) does not
 *   report it: it returns false or NULL with the reason in `char **why`
 *   (a new string the caller frees; typeset/lazylib.h's, a library that
 *   cannot be opened, is borrowed), and the caller reports that reason at
 *   the spot it knows.  It is the only other form.
 * - A function that returns a count (pages, rows, changes) returns -1 on
 *   failure, after the same diag().  A -1 that means "not found" or
 *   "unknown" (an index, a three-valued truth) is an answer, not a failure,
 *   and its comment says so.
 * - Out of memory is not a failure: GLib's allocators abort.
 * - A command returns diag_exit_status() (or EXIT_NO for a negative answer),
 *   not a status of its own making.
 * - Messages said on a worker thread are captured there (counted at their
 *   level as they are said) and printed later with diag_replay(), which
 *   never reads a level back out of the text.
 *
 * A message identical to one already given (since diag_reset()) is not
 * repeated.  Messages go to stderr, all of them: findings (diag()), errors
 * of usage (diag_usage()), what --verbose and progress say (diag_say(),
 * diag_progress()); nothing else in the program writes to stderr.  Tests can capture them instead with
 * diag_capture_begin()/diag_capture_end().
 */
#ifndef DOSSIER_DIAG_H
#define DOSSIER_DIAG_H

#include <glib.h>
#include <stdarg.h>

typedef enum {
	DIAG_NOTE,
	DIAG_WARNING,
	DIAG_ERROR,
} diag_level;

/* Exit statuses, used by every command. */
enum {
	EXIT_OK = 0,		/* success */
	EXIT_NO = 1,		/* a negative answer: not ready, verify found changes */
	EXIT_BAD = 2,		/* bad usage or bad input */
};

void diag(diag_level level, const char *file, int line, int col,
	  const char *fmt, ...) G_GNUC_PRINTF(5, 6);
void diag_v(diag_level level, const char *file, int line, int col,
	    const char *fmt, va_list ap);

/* An error about how a command was called, not about a file, counted as
 * diag() counts one: "dossier CMD: MESSAGE" ("dossier: MESSAGE" when cmd
 * is NULL), and when `hint` is true the line "Try 'dossier CMD --help'."
 * after it. */
void diag_usage(const char *cmd, gboolean hint, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* A line that is not a finding: what --verbose tells, that a build waits
 * or was interrupted, the items a --final build misses, a hint.  Printed as
 * given (one line; the newline is added) on the same stream as every other
 * message, never counted, never left out as a repeat; captured like
 * diag()'s on a thread that captures. */
void diag_say(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* A progress line on a terminal ("dossier: typesetting 3/12"), redrawn in
 * place: each call replaces the last; diag_progress(NULL) clears it.  Never
 * captured or teed.  The caller decides whether stderr is a terminal. */
void diag_progress(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* Messages about files under `from` name them under `to` instead (the
 * staging folder of a build is named as the package it becomes).  NULLs
 * turn it off.  Not thread-safe: set it before starting workers. */
void diag_alias_path(const char *from, const char *to);
/* `file` as messages name it now (under the alias's `to`); a new string. */
char *diag_shown_path(const char *file);

/* Messages captured earlier (on a worker thread), one per line: each is
 * printed as diag() would (once).  Not counted again: diag() counted them,
 * at their level, when they were captured. */
void diag_replay(const char *lines);

/* Number of errors reported since the last diag_reset(). */
unsigned diag_errors(void);
/* The worst level reported since the last diag_reset(); -1 when none. */
int diag_worst(void);
/* EXIT_BAD when an error was reported since the last diag_reset(), else
 * EXIT_OK. */
int diag_exit_status(void);
void diag_reset(void);

/* Collect the calling thread's messages in a string instead of printing
 * them (tests; each document typeset on a worker thread).  Errors still
 * count for diag_errors().  diag_capture_end returns what was collected;
 * the caller frees it. */
void diag_capture_begin(void);
char *diag_capture_end(void);

/* Keep a copy of every line printed (to stderr) from diag_tee_begin() on,
 * from any thread, besides printing it; diag_tee_end() returns the copy,
 * which the caller frees (`dossier serve` shows a failed build's messages
 * in the page). */
void diag_tee_begin(void);
char *diag_tee_end(void);

/* The 1-based line and column (in characters) of byte `offset` of `text`
 * (offsets past `len` stop at `len`). */
void diag_locate(const char *text, size_t len, size_t offset, int *line, int *col);

/* The same for many offsets of one text asked for in increasing order (the
 * cells of a CSV file): each step counts only the bytes since the last
 * one, so locating every cell of a file is linear.  An offset before the
 * last one starts again from the beginning.  Zero-initialise, then set
 * text and len. */
typedef struct {
	const char *text;
	size_t len;
	size_t off;		/* where the count stands */
	int line, col;		/* its position (0: not started) */
} diag_cursor;

void diag_cursor_locate(diag_cursor *c, size_t offset, int *line, int *col);

/* Colour on stderr for "error:", "warning:" and "note:" (and the location
 * in bold), as compilers do.  AUTO, the default: only when stderr is a
 * terminal, NO_COLOR is unset or empty and TERM is not "dumb".  ALWAYS and
 * NEVER are the user's explicit --color choice and win over NO_COLOR.
 * Captured messages never carry colour; it is added when printed. */
typedef enum { DIAG_COLOR_AUTO, DIAG_COLOR_ALWAYS, DIAG_COLOR_NEVER } diag_color;
void diag_set_color(diag_color when);
/* "auto", "always" or "never" into *when; false for anything else. */
gboolean diag_parse_color(const char *s, diag_color *when);

/* The reason alone of a failed file operation, for "cannot read: REASON":
 * GLib's file errors say "Failed to open file “x”: No such file or
 * directory", and the file is named at the start of our line already. */
const char *diag_io_reason(const GError *err);

/* The closest of `candidates` (NULL-terminated) to `word`, for
 * "did you mean" hints; NULL when nothing is close enough. */
const char *diag_suggest(const char *word, const char *const *candidates);

#endif

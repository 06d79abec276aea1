/* base/diag.c - the one place messages are printed (see diag.h).
 *
 * Every stage reports bad input here, as "FILE:LINE:COL: error: ..." on one
 * line.  A thread-safe counter of errors decides the exit status.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"

static GMutex diag_lock;
static unsigned n_errors;
static int worst = -1;		/* the worst level since diag_reset() */
static GHashTable *said;	/* every line printed since diag_reset() */
static GString *told;		/* every line printed since diag_tee_begin(), or NULL */
/* A capture belongs to the thread that began it: documents typeset at once
 * on several threads each collect their own messages. */
static _Thread_local GString *captured;		/* non-NULL while capturing */
static _Thread_local GHashTable *captured_said;	/* every line captured */
static char *alias_from, *alias_to;	/* see diag_alias_path() */

void
diag_alias_path(const char *from, const char *to)
{
	g_free(alias_from);
	g_free(alias_to);
	alias_from = from && to ? g_strdup(from) : NULL;
	alias_to = from && to ? g_strdup(to) : NULL;
}

char *
diag_shown_path(const char *file)
{
	size_t n = alias_from ? strlen(alias_from) : 0;
	if (n && !strncmp(file, alias_from, n) && (file[n] == '/' || file[n] == '\0'))
		return g_strconcat(alias_to, file + n, NULL);
	return g_strdup(file);
}

static const char *const level_names[] = {
	[DIAG_NOTE] = "note", [DIAG_WARNING] = "warning", [DIAG_ERROR] = "error",
};

static void emit(diag_level level, const char *line, bool count);

/* ---- colour ---------------------------------------------------------------- */

static diag_color color_when = DIAG_COLOR_AUTO;
static int color_on = -1;	/* decided at the first message: 0 or 1 */

void
diag_set_color(diag_color when)
{
	g_mutex_lock(&diag_lock);
	color_when = when;
	color_on = -1;
	g_mutex_unlock(&diag_lock);
}

gboolean
diag_parse_color(const char *s, diag_color *when)
{
	static const char *const names[] = { "auto", "always", "never" };
	for (int i = 0; i < 3; i++)
		if (s && !strcmp(s, names[i])) {
			*when = (diag_color)i;
			return TRUE;
		}
	return FALSE;
}

static bool
use_color(void)		/* with diag_lock held */
{
	if (color_on < 0) {
		const char *no = g_getenv("NO_COLOR"), *term = g_getenv("TERM");
		color_on = color_when == DIAG_COLOR_ALWAYS ||
			   (color_when == DIAG_COLOR_AUTO && isatty(STDERR_FILENO) &&
			    !(no && *no) && !(term && !strcmp(term, "dumb")));
	}
	return color_on;
}

/* Print one finished line to stderr, the location bold and the level in its
 * colour (red errors, magenta warnings, cyan notes, as GCC has them). */
static void
put_line(const char *line)
{
	static const struct { const char *word, *sgr; } levels[] = {
		{ ": error: ", "\033[1;31m" },
		{ ": warning: ", "\033[1;35m" },
		{ ": note: ", "\033[1;36m" },
	};
	if (use_color())
		for (size_t i = 0; i < G_N_ELEMENTS(levels); i++) {
			const char *at = strstr(line, levels[i].word);
			if (!at)
				continue;
			size_t w = strlen(levels[i].word);
			fprintf(stderr, "\033[1m%.*s:\033[0m %s%.*s\033[0m %s",
				(int)(at - line), line, levels[i].sgr,
				(int)(w - 3), at + 2, at + w);
			return;
		}
	fputs(line, stderr);
}

void
diag_v(diag_level level, const char *file, int line, int col,
       const char *fmt, va_list ap)
{
	g_autoptr(GString) s = g_string_new(NULL);
	if (file) {
		g_autofree char *shown = diag_shown_path(file);
		g_string_append(s, shown);
		if (line > 0)
			g_string_append_printf(s, ":%d", line);
		if (line > 0 && col > 0)
			g_string_append_printf(s, ":%d", col);
		g_string_append(s, ": ");
	} else {
		g_string_append(s, "dossier: ");
	}
	g_string_append_printf(s, "%s: ", level_names[level]);
	gsize at = s->len;
	g_string_append_vprintf(s, fmt, ap);
	if (alias_from && strstr(s->str + at, alias_from)) {
		g_autofree char *text = g_strdup(s->str + at);
		g_autoptr(GString) t = g_string_new(text);
		g_string_replace(t, alias_from, alias_to, 0);
		g_string_truncate(s, at);
		g_string_append(s, t->str);
	}
	/* One line, always: a message never carries a newline from the input. */
	for (char *p = s->str; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	g_string_append_c(s, '\n');
	emit(level, s->str, true);
}

/* Print (or capture) one finished line, unless it was said already. */
static void
emit(diag_level level, const char *line, bool count)
{
	if (captured) {		/* this thread's own: no lock needed */
		if (g_hash_table_add(captured_said, g_strdup(line)))
			g_string_append(captured, line);
	}
	g_mutex_lock(&diag_lock);
	if (level == DIAG_ERROR && count)
		n_errors++;
	if (count)
		worst = MAX(worst, (int)level);
	/* The same line twice says nothing new: a shared template's missing
	 * value would otherwise be reported once per document using it. */
	if (!said)
		said = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (!captured && g_hash_table_add(said, g_strdup(line))) {
		put_line(line);
		if (told)
			g_string_append(told, line);
	}
	g_mutex_unlock(&diag_lock);
}

void
diag_replay(const char *lines)
{
	g_auto(GStrv) v = g_strsplit(lines, "\n", -1);
	for (char **l = v; *l; l++) {
		if (!**l)
			continue;
		g_autofree char *line = g_strconcat(*l, "\n", NULL);
		emit(DIAG_NOTE, line, false);	/* counted, at its level, when captured */
	}
}

void
diag_usage(const char *cmd, gboolean hint, const char *fmt, ...)
{
	g_autoptr(GString) s = g_string_new("dossier");
	if (cmd)
		g_string_append_printf(s, " %s", cmd);
	g_string_append(s, ": ");
	va_list ap;
	va_start(ap, fmt);
	g_string_append_vprintf(s, fmt, ap);
	va_end(ap);
	g_string_append_c(s, '\n');
	if (hint)
		g_string_append_printf(s, "Try 'dossier%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
	emit(DIAG_ERROR, s->str, true);
}

void
diag_say(const char *fmt, ...)
{
	g_autoptr(GString) s = g_string_new(NULL);
	va_list ap;
	va_start(ap, fmt);
	g_string_append_vprintf(s, fmt, ap);
	va_end(ap);
	g_string_append_c(s, '\n');
	if (captured) {
		g_string_append(captured, s->str);
		return;
	}
	g_mutex_lock(&diag_lock);
	fputs(s->str, stderr);
	if (told)
		g_string_append(told, s->str);
	g_mutex_unlock(&diag_lock);
}

void
diag_progress(const char *fmt, ...)
{
	g_autoptr(GString) s = g_string_new("\r");
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		g_string_append_vprintf(s, fmt, ap);
		va_end(ap);
	} else {
		g_string_append(s, "\033[K");
	}
	g_mutex_lock(&diag_lock);
	fputs(s->str, stderr);
	fflush(stderr);
	g_mutex_unlock(&diag_lock);
}

void
diag(diag_level level, const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_v(level, file, line, col, fmt, ap);
	va_end(ap);
}

unsigned
diag_errors(void)
{
	g_mutex_lock(&diag_lock);
	unsigned n = n_errors;
	g_mutex_unlock(&diag_lock);
	return n;
}

int
diag_worst(void)
{
	g_mutex_lock(&diag_lock);
	int w = worst;
	g_mutex_unlock(&diag_lock);
	return w;
}

int
diag_exit_status(void)
{
	return diag_worst() >= DIAG_ERROR ? EXIT_BAD : EXIT_OK;
}

void
diag_reset(void)
{
	g_mutex_lock(&diag_lock);
	n_errors = 0;
	worst = -1;
	if (said)
		g_hash_table_remove_all(said);
	g_mutex_unlock(&diag_lock);
}

void
diag_tee_begin(void)
{
	g_mutex_lock(&diag_lock);
	if (!told)
		told = g_string_new(NULL);
	g_mutex_unlock(&diag_lock);
}

char *
diag_tee_end(void)
{
	g_mutex_lock(&diag_lock);
	char *s = told ? g_string_free(told, FALSE) : g_strdup("");
	told = NULL;
	g_mutex_unlock(&diag_lock);
	return s;
}

void
diag_capture_begin(void)
{
	if (!captured)
		captured = g_string_new(NULL);
	/* Each capture sees every message, even one printed before. */
	if (!captured_said)
		captured_said = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_hash_table_remove_all(captured_said);
}

char *
diag_capture_end(void)
{
	char *s = captured ? g_string_free(captured, FALSE) : g_strdup("");
	captured = NULL;
	if (captured_said) {
		g_hash_table_unref(captured_said);
		captured_said = NULL;
	}
	return s;
}

void
diag_cursor_locate(diag_cursor *c, size_t offset, int *line, int *col)
{
	if (c->line == 0 || offset < c->off) {
		c->off = 0;
		c->line = c->col = 1;
	}
	for (; c->off < offset && c->off < c->len; c->off++) {
		if (c->text[c->off] == '\n') {
			c->line++;
			c->col = 1;
		} else if (((unsigned char)c->text[c->off] & 0xC0) != 0x80) {
			c->col++;	/* a UTF-8 lead byte starts a character */
		}
	}
	*line = c->line;
	*col = c->col;
}

void
diag_locate(const char *text, size_t len, size_t offset, int *line, int *col)
{
	diag_cursor c = { .text = text, .len = len };
	diag_cursor_locate(&c, offset, line, col);
}

/* Edit distance counting a swap of two neighbours as one edit, as a
 * misspelling usually is ("titel" is one edit from "title"): the optimal
 * string alignment distance, bounded to short words. */
static guint
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return G_MAXUINT;
	guint d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (guint)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (guint)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			guint sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			guint best = MIN(MIN(d[i - 1][j] + 1, d[i][j - 1] + 1), sub);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
				best = MIN(best, d[i - 2][j - 2] + 1);
			d[i][j] = best;
		}
	return d[la][lb];
}

const char *
diag_io_reason(const GError *err)
{
	if (!err)
		return "unknown error";
	const char *at = err->domain == G_FILE_ERROR ? strrchr(err->message, ':') : NULL;
	return at && at[1] == ' ' && at[2] ? at + 2 : err->message;
}

const char *
diag_suggest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	guint best_d = G_MAXUINT;
	for (const char *const *c = candidates; *c; c++) {
		guint d = edit_distance(word, *c);
		if (d < best_d) {
			best_d = d;
			best = *c;
		}
	}
	/* Close enough: a third of the word's length, at least 1, at most 3. */
	guint limit = CLAMP(strlen(word) / 3, 1, 3);
	return best_d <= limit ? best : NULL;
}

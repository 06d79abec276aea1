/* base/source.c - sources of rules, and places in files (see source.h). */
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/source.h"

const val *
source_find_id(const val *list, const char *id)
{
	for (guint i = 0; i < val_len(list); i++) {
		const val *v = val_get(val_index(list, i), "id");
		if (v && v->kind == VAL_STRING && !strcmp(v->str, id))
			return val_index(list, i);
	}
	return NULL;
}

const val *
source_find(const val *file, const char *id)
{
	return source_find_id(val_get(file, "sources"), id);
}

char *
source_text(const val *file, const char *id)
{
	const val *s = source_find(file, id);
	if (!s)
		return NULL;
	const val *url = val_get(s, "url"), *upd = val_get(s, "updated");
	GString *t = g_string_new(val_get(s, "title")->str);
	if (url)
		g_string_append_printf(t, ", %s", url->str);
	g_string_append(t, " (");
	if (upd)
		g_string_append_printf(t, "updated %s; ", upd->str);
	g_string_append_printf(t, "read %s)", val_get(s, "read")->str);
	return g_string_free(t, FALSE);
}

/* The byte offset of line `line`, character column `col` (1-based) of
 * text; len when past the end. */
static size_t
offset_of(const char *text, size_t len, int line, int col)
{
	size_t p = 0;
	for (int l = 1; l < line && p < len; p++)
		if (text[p] == '\n')
			l++;
	for (int c = 1; c < col && p < len && text[p] != '\n'; c++)
		p = (size_t)(g_utf8_next_char(text + p) - text);
	return p;
}

void
source_locate(const val *v, size_t offset, int *line, int *col)
{
	*line = v->line;
	*col = v->col;
	g_autofree char *text = NULL, *why = NULL;
	size_t len = 0;
	if (!v->file || v->kind != VAL_STRING || v->line <= 0 ||
	    !file_read(v->file, FILE_MAX_CONTENT, &text, &len, &why))
		return;
	size_t p = offset_of(text, len, v->line, v->col);
	if (p < len && (text[p] == '>' || text[p] == '|')) {	/* a block scalar: its text starts below */
		while (p < len && text[p] != '\n')
			p++;
		p++;
	} else if (p < len && (text[p] == '"' || text[p] == '\'')) {
		p++;
	}
	/* Walk the value and its source side by side: a line break and the
	 * next line's indentation in the source stand for the one space (or
	 * line break) they fold to; an escape stands for one character. */
	const char *s = v->str;
	size_t vi = 0;
	while (vi < offset && s[vi] && p < len) {
		char vc = s[vi], sc = text[p];
		if (vc == sc) {
			vi++;
			p++;
		} else if (g_ascii_isspace(vc) && g_ascii_isspace(sc)) {
			while (p < len && g_ascii_isspace(text[p]))
				p++;
			vi++;
		} else if (g_ascii_isspace(sc)) {
			p++;
		} else if (sc == '\\' && p + 1 < len) {
			p += 2;
			vi++;
		} else {
			p++;
			vi++;
		}
	}
	/* Indentation still ahead of the character itself. */
	while (p < len && g_ascii_isspace(text[p]) && s[vi] && !g_ascii_isspace(s[vi]))
		p++;
	diag_locate(text, len, p, line, col);
}

/* load/csvfile.c - a CSV export as a list of maps (load stage; see csvfile.h).
 *
 * libcsv does the parsing.  It is fed one byte at a time so that we know
 * where each field starts: libcsv reports a field only when it ends, and a
 * message about a bad cell must point at the cell.  Cells are located in
 * order with one diag_cursor, so a file costs time in proportion to its
 * size (a 14 MB export loads in about 2 s).
 */
#include <csv.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "load/csvfile.h"
#include "base/diag.h"
#include "base/file.h"
#include "load/schema.h"
#include "load/yaml.h"		/* YAML_MAX_BYTES: the same size limit */

typedef struct {
	char *text;		/* the field, unquoted */
	size_t off;		/* byte offset of its first character */
} cell;

typedef struct {
	GPtrArray *rows;	/* GPtrArray of cell*, one per record */
	GPtrArray *row;		/* the record being read */
	size_t start;		/* offset of the field being read */
	unsigned events;	/* fields and records reported so far */
} reader;

static void
cell_free(gpointer p)
{
	cell *c = p;
	g_free(c->text);
	g_free(c);
}

static void
on_field(void *s, size_t len, void *data)
{
	reader *r = data;
	cell *c = g_new0(cell, 1);
	r->events++;
	c->text = g_strndup(s ? s : "", s ? len : 0);
	c->off = r->start;
	if (!r->row)
		r->row = g_ptr_array_new_with_free_func(cell_free);
	g_ptr_array_add(r->row, c);
}

static void
on_record(int term, void *data)
{
	reader *r = data;
	r->events++;
	if (!r->row)
		r->row = g_ptr_array_new_with_free_func(cell_free);
	g_ptr_array_add(r->rows, r->row);
	r->row = NULL;
}

/* Parse text from byte `from` on into records of cells, fields separated
 * by `sep`; NULL after a located error. */
static GPtrArray *
parse(const char *path, const char *text, size_t len, size_t from, char sep)
{
	struct csv_parser p;
	reader r = { .rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref) };
	bool need_start = true;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		g_error("out of memory");
	csv_set_delim(&p, (unsigned char)sep);
	for (size_t i = from; i < len; i++) {
		unsigned before = r.events;
		if (need_start && text[i] != '\r' && text[i] != '\n') {
			r.start = i;
			need_start = false;
		}
		if (csv_parse(&p, text + i, 1, on_field, on_record, &r) != 1) {
			int line, col;
			diag_locate(text, len, i, &line, &col);
			diag(DIAG_ERROR, path, line, col,
			     "a quote (\") inside a field must be doubled (\"\"), and a quoted field must end at a comma or the end of the line");
			goto fail;
		}
		if (r.events != before)
			need_start = true;	/* a field ended here */
	}
	if (csv_fini(&p, on_field, on_record, &r) != 0) {
		int line, col;
		diag_locate(text, len, r.start, &line, &col);
		diag(DIAG_ERROR, path, line, col, "a quoted field opened here is never closed");
		goto fail;
	}
	csv_free(&p);
	if (r.row)
		g_ptr_array_unref(r.row);
	return r.rows;
fail:
	csv_free(&p);
	if (r.row)
		g_ptr_array_unref(r.row);
	g_ptr_array_unref(r.rows);
	return NULL;
}

/* A header name as it is matched: trimmed, ASCII lower case. */
static char *
header_key(const char *s)
{
	g_autofree char *t = g_strstrip(g_strdup(s));
	return g_ascii_strdown(t, -1);
}

/* A line break inside a cell (Alt-Enter in a spreadsheet) is wrapping, not
 * structure: the values land in table cells, so it becomes one space. */
/* A pattern compiled once for all cells of all files (a file has up to a
 * million cells). */
static GRegex *
regex_once(GRegex **re, const char *pattern)
{
	if (g_once_init_enter(re))
		g_once_init_leave(re, g_regex_new(pattern, 0, 0, NULL));
	return *re;
}

static char *
join_lines(const char *s)
{
	static GRegex *re;
	if (!strchr(s, '\n'))
		return g_strdup(s);
	return g_regex_replace_literal(regex_once(&re, "[ \\t]*\\r?\\n[ \\t]*"), s, -1, 0, " ", 0, NULL);
}

/* "12", "-3.5", "1e6": what YAML would read as a number. */
static bool
looks_numeric(const char *s)
{
	static GRegex *re;
	return g_regex_match(regex_once(&re, "^[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?$"), s, 0, NULL);
}

static bool
is_optional(const char *key, const val *sub)
{
	return g_str_has_suffix(key, "?") ||
	       (sub->kind == VAL_STRING && g_str_has_suffix(sub->str, "?"));
}

/* The declared columns of one item, without their '?'. */
static char *
column_name(const char *key)
{
	return g_strndup(key, strlen(key) - g_str_has_suffix(key, "?"));
}

val *
csvfile_load(const char *path, const val *item_schema)
{
	g_autofree char *data = NULL, *why = NULL;
	gsize len;
	if (!file_read(path, YAML_MAX_BYTES, &data, &len, &why)) {
		diag(DIAG_ERROR, path, 0, 0, "%s", why);
		return NULL;
	}
	return csvfile_load_string(path, data, len, item_schema);
}

/* The text a parse can start from: no larger than the limit, without the
 * byte-order mark spreadsheets write, valid UTF-8.  false after a located
 * error. */
static bool
text_ok(const char *path, const char **text, size_t *len)
{
	if (*len > YAML_MAX_BYTES) {
		diag(DIAG_ERROR, path, 0, 0, "file is larger than the limit of %u MiB", YAML_MAX_BYTES >> 20);
		return false;
	}
	if (*len >= 3 && !memcmp(*text, "\xEF\xBB\xBF", 3)) {	/* spreadsheets write one */
		*text += 3;
		*len -= 3;
	}
	const char *bad;
	if (!g_utf8_validate(*text, (gssize)*len, &bad)) {
		int line, col;
		diag_locate(*text, *len, (size_t)(bad - *text), &line, &col);
		diag(DIAG_ERROR, path, line, col, "invalid text: not UTF-8 (export the file as UTF-8)");
		return false;
	}
	/* Control characters (tab and line ends aside), C1 ones included: YAML
	 * refuses them, and they would reach documents unseen. */
	for (const char *p = *text; p < *text + *len; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f)) {
			int line, col;
			diag_locate(*text, *len, (size_t)(p - *text), &line, &col);
			diag(DIAG_ERROR, path, line, col, "invalid text: control character U+%04X; a cell holds "
			     "text, tabs and line breaks only", (unsigned)c);
			return false;
		}
	}
	return true;
}

/* Excel's first line "sep=;" names the separator: *sep gets it and *from
 * the offset of the line after.  Otherwise a comma, from the start. */
static void
declared_separator(const char *text, size_t len, char *sep, size_t *from)
{
	*sep = ',';
	*from = 0;
	if (len < 5 || strncmp(text, "sep=", 4) || !text[4] || !strchr(",;\t|", text[4]))
		return;
	size_t end = 5 + (len > 5 && text[5] == '\r');
	if (end == len || text[end] == '\n') {
		*sep = text[4];
		*from = end == len ? len : end + 1;
	}
}

/* A file being read: its text, for locating cells, and where each declared
 * column stands in its header. */
typedef struct {
	const char *path;
	const char *file;	/* path, interned, for the values */
	const char *text;
	size_t len;
	const val *schema;	/* one item's schema: column -> type */
	guint ncols;		/* val_len(schema) */
	int *where;		/* each declared column's place in the header; -1: absent */
	GString *declared;	/* "id, industry, city": the columns, for messages */
	GPtrArray *header;	/* the first row's cells */
	char sep;		/* the separator */
	size_t from;		/* where the rows start (after a "sep=" line) */
	diag_cursor *at;	/* cells are located in order: linear */
} table;

/* The line and column of a byte of the table's text. */
static void
table_locate(const table *t, size_t off, int *line, int *col)
{
	diag_cursor_locate(t->at, off, line, col);
}

/* The separator the header row seems to use instead of `sep`, when
 * splitting it by that one names a declared column; '\0' when none does. */
static char
other_separator(const table *t, char sep)
{
	const char *line = t->text + t->from;
	size_t n = strcspn(line, "\r\n");
	g_autofree char *first = g_strndup(line, n);
	static const char cands[] = { ';', '\t', '|', ',' };
	for (size_t c = 0; c < sizeof cands; c++) {
		if (cands[c] == sep || !strchr(first, cands[c]))
			continue;
		char delim[2] = { cands[c], '\0' };
		g_auto(GStrv) cells = g_strsplit(first, delim, -1);
		for (char **cell = cells; *cell; cell++) {
			g_autofree char *hk = header_key(g_strdelimit(*cell, "\"", ' '));
			for (guint k = 0; k < t->ncols; k++) {
				g_autofree char *name = column_name(val_key(t->schema, k));
				if (!strcmp(hk, name))
					return cands[c];
			}
		}
	}
	return '\0';
}

static const char *
separator_name(char c)
{
	switch (c) {
	case ';': return "semicolons";
	case '\t': return "tabs";
	case '|': return "bars (|)";
	default: return "commas";
	}
}

/* The header row names no declared column split by the separator, but
 * does split by another: an error naming both, before the rows are parsed
 * (a quoted cell would otherwise be the first complaint).  False after it. */
static bool
table_separator(table *t)
{
	const char *line = t->text + t->from;
	g_autofree char *first = g_strndup(line, strcspn(line, "\r\n"));
	char delim[2] = { t->sep, '\0' };
	g_auto(GStrv) cells = g_strsplit(first, delim, -1);
	for (char **cell = cells; *cell; cell++) {
		g_autofree char *hk = header_key(g_strdelimit(*cell, "\"", ' '));
		for (guint k = 0; k < t->ncols; k++) {
			g_autofree char *name = column_name(val_key(t->schema, k));
			if (!strcmp(hk, name))
				return true;
		}
	}
	char other = other_separator(t, t->sep);
	if (!other)
		return true;	/* no header at all: table_header() says so */
	g_autoptr(GString) declared = g_string_new(NULL);
	for (guint k = 0; k < t->ncols; k++) {
		g_autofree char *name = column_name(val_key(t->schema, k));
		g_string_append_printf(declared, "%s%s", k ? ", " : "", name);
	}
	int l, c;
	table_locate(t, t->from, &l, &c);
	diag(DIAG_ERROR, t->path, l, c, "the first row must be a header naming the columns (%s), "
	     "separated by %s; this file separates them with %s (as a spreadsheet does in some "
	     "languages): save it with %s, or make its first line sep=%s", declared->str,
	     separator_name(t->sep), separator_name(other), separator_name(t->sep),
	     other == '\t' ? " followed by a tab" : (char[]){ other, '\0' });
	return false;
}

/* Finds each declared column in the header (the first of `rows`): false
 * after a located error for an empty file, a header naming none of them, a
 * column named twice or a required one missing. */
static bool
table_header(table *t, GPtrArray *rows)
{
	for (guint k = 0; k < t->ncols; k++) {
		g_autofree char *name = column_name(val_key(t->schema, k));
		g_string_append_printf(t->declared, "%s%s", k ? ", " : "", name);
		t->where[k] = -1;
	}
	if (rows->len == 0) {
		diag(DIAG_ERROR, t->path, 1, 1, "the file is empty: the first row must be a header naming the columns (%s)",
		     t->declared->str);
		return false;
	}
	t->header = rows->pdata[0];
	bool ok = true;
	guint matched = 0;
	for (guint c = 0; c < t->header->len; c++) {
		cell *h = t->header->pdata[c];
		g_autofree char *hk = header_key(h->text);
		for (guint k = 0; k < t->ncols; k++) {
			g_autofree char *name = column_name(val_key(t->schema, k));
			if (strcmp(hk, name))
				continue;
			if (t->where[k] >= 0) {
				int line, col, l0, c0;
				table_locate(t, h->off, &line, &col);
				table_locate(t, ((cell *)t->header->pdata[t->where[k]])->off, &l0, &c0);
				diag(DIAG_ERROR, t->path, line, col, "column '%s' appears twice in the header (also at column %d)",
				     name, c0);
				ok = false;
			} else {
				t->where[k] = (int)c;
				matched++;
			}
		}
	}
	if (matched == 0) {
		int line, col;
		table_locate(t, t->from, &line, &col);
		diag(DIAG_ERROR, t->path, line, col, "the first row must be a header naming the columns (%s)",
		     t->declared->str);
		return false;
	}
	for (guint k = 0; k < t->ncols; k++) {
		const char *key = val_key(t->schema, k);
		if (t->where[k] < 0 && !is_optional(key, val_index(t->schema, k))) {
			g_autofree char *name = column_name(key);
			diag(DIAG_ERROR, t->path, 1, 1, "missing column '%s': the header must name %s (in any order)",
			     name, t->declared->str);
			ok = false;
		}
	}
	return ok;
}

/* ",,," as spreadsheets leave at the end. */
static bool
row_blank(GPtrArray *row)
{
	bool blank = true;
	for (guint c = 0; c < row->len && blank; c++)
		blank = !*g_strstrip(((cell *)row->pdata[c])->text);
	return blank;
}

/* A cell as YAML would have read it: a number keeping its text, or a
 * string with its line breaks joined. */
static val *
cell_value(const cell *c)
{
	if (looks_numeric(c->text)) {
		val *v = val_new_number(g_ascii_strtod(c->text, NULL));
		v->str = g_strdup(c->text);
		return v;
	}
	return val_new_string_take(join_lines(c->text));
}

/* One record as a map of its declared columns, each checked against the
 * schema; *ok becomes false after a located error (a missing field, a bad
 * value), and the map holds the cells that could be read. */
static val *
table_row(const table *t, GPtrArray *row, bool *ok)
{
	int rline, rcol;
	table_locate(t, ((cell *)row->pdata[0])->off, &rline, &rcol);
	val *item = val_at(val_new_map(), t->file, rline, rcol);
	for (guint k = 0; k < t->ncols; k++) {
		const char *key = val_key(t->schema, k);
		const val *sub = val_index(t->schema, k);
		g_autofree char *name = column_name(key);
		g_autofree char *what = g_strdup_printf("column '%s'", name);
		if (t->where[k] < 0)
			continue;
		if ((guint)t->where[k] >= row->len) {
			cell *last = row->pdata[row->len - 1];
			int line, col;
			table_locate(t, last->off + strlen(last->text), &line, &col);
			diag(DIAG_ERROR, t->path, line, col, "%s is missing: this row has %u field%s, the header %u",
			     what, row->len, row->len == 1 ? "" : "s", t->header->len);
			*ok = false;
			continue;
		}
		cell *c = row->pdata[t->where[k]];
		if (!*c->text && is_optional(key, sub))
			continue;
		int line, col;
		table_locate(t, c->off, &line, &col);
		val *v = val_at(cell_value(c), t->file, line, col);
		v->key_line = line;
		v->key_col = col;
		if (!schema_check(v, sub, what))
			*ok = false;
		val_map_set(item, name, v);
	}
	return item;
}

val *
csvfile_load_string(const char *path, const char *text, size_t len, const val *item_schema)
{
	if (!text_ok(path, &text, &len))
		return NULL;
	char sep;
	size_t from;
	declared_separator(text, len, &sep, &from);
	guint ncols = val_len(item_schema);
	g_autofree int *where = g_new(int, ncols);
	g_autoptr(GString) declared = g_string_new(NULL);
	diag_cursor at = { .text = text, .len = len };
	table t = {
		.path = path, .file = g_intern_string(path), .text = text, .len = len,
		.schema = item_schema, .ncols = ncols, .where = where, .declared = declared, .at = &at,
		.sep = sep, .from = from,
	};
	if (!table_separator(&t))
		return NULL;
	g_autoptr(GPtrArray) rows = parse(path, text, len, from, sep);
	if (!rows || !table_header(&t, rows))
		return NULL;

	bool ok = true;
	val *list = val_at(val_new_list(), t.file, 1, 1);
	for (guint r = 1; r < rows->len; r++) {
		GPtrArray *row = rows->pdata[r];
		if (!row_blank(row))
			val_list_add(list, table_row(&t, row, &ok));
	}
	if (!ok) {
		val_free(list);
		return NULL;
	}
	return list;
}

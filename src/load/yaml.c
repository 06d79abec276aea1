/* load/yaml.c - YAML text to the value tree (load stage; see load_yaml.h).
 *
 * libyaml's event parser does the parsing; this file turns events into val
 * nodes with positions, types plain scalars by the YAML 1.2 core schema, and
 * enforces the limits: nesting depth, node count after alias expansion, input
 * size, unique keys, one document per file.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include <glib/gstdio.h>

#include "base/diag.h"
#include "base/file.h"
#include "load/yaml.h"

typedef struct {
	yaml_parser_t parser;
	const char *file;
	const char *text;
	size_t len;
	GHashTable *anchors;	/* anchor name -> val* (owned by the tree) */
	gsize nodes;		/* nodes made so far, aliases counted in full */
	gsize alias_nodes;	/* of those, the nodes aliases copied */
	bool failed;
} loader;

static void
fail_at(loader *ld, yaml_mark_t mark, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
fail_at(loader *ld, yaml_mark_t mark, const char *fmt, ...)
{
	if (ld->failed)
		return;
	ld->failed = true;
	va_list ap;
	va_start(ap, fmt);
	diag_v(DIAG_ERROR, ld->file, (int)mark.line + 1, (int)mark.column + 1, fmt, ap);
	va_end(ap);
}

/* libyaml's own error, with a plainer word for the usual culprits. */
static void
fail_parser(loader *ld)
{
	yaml_parser_t *p = &ld->parser;
	yaml_mark_t mark = p->problem_mark;
	const char *problem = p->problem ? p->problem : "malformed YAML";

	if (p->error == YAML_READER_ERROR) {
		/* Reader errors have an offset, not a line: find the line. */
		int line, col;
		diag_locate(ld->text, ld->len, p->problem_offset, &line, &col);
		mark.line = (size_t)line - 1;
		mark.column = (size_t)col - 1;
		fail_at(ld, mark, "invalid text: %s (the file must be UTF-8)", problem);
		return;
	}
	if (p->context && !strcmp(p->context, "while scanning a quoted scalar") &&
	    p->problem && strstr(p->problem, "end of stream")) {
		/* The spot to fix is the opening quote, not the end of the file. */
		fail_at(ld, p->context_mark, "a quoted value opened here is never closed");
		return;
	}
	if (mark.index < ld->len && ld->text[mark.index] == '\t') {
		fail_at(ld, mark, "tab character in indentation; YAML indents with spaces");
		return;
	}
	if (p->context)
		fail_at(ld, mark, "YAML syntax: %s %s", problem, p->context);
	else
		fail_at(ld, mark, "YAML syntax: %s", problem);
}

static bool
next_event(loader *ld, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&ld->parser, ev)) {
		fail_parser(ld);
		return false;
	}
	return true;
}

static bool
matches(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(s, *words))
			return true;
	return false;
}

/* [-+]? ( digits ( . digits? )? | . digits ) ( [eE] [-+]? digits )? */
static bool
is_decimal(const char *s)
{
	const char *p = s;
	bool digits = false;
	if (*p == '-' || *p == '+')
		p++;
	while (g_ascii_isdigit(*p)) {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (g_ascii_isdigit(*p)) {
			p++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!g_ascii_isdigit(*p))
			return false;
		while (g_ascii_isdigit(*p))
			p++;
	}
	return *p == '\0';
}

/* Type a plain scalar by the YAML 1.2 core schema. */
static val *
plain_scalar(const char *s)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	static const char *const infs[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL };
	static const char *const ninfs[] = { "-.inf", "-.Inf", "-.INF", NULL };
	static const char *const nans[] = { ".nan", ".NaN", ".NAN", NULL };

	if (matches(s, nulls))
		return val_new_null();
	if (matches(s, trues))
		return val_new_bool(true);
	if (matches(s, falses))
		return val_new_bool(false);
	if (matches(s, infs))
		return val_new_number(INFINITY);
	if (matches(s, ninfs))
		return val_new_number(-INFINITY);
	if (matches(s, nans))
		return val_new_number(NAN);

	if (is_decimal(s)) {
		val *v = val_new_number(g_ascii_strtod(s, NULL));
		v->str = g_strdup(s);
		return v;
	}
	if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) && s[2]) {
		int base = s[1] == 'x' ? 16 : 8;
		char *end;
		guint64 n = g_ascii_strtoull(s + 2, &end, base);
		if (!*end) {
			val *v = val_new_number((double)n);
			v->str = g_strdup(s);
			return v;
		}
	}
	return val_new_string(s);
}

static val *parse_node(loader *ld, yaml_event_t *ev, int depth);

/* An explicit tag is allowed only when it is a core tag that fits the node:
 * !!str, !!int, !!float, !!bool, !!null on scalars, !!seq and !!map on
 * collections.  Returns false after a located error. */
static bool
check_tag(loader *ld, const yaml_event_t *ev, const char *tag, const char *fits)
{
	if (!tag || !strcmp(tag, "!") || !strcmp(tag, fits))
		return true;
	const char *shown = g_str_has_prefix(tag, "tag:yaml.org,2002:") ? tag + 18 : tag;
	fail_at(ld, ev->start_mark, "tag '%s%s' is not supported here; write the value without a tag",
		shown == tag ? "" : "!!", shown);
	return false;
}

/* A scalar tagged !!int, !!float, !!bool or !!null must read as one. */
static val *
tagged_scalar(loader *ld, const yaml_event_t *ev, const char *s, const char *tag)
{
	static const struct { const char *tag; val_kind kind; const char *what; } core[] = {
		{ YAML_NULL_TAG, VAL_NULL, "null" }, { YAML_BOOL_TAG, VAL_BOOL, "true or false" },
		{ YAML_INT_TAG, VAL_NUMBER, "whole number" }, { YAML_FLOAT_TAG, VAL_NUMBER, "number" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(core); i++) {
		if (strcmp(tag, core[i].tag))
			continue;
		val *v = plain_scalar(s);
		if (v->kind != core[i].kind ||
		    (core[i].kind == VAL_NUMBER && !strcmp(tag, YAML_INT_TAG) && v->num != floor(v->num))) {
			fail_at(ld, ev->start_mark, "'%s' is tagged !!%s but is not %s%s", s,
				tag + 18, core[i].kind == VAL_BOOL ? "" : "a ", core[i].what);
			val_free(v);
			return NULL;
		}
		return v;
	}
	check_tag(ld, ev, tag, YAML_STR_TAG);
	return NULL;
}

static bool
count_nodes(loader *ld, gsize n, yaml_mark_t mark)
{
	ld->nodes += n;
	if (ld->nodes > YAML_MAX_NODES) {
		fail_at(ld, mark, "document expands to more than %d nodes (alias bomb?)",
			YAML_MAX_NODES);
		return false;
	}
	return true;
}

static gsize
tree_size(const val *v)
{
	gsize n = 1;
	for (guint i = 0; i < val_len(v); i++)
		n += tree_size(val_index(v, i));
	return n;
}

static void
remember_anchor(loader *ld, const yaml_char_t *anchor, val *v)
{
	if (anchor)
		g_hash_table_replace(ld->anchors, g_strdup((const char *)anchor), v);
}

static val *
parse_sequence(loader *ld, yaml_event_t *start, int depth)
{
	val *list = val_at(val_new_list(), ld->file, (int)start->start_mark.line + 1,
			   (int)start->start_mark.column + 1);
	remember_anchor(ld, start->data.sequence_start.anchor, list);
	for (;;) {
		yaml_event_t ev;
		if (!next_event(ld, &ev))
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return list;
		}
		val *item = parse_node(ld, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!item)
			goto fail;
		val_list_add(list, item);
	}
fail:
	val_free(list);
	return NULL;
}

static val *
parse_mapping(loader *ld, yaml_event_t *start, int depth)
{
	val *map = val_at(val_new_map(), ld->file, (int)start->start_mark.line + 1,
			  (int)start->start_mark.column + 1);
	remember_anchor(ld, start->data.mapping_start.anchor, map);
	/* Each key's index + 1 in the map: its value says where the first of
	 * two equal keys was (key_line, key_col; never packed into an int). */
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (;;) {
		yaml_event_t kev;
		if (!next_event(ld, &kev))
			goto fail;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			return map;
		}
		if (kev.type != YAML_SCALAR_EVENT) {
			fail_at(ld, kev.start_mark, "mapping keys must be plain words, not lists or mappings");
			yaml_event_delete(&kev);
			goto fail;
		}
		g_autofree char *key = g_strndup((const char *)kev.data.scalar.value,
						 kev.data.scalar.length);
		int kline = (int)kev.start_mark.line + 1, kcol = (int)kev.start_mark.column + 1;
		gpointer first = g_hash_table_lookup(seen, key);
		if (first) {
			const val *f = g_ptr_array_index(map->items, GPOINTER_TO_UINT(first) - 1);
			fail_at(ld, kev.start_mark, "duplicate key '%s' (first given at line %d, column %d)",
				key, f->key_line, f->key_col);
			yaml_event_delete(&kev);
			goto fail;
		}
		g_hash_table_insert(seen, g_strdup(key), GUINT_TO_POINTER(map->items->len + 1));
		yaml_event_delete(&kev);

		yaml_event_t vev;
		if (!next_event(ld, &vev))
			goto fail;
		val *v = parse_node(ld, &vev, depth + 1);
		yaml_event_delete(&vev);
		if (!v)
			goto fail;
		v->key_line = kline;
		v->key_col = kcol;
		/* `seen` proved the key new: append, without val_map_set's linear
		 * search, which made a mapping of 100,000 keys take minutes. */
		g_ptr_array_add(map->keys, g_steal_pointer(&key));
		g_ptr_array_add(map->items, v);
	}
fail:
	val_free(map);
	return NULL;
}

/* Build the node that starts with `ev` (the caller deletes ev). */
static val *
parse_node(loader *ld, yaml_event_t *ev, int depth)
{
	if (depth > YAML_MAX_DEPTH) {
		fail_at(ld, ev->start_mark, "nesting deeper than %d levels", YAML_MAX_DEPTH);
		return NULL;
	}
	if (!count_nodes(ld, 1, ev->start_mark))
		return NULL;
	int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;

	switch (ev->type) {
	case YAML_SCALAR_EVENT: {
		const char *s = (const char *)ev->data.scalar.value;
		const char *tag = (const char *)ev->data.scalar.tag;
		if (strlen(s) != ev->data.scalar.length) {
			fail_at(ld, ev->start_mark, "NUL byte in a value");
			return NULL;
		}
		val *v;
		if (tag && strcmp(tag, "!") && strcmp(tag, YAML_STR_TAG)) {
			if (!(v = tagged_scalar(ld, ev, s, tag)))
				return NULL;
		} else if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !tag) {
			v = plain_scalar(s);
		} else {
			v = val_new_string(s);
		}
		val_at(v, ld->file, line, col);
		remember_anchor(ld, ev->data.scalar.anchor, v);
		return v;
	}
	case YAML_SEQUENCE_START_EVENT:
		if (!check_tag(ld, ev, (const char *)ev->data.sequence_start.tag, YAML_SEQ_TAG))
			return NULL;
		return parse_sequence(ld, ev, depth);
	case YAML_MAPPING_START_EVENT:
		if (!check_tag(ld, ev, (const char *)ev->data.mapping_start.tag, YAML_MAP_TAG))
			return NULL;
		return parse_mapping(ld, ev, depth);
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		val *target = g_hash_table_lookup(ld->anchors, name);
		if (!target) {
			fail_at(ld, ev->start_mark, "alias '*%s' names no anchor defined before it", name);
			return NULL;
		}
		gsize n = tree_size(target);
		ld->alias_nodes += n;
		if (ld->alias_nodes > YAML_MAX_ALIAS_NODES) {
			/* Content has no use for this much repetition: an alias bomb
			 * fails here, long before memory or time run out. */
			fail_at(ld, ev->start_mark, "aliases expand to more than %d nodes (alias bomb?)",
				YAML_MAX_ALIAS_NODES);
			return NULL;
		}
		if (!count_nodes(ld, n, ev->start_mark))
			return NULL;
		return val_copy(target);
	}
	default:
		fail_at(ld, ev->start_mark, "unexpected YAML event");
		return NULL;
	}
}

val *
yaml_load_string(const char *file, const char *text, size_t len)
{
	loader ld = { .file = g_intern_string(file), .text = text, .len = len };
	val *root = NULL;

	if (len > YAML_MAX_BYTES) {
		diag(DIAG_ERROR, file, 0, 0, "file is larger than the limit of %u MiB",
		     YAML_MAX_BYTES >> 20);
		return NULL;
	}
	if (!yaml_parser_initialize(&ld.parser))
		g_error("out of memory");
	yaml_parser_set_input_string(&ld.parser, (const unsigned char *)text, len);
	ld.anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	yaml_event_t ev;
	bool ok = next_event(&ld, &ev);		/* STREAM-START */
	if (ok) {
		yaml_event_delete(&ev);
		ok = next_event(&ld, &ev);
	}
	if (ok && ev.type == YAML_STREAM_END_EVENT) {
		root = val_at(val_new_null(), ld.file, 1, 1);	/* empty file */
		yaml_event_delete(&ev);
	} else if (ok) {
		yaml_event_delete(&ev);			/* DOCUMENT-START */
		if (next_event(&ld, &ev)) {
			root = parse_node(&ld, &ev, 0);
			yaml_event_delete(&ev);
		}
		if (root && next_event(&ld, &ev)) {	/* DOCUMENT-END */
			yaml_event_delete(&ev);
			if (next_event(&ld, &ev)) {
				if (ev.type != YAML_STREAM_END_EVENT)
					fail_at(&ld, ev.start_mark,
						"a second YAML document in one file ('---' starts a new one)");
				yaml_event_delete(&ev);
			}
		}
		if (ld.failed) {
			val_free(root);
			root = NULL;
		}
	}
	yaml_parser_delete(&ld.parser);
	g_hash_table_unref(ld.anchors);
	return root;
}

val *
yaml_load_file(const char *path)
{
	g_autofree char *text = NULL, *why = NULL;
	size_t len = 0;

	if (!file_read(path, YAML_MAX_BYTES, &text, &len, &why)) {
		diag(DIAG_ERROR, path, 0, 0, "%s", why);
		return NULL;
	}
	return yaml_load_string(path, text, len);
}

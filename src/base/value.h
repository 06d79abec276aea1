/* value.h - the one data tree of dossier.
 *
 * Every stage works on this tree: the YAML loader builds it (each node keeps
 * the file, line and column it came from), derive adds computed figures to it,
 * the template engine reads it, and diagnostics point back at the spot through
 * it.  A node is a tagged union: null, bool, number, string, list or map.
 * Maps keep their keys in insertion order, so output built from a map is
 * stable from run to run.
 *
 * Ownership, stated once: a node owns its children, its string and its keys.
 * val_free() frees a node and everything below it.  Adding a node to a list or
 * map (val_list_add, val_map_set) hands ownership of that node to the parent.
 * The getters return borrowed pointers that live as long as their parent.
 * `file` is an interned string (g_intern_string) and is never freed.
 * Out of memory aborts (GLib's allocators), so nothing here fails.
 */
#ifndef DOSSIER_VALUE_H
#define DOSSIER_VALUE_H

#include <glib.h>
#include <stdbool.h>

typedef enum {
	VAL_NULL,
	VAL_BOOL,
	VAL_NUMBER,
	VAL_STRING,
	VAL_LIST,
	VAL_MAP,
} val_kind;

typedef struct val val;

struct val {
	val_kind kind;
	const char *file;	/* interned source file name, or NULL when derived */
	int line;		/* 1-based source line, 0 when derived */
	int col;		/* 1-based source column, 0 when derived */
	int key_line;		/* in a map: where this value's key stands */
	int key_col;
	bool b;			/* VAL_BOOL */
	double num;		/* VAL_NUMBER */
	char *str;		/* VAL_STRING (UTF-8); for VAL_NUMBER the source text if any */
	GPtrArray *items;	/* VAL_LIST: val*; VAL_MAP: values, parallel to keys */
	GPtrArray *keys;	/* VAL_MAP: char* keys, insertion order */
};

/* Constructors: return a new node the caller owns. */
val *val_new_null(void);
val *val_new_bool(bool b);
val *val_new_number(double num);
val *val_new_string(const char *s);		/* copies s */
val *val_new_string_take(char *s);		/* takes s (g_malloc'ed) */
val *val_new_list(void);
val *val_new_map(void);

/* Record where a node came from; returns v for chaining. */
val *val_at(val *v, const char *file, int line, int col);

void val_free(val *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(val, val_free)
/* A deep copy the caller owns (positions kept). */
val *val_copy(const val *v);

/* Lists. */
void val_list_add(val *list, val *item);		/* takes item */
guint val_len(const val *v);				/* items of a list or map, else 0 */
val *val_index(const val *list, guint i);		/* borrowed */

/* Maps. val_map_set replaces (and frees) an existing value of the same key. */
void val_map_set(val *map, const char *key, val *v);	/* takes v */
val *val_get(const val *map, const char *key);		/* borrowed, NULL if absent or not a map */
const char *val_key(const val *map, guint i);		/* the i-th key */
/* The number under `key` of a map; 0 when absent or not a number (the
 * schema has checked every number that matters before derive runs). */
double val_num(const val *map, const char *key);
/* Follow a dotted path ("company.name"); NULL if any step is missing. */
val *val_path(const val *root, const char *dotted);

/* Convenience setters on maps: each creates the node and returns it (borrowed). */
val *val_set_number(val *map, const char *key, double num);
val *val_set_string(val *map, const char *key, const char *s);
val *val_set_bool(val *map, const char *key, bool b);
val *val_set_list(val *map, const char *key);
val *val_set_map(val *map, const char *key);

/* Mustache truthiness: false, null, empty list and empty string are falsey.
 * (Numbers are truthy, even 0, as in the spec's reference implementations.) */
bool val_truthy(const val *v);

/* The text a scalar interpolates to: strings as they are, numbers in the
 * shortest form that reads back the same ("1.21", "85"), bools "true"/"false",
 * null "".  Returns a new string the caller frees; NULL for lists and maps. */
char *val_to_text(const val *v);

/* "string", "number", ... for messages. */
const char *val_kind_name(val_kind k);

/* Add the value of `v` (kinds, numbers exactly, strings, keys in order;
 * not where it came from) to `c`: two trees with the same digest hold the
 * same data.  NULL adds a mark of its own. */
void val_digest(const val *v, GChecksum *c);

#endif

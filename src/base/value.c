/* base/value.c - the value tree (see value.h for the model and ownership rule).
 *
 * Load builds these nodes, derive adds to them, the template engine reads
 * them.  Maps are small (tens of keys), so lookup is a linear scan that keeps
 * insertion order for free.
 */
#include <math.h>
#include <string.h>

#include "base/value.h"

static val *
val_new(val_kind kind)
{
	val *v = g_new0(val, 1);
	v->kind = kind;
	return v;
}

val *val_new_null(void) { return val_new(VAL_NULL); }

val *
val_new_bool(bool b)
{
	val *v = val_new(VAL_BOOL);
	v->b = b;
	return v;
}

val *
val_new_number(double num)
{
	val *v = val_new(VAL_NUMBER);
	v->num = num;
	return v;
}

val *
val_new_string(const char *s)
{
	return val_new_string_take(g_strdup(s ? s : ""));
}

val *
val_new_string_take(char *s)
{
	val *v = val_new(VAL_STRING);
	v->str = s;
	return v;
}

val *
val_new_list(void)
{
	val *v = val_new(VAL_LIST);
	v->items = g_ptr_array_new_with_free_func((GDestroyNotify)val_free);
	return v;
}

val *
val_new_map(void)
{
	val *v = val_new(VAL_MAP);
	v->items = g_ptr_array_new_with_free_func((GDestroyNotify)val_free);
	v->keys = g_ptr_array_new_with_free_func(g_free);
	return v;
}

val *
val_at(val *v, const char *file, int line, int col)
{
	v->file = file ? g_intern_string(file) : NULL;
	v->line = line;
	v->col = col;
	return v;
}

void
val_free(val *v)
{
	if (!v)
		return;
	g_free(v->str);
	if (v->items)
		g_ptr_array_unref(v->items);
	if (v->keys)
		g_ptr_array_unref(v->keys);
	g_free(v);
}

val *
val_copy(const val *v)
{
	val *c = val_new(v->kind);
	c->file = v->file;
	c->line = v->line;
	c->col = v->col;
	c->key_line = v->key_line;
	c->key_col = v->key_col;
	c->b = v->b;
	c->num = v->num;
	c->str = g_strdup(v->str);
	if (v->kind == VAL_LIST || v->kind == VAL_MAP) {
		c->items = g_ptr_array_new_full(v->items->len, (GDestroyNotify)val_free);
		for (guint i = 0; i < v->items->len; i++)
			g_ptr_array_add(c->items, val_copy(v->items->pdata[i]));
	}
	if (v->kind == VAL_MAP) {
		c->keys = g_ptr_array_new_full(v->keys->len, g_free);
		for (guint i = 0; i < v->keys->len; i++)
			g_ptr_array_add(c->keys, g_strdup(v->keys->pdata[i]));
	}
	return c;
}

void
val_list_add(val *list, val *item)
{
	g_return_if_fail(list->kind == VAL_LIST);
	g_ptr_array_add(list->items, item);
}

guint
val_len(const val *v)
{
	return v && v->items ? v->items->len : 0;
}

val *
val_index(const val *list, guint i)
{
	return list && list->items && i < list->items->len ? list->items->pdata[i] : NULL;
}

static int
map_find(const val *map, const char *key)
{
	for (guint i = 0; i < map->keys->len; i++)
		if (!strcmp(map->keys->pdata[i], key))
			return (int)i;
	return -1;
}

void
val_map_set(val *map, const char *key, val *v)
{
	g_return_if_fail(map->kind == VAL_MAP);
	int i = map_find(map, key);
	if (i >= 0) {
		val_free(map->items->pdata[i]);
		map->items->pdata[i] = v;
		return;
	}
	g_ptr_array_add(map->keys, g_strdup(key));
	g_ptr_array_add(map->items, v);
}

val *
val_get(const val *map, const char *key)
{
	if (!map || map->kind != VAL_MAP)
		return NULL;
	int i = map_find(map, key);
	return i >= 0 ? map->items->pdata[i] : NULL;
}

const char *
val_key(const val *map, guint i)
{
	return map && map->keys && i < map->keys->len ? map->keys->pdata[i] : NULL;
}

double
val_num(const val *map, const char *key)
{
	const val *v = val_get(map, key);
	return v && v->kind == VAL_NUMBER ? v->num : 0;
}

val *
val_path(const val *root, const char *dotted)
{
	g_auto(GStrv) parts = g_strsplit(dotted, ".", -1);
	const val *v = root;
	for (char **p = parts; *p && v; p++)
		v = val_get(v, *p);
	return (val *)v;
}

val *
val_set_number(val *map, const char *key, double num)
{
	val *v = val_new_number(num);
	val_map_set(map, key, v);
	return v;
}

val *
val_set_string(val *map, const char *key, const char *s)
{
	val *v = val_new_string(s);
	val_map_set(map, key, v);
	return v;
}

val *
val_set_bool(val *map, const char *key, bool b)
{
	val *v = val_new_bool(b);
	val_map_set(map, key, v);
	return v;
}

val *
val_set_list(val *map, const char *key)
{
	val *v = val_new_list();
	val_map_set(map, key, v);
	return v;
}

val *
val_set_map(val *map, const char *key)
{
	val *v = val_new_map();
	val_map_set(map, key, v);
	return v;
}

bool
val_truthy(const val *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case VAL_NULL:   return false;
	case VAL_BOOL:   return v->b;
	case VAL_NUMBER: return true;
	case VAL_STRING: return v->str[0] != '\0';
	case VAL_LIST:   return v->items->len > 0;
	case VAL_MAP:    return true;
	}
	return false;
}

char *
val_to_text(const val *v)
{
	switch (v->kind) {
	case VAL_NULL:
		return g_strdup("");
	case VAL_BOOL:
		return g_strdup(v->b ? "true" : "false");
	case VAL_STRING:
		return g_strdup(v->str);
	case VAL_NUMBER: {
		if (isfinite(v->num) && v->num == floor(v->num) && fabs(v->num) < 1e15)
			return g_strdup_printf("%.0f", v->num);
		/* The shortest form that reads back the same: 1.1, not 1.1000000000000001. */
		char buf[G_ASCII_DTOSTR_BUF_SIZE];
		for (int digits = 15; digits <= 17; digits++) {
			char fmt[8];
			g_snprintf(fmt, sizeof fmt, "%%.%dg", digits);
			g_ascii_formatd(buf, sizeof buf, fmt, v->num);
			if (g_ascii_strtod(buf, NULL) == v->num)
				break;
		}
		return g_strdup(buf);
	}
	case VAL_LIST:
	case VAL_MAP:
		return NULL;
	}
	return NULL;
}

const char *
val_kind_name(val_kind k)
{
	static const char *const names[] = {
		[VAL_NULL] = "null", [VAL_BOOL] = "boolean", [VAL_NUMBER] = "number",
		[VAL_STRING] = "string", [VAL_LIST] = "list", [VAL_MAP] = "mapping",
	};
	return names[k];
}

void
val_digest(const val *v, GChecksum *c)
{
	guchar tag = v ? (guchar)('0' + v->kind) : 'x';
	g_checksum_update(c, &tag, 1);
	if (!v)
		return;
	switch (v->kind) {
	case VAL_NULL:
		break;
	case VAL_BOOL:
		g_checksum_update(c, (const guchar *)(v->b ? "t" : "f"), 1);
		break;
	case VAL_NUMBER:
		g_checksum_update(c, (const guchar *)&v->num, sizeof v->num);
		break;
	case VAL_STRING: {
		gsize n = strlen(v->str);
		g_checksum_update(c, (const guchar *)&n, sizeof n);
		g_checksum_update(c, (const guchar *)v->str, (gssize)n);
		break;
	}
	case VAL_LIST:
	case VAL_MAP: {
		guint n = val_len(v);
		g_checksum_update(c, (const guchar *)&n, sizeof n);
		for (guint i = 0; i < n; i++) {
			if (v->kind == VAL_MAP) {
				const char *k = val_key(v, i);
				g_checksum_update(c, (const guchar *)k, (gssize)strlen(k) + 1);
			}
			val_digest(val_index(v, i), c);
		}
		break;
	}
	}
}

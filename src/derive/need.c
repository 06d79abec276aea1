/* derive/need.c - checked reads of the content tree (derive stage; see need.h). */
#include <math.h>

#include "base/diag.h"
#include "base/fmt.h"
#include "derive/need.h"

const char need_hint[] = "dossier derives its figures from it, whatever templates/schema.yaml says";

const val *
need(const val *map, const char *key, val_kind kind, bool optional)
{
	if (!map)
		return NULL;
	const val *v = map->kind == VAL_MAP ? val_get(map, key) : NULL;
	if (!v || v->kind == VAL_NULL) {
		if (!optional)
			diag(DIAG_ERROR, map->file, map->line, map->col,
			     "required key '%s' is missing: %s", key, need_hint);
		return NULL;
	}
	if (v->kind != kind) {
		diag(DIAG_ERROR, v->file, v->line, v->col, "'%s' must be a %s, got a %s: %s",
		     key, val_kind_name(kind), val_kind_name(v->kind), need_hint);
		return NULL;
	}
	return v;
}

/* A finite number (0 when missing). */
double
need_num(const val *map, const char *key)
{
	const val *v = need(map, key, VAL_NUMBER, false);
	return v && isfinite(v->num) ? v->num : 0;
}

const char *
need_str(const val *map, const char *key)
{
	const val *v = need(map, key, VAL_STRING, false);
	return v ? v->str : "";
}

/* A list, perhaps empty; NULL (which val_len() takes as empty) when missing. */
const val *
need_list(const val *map, const char *key)
{
	return need(map, key, VAL_LIST, false);
}

const val *
need_map(const val *map, const char *key)
{
	return need(map, key, VAL_MAP, false);
}

/* A month "YYYY-MM" as fmt_month_index() counts them; a month of year 1
 * when missing or malformed (after the error), so that names and day
 * counts stay defined. */
int
need_month(const val *map, const char *key)
{
	const val *v = need(map, key, VAL_STRING, false);
	int m = v ? fmt_month_index(v->str) : -1;
	if (v && m < 0)
		diag(DIAG_ERROR, v->file, v->line, v->col, "'%s' must be a month written YYYY-MM, got \"%s\": %s",
		     key, v->str, need_hint);
	return m < 0 ? 12 : m;
}

/* The i-th item of a list, which must be a map; NULL after an error. */
const val *
need_item(const val *list, guint i)
{
	const val *v = val_index(list, i);
	if (v && v->kind != VAL_MAP) {
		diag(DIAG_ERROR, v->file, v->line, v->col, "each item here must be a mapping, got a %s: %s",
		     val_kind_name(v->kind), need_hint);
		return NULL;
	}
	return v;
}

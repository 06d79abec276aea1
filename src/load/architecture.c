/* load/architecture.c - component ids checked, names resolved (see architecture.h). */
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "load/architecture.h"

static bool
valid_id(const char *s)
{
	return g_regex_match_simple("^[a-z0-9_-]+$", s, 0, 0);
}

static int
cmp_ids(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The component an id names, or NULL after a located error. */
static const val *
lookup(GHashTable *ids, const val *ref, const val *at, const char *what)
{
	if (!ref || ref->kind != VAL_STRING) {	/* the schema may have been edited */
		diag(DIAG_ERROR, at->file, at->line, at->col, "%s needs the id of a component", what);
		return NULL;
	}
	const val *c = g_hash_table_lookup(ids, ref->str);
	if (!c) {
		guint n;
		g_autofree gpointer *known = g_hash_table_get_keys_as_array(ids, &n);
		qsort(known, n, sizeof *known, cmp_ids);	/* the same hint every time */
		const char *hint = diag_suggest(ref->str, (const char *const *)known);
		diag(DIAG_ERROR, ref->file, ref->line, ref->col,
		     "%s names '%s', which is not the id of a component%s%s%s", what, ref->str,
		     hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
	}
	return c;
}

static const char *
name_of(const val *component)
{
	return val_get(component, "name")->str;
}

static bool
resolve_route(val *routes, const char *key, GHashTable *ids)
{
	const val *list = val_get(routes, key);
	if (!list)
		return true;
	if (val_len(list) < 2) {
		diag(DIAG_ERROR, list->file, list->line, list->col,
		     "architecture.routes.%s must name at least two components, from the customer to Meta", key);
		return false;
	}
	bool ok = true;
	g_autoptr(GString) text = g_string_new(NULL);
	for (guint i = 0; i < val_len(list); i++) {
		g_autofree char *what = g_strdup_printf("architecture.routes.%s[%u]", key, i + 1);
		const val *c = lookup(ids, val_index(list, i), val_index(list, i), what);
		if (!c) {
			ok = false;
			continue;
		}
		g_string_append_printf(text, "%s%s", i ? " → " : "", name_of(c));
	}
	if (ok) {
		g_autofree char *k = g_strdup_printf("%s_text", key);
		val_set_string(routes, k, text->str);
	}
	return ok;
}

bool
architecture_resolve(val *root)
{
	val *arch = val_get(root, "architecture");
	if (!arch)
		return true;
	const val *components = val_get(arch, "components");
	g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
	bool ok = true;

	for (guint i = 0; i < val_len(components); i++) {
		val *c = val_index(components, i);
		const val *id = val_get(c, "id");
		if (!id || id->kind != VAL_STRING) {	/* the schema may have been edited */
			diag(DIAG_ERROR, c->file, c->line, c->col,
			     "architecture.components[%u] needs an id", i + 1);
			ok = false;
			continue;
		}
		const val *first = g_hash_table_lookup(ids, id->str);
		if (!valid_id(id->str)) {
			diag(DIAG_ERROR, id->file, id->line, id->col,
			     "a component id is written with a-z, 0-9, '-' and '_' only, got \"%s\"", id->str);
			ok = false;
		} else if (first) {
			const val *fid = val_get(first, "id");
			diag(DIAG_ERROR, id->file, id->line, id->col,
			     "two components have the id '%s' (the other is at line %d)", id->str, fid->line);
			ok = false;
		} else {
			g_hash_table_insert(ids, id->str, c);
		}
		const val *provider = val_get(c, "provider"), *region = val_get(c, "region");
		if (provider || region)
			val_map_set(c, "where", val_new_string_take(
				g_strjoin(", ", provider ? provider->str : region->str,
					  provider && region ? region->str : NULL, NULL)));
	}

	const val *flow = val_get(arch, "message_flow");
	for (guint i = 0; i < val_len(flow); i++) {
		val *step = val_index(flow, i);
		g_autofree char *what = g_strdup_printf("architecture.message_flow[%u]", i + 1);
		g_autofree char *from_what = g_strdup_printf("%s.from", what);
		g_autofree char *to_what = g_strdup_printf("%s.to", what);
		const val *from = lookup(ids, val_get(step, "from"), step, from_what);
		const val *to = lookup(ids, val_get(step, "to"), step, to_what);
		if (from)
			val_set_string(step, "from_name", name_of(from));
		if (to)
			val_set_string(step, "to_name", name_of(to));
		ok = from && to && ok;
	}

	val *routes = val_get(arch, "routes");
	ok = resolve_route(routes, "current", ids) && ok;
	ok = resolve_route(routes, "direct", ids) && ok;
	return ok;
}

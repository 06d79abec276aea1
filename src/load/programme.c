/* load/programme.c - templates/programme.yaml read and checked (load stage; see programme.h). */
#include <string.h>

#include "base/diag.h"
#include "base/searchpath.h"
#include "base/source.h"
#include "load/programme.h"
#include "load/schema.h"
#include "load/yaml.h"

/* The shape of the file, in the notation of templates/schema.yaml.  It is
 * the program's contract with the file, not a rule of Meta's: the rules
 * are the file's values. */
static const char programme_schema[] =
	"default: string\n"
	"sources:\n"
	"  - id: string\n"
	"    title: string\n"
	"    url: url?\n"
	"    updated: string?\n"
	"    read: date\n"
	"paths:\n"
	"  - id: string\n"
	"    name: string\n"
	"    summary: text\n"
	"    source: string\n"
	"    permissions?: [string]\n"
	"    gates:\n"
	"      - name: string\n"
	"        when: text\n"
	"        source: string?\n"
	"    documents?:\n"
	"      - name: string\n"
	"        have: text?\n"
	"        source: string?\n"
	"    next_steps?: [string]\n"
	"permissions?:\n"
	"  - id: string\n"
	"    allows: text\n"
	"    written: text\n"
	"    video: text\n"
	"    shots:\n"
	"      - show: string\n"
	"        visible: string\n"
	"    source: string\n"
	"app_review?:\n"
	"  recordings: text\n"
	"  source: string\n"
	"verification?:\n"
	"  types: [enum pdf|jpeg|png]\n"
	"  max_files: count\n"
	"  max_megabytes: number\n"
	"  accepted: [string]\n"
	"  not_accepted: [string]\n"
	"  source: string\n"
	"  accepted_source: string\n"
	"obligations?:\n"
	"  warn_days: count\n"
	"  items:\n"
	"    - id: string\n"
	"      name: string\n"
	"      from?: [string]\n"
	"      every_months: count?\n"
	"      each: string?\n"
	"      field: string?\n"
	"      date: date?\n"
	"      source: string?\n";

/* The ids of `list` are unique and written [a-z0-9_-]+ (a path's id is
 * typed on the command line: --path tech-partner). */
static bool
check_ids(const val *list, const char *what)
{
	bool ok = true;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < val_len(list); i++) {
		const val *id = val_get(val_index(list, i), "id");
		if (!*id->str || strspn(id->str, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(id->str)) {
			diag(DIAG_ERROR, id->file, id->line, id->col,
			     "a %s's id is written with lower-case letters, digits, '-' and '_', got \"%s\"", what, id->str);
			ok = false;
		} else if (g_hash_table_contains(seen, id->str)) {
			diag(DIAG_ERROR, id->file, id->line, id->col, "a second %s with the id '%s'", what, id->str);
			ok = false;
		}
		g_hash_table_add(seen, id->str);
	}
	return ok;
}

/* `key` of `map`, when given, names an entry of `list` by its id. */
static bool
check_ref(const val *map, const char *key, const val *list, const char *what)
{
	const val *ref = val_get(map, key);
	if (!ref || ref->kind != VAL_STRING)
		return true;
	g_autoptr(GPtrArray) ids = g_ptr_array_new();
	for (guint i = 0; i < val_len(list); i++) {
		const char *id = val_get(val_index(list, i), "id")->str;
		if (!strcmp(id, ref->str))
			return true;
		g_ptr_array_add(ids, (gpointer)id);
	}
	g_ptr_array_add(ids, NULL);
	const char *hint = diag_suggest(ref->str, (const char *const *)ids->pdata);
	if (hint)
		diag(DIAG_ERROR, ref->file, ref->line, ref->col, "no %s '%s' in this file (did you mean '%s'?)",
		     what, ref->str, hint);
	else
		diag(DIAG_ERROR, ref->file, ref->line, ref->col, "no %s '%s' in this file", what, ref->str);
	return false;
}

/* Every list item's `key` names an entry of `list`. */
static bool
check_refs_in(const val *items, const char *key, const val *list, const char *what)
{
	bool ok = true;
	for (guint i = 0; i < val_len(items); i++)
		ok = check_ref(val_index(items, i), key, list, what) && ok;
	return ok;
}

static bool
check_paths(const val *prog)
{
	const val *paths = val_get(prog, "paths"), *sources = val_get(prog, "sources");
	const val *perms = val_get(prog, "permissions");
	bool ok = check_ids(paths, "path");
	for (guint i = 0; i < val_len(paths); i++) {
		const val *p = val_index(paths, i);
		ok = check_ref(p, "source", sources, "source") && ok;
		ok = check_refs_in(val_get(p, "gates"), "source", sources, "source") && ok;
		ok = check_refs_in(val_get(p, "documents"), "source", sources, "source") && ok;
		const val *asked = val_get(p, "permissions");
		for (guint k = 0; k < val_len(asked); k++) {
			const val *one = val_index(asked, k);
			g_autoptr(val) ref = val_new_map();
			val_map_set(ref, "id", val_copy(one));
			ok = check_ref(ref, "id", perms, "permission") && ok;
		}
	}
	return ok;
}

/* An obligation is dated one way: `date:` (fixed), `from:` with
 * `every_months:`, or `each:` with `field:`. */
static bool
check_obligations(const val *prog)
{
	const val *ob = val_get(prog, "obligations");
	const val *items = val_get(ob, "items");
	bool ok = check_ids(items, "obligation") && check_refs_in(items, "source", val_get(prog, "sources"), "source");
	for (guint i = 0; i < val_len(items); i++) {
		const val *it = val_index(items, i);
		bool fixed = val_get(it, "date") != NULL;
		bool recurring = val_get(it, "from") || val_get(it, "every_months");
		bool listed = val_get(it, "each") || val_get(it, "field");
		bool whole = fixed + recurring + listed == 1 &&
			     (!recurring || (val_get(it, "from") && val_get(it, "every_months"))) &&
			     (!listed || (val_get(it, "each") && val_get(it, "field")));
		if (!whole) {
			diag(DIAG_ERROR, it->file, it->line, it->col,
			     "an obligation is dated one way: 'date:' (a fixed date), 'from:' with 'every_months:' "
			     "(content dates and a cadence), or 'each:' with 'field:' (a date of every item of a content list)");
			ok = false;
		}
	}
	return ok;
}

val *
programme_load(const char *templates_dir)
{
	if (!searchpath_has(templates_dir, PROGRAMME_FILE)) {
		val *empty = val_new_map();
		val_set_list(empty, "paths");
		return empty;
	}
	g_autofree char *path = searchpath_find(templates_dir, PROGRAMME_FILE);
	val *prog = yaml_load_file(path);
	if (!prog)
		return NULL;
	g_autoptr(val) schema = yaml_load_string("programme schema", programme_schema, strlen(programme_schema));
	if (prog->kind != VAL_MAP) {
		diag(DIAG_ERROR, path, prog->line, prog->col, "%s must be a mapping (default, sources, paths, ...)",
		     PROGRAMME_FILE);
		val_free(prog);
		return NULL;
	}
	if (!schema_check(prog, schema, "")) {
		val_free(prog);
		return NULL;
	}
	bool ok = check_ids(val_get(prog, "sources"), "source");
	ok = check_ids(val_get(prog, "permissions"), "permission") && ok;
	ok = check_paths(prog) && ok;
	ok = check_ref(prog, "default", val_get(prog, "paths"), "path") && ok;
	ok = check_refs_in(val_get(prog, "permissions"), "source", val_get(prog, "sources"), "source") && ok;
	ok = check_ref(val_get(prog, "app_review"), "source", val_get(prog, "sources"), "source") && ok;
	ok = check_ref(val_get(prog, "verification"), "source", val_get(prog, "sources"), "source") && ok;
	ok = check_ref(val_get(prog, "verification"), "accepted_source", val_get(prog, "sources"), "source") && ok;
	ok = check_obligations(prog) && ok;
	if (!ok) {
		val_free(prog);
		return NULL;
	}
	return prog;
}

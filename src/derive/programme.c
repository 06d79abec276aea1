/* derive/programme.c - the partner paths, the daily figures and the
 * obligations (derive stage; see programme.h).
 *
 * Nothing here knows a rule of Meta's: the gates, the documents, the
 * permissions and the dates come from templates/programme.yaml; this file
 * evaluates them (derive/expr.h) and lays the results out in the tree for
 * readiness.md, `dossier check` and the App Review kit.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/fmt.h"
#include "derive/expr.h"
#include "derive/programme.h"
#include "base/source.h"

#define CHECK_MARK	"\xE2\x9C\x85 Met"		/* ✅ */
#define CROSS_MARK	"\xE2\x9D\x8C Not met"		/* ❌ */

/* ---- dates ------------------------------------------------------------- */

/* A YYYY-MM-DD string as a date; false (and *d cleared) when it is not one. */
static bool
parse_date(const char *s, GDate *d)
{
	int y, m, day;
	char end;
	g_date_clear(d, 1);
	if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &day, &end) != 3 ||
	    !g_date_valid_dmy((GDateDay)day, (GDateMonth)m, (GDateYear)y))
		return false;
	g_date_set_dmy(d, (GDateDay)day, (GDateMonth)m, (GDateYear)y);
	return true;
}

static char *
date_iso(const GDate *d)
{
	return g_strdup_printf("%04d-%02d-%02d", g_date_get_year(d), g_date_get_month(d), g_date_get_day(d));
}

/* "15 October 2026" */
static char *
date_long(const GDate *d)
{
	g_autofree char *month = fmt_month_name(g_date_get_year(d) * 12 + g_date_get_month(d) - 1);
	return g_strdup_printf("%d %s", g_date_get_day(d), month);
}

/* ---- the daily figures -------------------------------------------------- */

static gint
cmp_by_date(gconstpointer a, gconstpointer b)
{
	const val *x = *(val *const *)a, *y = *(val *const *)b;
	return strcmp(val_get(x, "date")->str, val_get(y, "date")->str);
}

/* The export's rows, checked: each day of the snapshot's month, once.
 * A sum far from the monthly total is a warning.  False after errors. */
static bool
daily_from_export(val *latest, const val *rows, int month)
{
	bool ok = true;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	val *list = val_new_list();
	double sum = 0;
	for (guint i = 0; i < val_len(rows); i++) {
		const val *r = val_index(rows, i), *date = val_get(r, "date");
		GDate d;
		if (!date || date->kind != VAL_STRING || !parse_date(date->str, &d)) {
			const val *at = date ? date : r;
			diag(DIAG_ERROR, at->file, at->line, at->col, "each day needs its date, written YYYY-MM-DD");
			ok = false;
			continue;
		}
		if (g_date_get_year(&d) * 12 + (int)g_date_get_month(&d) - 1 != month) {
			g_autofree char *name = fmt_month_name(month);
			diag(DIAG_ERROR, date->file, date->line, date->col,
			     "%s is not a day of %s: a month's daily figures hold its own days only", date->str, name);
			ok = false;
			continue;
		}
		if (!g_hash_table_add(seen, date->str)) {
			diag(DIAG_ERROR, date->file, date->line, date->col, "%s is listed twice in the daily figures", date->str);
			ok = false;
			continue;
		}
		const val *m = val_get(r, "messages");
		sum += m && m->kind == VAL_NUMBER ? m->num : 0;
		val_list_add(list, val_copy(r));
	}
	g_ptr_array_sort(list->items, cmp_by_date);
	double total = val_num(latest, "messages");
	if (ok && val_len(rows) > 0 && val_len(list) == (guint)fmt_days_in_month(month) &&
	    fabs(sum - total) > 0.05 * total) {
		const val *first = val_index(rows, 0);
		g_autofree char *s = fmt_count(sum), *t = fmt_count(total);
		diag(DIAG_WARNING, first->file, first->line, first->col,
		     "the daily messages of every day of the month add up to %s, but the snapshot's messages is %s "
		     "(tolerance 5%%): one of them is not this month's", s, t);
	}
	val_map_set(latest, "daily", list);
	val_set_bool(latest, "daily_estimated", false);
	return ok;
}

/* Without an export: every day of the month the month's messages divided
 * by its days, marked estimated.  Calls have no monthly total: none. */
static void
daily_estimate(val *latest, int month)
{
	int days = fmt_days_in_month(month);
	double per_day = val_num(latest, "messages") / days;
	val *list = val_new_list();
	for (int day = 1; day <= days; day++) {
		val *r = val_new_map();
		val_map_set(r, "date", val_new_string_take(g_strdup_printf("%04d-%02d-%02d", month / 12, month % 12 + 1, day)));
		val_set_number(r, "messages", per_day);
		val_set_bool(r, "estimated", true);
		val_list_add(list, r);
	}
	val_map_set(latest, "daily", list);
	val_set_bool(latest, "daily_estimated", true);
}

static bool
derive_daily(val *root)
{
	val *latest = val_get(root, "latest");
	const val *month = val_get(latest, "month_index");
	if (!latest || !month)
		return true;	/* derive_all() reported it */
	const val *rows = val_get(latest, "daily");
	if (rows && rows->kind == VAL_LIST && val_len(rows) > 0) {
		g_autoptr(val) copy = val_copy(rows);
		return daily_from_export(latest, copy, (int)month->num);
	}
	daily_estimate(latest, (int)month->num);
	return true;
}

/* ---- sources ----------------------------------------------------------- */

/* A copy of source `id` with `text`: "Title, URL (updated U; read R)". */
static val *
source_copy(const val *programme, const char *id)
{
	const val *s = source_find(programme, id);
	if (!s)
		return val_new_null();	/* load/programme.c checked every reference */
	val *c = val_copy(s);
	val_map_set(c, "text", val_new_string_take(source_text(programme, id)));
	return c;
}

/* ---- paths ------------------------------------------------------------- */

typedef struct {
	const val *programme;
	val *paths;		/* programme.paths of the tree, as far as evaluated */
} path_ctx;

static bool
path_met_cb(void *ud, const char *id, bool *met)
{
	const path_ctx *pc = ud;
	const val *p = source_find_id(pc->paths, id);
	if (p)
		*met = val_get(p, "met")->b;
	return p != NULL;
}

/* "LABEL: TEXT (NOTE); ..." over the terms, or TEXT alone for one term. */
static char *
join_terms(const val *terms, const char *key, bool with_note)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < val_len(terms); i++) {
		const val *t = val_index(terms, i), *note = val_get(t, "note");
		if (i)
			g_string_append(s, "; ");
		if (val_len(terms) > 1 || !*val_get(t, "op")->str)	/* a fact read alone: name it */
			g_string_append_printf(s, "%s: ", val_get(t, "label")->str);
		g_string_append(s, val_get(t, key)->str);
		if (with_note && note && note->kind == VAL_STRING)
			g_string_append_printf(s, " (%s)", note->str);
	}
	return g_string_free(s, FALSE);
}

/* One gate: its verdict and the figures it compared.  False after a
 * located error in its condition. */
static bool
eval_gate(val *gates, const val *g, const val *path_source, const expr_env *env, const val *programme)
{
	g_autoptr(expr) e = expr_parse(val_get(g, "when"));
	if (!e)
		return false;
	val *out = val_new_map();
	val_list_add(gates, out);
	val_set_string(out, "name", val_get(g, "name")->str);
	val_set_string(out, "expression", expr_text(e));
	val *terms = val_set_list(out, "terms");
	bool met = false;
	if (!expr_eval_gate(e, env, &met, terms))
		return false;
	val_set_bool(out, "met", met);
	val_set_string(out, "status", met ? CHECK_MARK : CROSS_MARK);
	val_set_string(out, "check", met ? "x" : " ");
	bool estimated = false;
	for (guint i = 0; i < val_len(terms); i++)
		estimated |= val_get(val_index(terms, i), "estimated")->b;
	val_set_bool(out, "estimated", estimated);
	val_map_set(out, "current", val_new_string_take(join_terms(terms, "current_text", true)));
	val_map_set(out, "target", val_new_string_take(join_terms(terms, "target_text", false)));
	const val *src = val_get(g, "source");
	val_map_set(out, "source", source_copy(programme, src ? src->str : path_source->str));
	return true;
}

/* The documents a path needs: each known present, missing, or (without
 * `have:`) one the content cannot answer. */
static bool
eval_documents(val *docs, const val *list, const val *path_source, const expr_env *env, const val *programme)
{
	bool ok = true;
	for (guint i = 0; i < val_len(list); i++) {
		const val *d = val_index(list, i), *have = val_get(d, "have"), *src = val_get(d, "source");
		val *out = val_new_map();
		val_list_add(docs, out);
		val_set_string(out, "name", val_get(d, "name")->str);
		val_map_set(out, "source", source_copy(programme, src ? src->str : path_source->str));
		if (!have) {
			val_set_bool(out, "known", false);
			val_map_set(out, "have", val_new_null());
			val_set_string(out, "check", " ");
			val_set_string(out, "status", "to do: the content cannot tell");
			continue;
		}
		g_autoptr(expr) e = expr_parse(have);
		bool met = false;
		if (!e || !expr_eval_gate(e, env, &met, NULL)) {
			ok = false;
			continue;
		}
		val_set_bool(out, "known", true);
		val_set_bool(out, "have", met);
		val_set_string(out, "check", met ? "x" : " ");
		val_set_string(out, "status", met ? "ready" : "missing");
	}
	return ok;
}

/* path.sources: each distinct source of the path, its gates and its
 * documents once, with what it is the source of ("this path", a gate). */
static void
path_sources(val *path)
{
	val *list = val_set_list(path, "sources");
	const char *const parts[] = { "path", "gates", "documents" };
	for (size_t k = 0; k < G_N_ELEMENTS(parts); k++) {
		const val *items = k == 0 ? NULL : val_get(path, parts[k]);
		guint n = k == 0 ? 1 : val_len(items);
		for (guint i = 0; i < n; i++) {
			const val *owner = k == 0 ? path : val_index(items, i);
			const val *src = val_get(owner, "source");
			const val *text = val_get(src, "text");
			if (!text)
				continue;
			g_autofree char *what = k == 0 ? g_strdup("this path")
						       : g_strdup_printf("\"%s\"", val_get(owner, "name")->str);
			val *entry = NULL;
			for (guint j = 0; j < val_len(list) && !entry; j++)
				if (!strcmp(val_get(val_index(list, j), "text")->str, text->str))
					entry = val_index(list, j);
			if (!entry) {
				entry = val_new_map();
				val_set_string(entry, "text", text->str);
				val_set_string(entry, "for", what);
				val_list_add(list, entry);
			} else {
				g_autofree char *more = g_strdup_printf("%s, %s", val_get(entry, "for")->str, what);
				val_set_string(entry, "for", more);
			}
		}
	}
}

static bool
eval_path(path_ctx *pc, const val *p, const expr_env *env, const char *default_id)
{
	const val *programme = pc->programme, *source = val_get(p, "source");
	const char *id = val_get(p, "id")->str;
	val *out = val_new_map();
	val_set_string(out, "id", id);
	val_set_string(out, "name", val_get(p, "name")->str);
	val_set_string(out, "summary", val_get(p, "summary")->str);
	val_set_bool(out, "default", default_id && !strcmp(default_id, id));
	val_map_set(out, "source", source_copy(programme, source->str));
	val *gates = val_set_list(out, "gates");
	bool ok = true;
	const val *list = val_get(p, "gates");
	for (guint i = 0; i < val_len(list); i++)
		ok = eval_gate(gates, val_index(list, i), source, env, programme) && ok;
	guint met = 0;
	for (guint i = 0; i < val_len(gates); i++) {
		const val *m = val_get(val_index(gates, i), "met");
		met += m && m->b;
	}
	bool all = ok && met == val_len(gates);
	val_set_bool(out, "met", all);
	val_set_string(out, "status", all ? CHECK_MARK : CROSS_MARK);
	val_set_number(out, "met_count", met);
	val_set_number(out, "total", val_len(gates));
	guint unmet = val_len(gates) - met;
	if (all)
		val_map_set(out, "verdict", val_new_string_take(g_strdup_printf("MET: all %u gates", val_len(gates))));
	else
		val_map_set(out, "verdict", val_new_string_take(g_strdup_printf("NOT MET: %u of %u gate%s unmet", unmet,
										   val_len(gates), val_len(gates) == 1 ? "" : "s")));
	val *docs = val_set_list(out, "documents");
	ok = eval_documents(docs, val_get(p, "documents"), source, env, programme) && ok;
	val_set_bool(out, "documents_any", val_len(docs) > 0);
	val *steps = val_set_list(out, "next_steps");
	const val *ns = val_get(p, "next_steps");
	for (guint i = 0; i < val_len(ns); i++)
		val_list_add(steps, val_copy(val_index(ns, i)));
	val_set_bool(out, "next_steps_any", val_len(steps) > 0);
	path_sources(out);
	const val *asked = val_get(p, "permissions");
	val_map_set(out, "permissions", asked ? val_copy(asked) : val_new_list());
	val_set_bool(out, "permissions_any", val_len(asked) > 0);
	val_list_add(pc->paths, out);
	return ok;
}

/* programme.permissions: each permission some path asks for, with the
 * paths that ask for it, in the order the file describes them. */
static void
derive_permissions(val *prog_out, const val *programme)
{
	val *list = val_set_list(prog_out, "permissions");
	const val *perms = val_get(programme, "permissions"), *paths = val_get(prog_out, "paths");
	for (guint i = 0; i < val_len(perms); i++) {
		const val *perm = val_index(perms, i);
		const char *id = val_get(perm, "id")->str;
		g_autoptr(GPtrArray) askers = g_ptr_array_new();
		for (guint k = 0; k < val_len(paths); k++) {
			const val *asked = val_get(val_index(paths, k), "permissions");
			for (guint j = 0; j < val_len(asked); j++)
				if (!strcmp(val_index(asked, j)->str, id))
					g_ptr_array_add(askers, val_get(val_index(paths, k), "name")->str);
		}
		if (askers->len == 0)
			continue;
		val *out = val_copy(perm);
		val_map_set(out, "source", source_copy(programme, val_get(perm, "source")->str));
		g_ptr_array_add(askers, NULL);
		g_autofree char *names = g_strjoinv(", ", (char **)askers->pdata);
		val_set_string(out, "paths", names);
		val *shots = val_get(out, "shots");
		for (guint k = 0; k < val_len(shots); k++)
			val_set_number(val_index(shots, k), "n", k + 1);
		val_list_add(list, out);
	}
	val_set_bool(prog_out, "permissions_any", val_len(list) > 0);
}

/* ---- obligations ------------------------------------------------------- */

/* "{name} certificate expires" with {KEY} replaced by the item's KEY. */
static char *
fill_name(const char *pattern, const val *item)
{
	GString *s = g_string_new(NULL);
	for (const char *p = pattern; *p; p++) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (!close) {
			g_string_append_c(s, *p);
			continue;
		}
		g_autofree char *key = g_strndup(p + 1, (size_t)(close - p - 1));
		const val *v = val_get(item, key);
		g_autofree char *text = v ? val_to_text(v) : NULL;
		g_string_append(s, text ? text : key);
		p = close;
	}
	return g_string_free(s, FALSE);
}

typedef struct {
	val *list;		/* programme.obligations */
	const GDate *ref;	/* the end of the latest snapshot's month */
	long warn_days;
} obligations_ctx;

/* One dated obligation; `at` is where its date is written, `given` whether
 * the content gave it (an overdue date the content gave is a warning; a
 * fixed date that passed is history). */
static void
obligation(obligations_ctx *oc, const val *item, const char *name, const GDate *d, const val *at, bool given,
	   const val *programme)
{
	val *o = val_new_map();
	val_set_string(o, "id", val_get(item, "id")->str);
	val_set_string(o, "name", name);
	val_map_set(o, "date", val_new_string_take(date_iso(d)));
	val_map_set(o, "date_long", val_new_string_take(date_long(d)));
	long days = (long)g_date_get_julian(d) - (long)g_date_get_julian(oc->ref);
	val_set_number(o, "days", (double)days);
	const val *every = val_get(item, "every_months");
	if (every)
		val_set_number(o, "every_months", every->num);
	val_map_set(o, "recurring", val_new_bool(every != NULL));
	const val *src = val_get(item, "source");
	val_map_set(o, "source", src ? source_copy(programme, src->str) : val_new_null());
	val_set_string(o, "source_text", src ? val_get(val_get(o, "source"), "text")->str
					     : "the content's own date");
	g_autofree char *ref = date_long(oc->ref), *when = date_long(d);
	const char *status;
	if (days >= 0 && days <= oc->warn_days)
		status = "due soon";
	else if (days > oc->warn_days)
		status = "upcoming";
	else
		status = given ? "overdue" : "passed";
	val_set_string(o, "state", status);
	bool warn = (days >= 0 && days <= oc->warn_days) || (days < 0 && given);
	val_set_bool(o, "warn", warn);
	if (warn && days >= 0)
		diag(DIAG_WARNING, at->file, at->line, at->col, "%s: %s, %ld day%s after the end of the latest snapshot's month (%s)",
		     name, when, days, days == 1 ? "" : "s", ref);
	else if (warn)
		diag(DIAG_WARNING, at->file, at->line, at->col, "%s: %s, %ld day%s before the end of the latest snapshot's month (%s): overdue",
		     name, when, -days, days == -1 ? "" : "s", ref);
	val_list_add(oc->list, o);
}

/* The first date of `from` the content gives, and every_months after it. */
static void
obligation_recurring(obligations_ctx *oc, const val *root, const val *item, const val *programme)
{
	const val *from = val_get(item, "from");
	for (guint i = 0; i < val_len(from); i++) {
		const val *v = val_path(root, val_index(from, i)->str);
		GDate d;
		if (!v || v->kind != VAL_STRING || !parse_date(v->str, &d))
			continue;
		g_date_add_months(&d, (guint)val_get(item, "every_months")->num);
		obligation(oc, item, val_get(item, "name")->str, &d, v, true, programme);
		return;
	}
}

static void
obligation_each(obligations_ctx *oc, const val *root, const val *item, const val *programme)
{
	const val *list = val_path(root, val_get(item, "each")->str);
	const char *field = val_get(item, "field")->str;
	for (guint i = 0; i < val_len(list); i++) {
		const val *it = val_index(list, i), *v = val_get(it, field);
		GDate d;
		if (!v || v->kind != VAL_STRING || !parse_date(v->str, &d))
			continue;
		g_autofree char *name = fill_name(val_get(item, "name")->str, it);
		obligation(oc, item, name, &d, v, true, programme);
	}
}

static gint
cmp_obligation(gconstpointer a, gconstpointer b)
{
	const val *x = *(val *const *)a, *y = *(val *const *)b;
	int c = strcmp(val_get(x, "date")->str, val_get(y, "date")->str);
	return c ? c : strcmp(val_get(x, "name")->str, val_get(y, "name")->str);
}

static void
derive_obligations(val *prog_out, const val *root, const val *programme)
{
	const val *ob = val_get(programme, "obligations");
	const val *build = val_get(val_get(root, "build"), "date");
	val *list = val_set_list(prog_out, "obligations");
	GDate ref;
	if (!build || !parse_date(build->str, &ref))
		return;
	obligations_ctx oc = { .list = list, .ref = &ref, .warn_days = (long)val_num(ob, "warn_days") };
	const val *items = val_get(ob, "items");
	for (guint i = 0; i < val_len(items); i++) {
		const val *it = val_index(items, i), *fixed = val_get(it, "date");
		GDate d;
		if (fixed && parse_date(fixed->str, &d))
			obligation(&oc, it, val_get(it, "name")->str, &d, fixed, false, programme);
		else if (val_get(it, "from"))
			obligation_recurring(&oc, root, it, programme);
		else if (val_get(it, "each"))
			obligation_each(&oc, root, it, programme);
	}
	g_ptr_array_sort(list->items, cmp_obligation);
	val_set_bool(prog_out, "obligations_any", val_len(list) > 0);
	val_set_number(prog_out, "warn_days", (double)oc.warn_days);
	g_autofree char *ref_long = date_long(&ref);
	val_set_string(prog_out, "reference_date", ref_long);
}

/* ---- all of it --------------------------------------------------------- */

const val *
programme_path(const val *root, const char *id)
{
	return source_find_id(val_path(root, "programme.paths"), id);
}

bool
derive_programme(val *root, const val *programme)
{
	unsigned errors = diag_errors();
	if (!derive_daily(root))
		return false;
	val *out = val_set_map(root, "programme");
	const val *def = val_get(programme, "default");
	val_map_set(out, "default", def ? val_copy(def) : val_new_null());
	path_ctx pc = { .programme = programme, .paths = val_set_list(out, "paths") };
	expr_env env = { .root = root, .scope = val_get(root, "latest"), .path_met = path_met_cb, .ud = &pc };
	const val *paths = val_get(programme, "paths");
	for (guint i = 0; i < val_len(paths); i++)
		eval_path(&pc, val_index(paths, i), &env, def ? def->str : NULL);
	val_set_bool(out, "paths_any", val_len(pc.paths) > 0);
	derive_permissions(out, programme);
	derive_obligations(out, root, programme);
	const val *ar = val_get(programme, "app_review");
	if (ar) {
		val *a = val_set_map(out, "app_review");
		val_set_string(a, "recordings", val_get(ar, "recordings")->str);
		val_map_set(a, "source", source_copy(programme, val_get(ar, "source")->str));
	}
	return diag_errors() == errors;
}

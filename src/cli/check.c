/* cli/check.c - `dossier check`: do the trigger metrics justify applying?
 *
 * Runs the in-memory pipeline (so a document that cannot be completed is
 * reported too) and prints the readiness report, the same Markdown that
 * `build` writes to OUT/readiness.md, or with --json the same verdict as
 * JSON (json-glib) for cron and CI.  Exit 0 ready, 1 not ready.
 */
#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "cli/commands.h"
#include "cli/project.h"
#include "base/diag.h"
#include "derive/programme.h"
#include "pipeline/pipeline.h"

static char *opt_content, *opt_templates, *opt_path;
static gboolean opt_strict, opt_final, opt_json;

static const GOptionEntry check_options[] = {
	{ "content", 'c', 0, G_OPTION_ARG_FILENAME, &opt_content, "Content folder (default: content)", "DIR" },
	{ "templates", 't', 0, G_OPTION_ARG_FILENAME, &opt_templates, "Templates folder (default: templates)", "DIR" },
	{ "final", 0, 0, G_OPTION_ARG_NONE, &opt_final, "Count a generated stand-in for a supplied document as unmet", NULL },
	{ "strict", 0, 0, G_OPTION_ARG_NONE, &opt_strict, "Make consistency warnings errors", NULL },
	{ "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print the verdict as JSON (warnings included)", NULL },
	{ "path", 'p', 0, G_OPTION_ARG_STRING, &opt_path, "Check one partner path of templates/programme.yaml; the exit status follows its gates", "ID" },
	{ NULL },
};

/* A string as JSON holds it: valid UTF-8 always (a file name in another
 * encoding gets U+FFFD for each byte that is not UTF-8). */
static void
add_text(JsonBuilder *b, const char *s)
{
	if (g_utf8_validate(s, -1, NULL)) {
		json_builder_add_string_value(b, s);
		return;
	}
	g_autofree char *valid = g_utf8_make_valid(s, -1);
	json_builder_add_string_value(b, valid);
}

static void
add_string(JsonBuilder *b, const char *name, const val *v)
{
	json_builder_set_member_name(b, name);
	if (v && v->kind == VAL_STRING)
		add_text(b, v->str);
	else
		json_builder_add_null_value(b);
}

static void
add_bool(JsonBuilder *b, const char *name, const val *v)
{
	json_builder_set_member_name(b, name);
	json_builder_add_boolean_value(b, v && v->kind == VAL_BOOL && v->b);
}

static void
add_number(JsonBuilder *b, const char *name, const val *v)
{
	json_builder_set_member_name(b, name);
	if (v && v->kind == VAL_NUMBER && v->num == (double)(gint64)v->num)
		json_builder_add_int_value(b, (gint64)v->num);	/* 87, not 87.0 */
	else if (v && v->kind == VAL_NUMBER)
		json_builder_add_double_value(b, v->num);
	else
		json_builder_add_null_value(b);
}

/* Keys of the tree that only dress the Markdown: not in the JSON. */
static bool
presentation_key(const char *key)
{
	static const char *const keys[] = { "check", "status", "n", NULL };
	for (const char *const *k = keys; *k; k++)
		if (!strcmp(*k, key))
			return true;
	return g_str_has_suffix(key, "_any");
}

/* Any value of the tree as JSON, whole numbers as integers. */
static void
add_val(JsonBuilder *b, const val *v)
{
	switch (v ? v->kind : VAL_NULL) {
	case VAL_NULL:
		json_builder_add_null_value(b);
		break;
	case VAL_BOOL:
		json_builder_add_boolean_value(b, v->b);
		break;
	case VAL_NUMBER:
		if (v->num == (double)(gint64)v->num)
			json_builder_add_int_value(b, (gint64)v->num);
		else
			json_builder_add_double_value(b, v->num);
		break;
	case VAL_STRING:
		json_builder_add_string_value(b, v->str);
		break;
	case VAL_LIST:
		json_builder_begin_array(b);
		for (guint i = 0; i < val_len(v); i++)
			add_val(b, val_index(v, i));
		json_builder_end_array(b);
		break;
	case VAL_MAP:
		json_builder_begin_object(b);
		for (guint i = 0; i < val_len(v); i++) {
			if (presentation_key(val_key(v, i)))
				continue;
			json_builder_set_member_name(b, val_key(v, i));
			add_val(b, val_index(v, i));
		}
		json_builder_end_object(b);
		break;
	}
}

/* The verdict as JSON: what readiness.md says, plus the warnings. */
static char *
check_json(const val *root, const char *warnings)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	const val *r = val_get(root, "readiness");
	const val *t = val_get(root, "triggers");
	const val *latest = val_get(root, "latest");

	json_builder_begin_object(b);
	add_string(b, "company", val_path(root, "company.name"));
	add_string(b, "month", val_get(latest, "month"));
	add_bool(b, "ready", val_get(r, "ready"));
	add_bool(b, "final", val_get(r, "final_ready"));
	add_string(b, "verdict", val_get(r, "verdict"));
	add_string(b, "final_note", val_get(r, "final_note"));

	json_builder_set_member_name(b, "trigger_rule");
	json_builder_begin_object(b);
	add_string(b, "text", val_path(t, "rule.text"));
	add_bool(b, "met", val_path(t, "rule.met"));
	json_builder_end_object(b);

	json_builder_set_member_name(b, "triggers");
	json_builder_begin_array(b);
	const val *rows = val_get(t, "rows");
	for (guint i = 0; i < val_len(rows); i++) {
		const val *row = val_index(rows, i);
		json_builder_begin_object(b);
		add_string(b, "metric", val_get(row, "metric"));
		add_number(b, "current", val_get(row, "current_value"));
		add_number(b, "target", val_get(row, "target_value"));
		add_string(b, "current_text", val_get(row, "current"));
		add_string(b, "target_text", val_get(row, "target"));
		add_bool(b, "met", val_get(row, "met"));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "items");
	json_builder_begin_array(b);
	const val *items = val_get(r, "items");
	for (guint i = 0; i < val_len(items); i++) {
		const val *it = val_index(items, i);
		json_builder_begin_object(b);
		add_string(b, "item", val_get(it, "item"));
		add_bool(b, "met", val_get(it, "met"));
		add_bool(b, "standin", val_get(it, "standin"));
		add_string(b, "detail", val_get(it, "detail"));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	const val *prog = val_get(root, "programme");
	json_builder_set_member_name(b, "default_path");
	add_val(b, val_get(prog, "default"));
	json_builder_set_member_name(b, "paths");
	add_val(b, val_get(prog, "paths"));
	json_builder_set_member_name(b, "obligations");
	add_val(b, val_get(prog, "obligations"));

	json_builder_set_member_name(b, "warnings");
	json_builder_begin_array(b);
	g_auto(GStrv) lines = g_strsplit(warnings ? warnings : "", "\n", -1);
	for (char **l = lines; *l; l++)
		if (**l)
			add_text(b, *l);
	json_builder_end_array(b);
	json_builder_end_object(b);

	g_autoptr(JsonNode) node = json_builder_get_root(b);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	json_generator_set_pretty(gen, TRUE);
	json_generator_set_indent(gen, 2);
	json_generator_set_root(gen, node);
	char *text = json_generator_to_data(gen, NULL);
	char *out = g_strconcat(text, "\n", NULL);
	g_free(text);
	return out;
}

/* The path --path names, or NULL after saying which paths there are. */
static const val *
find_path(const val *root)
{
	const val *path = programme_path(root, opt_path);
	if (path)
		return path;
	const val *paths = val_path(root, "programme.paths");
	g_autoptr(GPtrArray) ids = g_ptr_array_new();
	for (guint i = 0; i < val_len(paths); i++)
		g_ptr_array_add(ids, val_get(val_index(paths, i), "id")->str);
	g_ptr_array_add(ids, NULL);
	const char *hint = diag_suggest(opt_path, (const char *const *)ids->pdata);
	g_autofree char *all = g_strjoinv(", ", (char **)ids->pdata);
	if (hint)
		diag_usage("check", FALSE, "no path '%s' in templates/programme.yaml (did you mean '%s'?)", opt_path, hint);
	else if (val_len(paths))
		diag_usage("check", FALSE, "no path '%s' in templates/programme.yaml; the paths are %s", opt_path, all);
	else
		diag_usage("check", FALSE, "no path '%s': templates/programme.yaml describes no paths", opt_path);
	return NULL;
}

int
cmd_check(int argc, char **argv)
{
	if (!cmd_parse_options("check", "",
			       "Prints the trigger metrics (current against target), the trigger rule and the\n"
			       "pre-application checklist, then a verdict, and whether the package is final;\n"
			       "then each partner path of templates/programme.yaml with its gates (current\n"
			       "value against target), and the obligations with their dates.\n"
			       "--final counts a generated stand-in for a supplied document as unmet.\n"
			       "--path ID prints one path; its gates decide the exit status.\n"
			       "Exit status: 0 ready to apply (with --path: the path's gates are met),\n"
			       "1 not ready, 2 bad input or an unknown path.",
			       check_options, &argc, &argv))
		return EXIT_BAD;
	if (argc > 1) {
		diag_usage("check", TRUE, "unexpected argument '%s'", argv[1]);
		return EXIT_BAD;
	}
	pipeline_opts po = { .strict = opt_strict, .final = opt_final };
	if (opt_json)
		diag_capture_begin();
	project pj;
	project_resolve(&pj, opt_content, opt_templates, NULL);
	g_autoptr(package_rendered) pl = pipeline_run_opts(pj.content, pj.templates, &po);
	project_clear(&pj);
	g_autofree char *msgs = opt_json ? diag_capture_end() : NULL;
	if (!pl) {
		if (msgs)
			diag_replay(msgs);
		return EXIT_BAD;
	}
	const val *path = NULL;
	if (opt_path && !(path = find_path(pl->root))) {
		if (msgs)
			diag_replay(msgs);
		return EXIT_BAD;
	}
	if (opt_json) {
		g_autofree char *json = check_json(pl->root, msgs);
		fputs(json, stdout);
	} else if (path) {
		g_autoptr(val) one = val_copy(path);
		g_autofree char *md = package_render_one(pl->pkg, "readiness-path.mustache", one);
		if (!md)
			return EXIT_BAD;
		fputs(md, stdout);
	} else {
		fputs(pl->readiness_md, stdout);
	}
	if (path)
		return val_get(path, "met")->b ? EXIT_OK : EXIT_NO;
	return val_get(val_get(pl->root, "readiness"), "ready")->b ? EXIT_OK : EXIT_NO;
}

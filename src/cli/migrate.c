/* cli/migrate.c - `dossier migrate`: content written for an older dossier,
 * brought up to date in place.
 *
 * templates/schema.yaml marks a key's old name with the type `renamed NEW`
 * (the amounts once ended in _usd: mrr_usd is now mrr, in
 * company.currency).  migrate walks every YAML file of the content the
 * schema describes, beside the schema, and renames each such key where it
 * stands, keeping the rest of the file byte for byte (comments, order,
 * quoting).  When company.yaml has no company.currency it adds
 * `currency: USD`, since every amount was in US dollars before.  Each
 * change is printed, located; files are replaced atomically.  The
 * project's own templates are not rewritten: each use of an old name in
 * them is reported, located, to edit by hand.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/project.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/searchpath.h"
#include "load/yaml.h"

static char *opt_content, *opt_templates;
static gboolean opt_dry_run;

static const GOptionEntry migrate_options[] = {
	{ "content", 'c', 0, G_OPTION_ARG_FILENAME, &opt_content, "Content folder (default: content)", "DIR" },
	{ "templates", 't', 0, G_OPTION_ARG_FILENAME, &opt_templates, "Templates folder (default: templates)", "DIR" },
	{ "dry-run", 'n', 0, G_OPTION_ARG_NONE, &opt_dry_run, "Print what would change; write nothing", NULL },
	{ NULL },
};

/* One key to rename: where its name starts (line, column in characters,
 * both from 1) and the names. */
typedef struct {
	int line, col;
	const char *old_name, *new_name;
} rename_at;

/* The key's name without a trailing '?'. */
static char *
bare_key(const char *key)
{
	size_t n = strlen(key);
	return g_strndup(key, n && key[n - 1] == '?' ? n - 1 : n);
}

/* The schema entry of `key` in the schema map `sch`, with or without '?'. */
static const val *
schema_entry(const val *sch, const char *key)
{
	for (guint i = 0; i < val_len(sch); i++) {
		g_autofree char *k = bare_key(val_key(sch, i));
		if (!strcmp(k, key))
			return val_index(sch, i);
	}
	return NULL;
}

/* Every renamed key of `v` under schema `sch`, into `found`. */
static void
collect(const val *v, const val *sch, GArray *found)
{
	if (!v || !sch)
		return;
	if (v->kind == VAL_LIST && sch->kind == VAL_LIST) {
		for (guint i = 0; i < val_len(v); i++)
			collect(val_index(v, i), val_index(sch, 0), found);
		return;
	}
	if (v->kind != VAL_MAP || sch->kind != VAL_MAP)
		return;
	for (guint i = 0; i < val_len(v); i++) {
		const val *child = val_index(v, i);
		const val *entry = schema_entry(sch, val_key(v, i));
		if (entry && entry->kind == VAL_STRING && g_str_has_prefix(entry->str, "renamed ") && child->key_line) {
			rename_at r = { child->key_line, child->key_col, val_key(v, i), entry->str + 8 };
			g_array_append_val(found, r);
		} else {
			collect(child, entry, found);
		}
	}
}

/* Byte offset of character column `col` (from 1) in the line at `line`. */
static const char *
at_column(const char *line, const char *end, int col)
{
	const char *p = line;
	for (int c = 1; c < col && p < end; c++)
		p = g_utf8_next_char(p);
	return p;
}

/* `text` with every rename applied, or NULL (after a located error) when a
 * key is not where the parser saw it. */
static char *
apply(const char *path, const char *text, GArray *found)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = found->len; i-- > 0;) {	/* right to left within a line */
		const rename_at *r = &g_array_index(found, rename_at, i);
		if (r->line < 1 || r->line > (int)g_strv_length(lines))
			return NULL;
		char *line = lines[r->line - 1];
		const char *end = line + strlen(line);
		const char *p = at_column(line, end, r->col);
		size_t skip = (*p == '"' || *p == '\'') ? 1 : 0;
		size_t n = strlen(r->old_name);
		if ((size_t)(end - p) < skip + n || strncmp(p + skip, r->old_name, n)) {
			diag(DIAG_ERROR, path, r->line, r->col, "cannot find the key '%s' here to rename it", r->old_name);
			return NULL;
		}
		GString *s = g_string_new_len(line, p + skip - line);
		g_string_append(s, r->new_name);
		g_string_append(s, p + skip + n);
		g_free(lines[r->line - 1]);
		lines[r->line - 1] = g_string_free(s, FALSE);
	}
	return g_strjoinv("\n", lines);
}

static gint
by_position(gconstpointer a, gconstpointer b)
{
	const rename_at *x = a, *y = b;
	return x->line != y->line ? x->line - y->line : x->col - y->col;
}

/* company.yaml without company.currency: `currency: USD` before
 * invoicing_currency (else before the first key), at its indentation. */
static char *
add_currency(const char *path, const char *text, const val *doc)
{
	const val *company = val_get(doc, "company");
	if (!company || company->kind != VAL_MAP || val_get(company, "currency") || val_len(company) == 0)
		return NULL;
	const val *before = val_get(company, "invoicing_currency");
	if (!before || !before->key_line)
		before = val_index(company, 0);
	if (!before->key_line)
		return NULL;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	if (before->key_line > (int)g_strv_length(lines))
		return NULL;
	const char *line = lines[before->key_line - 1];
	const char *key = at_column(line, line + strlen(line), before->key_col);
	if (strspn(line, " ") != (size_t)(key - line))
		return NULL;	/* a flow map or a list item: leave it to the user */
	GString *s = g_string_new(NULL);
	for (int i = 0; lines[i]; i++) {
		if (i == before->key_line - 1)
			g_string_append_printf(s, "%.*scurrency: USD   # ISO 4217: every amount in the content is in "
					       "this currency (before company.currency, amounts were US dollars)\n",
					       (int)(key - line), line);
		g_string_append(s, lines[i]);
		if (lines[i + 1])
			g_string_append_c(s, '\n');
	}
	printf("%s:%d: %s company.currency: USD\n", path, before->key_line, opt_dry_run ? "would add" : "added");
	return g_string_free(s, FALSE);
}

/* Renames in one file (and the currency in company.yaml); the number of
 * changes, or -1 after an error. */
static int
migrate_file(const char *path, const char *rel, const val *sch)
{
	g_autofree char *text = NULL, *why = NULL;
	size_t len;
	if (!file_read(path, FILE_MAX_CONTENT, &text, &len, &why)) {
		diag(DIAG_ERROR, path, 0, 0, "%s", why);
		return -1;
	}
	g_autoptr(val) doc = yaml_load_file(path);
	if (!doc)
		return -1;
	g_autoptr(GArray) found = g_array_new(FALSE, FALSE, sizeof(rename_at));
	collect(doc, sch, found);
	g_array_sort(found, by_position);
	g_autofree char *renamed = apply(path, text, found);
	if (!renamed)
		return -1;
	for (guint i = 0; i < found->len; i++) {
		const rename_at *r = &g_array_index(found, rename_at, i);
		printf("%s:%d:%d: %s -> %s\n", path, r->line, r->col, r->old_name, r->new_name);
	}
	int changes = (int)found->len;
	g_autofree char *with_currency = !strcmp(rel, "company.yaml") ? add_currency(path, renamed, doc) : NULL;
	const char *out = with_currency ? with_currency : renamed;
	changes += with_currency != NULL;
	if (changes && !opt_dry_run && !file_write_atomic(path, out, strlen(out), NULL))
		return -1;
	return changes;
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The YAML files of `dir` matching the schema's file key (a name, or a
 * glob like metrics/STAR.yaml), relative to dir, sorted. */
static GPtrArray *
matching_files(const char *dir, const char *pattern)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *sub = g_path_get_dirname(pattern), *base = g_path_get_basename(pattern);
	g_autofree char *where = !strcmp(sub, ".") ? g_strdup(dir) : g_build_filename(dir, sub, NULL);
	GDir *d = g_dir_open(where, 0, NULL);
	if (!d)
		return out;
	const char *name;
	while ((name = g_dir_read_name(d)))
		if (g_pattern_match_simple(base, name) && g_str_has_suffix(name, ".yaml"))
			g_ptr_array_add(out, !strcmp(sub, ".") ? g_strdup(name) : g_build_filename(sub, name, NULL));
	g_dir_close(d);
	g_ptr_array_sort(out, by_name);
	return out;
}

/* The schema that names the renames: the installed defaults' (a project's
 * own copy of schema.yaml may predate them), else the first found. */
static val *
load_schema(const char *templates)
{
	const char *data = project_data_dir();
	g_autofree char *installed = data ? g_build_filename(data, "templates", "schema.yaml", NULL) : NULL;
	if (installed && g_file_test(installed, G_FILE_TEST_IS_REGULAR))
		return yaml_load_file(installed);
	g_autofree char *path = searchpath_find(templates, "schema.yaml");
	return yaml_load_file(path);
}

/* Each use of an old name in the project's own templates, as a warning. */
static void
report_templates(const char *templates, GHashTable *old_names)
{
	g_auto(GStrv) dirs = searchpath_dirs(templates);
	const char *data = project_data_dir();
	for (int i = 0; dirs[i]; i++) {
		if (data && g_str_has_prefix(dirs[i], data))
			continue;	/* the installed templates are up to date */
		g_autoptr(GPtrArray) names = searchpath_list(dirs[i], ".mustache");
		for (guint k = 0; k < names->len; k++) {
			g_autofree char *path = g_build_filename(dirs[i], names->pdata[k], NULL), *text = NULL, *why = NULL;
			size_t len;
			if (!file_read(path, FILE_MAX_CONTENT, &text, &len, &why))
				continue;
			g_autoptr(GRegex) re = g_regex_new("\\{\\{[^}]*?\\b([a-z_]+)\\b", 0, 0, NULL);
			g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
			for (int ln = 0; lines[ln]; ln++) {
				g_autoptr(GMatchInfo) mi = NULL;
				g_regex_match(re, lines[ln], 0, &mi);
				for (; g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
					g_autofree char *word = g_match_info_fetch(mi, 1);
					const char *to = g_hash_table_lookup(old_names, word);
					int start, end;
					g_match_info_fetch_pos(mi, 1, &start, &end);
					if (to)
						diag(DIAG_WARNING, path, ln + 1, start + 1,
						     "'%s' was renamed '%s': edit this template by hand", word, to);
				}
			}
		}
	}
}

/* Old name -> new name for every `renamed` entry of the schema. */
static void
old_names_of(const val *sch, GHashTable *into)
{
	for (guint i = 0; i < val_len(sch); i++) {
		const val *e = val_index(sch, i);
		if (e->kind == VAL_STRING && g_str_has_prefix(e->str, "renamed "))
			g_hash_table_insert(into, bare_key(val_key(sch, i)), g_strdup(e->str + 8));
		else if (e->kind == VAL_MAP || e->kind == VAL_LIST)
			old_names_of(e, into);
	}
}

int
cmd_migrate(int argc, char **argv)
{
	if (!cmd_parse_options("migrate", "",
			       "Brings content written for an older dossier up to date, in place: renames every\n"
			       "key the schema marks as renamed (the amounts that ended in _usd: mrr_usd is now\n"
			       "mrr, in company.currency) and adds company.currency: USD when it is missing.\n"
			       "Comments and layout are kept; each change is printed. Uses of the old names in\n"
			       "the project's own templates are listed, to edit by hand.",
			       migrate_options, &argc, &argv))
		return EXIT_BAD;
	if (argc > 1) {
		diag_usage("migrate", TRUE, "unexpected argument '%s'", argv[1]);
		return EXIT_BAD;
	}
	project pj;
	project_resolve(&pj, opt_content, opt_templates, NULL);
	g_autoptr(val) schema = load_schema(pj.templates);
	if (!schema || schema->kind != VAL_MAP) {
		project_clear(&pj);
		return EXIT_BAD;
	}
	int changes = 0, files = 0;
	bool ok = true;
	for (guint i = 0; i < val_len(schema); i++) {
		g_autofree char *pattern = bare_key(val_key(schema, i));
		g_autoptr(GPtrArray) rels = matching_files(pj.content, pattern);
		for (guint k = 0; k < rels->len; k++) {
			g_autofree char *path = g_build_filename(pj.content, rels->pdata[k], NULL);
			int n = migrate_file(path, rels->pdata[k], val_index(schema, i));
			ok = ok && n >= 0;
			changes += MAX(n, 0);
			files += n > 0;
		}
	}
	g_autoptr(GHashTable) old_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	old_names_of(schema, old_names);
	report_templates(pj.templates, old_names);
	project_clear(&pj);
	if (!ok)
		return EXIT_BAD;
	if (changes == 0)
		printf("dossier migrate: nothing to change: the content is up to date\n");
	else
		printf("dossier migrate: %s %d change%s in %d file%s\n", opt_dry_run ? "would make" : "made",
		       changes, changes == 1 ? "" : "s", files, files == 1 ? "" : "s");
	return cmd_stdout_done(EXIT_OK);
}

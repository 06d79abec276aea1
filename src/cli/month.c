/* cli/month.c - `dossier month [YYYY-MM]`: the next monthly snapshot.
 *
 * Writes content/metrics/YYYY-MM.yaml (default: the month after the latest
 * snapshot) from the latest one, so that nobody copies last month's file
 * and its incidents by hand:
 *   - stock figures (what the business has at the end of a month: clients,
 *     organisations, MRR) are carried, with a comment giving last month's
 *     value;
 *   - figures measured over the month (messages, cost, uptime, latency...)
 *     are left empty: the build refuses the snapshot, at the line, until
 *     they are filled in;
 *   - per-month lists (incidents, clients) start empty, or are left to the
 *     CSV export beside the snapshot (YYYY-MM.clients.csv) when there is
 *     one; a clients export also gives whatsapp_ai_clients.
 * It never overwrites a file, and prints what is left to fill in.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cli/commands.h"
#include "cli/project.h"
#include "base/searchpath.h"
#include "base/diag.h"
#include "base/fmt.h"
#include "load/content.h"
#include "load/csvfile.h"
#include "pipeline/pipeline.h"
#include "load/schema.h"
#include "load/yaml.h"
#include "derive/metrics.h"

static char *opt_content, *opt_templates;

static const GOptionEntry month_options[] = {
	{ "content", 'c', 0, G_OPTION_ARG_FILENAME, &opt_content, "Content folder (default: content)", "DIR" },
	{ "templates", 't', 0, G_OPTION_ARG_FILENAME, &opt_templates, "Templates folder (default: templates)", "DIR" },
	{ NULL },
};

/* The latest YYYY-MM.yaml in dir as a month index; -1 when there is none. */
static int
latest_month(const char *dir)
{
	int latest = -1;
	g_autoptr(GPtrArray) names = content_list_metrics(dir);
	for (guint i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		if (strlen(name) != 12 || !g_str_has_suffix(name, ".yaml"))
			continue;
		g_autofree char *m = g_strndup(name, 7);
		latest = MAX(latest, fmt_month_index(m));
	}
	return latest;
}

static char *
month_text(int idx)
{
	return g_strdup_printf("%04d-%02d", idx / 12, idx % 12 + 1);
}

/* A scalar as it was written (numbers keep their source text). */
static char *
scalar_text(const val *v)
{
	if (!v || v->kind == VAL_NULL)
		return g_strdup("");
	if (v->kind == VAL_NUMBER && v->str)
		return g_strdup(v->str);
	return val_to_text(v);
}

/* The schema key without its optional mark. */
static char *
plain_key(const char *key)
{
	return g_strndup(key, strlen(key) - g_str_has_suffix(key, "?"));
}

static bool
is_list_of_maps(const val *sub)
{
	return sub->kind == VAL_LIST && val_len(sub) == 1 && val_index(sub, 0)->kind == VAL_MAP;
}

/* One "key: value   # comment" line, the comment aligned. */
static void
line(GString *out, const char *key, const char *value, const char *comment)
{
	g_autofree char *kv = g_strdup_printf("%s:%s%s", key, *value ? " " : "", value);
	g_string_append(out, kv);
	if (comment) {
		for (long pad = 34 - (long)g_utf8_strlen(kv, -1); pad > 0; pad--)
			g_string_append_c(out, ' ');
		g_string_append_printf(out, " # %s", comment);
	}
	g_string_append_c(out, '\n');
}

/* Write `text` to a new file at `path`; fails if it exists. */
static bool
write_new(const char *path, const char *text)
{
	int fd = g_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		diag(DIAG_ERROR, path, 0, 0, "%s", errno == EEXIST
		     ? "already exists: dossier month never overwrites a snapshot (edit it, or delete it to start again)"
		     : g_strerror(errno));
		return false;
	}
	size_t len = strlen(text), done = 0;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", g_strerror(errno));
			close(fd);
			g_unlink(path);
			return false;
		}
		done += (size_t)n;
	}
	if (close(fd) != 0) {
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", g_strerror(errno));
		g_unlink(path);
		return false;
	}
	return true;
}

/* The month to write, from the command line and the snapshots in dir:
 * false, after saying why, when there is no snapshot to start from, the
 * argument is no month, its file exists or it is not the next month. */
static bool
month_pick(const char *dir, int argc, char **argv, int *latest, int *target)
{
	*latest = latest_month(dir);
	if (*latest < 0) {
		diag(DIAG_ERROR, dir, 0, 0, "no monthly snapshot to start from: write the first one, YYYY-MM.yaml, by hand");
		return false;
	}
	*target = *latest + 1;
	if (*target / 12 > 9999) {
		g_autofree char *latest_s = month_text(*latest);
		diag_usage("month", FALSE, "the latest snapshot is %s: there is no month after it "
			   "(months are written YYYY-MM)", latest_s);
		return false;
	}
	if (argc == 2) {
		*target = fmt_month_index(argv[1]);
		if (*target < 0 || strlen(argv[1]) != 7) {
			diag_usage("month", FALSE, "'%s' is not a month written YYYY-MM", argv[1]);
			return false;
		}
	}
	g_autofree char *target_s = month_text(*target);
	g_autofree char *target_file = g_strdup_printf("%s.yaml", target_s);
	g_autofree char *path = g_build_filename(dir, target_file, NULL);
	if (g_file_test(path, G_FILE_TEST_EXISTS)) {
		diag(DIAG_ERROR, path, 0, 0,
		     "already exists: dossier month never overwrites a snapshot (edit it, or delete it to start again)");
		return false;
	}
	if (*target != *latest + 1) {
		g_autofree char *latest_s = month_text(*latest), *next = month_text(*latest + 1);
		diag_usage("month", FALSE, "the latest snapshot is %s and snapshots are consecutive: the next one is %s",
			   latest_s, next);
		return false;
	}
	return true;
}

/* The new snapshot as it is written, key by key. */
typedef struct {
	const char *dir;		/* content/metrics */
	const char *path;		/* the snapshot being written */
	const val *msch;		/* the schema of a snapshot */
	const val *prev;		/* the latest snapshot, checked */
	const char *latest_s;		/* its month, YYYY-MM */
	const char *target_s;		/* the new month, YYYY-MM */
	GString *out;			/* the new file's text */
	GString *todo;			/* "  path:line: key (...)", to fill in */
	GString *carried;		/* "  path:line: key value", to check */
	int ln;				/* the line the next key goes on */
} month_draft;

/* A per-month list: the rows of its CSV export beside the snapshot, or
 * empty, to fill in, when last month had one; nothing when it never had
 * one.  Returns the lines written (0 or 1), -1 after a bad CSV. */
static int
draft_list(month_draft *d, const char *key, const val *sub, const val *old)
{
	g_autofree char *csv_name = g_strdup_printf("%s.%s.csv", d->target_s, key);
	g_autofree char *csv_path = g_build_filename(d->dir, csv_name, NULL);
	g_autofree char *old_csv = g_strdup_printf("%s/%s.%s.csv", d->dir, d->latest_s, key);
	if (g_file_test(csv_path, G_FILE_TEST_EXISTS)) {
		g_autoptr(val) rows = csvfile_load(csv_path, val_index(sub, 0));
		if (!rows)
			return -1;
		g_string_append_printf(d->out, "# %s: from %s (%u rows)\n", key, csv_name, val_len(rows));
		return 1;
	}
	if (!old && !g_file_test(old_csv, G_FILE_TEST_EXISTS))
		return 0;
	if (!old) {	/* last month's came from a CSV: so will this one's, no list here */
		g_string_append_printf(d->out, "# %s: none yet: drop %s beside this file, as last month\n",
				       key, csv_name);
		g_string_append_printf(d->todo, "  %s:%d: %s (none yet: drop %s beside it)\n",
				       d->path, d->ln, key, csv_name);
		return 1;
	}
	g_autofree char *c = g_strdup_printf("none yet: list them, or remove this line and drop %s "
					     "beside this file", csv_name);
	line(d->out, key, "[]", c);
	g_string_append_printf(d->todo, "  %s:%d: %s (none yet: list them, or remove the line and drop %s "
			       "beside it)\n", d->path, d->ln, key, csv_name);
	return 1;
}

/* A map of figures measured over the month (messages_by_category): each
 * left empty, last month's value beside it, when last month had the map;
 * nothing when it did not.  Returns the lines written. */
static int
draft_map(month_draft *d, const char *key, const val *sub, const val *old)
{
	if (!old || old->kind != VAL_MAP)
		return 0;
	line(d->out, key, "", NULL);
	for (guint i = 0; i < val_len(sub); i++) {
		g_autofree char *k = plain_key(val_key(sub, i));
		g_autofree char *was = scalar_text(val_get(old, k));
		g_autofree char *indented = g_strdup_printf("  %s", k), *c = g_strdup_printf("fill in (%s: %s)", d->latest_s, was);
		line(d->out, indented, "", c);
		g_string_append_printf(d->todo, "  %s:%d: %s.%s (%s: %s)\n", d->path, d->ln + 1 + (int)i, key, k,
				       d->latest_s, was);
	}
	return 1 + (int)val_len(sub);
}

/* The schema of one row of the snapshot's list `name`; NULL when there is
 * none. */
static const val *
list_row_schema(const val *msch, const char *name)
{
	const val *item = NULL;
	for (guint j = 0; j < val_len(msch); j++) {
		g_autofree char *k = plain_key(val_key(msch, j));
		if (!strcmp(k, name) && is_list_of_maps(val_index(msch, j)))
			item = val_index(val_index(msch, j), 0);
	}
	return item;
}

/* A stock figure (metric table: stock): last month's value, or, for a
 * figure that counts a list, the rows of the new month's export of it. */
static void
draft_carried(month_draft *d, const metric *m, const val *old)
{
	const char *key = m->key;
	g_autofree char *was = scalar_text(old);
	g_autofree char *value = g_strdup(was);
	g_autofree char *comment = NULL;
	g_autofree char *csv = m->counts ? g_strdup_printf("%s/%s.%s.csv", d->dir, d->target_s, m->counts) : NULL;
	if (csv && g_file_test(csv, G_FILE_TEST_EXISTS)) {
		const val *item = list_row_schema(d->msch, m->counts);
		g_autoptr(val) rows = item ? csvfile_load(csv, item) : NULL;
		if (rows) {
			g_free(value);
			value = g_strdup_printf("%u", val_len(rows));
			comment = g_strdup_printf("rows in %s.%s.csv; %s: %s", d->target_s,
						  m->counts, d->latest_s, was);
		}
	}
	if (!comment) {
		comment = g_strdup_printf("carried from %s: %s", d->latest_s, was);
		g_string_append_printf(d->carried, "  %s:%d: %s %s\n", d->path, d->ln, key, was);
	}
	line(d->out, key, value, comment);
}

/* A figure measured over the month: empty, last month's value beside it. */
static void
draft_measured(month_draft *d, const char *key, const val *old)
{
	g_autofree char *was = scalar_text(old);
	g_autofree char *c = g_strdup_printf("fill in (%s: %s)", d->latest_s, was);
	line(d->out, key, "", c);
	g_string_append_printf(d->todo, "  %s:%d: %s (%s: %s)\n", d->path, d->ln, key, d->latest_s, was);
}

/* Every key of the schema's snapshot, in its order; false after a bad CSV
 * (every bad one is reported). */
static bool
draft_keys(month_draft *d)
{
	bool ok = true;
	for (guint i = 0; i < val_len(d->msch); i++) {
		g_autofree char *key = plain_key(val_key(d->msch, i));
		const val *sub = val_index(d->msch, i);
		const val *old = val_get(d->prev, key);
		const metric *m = metric_find(key);
		int lines = 1;
		if (sub->kind == VAL_STRING && g_str_has_prefix(sub->str, "renamed "))
			continue;	/* an old name: never written */
		if (!strcmp(key, "month")) {
			g_autofree char *q = g_strdup_printf("\"%s\"", d->target_s);
			line(d->out, key, q, NULL);
		} else if (is_list_of_maps(sub)) {
			lines = draft_list(d, key, sub, old);
		} else if (sub->kind == VAL_MAP) {
			lines = draft_map(d, key, sub, old);
		} else if (m && m->stock) {
			draft_carried(d, m, old);
		} else {
			draft_measured(d, key, old);
		}
		if (lines < 0)
			ok = false;
		else
			d->ln += lines;
	}
	return ok;
}

/* What the user does next: the figures to fill in and to check. */
static void
print_next_steps(const month_draft *d, const char *content, const char *from_file,
		 const char *latest_name, const char *target_name)
{
	printf("dossier: wrote %s (%s, from %s)\n", d->path, target_name, from_file);
	if (d->todo->len)
		printf("Fill in, measured over %s:\n%s", target_name, d->todo->str);
	if (d->carried->len)
		printf("Check, carried from %s (change them if they moved):\n%s", latest_name, d->carried->str);
	g_autofree char *fin = g_build_filename(content, "financials.yaml", NULL);
	if (g_file_test(fin, G_FILE_TEST_EXISTS))
		printf("Add %s to %s if it reports by month.\n", d->target_s, fin);
	printf("Then run 'dossier build' (it refuses the snapshot, at the line, until every value is there) "
	       "and read its warnings.\n");
}

int
cmd_month(int argc, char **argv)
{
	if (!cmd_parse_options("month", "[YYYY-MM]",
			       "Writes the next monthly snapshot, content/metrics/YYYY-MM.yaml (default: the month\n"
			       "after the latest), from the latest one: stock figures carried with last month's\n"
			       "value in a comment, measured figures left to fill in, incidents and clients empty\n"
			       "or taken from YYYY-MM.incidents.csv / YYYY-MM.clients.csv beside it.\n"
			       "Never overwrites a file. Prints what is left to fill in.",
			       month_options, &argc, &argv))
		return EXIT_BAD;
	if (argc > 2) {
		diag_usage("month", TRUE, "unexpected argument '%s'", argv[2]);
		return EXIT_BAD;
	}
	project pj;
	project_resolve(&pj, opt_content, opt_templates, NULL);
	g_autofree char *dir = g_build_filename(pj.content, "metrics", NULL);
	pipeline_confine(pj.content, pj.templates);
	g_autofree char *schema_path = searchpath_find(pj.templates, "schema.yaml");
	g_autofree char *content = g_strdup(pj.content);
	project_clear(&pj);

	int latest, target;
	if (!month_pick(dir, argc, argv, &latest, &target))
		return EXIT_BAD;
	g_autofree char *latest_s = month_text(latest), *target_s = month_text(target);
	g_autofree char *latest_name = fmt_month_name(latest), *target_name = fmt_month_name(target);
	g_autofree char *target_file = g_strdup_printf("%s.yaml", target_s);
	g_autofree char *path = g_build_filename(dir, target_file, NULL);

	/* The latest snapshot, checked, with its CSV lists. */
	g_autoptr(val) schema = yaml_load_file(schema_path);
	if (!schema)
		return EXIT_BAD;
	const val *msch = val_get(schema, "metrics/*.yaml");
	if (!msch || msch->kind != VAL_MAP) {
		diag(DIAG_ERROR, schema_path, 0, 0, "the schema declares no metrics/*.yaml");
		return EXIT_BAD;
	}
	g_autofree char *from_file = g_strdup_printf("%s.yaml", latest_s);
	g_autofree char *from_path = g_build_filename(dir, from_file, NULL);
	g_autoptr(val) prev = yaml_load_file(from_path);
	if (!prev || !schema_check(prev, msch, ""))
		return EXIT_BAD;

	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GString) todo = g_string_new(NULL);
	g_autoptr(GString) carried = g_string_new(NULL);
	month_draft d = {
		.dir = dir, .path = path, .msch = msch, .prev = prev,
		.latest_s = latest_s, .target_s = target_s,
		.out = out, .todo = todo, .carried = carried, .ln = 3,
	};
	g_string_append_printf(out, "# Snapshot for %s, started by `dossier month` from %s.\n"
			       "# Fill in every empty value; carried figures keep %s's value until you change them.\n",
			       target_name, from_file, latest_name);
	if (!draft_keys(&d) || !write_new(path, out->str))
		return EXIT_BAD;
	print_next_steps(&d, content, from_file, latest_name, target_name);
	return EXIT_OK;
}

/* write/changes.c - OUT/CHANGES.md and the build state behind it (package
 * stage; see changes.h and write.h).  The state file is a GKeyFile whose first
 * line is a comment holding the SHA-256 of the rest:
 *     # dossier-cache 1 sha256=...
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "write/changes.h"
#include "derive/metrics.h"
#include "write/write.h"
#include "base/fileop.h"
#include "base/diag.h"
#include "base/file.h"

#define CHANGES_MAGIC "# dossier-cache 1 sha256="

typedef struct {
	char *key;		/* "latest.whatsapp_ai_clients" */
	char *label;		/* "WhatsApp AI clients" */
	char *text;		/* what is shown: "87", "unmet" */
	char *detail;		/* compared, not shown: a trigger's current value; "" if none */
	double raw;		/* for the change in percent; NAN when not a number */
	bool points;		/* a percentage: show the change in points */
} figure;

typedef struct {
	char *path;
	char *sha256;
} file_sum;

/* A case study by its identity, the source file, not by its position. */
typedef struct {
	char *file;		/* "first-client.md" */
	char *title;
	int n;			/* its number in the package: Case Study n */
	char *digest;		/* SHA-256 of what it says (front matter and body) */
} case_sum;

struct changes_state {
	char *date;		/* build.date_long: "31 October 2026" */
	char *month;		/* latest.month_name: "October 2026" */
	GPtrArray *files;	/* file_sum*, sorted by path */
	GPtrArray *figures;	/* figure*, in a fixed order */
	GPtrArray *cases;	/* case_sum*, by n; NULL in a state from before they were kept */
};

static void
figure_free(gpointer p)
{
	figure *f = p;
	g_free(f->key);
	g_free(f->label);
	g_free(f->text);
	g_free(f->detail);
	g_free(f);
}

static void
file_sum_free(gpointer p)
{
	file_sum *f = p;
	g_free(f->path);
	g_free(f->sha256);
	g_free(f);
}

static void
case_sum_free(gpointer p)
{
	case_sum *c = p;
	g_free(c->file);
	g_free(c->title);
	g_free(c->digest);
	g_free(c);
}

static void
add_case(changes_state *s, const char *file, const char *title, int n, const char *digest)
{
	if (!s->cases)
		s->cases = g_ptr_array_new_with_free_func(case_sum_free);
	case_sum *c = g_new0(case_sum, 1);
	c->file = g_strdup(file);
	c->title = g_strdup(title ? title : "");
	c->n = n;
	c->digest = g_strdup(digest ? digest : "");
	g_ptr_array_add(s->cases, c);
}

static changes_state *
state_alloc(const char *date, const char *month)
{
	changes_state *s = g_new0(changes_state, 1);
	s->date = g_strdup(date ? date : "");
	s->month = g_strdup(month ? month : "");
	s->files = g_ptr_array_new_with_free_func(file_sum_free);
	s->figures = g_ptr_array_new_with_free_func(figure_free);
	return s;
}

void
changes_state_free(changes_state *s)
{
	if (!s)
		return;
	g_free(s->date);
	g_free(s->month);
	g_ptr_array_unref(s->files);
	g_ptr_array_unref(s->figures);
	if (s->cases)
		g_ptr_array_unref(s->cases);
	g_free(s);
}

static void
add_file(changes_state *s, const char *path, const char *sha256)
{
	file_sum *f = g_new0(file_sum, 1);
	f->path = g_strdup(path);
	f->sha256 = g_strdup(sha256);
	g_ptr_array_add(s->files, f);
}

static void
add_figure(changes_state *s, const char *key, const char *label, const char *text,
	   const char *detail, double raw, bool points)
{
	figure *f = g_new0(figure, 1);
	f->key = g_strdup(key);
	f->label = g_strdup(label);
	f->text = g_strdup(text ? text : "");
	f->detail = g_strdup(detail ? detail : "");
	f->raw = raw;
	f->points = points;
	g_ptr_array_add(s->figures, f);
}

/* ------------------------------------------------------ from the tree */

/* Derived figures worth watching, by path in the tree. */
static const struct {
	const char *path, *label;
} derived_figures[] = {
	{ "growth.messages.cmgr", "Messages, compound monthly growth" },
	{ "growth.clients.cmgr", "WhatsApp AI clients, compound monthly growth" },
	{ "growth.mrr.cmgr", "MRR, compound monthly growth" },
	{ "uptime.last_12m", "Uptime (12 months)" },
	{ "cost.current.net", "Net monthly saving as a BSP" },
	{ "cost.break_even.percent_of_current", "Break-even volume, share of this month's" },
	{ "projection.monthly_volume", "Projected monthly messages in 12 months" },
	{ "readiness.verdict", "Readiness" },
};

static const char *
str_at(const val *root, const char *path)
{
	const val *v = val_path(root, path);
	return v && v->kind == VAL_STRING ? v->str : NULL;
}

static void
add_snapshot_figures(changes_state *s, const val *latest)
{
	const val *fmt = val_get(latest, "fmt");
	for (guint i = 0; i < val_len(fmt); i++) {
		const char *k = val_key(fmt, i);
		const val *text = val_index(fmt, i);
		const val *raw = val_get(latest, k);
		/* The label from metrics.h; a field it does not know reads as
		 * itself with spaces ("new_field" → "new field"). */
		const metric *m = metric_find(k);
		g_autofree char *fallback = m ? NULL : g_strdelimit(g_strdup(k), "_", ' ');
		const char *label = m ? m->label : fallback;
		g_autofree char *key = g_strconcat("latest.", k, NULL);
		add_figure(s, key, label, text->kind == VAL_STRING ? text->str : NULL, NULL,
			   raw && raw->kind == VAL_NUMBER ? raw->num : NAN,
			   m ? m->unit == METRIC_PERCENT : g_str_has_suffix(k, "_percent"));
	}
}

static void
add_trigger_figures(changes_state *s, const val *root)
{
	const val *rows = val_path(root, "triggers.rows");
	for (guint i = 0; i < val_len(rows); i++) {
		const val *r = val_index(rows, i);
		const char *metric = str_at(r, "metric"), *target = str_at(r, "target");
		const val *met = val_get(r, "met");
		if (!metric || !met)
			continue;
		g_autofree char *key = g_strdup_printf("trigger.%s", metric);
		g_autofree char *label = g_strdup_printf("Trigger '%s %s'", metric, target ? target : "");
		add_figure(s, key, label, val_truthy(met) ? "met" : "unmet", str_at(r, "current"), NAN, false);
	}
	const val *rule = val_path(root, "triggers.rule.met");
	if (rule) {
		const char *text = str_at(root, "triggers.rule.text");
		g_autofree char *label = g_strdup_printf("Trigger rule '%s'", text ? text : "");
		add_figure(s, "trigger.rule", label, val_truthy(rule) ? "met" : "unmet", NULL, NAN, false);
	}
}

/* Every case study under its source file, with what it says digested:
 * every front-matter value and the body, in order. */
static void
digest_val(GChecksum *c, const val *v)
{
	g_autofree char *text = val_to_text(v);
	if (text) {
		g_checksum_update(c, (const guchar *)text, -1);
		g_checksum_update(c, (const guchar *)"\0", 1);
	}
	for (guint i = 0; i < val_len(v); i++) {
		if (v->kind == VAL_MAP) {
			const char *k = val_key(v, i);
			if (!strcmp(k, "n") || !strcmp(k, "order") || !strcmp(k, "path") ||
			    !strcmp(k, "file") || !strcmp(k, "body_line") ||
			    !strcmp(k, "list_sep") || !strcmp(k, "list_first"))
				continue;	/* where it stands, not what it says */
			g_checksum_update(c, (const guchar *)k, -1);
		}
		digest_val(c, val_index(v, i));
	}
}

static void
add_case_studies(changes_state *s, const val *cases)
{
	if (!s->cases)
		s->cases = g_ptr_array_new_with_free_func(case_sum_free);
	for (guint i = 0; i < val_len(cases); i++) {
		const val *cs = val_index(cases, i);
		const val *file = val_get(cs, "file"), *title = val_get(cs, "title");
		if (!file || file->kind != VAL_STRING)
			continue;
		g_autofree char *name = g_path_get_basename(file->str);
		GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
		digest_val(c, cs);
		add_case(s, name, title && title->kind == VAL_STRING ? title->str : NULL,
			 (int)val_num(cs, "n"), g_checksum_get_string(c));
		g_checksum_free(c);
	}
}

changes_state *
changes_state_new(const val *root, const manifest *m)
{
	changes_state *s = state_alloc(str_at(root, "build.date_long"), str_at(root, "latest.month_name"));
	for (guint i = 0; m && i < m->files->len; i++) {
		const manifest_entry *e = m->files->pdata[i];
		add_file(s, e->path, e->sha256);
	}
	const val *month = val_path(root, "latest.month_name");
	if (month && month->kind == VAL_STRING)
		add_figure(s, "latest.month", "Latest snapshot", month->str, NULL, NAN, false);
	add_snapshot_figures(s, val_get(root, "latest"));
	add_trigger_figures(s, root);
	for (size_t i = 0; i < G_N_ELEMENTS(derived_figures); i++) {
		const char *text = str_at(root, derived_figures[i].path);
		if (text)
			add_figure(s, derived_figures[i].path, derived_figures[i].label, text, NULL, NAN, false);
	}
	add_case_studies(s, val_get(root, "case_studies"));
	return s;
}

/* ------------------------------------------------------ the state file */

static char *
raw_text(double raw)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	return g_strdup(isnan(raw) ? "" : g_ascii_dtostr(buf, sizeof buf, raw));
}

bool
changes_state_save(const changes_state *s, const char *file)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_key_file_set_string(kf, "build", "date", s->date);
	g_key_file_set_string(kf, "build", "month", s->month);
	for (guint i = 0; i < s->files->len; i++) {
		const file_sum *f = s->files->pdata[i];
		g_autofree char *k = g_strdup_printf("f%u", i);
		const char *v[] = { f->path, f->sha256, NULL };
		g_key_file_set_string_list(kf, "files", k, v, 2);
	}
	for (guint i = 0; i < s->figures->len; i++) {
		const figure *f = s->figures->pdata[i];
		g_autofree char *k = g_strdup_printf("g%u", i);
		g_autofree char *raw = raw_text(f->raw);
		const char *v[] = { f->key, f->label, f->text, f->detail, raw, f->points ? "pp" : "", NULL };
		g_key_file_set_string_list(kf, "figures", k, v, 6);
	}
	for (guint i = 0; s->cases && i < s->cases->len; i++) {
		const case_sum *c = s->cases->pdata[i];
		g_autofree char *k = g_strdup_printf("c%u", i);
		g_autofree char *n = g_strdup_printf("%d", c->n);
		const char *v[] = { c->file, c->title, n, c->digest, NULL };
		g_key_file_set_string_list(kf, "case-studies", k, v, 4);
	}
	if (s->cases && !s->cases->len)
		g_key_file_set_string(kf, "case-studies", "none", "");
	g_autofree char *body = g_key_file_to_data(kf, NULL, NULL);
	g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, body, -1);
	g_autofree char *text = g_strconcat(CHANGES_MAGIC, sum, "\n", body, NULL);
	return fileop_write(file, text, strlen(text));
}

static changes_state *
state_from_keyfile(GKeyFile *kf)
{
	g_autofree char *date = g_key_file_get_string(kf, "build", "date", NULL);
	g_autofree char *month = g_key_file_get_string(kf, "build", "month", NULL);
	if (!date || !month)
		return NULL;
	g_autoptr(changes_state) s = state_alloc(date, month);
	g_auto(GStrv) fkeys = g_key_file_get_keys(kf, "files", NULL, NULL);
	for (char **k = fkeys; k && *k; k++) {
		gsize n;
		g_auto(GStrv) v = g_key_file_get_string_list(kf, "files", *k, &n, NULL);
		if (!v || n != 2)
			return NULL;
		add_file(s, v[0], v[1]);
	}
	g_auto(GStrv) gkeys = g_key_file_get_keys(kf, "figures", NULL, NULL);
	for (char **k = gkeys; k && *k; k++) {
		gsize n;
		g_auto(GStrv) v = g_key_file_get_string_list(kf, "figures", *k, &n, NULL);
		if (!v || n != 6)
			return NULL;
		add_figure(s, v[0], v[1], v[2], v[3], *v[4] ? g_ascii_strtod(v[4], NULL) : NAN, *v[5]);
	}
	if (g_key_file_has_group(kf, "case-studies")) {
		s->cases = g_ptr_array_new_with_free_func(case_sum_free);
		g_auto(GStrv) ckeys = g_key_file_get_keys(kf, "case-studies", NULL, NULL);
		for (char **k = ckeys; k && *k; k++) {
			if (!strcmp(*k, "none"))
				continue;
			gsize n;
			g_auto(GStrv) v = g_key_file_get_string_list(kf, "case-studies", *k, &n, NULL);
			if (!v || n != 4)
				return NULL;
			add_case(s, v[0], v[1], atoi(v[2]), v[3]);
		}
	}
	return g_steal_pointer(&s);
}

changes_state *
changes_state_load(const char *file)
{
	g_autofree char *text = NULL, *why = NULL;
	size_t len;
	if (!g_file_test(file, G_FILE_TEST_EXISTS))
		return NULL;
	changes_state *s = NULL;
	if (file_read(file, FILE_MAX_CONTENT, &text, &len, &why) && strlen(text) == len &&
	    g_str_has_prefix(text, CHANGES_MAGIC)) {
		const char *sum = text + strlen(CHANGES_MAGIC);
		const char *body = strchr(sum, '\n');
		g_autofree char *want = body ? g_strndup(sum, (gsize)(body - sum)) : NULL;
		g_autofree char *have = body ? g_compute_checksum_for_string(G_CHECKSUM_SHA256, body + 1, -1) : NULL;
		g_autoptr(GKeyFile) kf = g_key_file_new();
		if (want && !strcmp(want, have) && g_key_file_load_from_data(kf, body + 1, -1, 0, NULL))
			s = state_from_keyfile(kf);
	}
	if (!s)
		diag(DIAG_WARNING, file, 0, 0,
		     "build state is corrupt or not dossier's; ignored (CHANGES.md compares with nothing)");
	return s;
}

/* ------------------------------------------------------------ the report */

char *
changes_delta(double from, double to, bool points)
{
	if (isnan(from) || isnan(to) || (!points && from == 0))
		return g_strdup("");
	double d = points ? to - from : (to - from) / fabs(from) * 100;
	g_autofree char *num = g_strdup_printf(points ? "%.2f" : "%.1f", fabs(d));
	bool zero = strspn(num, "0.") == strlen(num);
	const char *sign = zero ? "±" : d < 0 ? "\xE2\x88\x92" : "+";
	return g_strdup_printf("%s%s%s", sign, num, points ? " pp" : "%");
}

static const char *
sum_of(const changes_state *s, const char *path)
{
	for (guint i = 0; i < s->files->len; i++) {
		const file_sum *f = s->files->pdata[i];
		if (!strcmp(f->path, path))
			return f->sha256;
	}
	return NULL;
}

static const figure *
figure_of(const changes_state *s, const char *key)
{
	for (guint i = 0; i < s->figures->len; i++) {
		const figure *f = s->figures->pdata[i];
		if (!strcmp(f->key, key))
			return f;
	}
	return NULL;
}

static void
list_files(GString *md, const char *heading, GPtrArray *paths)
{
	if (!paths->len)
		return;
	g_string_append_printf(md, "\n%s (%u):\n\n", heading, paths->len);
	for (guint i = 0; i < paths->len; i++)
		g_string_append_printf(md, "- `%s`\n", (char *)paths->pdata[i]);
}

static void
report_files(GString *md, const changes_state *old, const changes_state *cur)
{
	g_autoptr(GPtrArray) added = g_ptr_array_new(), changed = g_ptr_array_new(),
			     removed = g_ptr_array_new();
	guint same = 0;
	for (guint i = 0; i < cur->files->len; i++) {
		const file_sum *f = cur->files->pdata[i];
		const char *was = sum_of(old, f->path);
		if (!was)
			g_ptr_array_add(added, f->path);
		else if (strcmp(was, f->sha256))
			g_ptr_array_add(changed, f->path);
		else
			same++;
	}
	for (guint i = 0; i < old->files->len; i++) {
		const file_sum *f = old->files->pdata[i];
		if (!sum_of(cur, f->path))
			g_ptr_array_add(removed, f->path);
	}
	g_string_append(md, "\n## Documents\n");
	if (!added->len && !changed->len && !removed->len) {
		g_string_append_printf(md, "\nNo document changed (%u files).\n", same);
		return;
	}
	list_files(md, "Added", added);
	list_files(md, "Changed", changed);
	list_files(md, "Removed", removed);
	g_string_append_printf(md, "\nUnchanged: %u file%s.\n", same, same == 1 ? "" : "s");
}

static void
report_figures(GString *md, const changes_state *old, const changes_state *cur)
{
	g_autoptr(GString) lines = g_string_new(NULL);
	for (guint i = 0; i < cur->figures->len; i++) {
		const figure *f = cur->figures->pdata[i];
		const figure *o = figure_of(old, f->key);
		if (!o) {
			g_string_append_printf(lines, "- %s: new, %s\n", f->label, f->text);
			continue;
		}
		if (!strcmp(o->text, f->text) && !strcmp(o->detail, f->detail))
			continue;
		g_autofree char *delta = changes_delta(o->raw, f->raw, f->points);
		g_string_append_printf(lines, "- %s: %s → %s", f->label, o->text, f->text);
		if (*delta)
			g_string_append_printf(lines, " (%s)", delta);
		g_string_append_c(lines, '\n');
	}
	for (guint i = 0; i < old->figures->len; i++) {
		const figure *o = old->figures->pdata[i];
		if (!figure_of(cur, o->key))
			g_string_append_printf(lines, "- %s: %s → gone\n", o->label, o->text);
	}
	g_string_append(md, "\n## Figures\n\n");
	g_string_append(md, lines->len ? lines->str : "No figure moved.\n");
}

static const case_sum *
case_of(const changes_state *s, const char *file)
{
	for (guint i = 0; s->cases && i < s->cases->len; i++) {
		const case_sum *c = s->cases->pdata[i];
		if (!strcmp(c->file, file))
			return c;
	}
	return NULL;
}

/* Case studies by source file and title, whatever their numbers did:
 *   - first-client.md, "Quotes in two minutes" (Case Study 1 → 2)
 * so adding one at order 2 reads as one addition and three moves, not as
 * "case-study-5 added, 2-4 changed". */
static void
report_cases(GString *md, const changes_state *old, const changes_state *cur)
{
	if (!old->cases || !cur->cases)
		return;		/* a state from before case studies were kept */
	g_autoptr(GString) lines = g_string_new(NULL);
	for (guint i = 0; i < cur->cases->len; i++) {
		const case_sum *c = cur->cases->pdata[i];
		const case_sum *o = case_of(old, c->file);
		g_autoptr(GString) what = g_string_new(NULL);
		if (!o) {
			g_string_append(what, "added");
		} else {
			if (strcmp(o->title, c->title))
				g_string_append_printf(what, "retitled from \"%s\"", o->title);
			if (strcmp(o->digest, c->digest) && strcmp(o->title, c->title) == 0)
				g_string_append_printf(what, "%sedited", what->len ? ", " : "");
		}
		if (o && o->n == c->n && !what->len)
			continue;
		g_string_append_printf(lines, "- %s, \"%s\" (", c->file, c->title);
		if (o && o->n != c->n)
			g_string_append_printf(lines, "Case Study %d \xE2\x86\x92 %d)", o->n, c->n);
		else
			g_string_append_printf(lines, "Case Study %d)", c->n);
		if (what->len)
			g_string_append_printf(lines, ": %s", what->str);
		g_string_append_c(lines, '\n');
	}
	for (guint i = 0; i < old->cases->len; i++) {
		const case_sum *o = old->cases->pdata[i];
		if (!case_of(cur, o->file))
			g_string_append_printf(lines, "- %s, \"%s\" (was Case Study %d): removed\n", o->file, o->title, o->n);
	}
	if (!lines->len)
		return;
	g_string_append(md, "\n## Case studies\n\n");
	g_string_append(md, lines->str);
}

char *
changes_report(const changes_state *old, const changes_state *cur)
{
	GString *md = g_string_new("# What changed\n\n");
	g_string_append_printf(md, "Build of %s (latest snapshot: %s)", cur->date, cur->month);
	if (!old) {
		g_string_append_printf(md, ".\n\nFirst build: there is no previous build to compare with "
				       "yet. The package has %u files.\n", cur->files->len);
		return g_string_free(md, FALSE);
	}
	g_string_append_printf(md, ", compared with the previous build of %s (latest snapshot: %s).\n",
			       old->date, old->month);
	report_files(md, old, cur);
	report_cases(md, old, cur);
	report_figures(md, old, cur);
	return g_string_free(md, FALSE);
}

/* ------------------------------------------------------------ the output */

/* CHANGES.md against the state the previous build left in
 * OUT/.dossier-cache/, then this build's state for the next one. */
bool
changes_write(const WriteCtx *ctx)
{
	g_autofree char *xml = g_build_filename(ctx->pkg, MANIFEST_XML, NULL);
	g_autoptr(manifest) m = manifest_read(xml);
	if (!m)
		return false;
	g_autofree char *old_file = g_build_filename(ctx->old_out, WRITE_CACHE_DIR, CHANGES_STATE_FILE, NULL);
	g_autofree char *new_file = g_build_filename(ctx->stage, WRITE_CACHE_DIR, CHANGES_STATE_FILE, NULL);
	g_autoptr(changes_state) old = changes_state_load(old_file);
	g_autoptr(changes_state) cur = changes_state_new(ctx->pl->root, m);
	g_autofree char *md = changes_report(old, cur);
	g_autofree char *path = g_build_filename(ctx->stage, "CHANGES.md", NULL);
	return fileop_write(path, md, strlen(md)) && changes_state_save(cur, new_file);
}

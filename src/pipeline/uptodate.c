/* pipeline/uptodate.c - the record of a build's inputs and of what it left
 * in OUT (see uptodate.h).
 *
 * The record file holds the build's record (base/record.h), a line "in
 * ENTRY" each, and the identity of every file and folder of OUT, a line
 * "out KEY\tIDENTITY" each, sorted.
 */
#include <errno.h>
#include <inttypes.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/fileop.h"
#include "base/version.h"
#include "write/write.h"
#include "pipeline/uptodate.h"

#define RECORD_MAGIC	"dossier-uptodate 2"
#define RECORD_NAME	"build"		/* OUT/.dossier-cache/stamps/build */
#define WALK_MAX	100000		/* entries of OUT; past it, never up to date */

static char *
identity(const struct stat *st)
{
	return g_strdup_printf("%jd %jd.%09ld %ju %ju %o", (intmax_t)st->st_size,
			       (intmax_t)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
			       (uintmax_t)st->st_dev, (uintmax_t)st->st_ino, (unsigned)st->st_mode);
}

static void
add(GPtrArray *lines, const char *key, const char *id)
{
	g_ptr_array_add(lines, g_strconcat(key, "\t", id, NULL));
}

static void
add_stat(GPtrArray *lines, const char *key, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		add(lines, key, "missing");
		return;
	}
	g_autofree char *id = identity(&st);
	add(lines, key, id);
}

/* Every file and folder under `dir` as "PREFIX/REL".  A symbolic link gets
 * its own identity and its target's, and is not walked into.  `skip`, a
 * path relative to dir, is left out with everything under it.  False when
 * the tree is too big or a folder cannot be read. */
static bool
walk(GPtrArray *lines, const char *prefix, const char *dir, const char *rel, const char *skip,
     int *budget)
{
	g_autofree char *path = rel ? g_build_filename(dir, rel, NULL) : g_strdup(dir);
	g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
	if (!d)
		return false;
	const char *name;
	while ((name = g_dir_read_name(d))) {
		if (--*budget < 0)
			return false;
		g_autofree char *r = rel ? g_build_filename(rel, name, NULL) : g_strdup(name);
		if (skip && !strcmp(r, skip))
			continue;
		g_autofree char *p = g_build_filename(dir, r, NULL);
		g_autofree char *key = g_strconcat(prefix, "/", r, NULL);
		struct stat st;
		if (lstat(p, &st) != 0)
			return false;
		g_autofree char *id = identity(&st);
		add(lines, key, id);
		if (S_ISLNK(st.st_mode)) {
			g_autofree char *k = g_strconcat(key, " ->", NULL);
			add_stat(lines, k, p);
		} else if (S_ISDIR(st.st_mode) && !walk(lines, prefix, dir, r, skip, budget)) {
			return false;
		}
	}
	return true;
}

static int
add_library(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	if (info->dlpi_name && info->dlpi_name[0] == '/')
		record_lib(data, info->dlpi_name);
	return 0;
}

static gint
cmp_lines(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

record *
uptodate_values(const build_opts *o)
{
	record *r = record_new();
	record_keep_identities(r);
	record_value_str(r, "version", DOSSIER_VERSION);
	record_value_str(r, "content", o->content_dir);
	record_value_str(r, "templates", o->templates_dir);
	g_autofree char *opts = g_strdup_printf("strict=%d final=%d", o->pipe.strict, o->pipe.final);
	record_value_str(r, "options", opts);
	return r;
}

/* ---- the record ---------------------------------------------------------- */

static char *
record_path(const char *out)
{
	return g_build_filename(out, WRITE_CACHE_DIR, "stamps", RECORD_NAME, NULL);
}

/* An identity line of a folder (its mode, the last field, is 40xxx). */
static bool
is_folder(const char *id)
{
	const char *mode = strrchr(id, ' ');
	return mode && g_str_has_prefix(mode + 1, "40");
}

/* The identity lines of what a build staged in `stage` (its stamps left
 * out).  A file keeps its identity when the commit renames it into OUT; a
 * folder of OUT is never replaced, so only that it is a folder counts. */
static GPtrArray *
outputs(const char *stage, bool *ok)
{
	GPtrArray *l = g_ptr_array_new_with_free_func(g_free);
	int budget = WALK_MAX;
	*ok = walk(l, "OUT", stage, NULL, WRITE_CACHE_DIR "/stamps", &budget);
	for (guint i = 0; i < l->len; i++) {
		char *line = l->pdata[i];
		char *tab = strchr(line, '\t');
		if (tab && is_folder(tab + 1)) {
			*tab = '\0';
			l->pdata[i] = g_strconcat(line, "\tfolder", NULL);
			g_free(line);
		}
	}
	g_ptr_array_sort(l, cmp_lines);
	return l;
}

/* The identity of OUT/rel now, as outputs() records it. */
static char *
output_now(const char *out, const char *rel)
{
	g_autofree char *path = g_build_filename(out, rel, NULL);
	struct stat st;
	if (lstat(path, &st) != 0)
		return g_strdup("missing");
	if (S_ISDIR(st.st_mode))
		return g_strdup("folder");
	return identity(&st);
}

bool
uptodate_record(const record *inputs, const char *stage, const build_result *res,
		const char *pkg_name, bool steady)
{
	GString *s = g_string_new(RECORD_MAGIC "\n");
	bool walked = false;
	g_autoptr(GPtrArray) outs = outputs(stage, &walked);
	steady = steady && walked;
	g_string_append_printf(s, "steady %d\n", steady);
	g_string_append_printf(s, "result %u %d %d %s\n", res->documents, res->stats.pages,
			       res->stats.typeset + res->stats.reused, pkg_name);
	if (steady) {
		/* What the build used (the program among it), and every
		 * library it ran with in the end (those opened on the way too). */
		g_autoptr(record) all = record_new();
		record_keep_identities(all);
		record_merge(all, inputs);
		dl_iterate_phdr(add_library, all);
		g_autofree char *text = record_text(all);
		g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
		for (char **l = lines; *l && **l; l++)
			g_string_append_printf(s, "in %s\n", *l);
	}
	for (guint i = 0; steady && i < outs->len; i++)
		g_string_append_printf(s, "out %s\n", (char *)outs->pdata[i]);
	g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)s->str, s->len);
	g_string_append_printf(s, "sha256 %s\n", sum);
	g_autofree char *path = record_path(stage);
	bool ok = fileop_write(path, s->str, s->len);
	g_string_free(s, TRUE);
	return ok;
}

bool
uptodate_check(const build_opts *o, const char *out_dir, build_result *res, char **why)
{
	*why = NULL;
	g_autofree char *path = record_path(out_dir);
	g_autofree char *text = NULL, *unread = NULL;
	if (!file_read(path, FILE_MAX_CONTENT, &text, NULL, &unread)) {
		*why = g_strdup("no record of a previous build in this output folder");
		return false;
	}
	char *last = g_strrstr(text, "\nsha256 ");
	bool ok = g_str_has_prefix(text, RECORD_MAGIC "\n") && last;
	if (ok) {
		g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text,
								   (gsize)(last + 1 - text));
		ok = !strncmp(last + 8, sum, 64) && last[8 + 64] == '\n' && last[8 + 65] == '\0';
	}
	if (!ok) {
		*why = g_strdup("the record of the previous build is damaged");
		return false;
	}
	*last = '\0';
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	if (!lines[1] || strcmp(lines[1], "steady 1") != 0) {
		*why = g_strdup("the previous build changed the output (a build from the same input may "
				"still change CHANGES.md) or said something");
		return false;
	}
	unsigned docs = 0;
	int pages = 0, pdfs = 0, at = 0;
	if (!lines[2] || sscanf(lines[2], "result %u %d %d %n", &docs, &pages, &pdfs, &at) != 3 || !at) {
		*why = g_strdup("the record of the previous build is damaged");
		return false;
	}
	GString *ins = g_string_new(NULL);
	g_autoptr(GPtrArray) outs = g_ptr_array_new();
	for (char **l = lines + 3; *l; l++) {
		if (g_str_has_prefix(*l, "in "))
			g_string_append_printf(ins, "%s\n", *l + 3);
		else if (g_str_has_prefix(*l, "out "))
			g_ptr_array_add(outs, *l + 4);
	}
	g_autoptr(record) was = record_parse(ins->str);
	g_string_free(ins, TRUE);
	if (!was) {
		*why = g_strdup("the record of the previous build is damaged");
		return false;
	}
	g_autoptr(record) now = uptodate_values(o);
	if ((*why = record_changed(was, now, NULL)))
		return false;
	/* Each file and folder the last build left, as it left it (what else
	 * OUT holds is not dossier's, and a build would not touch it). */
	for (guint i = 0; i < outs->len; i++) {
		const char *line = outs->pdata[i];
		const char *tab = strchr(line, '\t');
		if (!tab || !g_str_has_prefix(line, "OUT/"))
			continue;
		g_autofree char *rel = g_strndup(line + 4, (gsize)(tab - line - 4));
		g_autofree char *is = output_now(out_dir, rel);
		if (strcmp(is, tab + 1)) {
			g_autofree char *shown = g_build_filename(out_dir, rel, NULL);
			*why = g_strdup_printf("%s %s", shown, !strcmp(is, "missing")
					       ? "was removed since the last build" : "changed since the last build");
			return false;
		}
	}
	*res = (build_result){ .documents = docs, .stats = { .pages = pages, .reused = pdfs } };
	res->package_dir = g_build_filename(out_dir, lines[2] + at, NULL);
	return true;
}

/* base/record.c - what an output was made from (see record.h).
 *
 * A record is a table "KIND\tNAME" -> VALUE.  Names and values are escaped
 * as C strings (g_strescape) in the text, so a file name with a tab or a
 * line break in it stays on its line.
 */
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "base/file.h"
#include "base/record.h"

#define OUT_PREFIX	"<out>/"

struct record {
	GHashTable *entries;	/* "KIND\tNAME" -> value */
	char *out;		/* record_set_out(), or NULL */
	GPtrArray *ignored;	/* record_ignore() folders */
	bool identities;	/* record_keep_identities() */
};

static _Thread_local record *current;

record *
record_new(void)
{
	record *r = g_new0(record, 1);
	r->entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	r->ignored = g_ptr_array_new_with_free_func(g_free);
	return r;
}

void
record_free(record *r)
{
	if (!r)
		return;
	g_hash_table_unref(r->entries);
	g_ptr_array_unref(r->ignored);
	g_free(r->out);
	g_free(r);
}

void
record_keep_identities(record *r)
{
	r->identities = true;
}

void
record_set_out(record *r, const char *dir)
{
	g_free(r->out);
	r->out = g_strdup(dir);
}

void
record_ignore(record *r, const char *dir)
{
	g_ptr_array_add(r->ignored, g_strdup(dir));
}

record *
record_push(record *r)
{
	record *was = current;
	current = r;
	return was;
}

void
record_pop(record *previous)
{
	current = previous;
}

record *
record_current(void)
{
	return current;
}

static bool
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && path[n] == '/';
}

static void
put(record *r, const char *kind, const char *name, const char *value)
{
	g_hash_table_replace(r->entries, g_strconcat(kind, "\t", name, NULL), g_strdup(value));
}

/* The name a file has in the record, or NULL when it is not recorded. */
static char *
file_name(const record *r, const char *path)
{
	/* One name for one file: "a/../b" is "b" (a relative path stays
	 * relative otherwise, as messages name it). */
	g_autofree char *canon = strstr(path, "/../") || strstr(path, "/./") || g_str_has_prefix(path, "./")
		? g_canonicalize_filename(path, NULL) : g_strdup(path);
	for (guint i = 0; i < r->ignored->len; i++)
		if (under(canon, r->ignored->pdata[i]))
			return NULL;
	if (r->out && under(canon, r->out))
		return g_strconcat(OUT_PREFIX, canon + strlen(r->out) + 1, NULL);
	return g_steal_pointer(&canon);
}

static char *
identity(const struct stat *st)
{
	return g_strdup_printf("%jd:%jd.%09ld:%ju:%ju", (intmax_t)st->st_size,
			       (intmax_t)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
			       (uintmax_t)st->st_dev, (uintmax_t)st->st_ino);
}

void
record_file(record *r, const char *path, const char *sha, const struct stat *st)
{
	g_autofree char *name = r ? file_name(r, path) : NULL;
	if (!name)
		return;
	g_autofree char *id = st && r->identities ? identity(st) : g_strdup("-");
	g_autofree char *v = g_strconcat(sha, " ", id, NULL);
	put(r, "file", name, v);
}

void
record_none(record *r, const char *path)
{
	g_autofree char *name = r ? file_name(r, path) : NULL;
	if (name)
		put(r, "none", name, "");
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of a folder joined by '/' (which no name holds), sorted. */
static char *
names_text(GPtrArray *names)
{
	g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new(names->len + 1);
	for (guint i = 0; i < names->len; i++)
		g_ptr_array_add(sorted, names->pdata[i]);
	g_ptr_array_sort(sorted, cmp_str);
	g_ptr_array_add(sorted, NULL);
	return g_strjoinv("/", (char **)sorted->pdata);
}

/* The names in `dir` now, or NULL when it cannot be listed. */
static GPtrArray *
names_now(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	if (!d)
		return NULL;
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *n;
	while ((n = g_dir_read_name(d)))
		g_ptr_array_add(names, g_strdup(n));
	return names;
}

void
record_list(record *r, const char *dir, GPtrArray *names)
{
	g_autofree char *name = r ? file_name(r, dir) : NULL;
	if (!name)
		return;
	g_autofree char *v = names_text(names);
	put(r, "list", name, v);
}

void
record_value(record *r, const char *name, const void *data, gsize len)
{
	if (!r)
		return;
	g_autofree char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
	put(r, "value", name, sha);
}

void
record_value_str(record *r, const char *name, const char *s)
{
	/* NULL and "" differ. */
	record_value(r, name, s ? s : "\xff", s ? strlen(s) : 1);
}

void
record_lib(record *r, const char *path)
{
	struct stat st;
	if (!r)
		return;
	g_autofree char *id = stat(path, &st) == 0 ? identity(&st) : g_strdup("missing");
	put(r, "lib", path, id);
}

static char *
env_digest(const char *v)
{
	return v ? g_compute_checksum_for_string(G_CHECKSUM_SHA256, v, -1) : g_strdup("unset");
}

void
record_env(record *r, const char *name)
{
	if (!r)
		return;
	g_autofree char *d = env_digest(g_getenv(name));
	put(r, "env", name, d);
}

const char *
record_getenv(const char *name)
{
	record_env(current, name);
	return g_getenv(name);
}

static void merge(record *into, const record *from, bool values);

void
record_merge(record *into, const record *from)
{
	merge(into, from, true);
}

void
record_merge_reads(record *into, const record *from)
{
	merge(into, from, false);
}
/* Every entry of `from` into `into`, its values too when `values`. */
static void
merge(record *into, const record *from, bool values)
{
	if (!into)
		return;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, from->entries);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *tab = strchr(k, '\t');
		g_autofree char *kind = g_strndup(k, (gsize)(tab - (const char *)k));
		const char *name = tab + 1;
		/* A file of from's own out folder is one of into's too when
		 * they share it; otherwise it is named as from named it. */
		if (!strcmp(kind, "file") || !strcmp(kind, "none") || !strcmp(kind, "list")) {
			g_autofree char *path = g_str_has_prefix(name, OUT_PREFIX) && from->out
				? g_build_filename(from->out, name + strlen(OUT_PREFIX), NULL) : g_strdup(name);
			g_autofree char *mine = file_name(into, path);
			if (mine)
				put(into, kind, mine, v);
		} else if (values || strcmp(kind, "value")) {
			put(into, kind, name, v);
		}
	}
}

GPtrArray *
record_files(const record *r)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, r->entries);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (g_str_has_prefix(k, "file\t"))
			g_ptr_array_add(files, g_strdup((const char *)k + 5));
	g_ptr_array_sort(files, cmp_str);
	return files;
}

char *
record_text(const record *r)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, r->entries);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *tab = strchr(k, '\t');
		g_autofree char *en = g_strescape(tab + 1, NULL);
		g_autofree char *ev = g_strescape(v, NULL);
		g_ptr_array_add(lines, g_strdup_printf("%.*s\t%s\t%s\n", (int)(tab - (const char *)k),
						       (const char *)k, en, ev));
	}
	g_ptr_array_sort(lines, cmp_str);
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < lines->len; i++)
		g_string_append(s, lines->pdata[i]);
	return g_string_free(s, FALSE);
}

static bool
known_kind(const char *k)
{
	static const char *const kinds[] = { "file", "none", "list", "value", "env", "lib", NULL };
	return g_strv_contains(kinds, k);
}

record *
record_parse(const char *text)
{
	record *r = record_new();
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		if (!**l)
			continue;
		g_auto(GStrv) f = g_strsplit(*l, "\t", 3);
		if (g_strv_length(f) != 3 || !known_kind(f[0])) {
			record_free(r);
			return NULL;
		}
		g_autofree char *name = g_strcompress(f[1]), *value = g_strcompress(f[2]);
		put(r, f[0], name, value);
	}
	return r;
}

char *
record_digest(const record *r)
{
	g_autofree char *t = record_text(r);
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, t, -1);
}

/* ---- checking a record again -------------------------------------------- */

/* Where a recorded file is now ("<out>/" under out). */
static char *
path_now(const char *name, const char *out)
{
	if (!g_str_has_prefix(name, OUT_PREFIX))
		return g_strdup(name);
	return out ? g_build_filename(out, name + strlen(OUT_PREFIX), NULL) : NULL;
}

static char *
check_file(const char *path, const char *value)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return g_strdup_printf("%s was removed", path);
	const char *space = strchr(value, ' ');
	g_autofree char *id = identity(&st);
	if (space && !strcmp(space + 1, id))
		return NULL;
	g_autofree char *why = NULL;
	g_autofree char *sha = file_sha256(path, NULL, &why);
	if (sha && space && (size_t)(space - value) == strlen(sha) && !strncmp(value, sha, strlen(sha)))
		return NULL;
	return g_strdup_printf("%s changed", path);
}

static char *
check_list(const char *path, const char *value)
{
	g_autoptr(GPtrArray) now = names_now(path);
	if (!now)
		return g_strdup_printf("%s was removed", path);
	g_autofree char *text = names_text(now);
	if (!strcmp(text, value))
		return NULL;
	g_auto(GStrv) was = g_strsplit(value, "/", -1);
	for (guint i = 0; i < now->len; i++)
		if (!g_strv_contains((const char *const *)was, now->pdata[i]))
			return g_strdup_printf("%s/%s is new", path, (char *)now->pdata[i]);
	for (char **w = was; *w; w++) {
		bool found = false;
		for (guint i = 0; i < now->len && !found; i++)
			found = !strcmp(*w, now->pdata[i]);
		if (!found && **w)
			return g_strdup_printf("%s/%s was removed", path, *w);
	}
	return g_strdup_printf("%s changed", path);
}

/* One entry of an old record against today. */
static char *
check_entry(const char *kind, const char *name, const char *value, const record *now,
	    const char *out)
{
	if (!strcmp(kind, "value")) {
		g_autofree char *key = g_strconcat("value\t", name, NULL);
		const char *v = g_hash_table_lookup(now->entries, key);
		return v && !strcmp(v, value) ? NULL : g_strdup_printf("the value %s changed", name);
	}
	if (!strcmp(kind, "env")) {
		g_autofree char *d = env_digest(g_getenv(name));
		return strcmp(d, value) ? g_strdup_printf("env %s changed", name) : NULL;
	}
	if (!strcmp(kind, "lib")) {
		struct stat st;
		g_autofree char *id = stat(name, &st) == 0 ? identity(&st) : g_strdup("missing");
		return strcmp(id, value) ? g_strdup_printf("%s changed", name) : NULL;
	}
	g_autofree char *path = path_now(name, out);
	if (!path)
		return g_strdup_printf("%s: no output folder to look in", name);
	if (!strcmp(kind, "file"))
		return check_file(path, value);
	if (!strcmp(kind, "none")) {
		struct stat st;
		return lstat(path, &st) == 0 ? g_strdup_printf("%s is new", path) : NULL;
	}
	return check_list(path, value);
}

char *
record_changed(const record *was, const record *now, const char *out)
{
	/* A value handed in today that was not then. */
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, now->entries);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (g_str_has_prefix(k, "value\t") && !g_hash_table_contains(was->entries, k))
			return g_strdup_printf("the value %s is new", (const char *)k + 6);
	/* Every entry of the old record, in a stable order: values first
	 * (no file is read when one differs), then the rest. */
	g_autoptr(GPtrArray) keys = g_ptr_array_new();
	g_hash_table_iter_init(&it, was->entries);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_ptr_array_add(keys, k);
	g_ptr_array_sort(keys, cmp_str);
	for (int values = 1; values >= 0; values--) {
		for (guint i = 0; i < keys->len; i++) {
			const char *key = keys->pdata[i];
			if (g_str_has_prefix(key, "value\t") != values)
				continue;
			const char *tab = strchr(key, '\t');
			g_autofree char *kind = g_strndup(key, (gsize)(tab - key));
			char *why = check_entry(kind, tab + 1, g_hash_table_lookup(was->entries, key), now, out);
			if (why)
				return why;
		}
	}
	return NULL;
}

/* pipeline/commit.c - a staged build into OUT, in place and all or nothing
 * (see commit.h).
 *
 * A commit is a list of steps, each one rename or mkdir that can be undone
 * and whose being done can be seen on disk:
 *   A REL DEST  move aside: OUT/REL -> OUT/DEST     done: OUT/DEST exists
 *   M REL MODE  make the folder OUT/REL             done: it is a folder
 *   P REL INO   put: STAGE/REL -> OUT/REL           done: OUT/REL is inode INO
 *   S REL INO   swap STAGE/REL and OUT/REL          done: OUT/REL is inode INO
 *   D REL N     drop: OUT/REL -> TRASH/N            done: TRASH/N exists
 * in that order (asides, folders top-down, files with the caches and the
 * record last, drops bottom-up).  The journal lists them; completing it is
 * doing, in order, each step not yet done.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/fileop.h"
#include "pipeline/commit.h"

#define CACHE_DIR	".dossier-cache"
#define JOURNAL		CACHE_DIR "/journal"
#define RECORD_MAGIC	"dossier-written 1"
#define JOURNAL_MAGIC	"dossier-journal 1"
#define STAGE_PREFIX	"stage-"
#define TRASH_PREFIX	"trash-"

typedef struct {
	char kind;		/* 'A', 'M', 'P', 'S', 'D' */
	guint64 ino;		/* P, S: the staged file; D: the file dropped (0: a folder) */
	guint64 was;		/* S: the file it replaces */
	guint mode;		/* M */
	char *rel;		/* relative to OUT */
	char *dest;		/* A: relative to OUT; D: the name in the trash */
} step;

struct commit {
	char *out, *given;	/* OUT: real path, as given */
	char *stage, *trash;	/* full paths */
	GPtrArray *steps;	/* step* */
	GPtrArray *said;	/* "moved aside" lines, printed once done */
};

static void
step_free(gpointer p)
{
	step *s = p;
	g_free(s->rel);
	g_free(s->dest);
	g_free(s);
}

static step *
step_add(GPtrArray *to, char kind, const char *rel, const char *dest)
{
	step *s = g_new0(step, 1);
	s->kind = kind;
	s->rel = g_strdup(rel);
	s->dest = g_strdup(dest);
	g_ptr_array_add(to, s);
	return s;
}

static bool
in_cache(const char *rel)
{
	return !strcmp(rel, CACHE_DIR) || g_str_has_prefix(rel, CACHE_DIR "/");
}

/* A relative path with no empty, "." or ".." step and no control
 * character: what a record or a journal may name. */
static bool
rel_ok(const char *rel)
{
	if (!*rel || *rel == '/')
		return false;
	for (const char *p = rel; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	g_auto(GStrv) parts = g_strsplit(rel, "/", -1);
	for (char **p = parts; *p; p++)
		if (!**p || !strcmp(*p, ".") || !strcmp(*p, ".."))
			return false;
	return true;
}

/* ---- what is on disk ----------------------------------------------------- */

/* OUT/rel reached without following a link and without leaving OUT's
 * filesystem: 0 missing, 'f' a regular file, 'd' a folder, 'm' a mount
 * point, 'x' anything else, or a link or mount on the way (unreachable).
 * *st gets its status when it is there. */
static char
reach(const char *out, const char *rel, GStatBuf *st)
{
	GStatBuf top;
	if (g_lstat(out, &top) != 0)
		return 'x';
	g_auto(GStrv) parts = g_strsplit(rel, "/", -1);
	GString *path = g_string_new(out);
	char kind = 'x';
	for (char **p = parts; *p; p++) {
		g_string_append_c(path, '/');
		g_string_append(path, *p);
		GStatBuf s;
		if (g_lstat(path->str, &s) != 0) {
			kind = errno == ENOENT || errno == ENOTDIR ? 0 : 'x';
			break;
		}
		bool last = !p[1];
		if (S_ISDIR(s.st_mode) && (s.st_dev != top.st_dev || fileop_is_mount(path->str))) {
			kind = 'm';
			if (!last)
				kind = 'x';
			if (st)
				*st = s;
			break;
		}
		if (!last && !S_ISDIR(s.st_mode))
			break;		/* a file or link on the way */
		if (last) {
			kind = S_ISREG(s.st_mode) ? 'f' : S_ISDIR(s.st_mode) ? 'd' : 'x';
			if (st)
				*st = s;
		}
	}
	g_string_free(path, TRUE);
	return kind;
}

/* ---- the record ---------------------------------------------------------- */

/* The last build's record: path -> "f" or "d"; NULL when there is none. */
static GHashTable *
record_read(const char *out)
{
	g_autofree char *path = g_build_filename(out, COMMIT_RECORD, NULL);
	g_autofree char *text = NULL, *why = NULL;
	if (reach(out, COMMIT_RECORD, NULL) != 'f' || !file_read(path, FILE_MAX_CONTENT, &text, NULL, &why) ||
	    !g_str_has_prefix(text, RECORD_MAGIC "\n"))
		return NULL;
	GHashTable *rec = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (char **l = lines + 1; *l; l++) {
		if (((*l)[0] != 'f' && (*l)[0] != 'd') || (*l)[1] != ' ')
			continue;
		g_autofree char *rel = g_strcompress(*l + 2);
		if (rel_ok(rel))
			g_hash_table_replace(rec, g_steal_pointer(&rel), (*l)[0] == 'f' ? "f" : "d");
	}
	return rec;
}

typedef struct {
	char *rel;
	char kind;		/* 'f' or 'd' */
	guint64 ino;
	guint mode;
} entry;

static void
entry_free(gpointer p)
{
	entry *e = p;
	g_free(e->rel);
	g_free(e);
}

static gint
entry_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(entry *const *)a)->rel, (*(entry *const *)b)->rel);
}

/* One entry of the staging folder (fileop_walk): a file or a folder a
 * build wrote, anything else an error. */
static bool
stage_entry(const char *rel, const char *full, const GStatBuf *st, void *out)
{
	if (!st || !(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))) {
		diag(DIAG_ERROR, full, 0, 0, "not a file or folder a build writes");
		return false;
	}
	entry *e = g_new0(entry, 1);
	e->rel = g_strdup(rel);
	e->kind = S_ISDIR(st->st_mode) ? 'd' : 'f';
	e->ino = st->st_ino;
	e->mode = st->st_mode & 07777;
	g_ptr_array_add(out, e);
	return true;
}

/* Every file and folder of the staging folder.  False after a diag. */
static bool
walk_stage(const char *stage, GPtrArray *out)
{
	return fileop_walk(stage, stage_entry, out);
}

bool
commit_write_record(const char *stage)
{
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(entry_free);
	if (!walk_stage(stage, entries))
		return false;
	entry *self = g_new0(entry, 1);
	self->rel = g_strdup(COMMIT_RECORD);
	self->kind = 'f';
	g_ptr_array_add(entries, self);
	g_ptr_array_sort(entries, entry_cmp);
	GString *s = g_string_new(RECORD_MAGIC "\n");
	for (guint i = 0; i < entries->len; i++) {
		const entry *e = entries->pdata[i];
		g_autofree char *esc = g_strescape(e->rel, NULL);
		g_string_append_printf(s, "%c %s\n", e->kind, esc);
	}
	g_autofree char *path = g_build_filename(stage, COMMIT_RECORD, NULL);
	bool ok = fileop_write(path, s->str, s->len);
	g_string_free(s, TRUE);
	return ok;
}

void
commit_keep_unchanged(const char *out, const char *stage)
{
	g_autoptr(GHashTable) rec = record_read(out);
	g_autoptr(GPtrArray) files = rec ? fileop_files(stage) : NULL;
	for (guint i = 0; files && i < files->len; i++) {
		const char *rel = files->pdata[i];
		const char *kind = g_hash_table_lookup(rec, rel);
		GStatBuf os, ss;
		if (!kind || *kind != 'f' || reach(out, rel, &os) != 'f')
			continue;
		g_autofree char *s = g_build_filename(stage, rel, NULL);
		g_autofree char *o = g_build_filename(out, rel, NULL);
		if (g_stat(s, &ss) != 0 || ss.st_size != os.st_size || ss.st_ino == os.st_ino)
			continue;	/* another size, or already the old file (a reused PDF) */
		g_autofree char *a = NULL, *b = NULL, *why = NULL;
		size_t la, lb;
		if (file_read(s, FILE_MAX_ATTACHMENT, &a, &la, &why) && file_read(o, FILE_MAX_ATTACHMENT, &b, &lb, &why) &&
		    la == lb && !memcmp(a, b, la)) {
			g_autofree char *tmp = g_strconcat(s, ".keep", NULL);
			if (fileop_link(o, tmp) && g_rename(tmp, s) != 0)
				g_unlink(tmp);
		}
	}
}

/* ---- may a build write here? --------------------------------------------- */

static gint
cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool
commit_may_build(const char *out, const char *given, bool force)
{
	g_autoptr(GHashTable) rec = record_read(out);
	if (rec || force)
		return true;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) d = g_dir_open(out, 0, NULL);
	const char *name;
	while (d && (name = g_dir_read_name(d)))
		if (strcmp(name, CACHE_DIR))
			g_ptr_array_add(names, g_strdup(name));
	if (!names->len)
		return true;
	g_ptr_array_sort(names, cmp_names);
	GString *list = g_string_new(NULL);
	for (guint i = 0; i < names->len && i < 8; i++)
		g_string_append_printf(list, "%s%s", i ? ", " : "", (char *)names->pdata[i]);
	if (names->len > 8)
		g_string_append_printf(list, " and %u more", names->len - 8);
	diag(DIAG_ERROR, given, 0, 0, "the output folder holds files dossier did not write (%s); "
	     "build into a new or empty folder, or add --force to build here (what is in the way of "
	     "dossier's files is then moved to %s/)", list->str, COMMIT_ASIDE);
	g_string_free(list, TRUE);
	return false;
}

/* ---- planning ------------------------------------------------------------ */

typedef struct {
	commit *c;
	GHashTable *rec;	/* the record, or NULL */
	GHashTable *aside;	/* rel moved aside (and so missing below) */
	GHashTable *taken;	/* rel that a step will create */
	GPtrArray *asides, *dirs, *files, *last, *drops;	/* steps, in order */
	guint trash_n;
} plan;

static bool
under_aside(const plan *p, const char *rel)
{
	g_autofree char *r = g_strdup(rel);
	for (char *slash; (slash = strrchr(r, '/'));) {
		*slash = '\0';
		if (g_hash_table_contains(p->aside, r))
			return true;
	}
	return false;
}

/* Where OUT/rel goes aside: moved-aside/REL, or moved-aside~N/REL when
 * something of that name is there; the folders it needs are made first. */
static char *
aside_dest(plan *p, const char *rel)
{
	for (guint n = 0;; n++) {
		g_autofree char *root = n ? g_strdup_printf("%s~%u", COMMIT_ASIDE, n) : g_strdup(COMMIT_ASIDE);
		g_autofree char *dest = g_strconcat(root, "/", rel, NULL);
		bool ok = !g_hash_table_contains(p->taken, dest) && reach(p->c->out, dest, NULL) == 0;
		/* Each folder on the way: there (a plain folder), or made by us. */
		g_auto(GStrv) parts = g_strsplit(dest, "/", -1);
		GString *at = g_string_new(NULL);
		for (char **q = parts; ok && q[1]; q++) {
			g_string_append_printf(at, "%s%s", at->len ? "/" : "", *q);
			char k = g_hash_table_contains(p->taken, at->str) ? 'd' : reach(p->c->out, at->str, NULL);
			ok = k == 'd' || k == 0;
		}
		if (ok) {
			g_string_truncate(at, 0);
			for (char **q = parts; q[1]; q++) {
				g_string_append_printf(at, "%s%s", at->len ? "/" : "", *q);
				if (!g_hash_table_contains(p->taken, at->str) && reach(p->c->out, at->str, NULL) == 0) {
					step_add(p->asides, 'M', at->str, NULL)->mode = 0755;
					g_hash_table_add(p->taken, g_strdup(at->str));
				}
			}
			g_hash_table_add(p->taken, g_strdup(dest));
		}
		g_string_free(at, TRUE);
		if (ok)
			return g_steal_pointer(&dest);
	}
}

/* One staged entry: what puts it in place. */
static bool
plan_entry(plan *p, const entry *e)
{
	commit *c = p->c;
	GStatBuf st;
	char k = under_aside(p, e->rel) ? 0 : reach(c->out, e->rel, &st);
	const char *rec = p->rec ? g_hash_table_lookup(p->rec, e->rel) : NULL;
	/* Dossier's: what the record says it wrote, the cache folder, and a
	 * file the build linked in because it has the very bytes it wrote
	 * last time (write/kept.h: checked against the cache's digests). */
	bool owned = k == e->kind && (in_cache(e->rel) || (rec && *rec == k) ||
				      (k == 'f' && (guint64)st.st_ino == e->ino));
	if (k == 'm') {
		g_autofree char *shown = g_build_filename(c->given, e->rel, NULL);
		diag(DIAG_ERROR, shown, 0, 0, "a mount point where dossier writes its %s; dossier never "
		     "writes into another filesystem: unmount it, or build into another folder",
		     e->kind == 'd' ? "folder" : "file");
		return false;
	}
	if (k && !owned) {
		g_autofree char *dest = aside_dest(p, e->rel);
		step_add(p->asides, 'A', e->rel, dest);
		g_hash_table_add(p->aside, g_strdup(e->rel));
		g_autofree char *from = g_build_filename(c->given, e->rel, NULL);
		g_autofree char *to = g_build_filename(c->given, dest, NULL);
		g_ptr_array_add(c->said, g_strdup_printf("dossier: %s was not written by dossier and is where "
							 "it writes its %s: moved to %s", from,
							 e->kind == 'd' ? "folder" : "file", to));
		k = 0;
	}
	if (e->kind == 'd') {
		if (!k)
			step_add(p->dirs, 'M', e->rel, NULL)->mode = e->mode;
		return true;
	}
	GPtrArray *to = !strcmp(e->rel, COMMIT_RECORD) ? p->last : in_cache(e->rel) ? p->last : p->files;
	if (!k) {
		step_add(to, 'P', e->rel, NULL)->ino = e->ino;
	} else if ((guint64)st.st_ino != e->ino) {
		step *s = step_add(to, 'S', e->rel, NULL);
		s->ino = e->ino;
		s->was = st.st_ino;
	}
	return true;
}

static gint
cmp_desc(gconstpointer a, gconstpointer b)
{
	return -strcmp(*(char *const *)a, *(char *const *)b);
}

/* What the last build wrote and this one does not: dropped, children
 * first; a folder only when nothing else is left in it. */
static void
plan_drops(plan *p, GHashTable *staged)
{
	g_autoptr(GPtrArray) old = g_ptr_array_new();
	GHashTableIter it;
	gpointer key, val;
	g_hash_table_iter_init(&it, p->rec);
	while (g_hash_table_iter_next(&it, &key, &val))
		if (!g_hash_table_contains(staged, key) && strcmp(key, CACHE_DIR))
			g_ptr_array_add(old, key);
	g_ptr_array_sort(old, cmp_desc);
	g_autoptr(GHashTable) dropped = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < old->len; i++) {
		const char *rel = old->pdata[i];
		const char *kind = g_hash_table_lookup(p->rec, rel);
		GStatBuf st;
		if (reach(p->c->out, rel, &st) != *kind)
			continue;	/* not what dossier wrote any more: not ours */
		if (*kind == 'd') {
			g_autofree char *dir = g_build_filename(p->c->out, rel, NULL);
			g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
			const char *name;
			bool empty = d != NULL;
			while (empty && (name = g_dir_read_name(d))) {
				g_autofree char *child = g_strconcat(rel, "/", name, NULL);
				empty = g_hash_table_contains(dropped, child);
			}
			if (!empty)
				continue;	/* holds something of the user's: left */
		}
		g_autofree char *n = g_strdup_printf("%u", p->trash_n++);
		step_add(p->drops, 'D', rel, n)->ino = *kind == 'f' ? (guint64)st.st_ino : 0;
		g_hash_table_add(dropped, (gpointer)rel);
	}
}

static void
steps_append(GPtrArray *to, GPtrArray *from)
{
	for (guint i = 0; i < from->len; i++)
		g_ptr_array_add(to, from->pdata[i]);
	g_ptr_array_set_free_func(from, NULL);
}

commit *
commit_plan(const char *out, const char *given, const char *stage, const char *trash)
{
	commit *c = g_new0(commit, 1);
	c->out = g_strdup(out);
	c->given = g_strdup(given);
	c->stage = g_strdup(stage);
	c->trash = g_strdup(trash);
	c->steps = g_ptr_array_new_with_free_func(step_free);
	c->said = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(entry_free);
	plan p = {
		.c = c, .rec = record_read(out),
		.aside = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.asides = g_ptr_array_new_with_free_func(step_free),
		.dirs = g_ptr_array_new_with_free_func(step_free),
		.files = g_ptr_array_new_with_free_func(step_free),
		.last = g_ptr_array_new_with_free_func(step_free),
		.drops = g_ptr_array_new_with_free_func(step_free),
	};
	bool ok = walk_stage(stage, entries);
	g_ptr_array_sort(entries, entry_cmp);
	g_autoptr(GHashTable) staged = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; ok && i < entries->len; i++) {
		const entry *e = entries->pdata[i];
		g_hash_table_add(staged, e->rel);
		ok = plan_entry(&p, e);
	}
	if (ok && p.rec)
		plan_drops(&p, staged);
	/* The record goes last of all files: until then the old one stands. */
	for (guint i = 0; i + 1 < p.last->len; i++) {
		step *s = p.last->pdata[i];
		if (!strcmp(s->rel, COMMIT_RECORD)) {
			g_ptr_array_steal_index(p.last, i);
			g_ptr_array_add(p.last, s);
			break;
		}
	}
	steps_append(c->steps, p.asides);
	steps_append(c->steps, p.dirs);
	steps_append(c->steps, p.files);
	steps_append(c->steps, p.last);
	steps_append(c->steps, p.drops);
	g_ptr_array_unref(p.asides);
	g_ptr_array_unref(p.dirs);
	g_ptr_array_unref(p.files);
	g_ptr_array_unref(p.last);
	g_ptr_array_unref(p.drops);
	g_hash_table_unref(p.aside);
	g_hash_table_unref(p.taken);
	if (p.rec)
		g_hash_table_unref(p.rec);
	if (!ok) {
		commit_free(c);
		return NULL;
	}
	return c;
}

void
commit_free(commit *c)
{
	if (!c)
		return;
	g_ptr_array_unref(c->steps);
	g_ptr_array_unref(c->said);
	g_free(c->out);
	g_free(c->given);
	g_free(c->stage);
	g_free(c->trash);
	g_free(c);
}

/* ---- the steps ----------------------------------------------------------- */

static char *
at_out(const commit *c, const char *rel)
{
	return g_build_filename(c->out, rel, NULL);
}

static char *
at_stage(const commit *c, const char *rel)
{
	return g_build_filename(c->stage, rel, NULL);
}

static guint64
ino_of(const char *path)
{
	GStatBuf st;
	return g_lstat(path, &st) == 0 ? (guint64)st.st_ino : 0;
}

/* Has the step been done?  (Asked in order: every step before it is.) */
static bool
step_done(const commit *c, const step *s)
{
	g_autofree char *o = at_out(c, s->rel);
	GStatBuf st;
	switch (s->kind) {
	case 'A': {
		g_autofree char *d = at_out(c, s->dest);
		return g_lstat(d, &st) == 0;
	}
	case 'M':
		return g_lstat(o, &st) == 0 && S_ISDIR(st.st_mode);
	case 'P':
	case 'S':
		return ino_of(o) == s->ino;
	case 'D': {
		g_autofree char *t = g_build_filename(c->trash, s->dest, NULL);
		return g_lstat(t, &st) == 0;
	}
	}
	return false;
}

/* Do one step; false with errno set.  A step that finds OUT changed since
 * the plan (a file the user put where a product goes meanwhile, a folder
 * that is not empty any more) fails with EEXIST, or is skipped when
 * skipping loses nothing (a drop). */
static bool
step_do(const commit *c, const step *s)
{
	g_autofree char *o = at_out(c, s->rel);
	g_autofree char *parent = g_path_get_dirname(s->rel);
	if (strcmp(parent, ".") && reach(c->out, parent, NULL) != 'd') {
		errno = ENOTDIR;	/* never through a link or into a mount */
		return false;
	}
	switch (s->kind) {
	case 'A': {
		g_autofree char *d = at_out(c, s->dest);
		return renameat2(AT_FDCWD, o, AT_FDCWD, d, RENAME_NOREPLACE) == 0;
	}
	case 'M':
		return g_mkdir(o, (int)s->mode) == 0 && g_chmod(o, (int)s->mode) == 0;
	case 'P': {
		g_autofree char *st = at_stage(c, s->rel);
		return renameat2(AT_FDCWD, st, AT_FDCWD, o, RENAME_NOREPLACE) == 0;
	}
	case 'S': {
		g_autofree char *st = at_stage(c, s->rel);
		if (renameat2(AT_FDCWD, st, AT_FDCWD, o, RENAME_EXCHANGE) != 0)
			return false;
		if (ino_of(st) == s->was)
			return true;
		renameat2(AT_FDCWD, st, AT_FDCWD, o, RENAME_EXCHANGE);	/* not the file planned */
		errno = EEXIST;
		return false;
	}
	case 'D': {
		g_autofree char *t = g_build_filename(c->trash, s->dest, NULL);
		GStatBuf st;
		if (reach(c->out, s->rel, &st) != (s->ino ? 'f' : 'd') || (s->ino && (guint64)st.st_ino != s->ino))
			return true;	/* gone, or not what dossier wrote any more: left */
		if (g_rename(o, t) != 0)
			return false;
		g_autoptr(GDir) d = s->ino ? NULL : g_dir_open(t, 0, NULL);
		if (d && g_dir_read_name(d))
			g_rename(t, o);	/* something was put in the folder meanwhile: left */
		return true;
	}
	}
	errno = EINVAL;
	return false;
}

/* Undo a step that was done.  False with errno set. */
static bool
step_undo(const commit *c, const step *s)
{
	g_autofree char *o = at_out(c, s->rel);
	switch (s->kind) {
	case 'A': {
		g_autofree char *d = at_out(c, s->dest);
		return g_rename(d, o) == 0;
	}
	case 'M':
		return g_rmdir(o) == 0;
	case 'P': {
		g_autofree char *st = at_stage(c, s->rel);
		return g_rename(o, st) == 0;
	}
	case 'S': {
		g_autofree char *st = at_stage(c, s->rel);
		return renameat2(AT_FDCWD, st, AT_FDCWD, o, RENAME_EXCHANGE) == 0;
	}
	case 'D': {
		g_autofree char *t = g_build_filename(c->trash, s->dest, NULL);
		GStatBuf st;
		return g_lstat(t, &st) != 0 || renameat2(AT_FDCWD, t, AT_FDCWD, o, RENAME_NOREPLACE) == 0;
	}
	}
	errno = EINVAL;
	return false;
}

/* ---- the journal --------------------------------------------------------- */

static char *
journal_text(const commit *c)
{
	g_autofree char *stage = g_path_get_basename(c->stage);
	g_autofree char *trash = g_path_get_basename(c->trash);
	GString *s = g_string_new(JOURNAL_MAGIC "\n");
	g_string_append_printf(s, "stage %s\ntrash %s\n", stage, trash);
	for (guint i = 0; i < c->steps->len; i++) {
		const step *st = c->steps->pdata[i];
		g_autofree char *rel = g_strescape(st->rel, NULL);
		g_autofree char *dest = g_strescape(st->dest ? st->dest : "", NULL);
		g_string_append_printf(s, "%c\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%o\t%s\t%s\n",
				       st->kind, st->ino, st->was, st->mode, rel, dest);
	}
	g_string_append(s, "end\n");
	return g_string_free(s, FALSE);
}

/* A journal read back: the commit it describes, or NULL when it is damaged
 * (then *why says how). */
static commit *
journal_parse(const char *out, const char *given, const char *text, const char **why)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = g_strv_length(lines);
	*why = "the journal is damaged";
	if (n < 4 || strcmp(lines[0], JOURNAL_MAGIC) || !g_str_has_prefix(lines[1], "stage " STAGE_PREFIX) ||
	    !g_str_has_prefix(lines[2], "trash " TRASH_PREFIX) || strcmp(lines[n - 2], "end") ||
	    strchr(lines[1] + 6, '/') || strchr(lines[2] + 6, '/'))
		return NULL;
	commit *c = g_new0(commit, 1);
	c->out = g_strdup(out);
	c->given = g_strdup(given);
	c->stage = g_build_filename(out, CACHE_DIR, lines[1] + 6, NULL);
	c->trash = g_build_filename(out, CACHE_DIR, lines[2] + 6, NULL);
	c->steps = g_ptr_array_new_with_free_func(step_free);
	c->said = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 3; i + 2 < n; i++) {
		g_auto(GStrv) f = g_strsplit(lines[i], "\t", 6);
		if (g_strv_length(f) != 6 || strlen(f[0]) != 1 || !strchr("AMPSD", f[0][0])) {
			commit_free(c);
			return NULL;
		}
		step *s = step_add(c->steps, f[0][0], NULL, NULL);
		s->ino = g_ascii_strtoull(f[1], NULL, 10);
		s->was = g_ascii_strtoull(f[2], NULL, 10);
		s->mode = (guint)g_ascii_strtoull(f[3], NULL, 8) & 07777;
		s->rel = g_strcompress(f[4]);
		s->dest = g_strcompress(f[5]);
		bool dest_ok = s->kind == 'A' ? rel_ok(s->dest) : s->kind == 'D' ? rel_ok(s->dest) && !strchr(s->dest, '/') : true;
		if (!rel_ok(s->rel) || !dest_ok) {
			commit_free(c);
			return NULL;
		}
	}
	if (!g_file_test(c->stage, G_FILE_TEST_IS_DIR) || !g_file_test(c->trash, G_FILE_TEST_IS_DIR)) {
		*why = "its staging folder is gone";
		commit_free(c);
		return NULL;
	}
	return c;
}

/* ---- running -------------------------------------------------------------- */

/* The staging and trash folders: after the commit they hold the previous
 * build's files, or this one's after a failure. */
static void
remove_staged(const commit *c)
{
	fileop_remove_tree(c->stage);
	fileop_remove_tree(c->trash);
}

bool
commit_run(commit *c)
{
	g_autofree char *journal = at_out(c, JOURNAL);
	bool ok = true;
	if (c->steps->len) {
		g_autofree char *text = journal_text(c);
		ok = fileop_write(journal, text, strlen(text));
	}
	guint done = 0;
	for (; ok && done < c->steps->len; done++) {
		const step *s = c->steps->pdata[done];
		if (!fileop_ok() || !step_do(c, s)) {
			int e = errno;
			g_autofree char *shown = g_build_filename(c->given, s->rel, NULL);
			diag(DIAG_ERROR, shown, 0, 0, "cannot put in place: %s%s", g_strerror(e),
			     e == EEXIST ? " (something was put there during the build; build again)" : "");
			ok = false;
			break;
		}
	}
	if (!ok) {
		bool undone = true;
		while (done-- > 0)
			undone = step_undo(c, c->steps->pdata[done]) && undone;
		if (!undone) {
			diag(DIAG_ERROR, c->given, 0, 0, "a failed build could not be undone in full; the "
			     "next build completes it (%s)", JOURNAL);
			return false;
		}
	}
	g_unlink(journal);	/* first: a journal without its staging folder is void */
	remove_staged(c);
	if (ok)
		for (guint i = 0; i < c->said->len; i++)
			diag_say("%s", (char *)c->said->pdata[i]);
	return ok;
}

bool
commit_recover(const char *out, const char *given)
{
	g_autofree char *journal = g_build_filename(out, JOURNAL, NULL);
	g_autofree char *cache = g_build_filename(out, CACHE_DIR, NULL);
	if (reach(out, CACHE_DIR, NULL) != 'd')
		return true;
	GStatBuf st;
	if (reach(out, JOURNAL, &st) == 'f') {
		g_autofree char *text = NULL, *why_read = NULL;
		const char *why = NULL;
		commit *c = file_read(journal, FILE_MAX_CONTENT, &text, NULL, &why_read)
			? journal_parse(out, given, text, &why) : NULL;
		for (guint i = 0; c && i < c->steps->len; i++) {
			const step *s = c->steps->pdata[i];
			if (!step_done(c, s) && !step_do(c, s)) {
				g_autofree char *shown = g_build_filename(given, s->rel, NULL);
				diag(DIAG_ERROR, shown, 0, 0, "cannot complete the build that was stopped while "
				     "it put its files in place: %s", g_strerror(errno));
				commit_free(c);
				return false;
			}
		}
		if (c)
			diag_say("dossier: completed the build into %s that was stopped while it put "
				 "its files in place", given);
		else
			diag_say("dossier: %s: %s; left as it is", journal, why ? why : why_read);
		g_unlink(journal);
		if (c)
			remove_staged(c);
		commit_free(c);
	}
	/* What builds killed before their commit left. */
	g_autoptr(GDir) d = g_dir_open(cache, 0, NULL);
	const char *name;
	while (d && (name = g_dir_read_name(d))) {
		if (!g_str_has_prefix(name, STAGE_PREFIX) && !g_str_has_prefix(name, TRASH_PREFIX))
			continue;
		g_autofree char *rel = g_strconcat(CACHE_DIR, "/", name, NULL);
		if (reach(out, rel, NULL) == 'd') {
			g_autofree char *path = g_build_filename(out, rel, NULL);
			fileop_remove_tree(path);
		}
	}
	return true;
}

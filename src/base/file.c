/* base/file.c - bounded reads of regular files (see file.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "base/file.h"
#include "base/diag.h"
#include "base/record.h"

char *
file_size_text(size_t bytes)
{
	if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
		return g_strdup_printf("%zu MiB", bytes >> 20);
	if (bytes >= 1024 && bytes % 1024 == 0)
		return g_strdup_printf("%zu KiB", bytes >> 10);
	return g_strdup_printf("%zu bytes", bytes);
}

static const char *
kind_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "something other than a file";
}

static char *
too_large(size_t max)
{
	g_autofree char *lim = file_size_text(max);
	return g_strdup_printf("file is larger than the limit of %s", lim);
}

/* ---- folders whose files stay inside them ------------------------------ */

typedef struct {
	char *given;		/* as registered, without a trailing '/' */
	char *real;		/* its real path */
	char *what;		/* "content", "templates" */
} confined;

static GMutex confine_lock;
static GPtrArray *confines;	/* confined* */

static void
confined_free(gpointer p)
{
	confined *c = p;
	g_free(c->given);
	g_free(c->real);
	g_free(c->what);
	g_free(c);
}

void
file_confine(const char *dir, const char *what)
{
	char *real = realpath(dir, NULL);
	if (!real)
		return;		/* no such folder: nothing is read from it */
	confined *c = g_new0(confined, 1);
	c->given = g_strdup(dir);
	for (size_t n = strlen(c->given); n > 1 && c->given[n - 1] == '/'; n--)
		c->given[n - 1] = '\0';
	c->real = real;
	c->what = g_strdup(what);
	g_mutex_lock(&confine_lock);
	if (!confines)
		confines = g_ptr_array_new_with_free_func(confined_free);
	for (guint i = 0; c && i < confines->len; i++) {
		confined *o = confines->pdata[i];
		if (!strcmp(o->given, c->given) && !strcmp(o->real, c->real))
			g_clear_pointer(&c, confined_free);
	}
	if (c)
		g_ptr_array_add(confines, c);
	g_mutex_unlock(&confine_lock);
}

/* `path` is `dir` or below it, as written. */
static bool
below(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0' || !strcmp(dir, "/"));
}

/* The message for a file of a confined folder whose real path is `real`
 * (NULL: the one of `path`), or NULL when it is inside. */
static char *
outside(const char *path, const char *real_known)
{
	g_mutex_lock(&confine_lock);
	const confined *in = NULL;
	for (guint i = 0; confines && i < confines->len && !in; i++) {
		const confined *c = confines->pdata[i];
		if (below(path, c->given) || below(path, c->real))
			in = c;
	}
	g_autofree char *real = in ? (real_known ? g_strdup(real_known) : realpath(path, NULL)) : NULL;
	char *why = NULL;
	if (in && real && !below(real, in->real))
		why = g_strdup_printf("a symbolic link leads out of the %s folder, to %s; dossier reads "
				      "only files inside it", in->what, real);
	g_mutex_unlock(&confine_lock);
	return why;
}

char *
file_outside(const char *path)
{
	return outside(path, NULL);
}

bool
file_read(const char *path, size_t max, char **text, size_t *len, char **why)
{
	*text = NULL;
	*why = NULL;
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			record_none(record_current(), path);
		*why = g_strdup_printf("cannot read: %s", g_strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		*why = g_strdup_printf("cannot read: %s", g_strerror(errno));
		close(fd);
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = g_strdup_printf("cannot read: %s, not a regular file", kind_name(st.st_mode));
		close(fd);
		return false;
	}
	/* The file opened, wherever the links on the way led. */
	g_autofree char *fdpath = g_strdup_printf("/proc/self/fd/%d", fd);
	g_autofree char *opened = g_file_read_link(fdpath, NULL);
	g_autofree char *out = opened ? outside(path, opened) : NULL;
	if (out) {
		*why = g_strdup_printf("cannot read: %s", out);
		close(fd);
		return false;
	}
	if ((guint64)st.st_size > max) {
		*why = too_large(max);
		close(fd);
		return false;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = g_malloc(cap + 1);
	for (;;) {
		if (n == cap) {		/* the file grew while we read it */
			if (cap > max) {
				g_free(buf);
				close(fd);
				*why = too_large(max);
				return false;
			}
			cap = MIN(cap * 2, (size_t)max + 1);
			buf = g_realloc(buf, cap + 1);
		}
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			*why = g_strdup_printf("cannot read: %s", g_strerror(errno));
			g_free(buf);
			close(fd);
			return false;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	if (n > max) {
		g_free(buf);
		*why = too_large(max);
		return false;
	}
	buf[n] = '\0';
	*text = buf;
	if (len)
		*len = n;
	record *r = record_current();
	if (r) {	/* what was read, for the record of what it makes */
		g_autofree char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)buf, n);
		record_file(r, path, sha, (guint64)st.st_size == n ? &st : NULL);
	}
	return true;
}

static gint
cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *
file_list(const char *dir)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	if (!d) {
		record_none(record_current(), dir);
		return names;
	}
	const char *name;
	while ((name = g_dir_read_name(d)))
		g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, cmp_names);
	record_list(record_current(), dir, names);
	return names;
}

bool
file_exists(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0)
		return true;
	record_none(record_current(), path);
	return false;
}

char *
file_under(const char *dir, const char *rel)
{
	if (!dir)
		return NULL;
	g_autofree char *path = g_build_filename(dir, rel, NULL);
	for (char *p = path + strlen(dir); p; p = strchr(p + 1, '/')) {
		char keep = *p;
		*p = '\0';
		GStatBuf st;
		bool link_or_missing = g_lstat(path, &st) != 0 || S_ISLNK(st.st_mode);
		*p = keep;
		if (link_or_missing)
			return NULL;
	}
	GStatBuf st;
	if (g_lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	return g_steal_pointer(&path);
}

/* ---- digests of files, remembered by identity ---------------------------- */

typedef struct {
	dev_t dev;
	ino_t ino;
	off_t size;
	gint64 mtime_ns;
} file_id;

static guint
file_id_hash(gconstpointer p)
{
	const file_id *k = p;
	return (guint)(k->ino ^ (k->ino >> 32) ^ (guint64)k->dev * 31u ^ (guint64)k->mtime_ns);
}

static gboolean
file_id_equal(gconstpointer a, gconstpointer b)
{
	const file_id *x = a, *y = b;
	return x->dev == y->dev && x->ino == y->ino && x->size == y->size && x->mtime_ns == y->mtime_ns;
}

static GMutex sha_lock;
static GHashTable *sha_known;	/* file_id* -> hex digest */

static file_id
id_of(const struct stat *st)
{
	return (file_id){ st->st_dev, st->st_ino, st->st_size,
			  (gint64)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec };
}

static void
remember(const file_id *id, const char *sha)
{
	g_mutex_lock(&sha_lock);
	if (!sha_known)
		sha_known = g_hash_table_new_full(file_id_hash, file_id_equal, g_free, g_free);
	g_hash_table_replace(sha_known, g_memdup2(id, sizeof *id), g_strdup(sha));
	g_mutex_unlock(&sha_lock);
}

char *
file_sha256(const char *path, guint64 *size, char **why)
{
	*why = NULL;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		*why = g_strdup_printf("cannot read: %s", g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = g_strdup_printf("cannot read: %s, not a regular file", kind_name(st.st_mode));
		close(fd);
		return NULL;
	}
	file_id id = id_of(&st);
	g_mutex_lock(&sha_lock);
	const char *known = sha_known ? g_hash_table_lookup(sha_known, &id) : NULL;
	char *sha = g_strdup(known);
	g_mutex_unlock(&sha_lock);
	if (sha) {
		close(fd);
		if (size)
			*size = (guint64)st.st_size;
		record_file(record_current(), path, sha, &st);
		return sha;
	}
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	guint64 n = 0;
	guchar buf[1 << 16];
	for (;;) {
		ssize_t k = read(fd, buf, sizeof buf);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			*why = g_strdup_printf("cannot read: %s", g_strerror(errno));
			close(fd);
			return NULL;
		}
		if (k == 0)
			break;
		g_checksum_update(sum, buf, k);
		n += (guint64)k;
	}
	close(fd);
	sha = g_strdup(g_checksum_get_string(sum));
	if (n == (guint64)st.st_size) {	/* not one that changed while it was read */
		remember(&id, sha);
		record_file(record_current(), path, sha, &st);
	} else {
		record_file(record_current(), path, sha, NULL);
	}
	if (size)
		*size = n;
	return sha;
}

void
file_sha256_forget(void)
{
	g_mutex_lock(&sha_lock);
	if (sha_known)
		g_hash_table_remove_all(sha_known);
	g_mutex_unlock(&sha_lock);
}

bool
file_write_atomic(const char *path, const void *data, gsize len, char **sha)
{
	g_autoptr(GError) err = NULL;
	if (!g_file_set_contents_full(path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT,
				      0644, &err)) {
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", err->message);
		return false;
	}
	if (sha) {
		*sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
		struct stat st;
		if (stat(path, &st) == 0 && (guint64)st.st_size == len) {
			file_id id = id_of(&st);
			remember(&id, *sha);
		}
	}
	return true;
}

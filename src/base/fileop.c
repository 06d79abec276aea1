/* base/fileop.c - the file operations of a build (see fileop.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <glib/gstdio.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/fileop.h"

static bool fault_hit;

#ifdef DOSSIER_TESTING
/* DOSSIER_FAIL_AT=N: the Nth operation (from 1) fails with EIO;
 * DOSSIER_KILL_AT=N: the process is killed there;
 * DOSSIER_SIGNAL_AT=N: it is sent SIGINT there, as by a user's Ctrl-C. */
static long
env_number(const char *name)
{
	const char *e = g_getenv(name);
	return e ? strtol(e, NULL, 10) : 0;
}

bool
fileop_ok(void)
{
	static long count, fail_at = -1, kill_at, signal_at;
	if (fail_at < 0) {
		fail_at = env_number("DOSSIER_FAIL_AT");
		kill_at = env_number("DOSSIER_KILL_AT");
		signal_at = env_number("DOSSIER_SIGNAL_AT");
	}
	if (++count == kill_at)
		kill(getpid(), SIGKILL);
	if (count == signal_at)
		kill(getpid(), SIGINT);
	if (count == fail_at) {
		fault_hit = true;
		errno = EIO;
		return false;
	}
	return true;
}
#else
bool
fileop_ok(void)
{
	return true;
}
#endif

bool
fileop_fault_hit(void)
{
	return fault_hit;
}

bool
fileop_mkdirs(const char *dir)
{
	if (g_file_test(dir, G_FILE_TEST_IS_DIR))
		return true;
	if (!fileop_ok() || g_mkdir_with_parents(dir, 0755) != 0) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot create folder: %s", g_strerror(errno));
		return false;
	}
	return true;
}

bool
fileop_write(const char *path, const char *data, gsize len)
{
	g_autofree char *dir = g_path_get_dirname(path);
	if (!fileop_mkdirs(dir))
		return false;
	g_autoptr(GError) err = NULL;
	if (!fileop_ok()) {
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", g_strerror(errno));
		return false;
	}
	if (!g_file_set_contents(path, data, (gssize)len, &err)) {
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", err->message);
		return false;
	}
	return true;
}

bool
fileop_copy(const char *from, const char *to)
{
	g_autofree char *data = NULL, *why = NULL;
	gsize len;
	if (!file_read(from, FILE_MAX_ATTACHMENT, &data, &len, &why)) {
		diag(DIAG_ERROR, from, 0, 0, "%s", why);
		return false;
	}
	return fileop_write(to, data, len);
}

bool
fileop_link(const char *from, const char *to)
{
	g_autofree char *dir = g_path_get_dirname(to);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR) && (!fileop_ok() || g_mkdir_with_parents(dir, 0755) != 0))
		return false;
	return fileop_ok() && link(from, to) == 0;
}

bool
fileop_is_mount(const char *path)
{
	struct statx sx;
	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_BASIC_STATS, &sx) != 0)
		return false;
	if (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
		return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
	/* An older kernel: another device than the folder holding it. */
	g_autofree char *parent = g_path_get_dirname(path);
	GStatBuf up;
	return g_lstat(parent, &up) == 0 &&
	       (up.st_dev != makedev(sx.stx_dev_major, sx.stx_dev_minor));
}

static void
remove_tree_on(const char *path, dev_t dev)
{
	GStatBuf st;
	if (g_lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		if (st.st_dev != dev || fileop_is_mount(path))
			return;		/* another filesystem: not ours to empty */
		GDir *d = g_dir_open(path, 0, NULL);
		const char *name;
		while (d && (name = g_dir_read_name(d))) {
			g_autofree char *child = g_build_filename(path, name, NULL);
			remove_tree_on(child, dev);
		}
		if (d)
			g_dir_close(d);
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

void
fileop_remove_tree(const char *path)
{
	GStatBuf st;
	if (g_lstat(path, &st) == 0)
		remove_tree_on(path, st.st_dev);
}

static gint
cmp_paths(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
walk_dir(const char *root, const char *rel, fileop_walk_fn fn, void *data)
{
	g_autofree char *dir = rel ? g_build_filename(root, rel, NULL) : g_strdup(root);
	g_autoptr(GError) err = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &err);
	if (!d) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot read the folder: %s", diag_io_reason(err));
		return false;
	}
	const char *name;
	while ((name = g_dir_read_name(d))) {
		g_autofree char *sub = rel ? g_strconcat(rel, "/", name, NULL) : g_strdup(name);
		g_autofree char *full = g_build_filename(root, sub, NULL);
		GStatBuf st;
		bool stat_ok = g_lstat(full, &st) == 0;
		if (!fn(sub, full, stat_ok ? &st : NULL, data))
			return false;
		if (stat_ok && S_ISDIR(st.st_mode) && !walk_dir(root, sub, fn, data))
			return false;
	}
	return true;
}

bool
fileop_walk(const char *dir, fileop_walk_fn fn, void *data)
{
	return walk_dir(dir, NULL, fn, data);
}

/* fileop_files(): a regular file's path (a link is never followed out of
 * the package). */
static bool
add_file(const char *rel, const char *full, const GStatBuf *st, void *out)
{
	(void)full;
	if (st && S_ISREG(st->st_mode))
		g_ptr_array_add(out, g_strdup(rel));
	return true;
}

GPtrArray *
fileop_files(const char *dir)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	if (!fileop_walk(dir, add_file, files)) {
		g_ptr_array_unref(files);
		return NULL;
	}
	g_ptr_array_sort(files, cmp_paths);
	return files;
}

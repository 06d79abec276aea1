/* cli/project.c - the project root found like git, the installed defaults,
 * and `dossier init` (see project.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "base/diag.h"
#include "cli/commands.h"
#include "cli/project.h"
#if __has_include("datadir.h")
#include "datadir.h"		/* DOSSIER_DATADIR, DOSSIER_EXAMPLE: written by the Makefile */
#endif
#ifndef DOSSIER_DATADIR
#define DOSSIER_DATADIR "/usr/local/share/dossier"
#endif
#ifndef DOSSIER_EXAMPLE
#define DOSSIER_EXAMPLE "example"
#endif

#define PROJECT_FILE_TEXT \
	"# A dossier project. Commands run in this folder or in any folder below it use\n" \
	"# content/ (the company's facts), templates/ (a file there replaces the installed\n" \
	"# template of the same name) and out/ (the built package).\n"

/* ---- finding things ------------------------------------------------------ */

/* "." for the current folder, "..", "../.." ... for its ancestors. */
static char *
up(guint levels)
{
	if (levels == 0)
		return g_strdup(".");
	GString *s = g_string_new("..");
	for (guint i = 1; i < levels; i++)
		g_string_append(s, "/..");
	return g_string_free(s, FALSE);
}

/* The project folder above the current one, relative to it; NULL if none.
 * The current folder's physical path is walked up (getcwd(), not $PWD):
 * ".." from a folder reached through a link is the link target's parent,
 * so the project found is the one whose content/ "../content" reaches. */
static char *
find_root(void)
{
	g_autofree char *dir = getcwd(NULL, 0);
	if (!dir)
		return NULL;
	for (guint levels = 0;; levels++) {
		g_autofree char *file = g_build_filename(dir, PROJECT_FILE, NULL);
		if (g_file_test(file, G_FILE_TEST_IS_REGULAR))
			return up(levels);
		g_autofree char *parent = g_path_get_dirname(dir);
		if (!strcmp(parent, dir))
			return NULL;
		g_free(dir);
		dir = g_steal_pointer(&parent);
	}
}

static char *
find_data_dir(void)
{
	const char *env = g_getenv("DOSSIER_DATADIR");
	if (env && *env)
		return g_strdup(env);
	/* A binary in a checkout (./dossier, build/asan/dossier) uses that checkout. */
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
	for (int i = 0; dir && i < 3; i++) {
		g_autofree char *pkg = g_build_filename(dir, "templates", "package.yaml", NULL);
		g_autofree char *src = g_build_filename(dir, "src", "cli", "main.c", NULL);
		if (g_file_test(pkg, G_FILE_TEST_IS_REGULAR) && g_file_test(src, G_FILE_TEST_IS_REGULAR))
			return g_steal_pointer(&dir);
		char *parent = g_path_get_dirname(dir);
		g_free(dir);
		dir = parent;
	}
	if (g_file_test(DOSSIER_DATADIR, G_FILE_TEST_IS_DIR))
		return g_strdup(DOSSIER_DATADIR);
	return NULL;
}

bool
project_found(void)
{
	g_autofree char *root = find_root();
	return root != NULL;
}

const char *
project_data_dir(void)
{
	static char *dir;
	static bool done;
	if (!done) {
		dir = find_data_dir();
		done = true;
	}
	return dir;
}

void
project_resolve(project *p, const char *opt_content, const char *opt_templates, const char *opt_out)
{
	char *root = find_root();
	p->found = root != NULL;
	p->root = root ? root : g_strdup(".");
	/* "./content" reads worse than "content" in messages. */
	bool here = !strcmp(p->root, ".");
	p->content = opt_content ? g_strdup(opt_content)
		   : here ? g_strdup("content") : g_build_filename(p->root, "content", NULL);
	p->out = opt_out ? g_strdup(opt_out)
	       : here ? g_strdup("out") : g_build_filename(p->root, "out", NULL);
	g_autofree char *own = opt_templates ? g_strdup(opt_templates)
			     : here ? g_strdup("templates") : g_build_filename(p->root, "templates", NULL);
	const char *data = project_data_dir();
	g_autofree char *defaults = data ? g_build_filename(data, "templates", NULL) : NULL;
	p->templates = defaults ? g_strjoin(G_SEARCHPATH_SEPARATOR_S, own, defaults, NULL)
				: g_strdup(own);
}

void
project_clear(project *p)
{
	g_free(p->root);
	g_free(p->content);
	g_free(p->templates);
	g_free(p->out);
	memset(p, 0, sizeof *p);
}

/* ---- dossier init -------------------------------------------------------- */

/* The month a new project's first snapshot is for: SOURCE_DATE_EPOCH's, else now's. */
static char *
this_month(void)
{
	const char *sde = g_getenv("SOURCE_DATE_EPOCH");
	g_autoptr(GDateTime) t = sde && *sde ? g_date_time_new_from_unix_utc(g_ascii_strtoll(sde, NULL, 10)) : NULL;
	if (!t)
		t = g_date_time_new_now_utc();
	return g_date_time_format(t, "%Y-%m");
}

/* Write a new file: never one that exists (O_EXCL), never through a link.
 * False after a diag. */
static bool
write_new(const char *path, const char *data, gsize len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		diag(DIAG_ERROR, path, 0, 0, "cannot create: %s%s", g_strerror(errno),
		     errno == EEXIST ? " (init never replaces a file)" : "");
		return false;
	}
	bool ok = true;
	for (gsize n = 0; ok && n < len;) {
		ssize_t k = write(fd, data + n, len - n);
		if (k < 0 && errno == EINTR)
			continue;
		ok = k > 0;
		n += ok ? (gsize)k : 0;
	}
	if (close(fd) != 0)
		ok = false;
	if (!ok)
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", g_strerror(errno));
	return ok;
}

/* A new folder: one that exists already is refused (init fills only
 * folders it made).  False after a diag. */
static bool
mkdir_new(const char *dir)
{
	if (g_mkdir(dir, 0755) != 0) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot create folder: %s%s", g_strerror(errno),
		     errno == EEXIST ? " (init never writes into a folder it did not make)" : "");
		return false;
	}
	return true;
}

/* Copy the tree `from` into `to` (created, new); in the skeleton, "YYYY-MM"
 * in a name or a text becomes `month`.  Symbolic links are not copied.
 * False after a diag. */
static bool
copy_tree(const char *from, const char *to, const char *month)
{
	if (!mkdir_new(to))
		return false;
	g_autoptr(GError) err = NULL;
	g_autoptr(GDir) d = g_dir_open(from, 0, &err);
	if (!d) {
		diag(DIAG_ERROR, from, 0, 0, "cannot read: %s", err->message);
		return false;
	}
	const char *name;
	while ((name = g_dir_read_name(d))) {
		g_autofree char *src = g_build_filename(from, name, NULL);
		g_autofree char *dst_name = month ? g_strdup(name) : NULL;
		if (month && strstr(name, "YYYY-MM")) {
			g_auto(GStrv) parts = g_strsplit(name, "YYYY-MM", -1);
			g_free(dst_name);
			dst_name = g_strjoinv(month, parts);
		}
		g_autofree char *dst = g_build_filename(to, dst_name ? dst_name : name, NULL);
		if (g_file_test(src, G_FILE_TEST_IS_SYMLINK))
			continue;
		if (g_file_test(src, G_FILE_TEST_IS_DIR)) {
			if (!copy_tree(src, dst, month))
				return false;
			continue;
		}
		g_autofree char *data = NULL;
		gsize len;
		if (!g_file_get_contents(src, &data, &len, &err)) {
			diag(DIAG_ERROR, src, 0, 0, "cannot read: %s", err->message);
			return false;
		}
		if (month && strstr(data, "YYYY-MM")) {
			g_auto(GStrv) parts = g_strsplit(data, "YYYY-MM", -1);
			g_free(data);
			data = g_strjoinv(month, parts);
			len = strlen(data);
		}
		if (!write_new(dst, data, len))
			return false;
	}
	return true;
}

/* The project folder: made when absent, or an existing empty folder.
 * False after a diag. */
static bool
project_dir_ready(const char *dir)
{
	GStatBuf st;
	if (g_stat(dir, &st) != 0) {
		if (errno != ENOENT) {
			diag(DIAG_ERROR, dir, 0, 0, "cannot use as a new project: %s", g_strerror(errno));
			return false;
		}
		if (g_mkdir_with_parents(dir, 0755) != 0) {
			diag(DIAG_ERROR, dir, 0, 0, "cannot create folder: %s", g_strerror(errno));
			return false;
		}
		return true;
	}
	g_autoptr(GDir) d = S_ISDIR(st.st_mode) ? g_dir_open(dir, 0, NULL) : NULL;
	if (!d || g_dir_read_name(d)) {
		diag(DIAG_ERROR, dir, 0, 0, "%s; init makes a new project in a new or empty folder",
		     S_ISDIR(st.st_mode) ? "the folder exists and is not empty" : "exists and is not a folder");
		return false;
	}
	return true;
}

static gboolean opt_example;

static const GOptionEntry init_options[] = {
	{ "example", 'e', 0, G_OPTION_ARG_NONE, &opt_example,
	  "Copy the complete shipped example instead of the empty skeleton", NULL },
	{ NULL },
};

int
cmd_init(int argc, char **argv)
{
	if (!cmd_parse_options("init", "DIR",
			       "Creates a new project in DIR: the project file dossier.yaml and content/.\n"
			       "content/ is a skeleton in which every required fact is present, empty,\n"
			       "with a comment saying what it means and an example; `dossier build` then\n"
			       "lists every fact still missing. With --example, content/ is the complete\n"
			       "shipped example instead, which builds as it is.",
			       init_options, &argc, &argv))
		return EXIT_BAD;
	if (argc != 2) {
		diag_usage("init", TRUE, "%s",
			   argc < 2 ? "name the folder of the new project" : "one folder at a time");
		return EXIT_BAD;
	}
	const char *dir = argv[1];
	if (!*dir) {
		diag_usage("init", FALSE, "the folder name is empty (an unset variable?); "
			   "name the folder of the new project");
		return EXIT_BAD;
	}
	const char *data = project_data_dir();
	g_autofree char *from = NULL;
	if (data && opt_example) {
		from = g_build_filename(data, "example", NULL);
		if (!g_file_test(from, G_FILE_TEST_IS_DIR)) {	/* a checkout */
			g_free(from);
			from = g_build_filename(data, DOSSIER_EXAMPLE, NULL);
		}
	} else if (data) {
		from = g_build_filename(data, "templates", "skeleton", NULL);
	}
	if (!from || !g_file_test(from, G_FILE_TEST_IS_DIR)) {
		diag(DIAG_ERROR, from ? from : DOSSIER_DATADIR, 0, 0,
		     "dossier's installed files are missing (make install, or set DOSSIER_DATADIR)");
		return EXIT_BAD;
	}
	if (!project_dir_ready(dir))
		return EXIT_BAD;
	g_autofree char *content = g_build_filename(dir, "content", NULL);
	g_autofree char *month = opt_example ? NULL : this_month();
	g_autofree char *pf = g_build_filename(dir, PROJECT_FILE, NULL);
	if (!write_new(pf, PROJECT_FILE_TEXT, strlen(PROJECT_FILE_TEXT)) || !copy_tree(from, content, month))
		return EXIT_BAD;
	if (opt_example)
		printf("dossier: created %s with the complete example; run 'dossier build' in it\n", dir);
	else
		printf("dossier: created %s; fill in %s/, then run 'dossier build' in it: it lists every fact still missing\n",
		       dir, content);
	return EXIT_OK;
}

/* cli/build.c - `dossier build`: the options, the summary line and --watch.
 * The build itself (all stages, the outputs, the atomic swap) is
 * pipeline/build.c's.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/project.h"
#include "cli/watch.h"
#include "base/searchpath.h"
#include "base/diag.h"
#include "pipeline/build.h"

static char *opt_content, *opt_templates, *opt_out;
static gboolean opt_quiet, opt_verbose, opt_force, opt_watch, opt_no_wait, opt_strict, opt_final;

static const GOptionEntry build_options[] = {
	{ "content", 'c', 0, G_OPTION_ARG_FILENAME, &opt_content, "Content folder (default: content)", "DIR" },
	{ "templates", 't', 0, G_OPTION_ARG_FILENAME, &opt_templates, "Templates folder (default: templates)", "DIR" },
	{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Output folder (default: out)", "DIR" },
	{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Print nothing but errors", NULL },
	{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Say which template each document came from, and for each PDF whether it was typeset or unchanged", NULL },
	{ "force", 'f', 0, G_OPTION_ARG_NONE, &opt_force, "Typeset every PDF again, ignoring the cache", NULL },
	{ "watch", 'w', 0, G_OPTION_ARG_NONE, &opt_watch, "Build, then build again whenever content or templates change", NULL },
	{ "no-wait", 0, 0, G_OPTION_ARG_NONE, &opt_no_wait, "Fail at once when another build is writing to the output folder", NULL },
	{ "strict", 0, 0, G_OPTION_ARG_NONE, &opt_strict, "Make consistency warnings errors", NULL },
	{ "final", 0, 0, G_OPTION_ARG_NONE, &opt_final, "Refuse (exit 1) unless every readiness item is met and every supplied document is there; then build without the draft band", NULL },
	{ NULL },
};

/* One build: content → package.  Returns the exit status; *shown_at (may
 * be NULL) gets the time the new output took the old one's place, or 0. */
static int
build_once(const char *content, const char *templates, const char *out, gint64 *shown_at,
	   char **pkg_name)
{
	gint64 t0 = g_get_monotonic_time();
	build_opts o = {
		.content_dir = content,
		.templates_dir = templates,
		.out_dir = out,
		.opts = {
			.force = opt_force,
			.verbose = opt_verbose && !opt_quiet,
			.progress = !opt_quiet && isatty(STDERR_FILENO),
			.keep = opt_watch,
			.final = opt_final,
		},
		.no_wait = opt_no_wait,
		.pipe = { .strict = opt_strict, .final = opt_final },
	};
	build_result r;
	int status = build_run(&o, &r);
	if (status == EXIT_BAD && !g_file_test(content, G_FILE_TEST_IS_DIR) && !project_found())
		diag_usage(NULL, FALSE, "not in a dossier project (no %s here or in any folder above); "
			   "'dossier init DIR' makes one", PROJECT_FILE);
	if (status == EXIT_OK && !opt_quiet) {
		double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
		printf("dossier: %s %u %s (%d PDF %s; %d %s typeset, %d unchanged) %s %s in %.2f s\n",
		       r.up_to_date ? "nothing changed:" : "wrote",
		       r.documents, g_dngettext(NULL, "document", "documents", r.documents),
		       r.stats.pages, g_dngettext(NULL, "page", "pages", (gulong)r.stats.pages),
		       r.stats.typeset, g_dngettext(NULL, "PDF", "PDFs", (gulong)r.stats.typeset),
		       r.stats.reused, r.up_to_date ? "in" : "to", r.package_dir, secs);
		fflush(stdout);
	}
	if (pkg_name)
		*pkg_name = r.package_dir ? g_path_get_basename(r.package_dir) : NULL;
	g_free(r.package_dir);
	if (shown_at)
		*shown_at = status == EXIT_OK ? r.swapped_at : 0;
	return status;
}

/* ---- --watch ------------------------------------------------------------- */

/* An editor's save is a burst of events (write, rename, attributes); the
 * build starts when the burst has been quiet this long. */
#define WATCH_DEBOUNCE_MS 20
/* A file just made and closed is often renamed onto another next (sed -i,
 * editors that save through a temporary file): wait longer for that. */
#define WATCH_NEW_FILE_MS 150

struct watch {
	char *content, *templates, *out;
	char *templates_shown;	/* the templates folders, for people */
	watch_built_fn built;	/* told after every build, or NULL */
	void *built_ud;
	GHashTable *monitors;	/* folder path -> its GFileMonitor */
	GHashTable *inodes;	/* folder path -> the inode it was watched as (guint64 *) */
	guint roots_check;	/* the timeout that looks for re-made top folders */
	guint pending;		/* the debounce timeout, or 0 */
	char *edited;		/* the file of the last event since the last build */
	char *created;		/* the file last created since the last build */
	gint64 written;		/* when the first was written (its mtime, µs), or 0 */
};

static void watch_folder(watch *w, const char *dir);

static guint64 *
inode_of(const char *path)
{
	GStatBuf st;
	guint64 *ino = g_new(guint64, 1);
	*ino = g_stat(path, &st) == 0 ? (guint64)st.st_ino : 0;
	return ino;
}

/* Stop watching `dir` and every folder below it (deleted, or made anew). */
static void
unwatch_tree(watch *w, const char *dir)
{
	g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, w->monitors);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const char *k = key;
		size_t n = strlen(dir);
		if (!strncmp(k, dir, n) && (k[n] == '\0' || k[n] == '/'))
			g_ptr_array_add(gone, g_strdup(k));
	}
	for (guint i = 0; i < gone->len; i++) {
		g_hash_table_remove(w->monitors, gone->pdata[i]);
		g_hash_table_remove(w->inodes, gone->pdata[i]);
	}
}

/* A folder deleted and made again (rm -r, then a restore) is another
 * folder: watched anew, with what is in it. */
static void
rewatch(watch *w, const char *dir)
{
	unwatch_tree(w, dir);
	watch_folder(w, dir);
}

static gboolean
watch_rebuild(gpointer data)
{
	watch *w = data;
	w->pending = 0;
	gint64 shown_at = 0;
	g_autofree char *pkg = NULL;
	if (w->built)
		diag_tee_begin();
	int status = build_once(w->content, w->templates, w->out, &shown_at, &pkg);
	if (w->built) {
		g_autofree char *said = diag_tee_end();
		w->built(status, said, pkg, w->built_ud);
	}
	/* With --verbose: from the edit's write to the rename that swapped
	 * the new OUT in. */
	if (opt_verbose && !opt_quiet && w->edited && w->written && shown_at)
		diag_say("dossier: %s: shown %.0f ms after it was written", w->edited,
			 (double)(shown_at - w->written) / 1000);
	g_clear_pointer(&w->edited, g_free);
	g_clear_pointer(&w->created, g_free);
	w->written = 0;
	if (!opt_quiet)
		diag_say("dossier: watching %s and %s (Ctrl-C to stop)", w->content, w->templates_shown);
	return G_SOURCE_REMOVE;
}

/* Events after which a file is complete: a build may start once they stop
 * coming.  A file being written (created, changed) is not: sed -i, cp and
 * many editors create or write a file, close it (CHANGES_DONE_HINT) and
 * may rename it into place, with gaps longer than the debounce between. */
static bool
settles(GFileMonitorEvent ev)
{
	switch (ev) {
	case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
	case G_FILE_MONITOR_EVENT_DELETED:
	case G_FILE_MONITOR_EVENT_RENAMED:
	case G_FILE_MONITOR_EVENT_MOVED_IN:
	case G_FILE_MONITOR_EVENT_MOVED_OUT:
	case G_FILE_MONITOR_EVENT_MOVED:
		return true;
	default:
		return false;
	}
}

static void
on_change(GFileMonitor *m, GFile *file, GFile *other, GFileMonitorEvent ev, gpointer data)
{
	watch *w = data;
	if (ev == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED)
		return;
	/* A rename is about the name it gets (an editor's save may be a
	 * temporary file renamed onto the file). */
	GFile *named = ev == G_FILE_MONITOR_EVENT_RENAMED && other ? other : file;
	g_autofree char *name = g_file_get_basename(named);
	if (name[0] == '.' || g_str_has_suffix(name, "~") || g_str_has_suffix(name, ".swp"))
		return;		/* editors' temporary files */
	g_autofree char *path = g_file_get_path(named);
	bool settled = settles(ev);
	if (ev == G_FILE_MONITOR_EVENT_CREATED || ev == G_FILE_MONITOR_EVENT_MOVED_IN ||
	    ev == G_FILE_MONITOR_EVENT_RENAMED) {
		if (path && g_file_test(path, G_FILE_TEST_IS_DIR)) {
			rewatch(w, path);	/* a new folder is watched too */
			settled = true;
		}
	}
	if ((ev == G_FILE_MONITOR_EVENT_DELETED || ev == G_FILE_MONITOR_EVENT_MOVED_OUT) && path)
		unwatch_tree(w, path);	/* gone: watched again when it comes back */
	guint delay = WATCH_DEBOUNCE_MS;
	if (ev == G_FILE_MONITOR_EVENT_CREATED) {
		g_free(w->created);
		w->created = g_strdup(path);
	} else if (ev == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT && path && !g_strcmp0(path, w->created)) {
		delay = WATCH_NEW_FILE_MS;
	}
	/* Named by the last event, timed from the first write. */
	g_free(w->edited);
	w->edited = g_steal_pointer(&path);
	if (!w->written) {
		GStatBuf st;
		w->written = w->edited && g_stat(w->edited, &st) == 0
			? (gint64)st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000
			: g_get_real_time();
	}
	/* Any event puts off a build about to start; a settling one starts one. */
	if (w->pending)
		g_source_remove(w->pending);
	else if (!settled)
		return;
	w->pending = g_timeout_add(delay, watch_rebuild, w);
}

static void
watch_folder(watch *w, const char *dir)
{
	if (g_hash_table_contains(w->monitors, dir))
		return;
	g_hash_table_insert(w->inodes, g_strdup(dir), inode_of(dir));
	g_autoptr(GFile) f = g_file_new_for_path(dir);
	GFileMonitor *m = g_file_monitor_directory(f, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
	if (m) {
		g_signal_connect(m, "changed", G_CALLBACK(on_change), w);
		g_hash_table_insert(w->monitors, g_strdup(dir), m);
	}
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *sub = g_build_filename(dir, name, NULL);
		if (name[0] != '.' && g_file_test(sub, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(sub, G_FILE_TEST_IS_SYMLINK))
			watch_folder(w, sub);
	}
}

/* The content and templates folders themselves have no folder watched
 * above them: once a second, one deleted and made again is watched anew,
 * and a build follows. */
static gboolean
check_roots(gpointer data)
{
	watch *w = data;
	g_auto(GStrv) tdirs = searchpath_dirs(w->templates);
	g_autoptr(GPtrArray) roots = g_ptr_array_new();
	g_ptr_array_add(roots, w->content);
	for (guint i = 0; tdirs[i]; i++)
		g_ptr_array_add(roots, tdirs[i]);
	for (guint i = 0; i < roots->len; i++) {
		const char *dir = roots->pdata[i];
		const guint64 *was = g_hash_table_lookup(w->inodes, dir);
		g_autofree guint64 *now = inode_of(dir);
		if (*now && (!was || *was != *now)) {
			rewatch(w, dir);
			if (!w->pending)
				w->pending = g_timeout_add(WATCH_DEBOUNCE_MS, watch_rebuild, w);
		}
	}
	return G_SOURCE_CONTINUE;
}

watch *
watch_new(const char *content, const char *templates, const char *out, bool quiet,
	  watch_built_fn built, void *ud)
{
	opt_watch = TRUE;	/* later builds reuse what the last one laid out */
	opt_quiet = opt_quiet || quiet;
	watch *w = g_new0(watch, 1);
	w->content = g_strdup(content);
	w->templates = g_strdup(templates);
	w->out = g_strdup(out);
	w->built = built;
	w->built_ud = ud;
	w->monitors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	w->inodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	watch_folder(w, content);
	g_auto(GStrv) tdirs = searchpath_dirs(templates);
	w->templates_shown = g_strjoinv(", ", tdirs);
	for (guint i = 0; tdirs[i]; i++)
		watch_folder(w, tdirs[i]);
	watch_rebuild(w);
	w->roots_check = g_timeout_add_seconds(1, check_roots, w);
	return w;
}

void
watch_free(watch *w)
{
	if (!w)
		return;
	if (w->pending)
		g_source_remove(w->pending);
	if (w->roots_check)
		g_source_remove(w->roots_check);
	g_hash_table_unref(w->monitors);
	g_hash_table_unref(w->inodes);
	g_free(w->templates_shown);
	g_free(w->edited);
	g_free(w->created);
	g_free(w->content);
	g_free(w->templates);
	g_free(w->out);
	g_free(w);
}

static int
watch_run(const char *content, const char *templates, const char *out)
{
	/* An output folder in the watched folders would start a build with
	 * every build: refused before the first. */
	build_opts check = { .content_dir = content, .templates_dir = templates, .out_dir = out };
	if (!build_out_ok(&check))
		return diag_exit_status();
	watch *w = watch_new(content, templates, out, false, NULL, NULL);
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_main_loop_run(loop);		/* until interrupted */
	watch_free(w);
	return EXIT_OK;
}

int
cmd_build(int argc, char **argv)
{
	if (!cmd_parse_options("build", "",
			       "Builds OUT/bsp-application/ (Markdown and PDF documents, charts, spreadsheet,\n"
			       "manifest), OUT/bsp-application.zip, OUT/site/ (the web edition), OUT/readiness.md\n"
			       "and OUT/CHANGES.md from the content and templates folders. Only PDFs whose inputs\n"
			       "changed are typeset again. A failed build changes nothing.",
			       build_options, &argc, &argv))
		return EXIT_BAD;
	if (argc > 1) {
		diag_usage("build", TRUE, "unexpected argument '%s'", argv[1]);
		return EXIT_BAD;
	}
	project pj;
	project_resolve(&pj, opt_content, opt_templates, opt_out);
	int rc = opt_watch ? watch_run(pj.content, pj.templates, pj.out)
			   : build_once(pj.content, pj.templates, pj.out, NULL, NULL);
	project_clear(&pj);
	return rc;
}

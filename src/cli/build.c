/* cli/build.c - `dossier build`: content → out/bsp-application/ (all stages).
 *
 * Runs the in-memory pipeline, then writes the package atomically, then
 * OUT/readiness.md beside it.  Strict: any missing value fails the build and
 * leaves the previous package untouched.
 */
#include <gio/gio.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/commands.h"
#include "base/diag.h"
#include "out/charts.h"
#include "out/pdf.h"
#include "out/xlsx.h"
#include "out/zip.h"
#include "out/changes.h"
#include "out/manifest.h"
#include "pipeline/pipeline.h"

typedef struct {
	pipeline *pl;
	build_pdf_opts pdf;
} build_extra;

/* manifest.xml and SHA256SUMS over whatever the staging folder holds now.
 * A document's Markdown and PDF come from templates; a supplied copy is an
 * attachment; anything else (dossier.pdf, charts, spreadsheet) generated. */
static bool
write_manifest(const char *stage, pipeline *pl)
{
	const val *name = val_path(pl->root, "company.name");
	const val *date = val_path(pl->root, "build.date");
	g_autoptr(manifest) m = manifest_new(package_name(pl->pkg), name ? name->str : NULL,
					     date ? date->str : NULL);
	if (!manifest_scan(m, stage))
		return false;
	for (guint i = 0; i < pl->docs->len; i++) {
		package_doc *d = pl->docs->pdata[i];
		if (d->supplied) {
			manifest_set_origin(m, d->pdf_path, MANIFEST_ATTACHMENT);
		} else {
			manifest_set_origin(m, d->path, MANIFEST_TEMPLATE);
			manifest_set_origin(m, d->pdf_path, MANIFEST_TEMPLATE);
		}
	}
	return manifest_write(m, stage);
}

/* The spreadsheet named by package.yaml's `spreadsheet:` (if any). */
static bool
write_spreadsheet(const char *stage, pipeline *pl)
{
	const val *rel = val_get(package_desc(pl->pkg), "spreadsheet");
	if (!rel)
		return true;
	g_autofree char *path = g_build_filename(stage, rel->str, NULL);
	g_autofree char *dir = g_path_get_dirname(path);
	g_mkdir_with_parents(dir, 0755);
	return build_xlsx(pl->root, path);
}

/* Everything beyond the Markdown, written into the staging folder.  The
 * manifest comes last: it lists every file written before it. */
static bool
write_extras(const char *stage, GPtrArray *docs, void *ud)
{
	build_extra *bx = ud;
	if (!write_spreadsheet(stage, bx->pl))
		return false;
	if (!build_charts(stage, bx->pl))	/* before the PDFs, which draw them */
		return false;
	if (!build_pdfs(bx->pl, stage, &bx->pdf))
		return false;
	return write_manifest(stage, bx->pl);
}

/* OUT/CHANGES.md against the state the previous build left in
 * OUT/.dossier-cache/, then this build's state for the next one. */
static bool
write_changes(const char *out, const char *pkg_dir, pipeline *pl)
{
	g_autofree char *xml = g_build_filename(pkg_dir, MANIFEST_XML, NULL);
	g_autoptr(manifest) m = manifest_read(xml);
	if (!m)
		return false;
	g_autofree char *state = g_build_filename(out, CHANGES_CACHE_DIR, CHANGES_STATE_FILE, NULL);
	g_autoptr(changes_state) old = changes_state_load(state);
	g_autoptr(changes_state) cur = changes_state_new(pl->root, m);
	g_autofree char *md = changes_report(old, cur);
	g_autofree char *path = g_build_filename(out, "CHANGES.md", NULL);
	g_autoptr(GError) err = NULL;
	if (!g_file_set_contents(path, md, -1, &err)) {
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", err->message);
		return false;
	}
	return changes_state_save(cur, state);
}

static char *opt_content, *opt_templates, *opt_out;
static gboolean opt_quiet, opt_verbose, opt_force, opt_watch;

static const GOptionEntry build_options[] = {
	{ "content", 'c', 0, G_OPTION_ARG_FILENAME, &opt_content, "Content folder (default: content)", "DIR" },
	{ "templates", 't', 0, G_OPTION_ARG_FILENAME, &opt_templates, "Templates folder (default: templates)", "DIR" },
	{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Output folder (default: out)", "DIR" },
	{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Print nothing but errors", NULL },
	{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Say for each PDF whether it was typeset or unchanged", NULL },
	{ "force", 'f', 0, G_OPTION_ARG_NONE, &opt_force, "Typeset every PDF again, ignoring the cache", NULL },
	{ "watch", 'w', 0, G_OPTION_ARG_NONE, &opt_watch, "Build, then build again whenever content or templates change", NULL },
	{ NULL },
};

/* One build: content → package.  Returns the exit status. */
static int
build_once(const char *content, const char *templates, const char *out)
{
	gint64 t0 = g_get_monotonic_time();

	diag_reset();
	g_autoptr(pipeline) pl = pipeline_run(content, templates);
	if (!pl)
		return EXIT_BAD;
	g_autofree char *old_dir = g_build_filename(out, package_name(pl->pkg), NULL);
	g_autofree char *cache = g_build_filename(out, CHANGES_CACHE_DIR, "typeset", NULL);
	build_extra bx = {
		.pl = pl,
		.pdf = {
			.old_dir = old_dir,
			.cache_file = cache,
			.force = opt_force,
			.verbose = opt_verbose && !opt_quiet,
			.progress = !opt_quiet && isatty(STDERR_FILENO),
		},
	};
	if (!package_write(pl->pkg, pl->docs, out, write_extras, &bx))
		return EXIT_BAD;
	g_autofree char *pkg_dir = g_build_filename(out, package_name(pl->pkg), NULL);
	g_autofree char *zip_name = g_strconcat(package_name(pl->pkg), ".zip", NULL);
	g_autofree char *zip = g_build_filename(out, zip_name, NULL);
	const val *date = val_path(pl->root, "build.date");
	if (!bundle_write(pkg_dir, package_name(pl->pkg), date ? date->str : NULL, zip))
		return EXIT_BAD;
	g_autofree char *readiness = g_build_filename(out, "readiness.md", NULL);
	g_autoptr(GError) err = NULL;
	if (!g_file_set_contents(readiness, pl->readiness_md, -1, &err)) {
		diag(DIAG_ERROR, readiness, 0, 0, "cannot write: %s", err->message);
		return EXIT_BAD;
	}
	if (!write_changes(out, pkg_dir, pl))
		return EXIT_BAD;
	if (!opt_quiet) {
		double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
		printf("dossier: wrote %u documents (%d PDF pages; %d PDFs typeset, %d unchanged) to %s/%s in %.2f s\n",
		       pl->docs->len, bx.pdf.pages, bx.pdf.typeset, bx.pdf.reused, out,
		       package_name(pl->pkg), secs);
		fflush(stdout);
	}
	return EXIT_OK;
}

/* ---- --watch ------------------------------------------------------------- */

#define WATCH_DEBOUNCE_MS 300

typedef struct {
	const char *content, *templates, *out;
	GHashTable *monitors;	/* folder path -> its GFileMonitor, made once */
	guint pending;		/* the debounce timeout, or 0 */
} watch;

static void watch_folder(watch *w, const char *dir);

static gboolean
watch_rebuild(gpointer data)
{
	watch *w = data;
	w->pending = 0;
	build_once(w->content, w->templates, w->out);
	if (!opt_quiet)
		fprintf(stderr, "dossier: watching %s and %s (Ctrl-C to stop)\n", w->content, w->templates);
	return G_SOURCE_REMOVE;
}

static void
on_change(GFileMonitor *m, GFile *file, GFile *other, GFileMonitorEvent ev, gpointer data)
{
	watch *w = data;
	if (ev == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED || ev == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT)
		return;
	g_autofree char *name = g_file_get_basename(file);
	if (name[0] == '.' || g_str_has_suffix(name, "~") || g_str_has_suffix(name, ".swp"))
		return;		/* editors' temporary files */
	if (ev == G_FILE_MONITOR_EVENT_CREATED || ev == G_FILE_MONITOR_EVENT_MOVED_IN) {
		g_autofree char *path = g_file_get_path(file);
		if (path && g_file_test(path, G_FILE_TEST_IS_DIR))
			watch_folder(w, path);	/* a new folder is watched too */
	}
	if (w->pending)
		g_source_remove(w->pending);
	w->pending = g_timeout_add(WATCH_DEBOUNCE_MS, watch_rebuild, w);
}

static void
watch_folder(watch *w, const char *dir)
{
	if (g_hash_table_contains(w->monitors, dir))
		return;
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

static int
watch_run(const char *content, const char *templates, const char *out)
{
	watch w = {
		.content = content, .templates = templates, .out = out,
		.monitors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref),
	};
	watch_folder(&w, content);
	watch_folder(&w, templates);
	watch_rebuild(&w);
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_main_loop_run(loop);		/* until interrupted */
	g_hash_table_unref(w.monitors);
	return EXIT_OK;
}

int
cmd_build(int argc, char **argv)
{
	if (!cmd_parse_options("build", "",
			       "Builds OUT/bsp-application/ (Markdown and PDF documents, charts, spreadsheet,\n"
			       "manifest), OUT/bsp-application.zip, OUT/readiness.md and OUT/CHANGES.md from the\n"
			       "content and templates folders. Only PDFs whose inputs changed are typeset again.\n"
			       "A failed build changes nothing.",
			       build_options, &argc, &argv))
		return EXIT_BAD;
	if (argc > 1) {
		fprintf(stderr, "dossier build: unexpected argument '%s'\nTry 'dossier build --help'.\n", argv[1]);
		return EXIT_BAD;
	}
	const char *content = opt_content ? opt_content : "content";
	const char *templates = opt_templates ? opt_templates : "templates";
	const char *out = opt_out ? opt_out : "out";
	if (opt_watch)
		return watch_run(content, templates, out);
	return build_once(content, templates, out);
}

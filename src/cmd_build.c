/* cmd_build.c - `dossier build`: content → out/bsp-application/ (all stages).
 *
 * Runs the in-memory pipeline, then writes the package atomically, then
 * OUT/readiness.md beside it.  Strict: any missing value fails the build and
 * leaves the previous package untouched.
 */
#include <stdio.h>
#include <unistd.h>

#include "commands.h"
#include "diag.h"
#include "build_charts.h"
#include "build_pdf.h"
#include "build_xlsx.h"
#include "bundle.h"
#include "changes.h"
#include "manifest.h"
#include "pipeline.h"

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
static gboolean opt_quiet, opt_verbose, opt_force;

static const GOptionEntry build_options[] = {
	{ "content", 'c', 0, G_OPTION_ARG_FILENAME, &opt_content, "Content folder (default: content)", "DIR" },
	{ "templates", 't', 0, G_OPTION_ARG_FILENAME, &opt_templates, "Templates folder (default: templates)", "DIR" },
	{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Output folder (default: out)", "DIR" },
	{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Print nothing but errors", NULL },
	{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Say for each PDF whether it was typeset or unchanged", NULL },
	{ "force", 'f', 0, G_OPTION_ARG_NONE, &opt_force, "Typeset every PDF again, ignoring the cache", NULL },
	{ NULL },
};

int
cmd_build(int argc, char **argv)
{
	if (!cmd_parse_options("build", "",
			       "Builds OUT/bsp-application/ (Markdown and PDF documents) and OUT/readiness.md\n"
			       "from the content and templates folders. A failed build changes nothing.",
			       build_options, &argc, &argv))
		return EXIT_BAD;
	if (argc > 1) {
		fprintf(stderr, "dossier build: unexpected argument '%s'\nTry 'dossier build --help'.\n", argv[1]);
		return EXIT_BAD;
	}
	const char *content = opt_content ? opt_content : "content";
	const char *templates = opt_templates ? opt_templates : "templates";
	const char *out = opt_out ? opt_out : "out";
	gint64 t0 = g_get_monotonic_time();

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
	}
	return EXIT_OK;
}

/* cli/verify.c - `dossier verify [DIR]`: does the package still match its
 * manifest?  DIR defaults to the project's package: OUT/NAME, NAME from its
 * package.yaml.  Before and after an upload, anyone can check that no file was
 * changed, lost or added.  Reads DIR/manifest.xml, scans DIR, prints one
 * line per difference ("modified: company/company-overview.pdf"), and checks
 * that SHA256SUMS says what the manifest says.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/project.h"
#include "base/diag.h"
#include "base/file.h"
#include "render/package.h"
#include "write/manifest.h"

static const GOptionEntry verify_options[] = {
	{ NULL },
};

/* "missing: SHA256SUMS" / "modified: SHA256SUMS" / NULL when it agrees. */
static char *
check_sums(const manifest *want, const char *dir)
{
	g_autofree char *path = g_build_filename(dir, MANIFEST_SUMS, NULL);
	g_autofree char *have = NULL, *why = NULL;
	if (!file_read(path, FILE_MAX_CONTENT, &have, NULL, &why))
		return g_strdup("missing: " MANIFEST_SUMS);
	g_autofree char *expect = manifest_sums_text(want);
	return strcmp(have, expect) ? g_strdup("modified: " MANIFEST_SUMS) : NULL;
}

int
cmd_verify(int argc, char **argv)
{
	if (!cmd_parse_options("verify", "[DIR]",
			       "Checks every file of a package (default: the project's, in its out/ folder,\n"
			       "named by package.yaml) against its manifest.xml and prints one line per\n"
			       "missing, extra or modified file.\n"
			       "Exit status: 0 all match, 1 differences found, 2 no readable manifest.",
			       verify_options, &argc, &argv))
		return EXIT_BAD;
	if (argc > 2) {
		diag_usage("verify", TRUE, "unexpected argument '%s'", argv[2]);
		return EXIT_BAD;
	}
	g_autofree char *dflt = NULL;
	if (argc < 2) {	/* the project's package, found as `build` finds it */
		project pj;
		project_resolve(&pj, NULL, NULL, NULL);
		g_autofree char *name = package_read_name(pj.templates);
		if (name)
			dflt = g_build_filename(pj.out, name, NULL);
		project_clear(&pj);
		if (!dflt)
			return EXIT_BAD;
	}
	const char *dir = argc > 1 ? argv[1] : dflt;
	g_autofree char *xml = g_build_filename(dir, MANIFEST_XML, NULL);
	g_autoptr(manifest) want = manifest_read(xml);
	if (!want)
		return EXIT_BAD;
	g_autoptr(manifest) have = manifest_new(NULL, NULL, NULL);
	if (!manifest_scan(have, dir))
		return EXIT_BAD;

	g_autoptr(GPtrArray) diffs = manifest_compare(want, have);
	char *sums = check_sums(want, dir);
	if (sums)
		g_ptr_array_add(diffs, sums);
	for (guint i = 0; i < diffs->len; i++)
		printf("%s\n", (char *)diffs->pdata[i]);
	if (diffs->len) {
		printf("verify: %u difference%s from %s\n", diffs->len, diffs->len == 1 ? "" : "s", xml);
		return cmd_stdout_done(EXIT_NO);
	}
	printf("verify: all %u files match %s\n", want->files->len, xml);
	return cmd_stdout_done(EXIT_OK);
}

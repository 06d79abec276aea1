/* cli/diff.c - `dossier diff`: what the last build changed.  Every build
 * writes OUT/CHANGES.md (see changes.h); this prints it.
 */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/project.h"
#include "base/diag.h"
#include "base/file.h"

static char *opt_out;

static const GOptionEntry diff_options[] = {
	{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Output folder of the build (default: out)", "DIR" },
	{ NULL },
};

int
cmd_diff(int argc, char **argv)
{
	if (!cmd_parse_options("diff", "",
			       "Prints OUT/CHANGES.md: the documents added, changed and removed by the last\n"
			       "build, and the old and new value of every figure that moved.",
			       diff_options, &argc, &argv))
		return EXIT_BAD;
	if (argc > 1) {
		diag_usage("diff", TRUE, "unexpected argument '%s'", argv[1]);
		return EXIT_BAD;
	}
	project pj;
	project_resolve(&pj, NULL, NULL, opt_out);
	g_autofree char *path = g_build_filename(pj.out, "CHANGES.md", NULL);
	project_clear(&pj);
	g_autofree char *text = NULL;
	gsize len;
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		diag(DIAG_ERROR, path, 0, 0, "no build yet (run 'dossier build' first)");
		return EXIT_BAD;
	}
	g_autofree char *why = NULL;
	if (!file_read(path, FILE_MAX_CONTENT, &text, &len, &why)) {
		diag(DIAG_ERROR, path, 0, 0, "%s", why);
		return EXIT_BAD;
	}
	fwrite(text, 1, len, stdout);
	return cmd_stdout_done(EXIT_OK);
}

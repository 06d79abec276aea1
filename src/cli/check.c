/* cli/check.c - `dossier check`: do the trigger metrics justify applying?
 *
 * Runs the in-memory pipeline (so a document that cannot be completed is
 * reported too) and prints the readiness report, the same Markdown that
 * `build` writes to OUT/readiness.md.  Exit 0 ready, 1 not ready.
 */
#include <stdio.h>

#include "cli/commands.h"
#include "base/diag.h"
#include "pipeline/pipeline.h"

static char *opt_content, *opt_templates;

static const GOptionEntry check_options[] = {
	{ "content", 'c', 0, G_OPTION_ARG_FILENAME, &opt_content, "Content folder (default: content)", "DIR" },
	{ "templates", 't', 0, G_OPTION_ARG_FILENAME, &opt_templates, "Templates folder (default: templates)", "DIR" },
	{ NULL },
};

int
cmd_check(int argc, char **argv)
{
	if (!cmd_parse_options("check", "",
			       "Prints the trigger metrics (current against target), the trigger rule and the\n"
			       "pre-application checklist, then a verdict.\n"
			       "Exit status: 0 ready to apply, 1 not ready, 2 bad input.",
			       check_options, &argc, &argv))
		return EXIT_BAD;
	if (argc > 1) {
		fprintf(stderr, "dossier check: unexpected argument '%s'\nTry 'dossier check --help'.\n", argv[1]);
		return EXIT_BAD;
	}
	g_autoptr(pipeline) pl = pipeline_run(opt_content ? opt_content : "content",
					      opt_templates ? opt_templates : "templates");
	if (!pl)
		return EXIT_BAD;
	fputs(pl->readiness_md, stdout);
	return val_get(val_get(pl->root, "readiness"), "ready")->b ? EXIT_OK : EXIT_NO;
}

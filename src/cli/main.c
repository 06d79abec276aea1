/* cli/main.c - dossier's entry point: finds the command and hands over.
 *
 * dossier builds the submission package for a Meta WhatsApp Business
 * Solution Provider application from the facts in content/.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "base/diag.h"
#include "base/version.h"

static const struct {
	const char *name;
	int (*run)(int, char **);
	const char *summary;
} commands[] = {
	{ "build",  cmd_build,  "build out/bsp-application/ from content/ and templates/" },
	{ "check",  cmd_check,  "say whether the trigger metrics justify applying (exit 0 ready, 1 not)" },
	{ "render", cmd_render, "render one Mustache template with one YAML data file to stdout" },
	{ "pdf",    cmd_pdf,    "typeset any Markdown file to PDF" },
	{ "verify", cmd_verify, "check a package's files against its manifest (exit 0 all match, 1 not)" },
	{ "diff",   cmd_diff,   "print what the last build changed (OUT/CHANGES.md)" },
	{ "month",  cmd_month,  "start the next monthly snapshot from the latest one" },
};

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: dossier COMMAND [OPTIONS]\n"
		"\n"
		"Builds the Meta WhatsApp Business Solution Provider (BSP) application\n"
		"package from the facts, monthly metrics and case studies in content/.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Run 'dossier COMMAND --help' for the options of a command.\n"
		"Exit status: 0 success, 1 a negative answer (not ready), 2 bad usage or input.\n");
}

int
main(int argc, char **argv)
{
	/* The user's locale is for messages and the terminal's character set
	 * only.  Numbers, dates and sort order stay C's: Cairo's tag parser
	 * and librsvg read the numbers we print, and the package must be the
	 * same bytes in every locale (tests/e2e/locale.sh). */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	setlocale(LC_TIME, "C");
	setlocale(LC_COLLATE, "C");
	setlocale(LC_MONETARY, "C");
	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("dossier %s\n", DOSSIER_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "dossier: unknown command '%s'\n", argv[1]);
	fprintf(stderr, "Try 'dossier --help'.\n");
	return EXIT_BAD;
}

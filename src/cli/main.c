/* cli/main.c - dossier's entry point: finds the command and hands over.
 *
 * dossier builds the submission package for a Meta WhatsApp Business
 * Solution Provider application from the facts in content/.
 */
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/project.h"
#include "base/diag.h"
#include "base/version.h"

static const struct {
	const char *name;
	int (*run)(int, char **);
	const char *summary;
} commands[] = {
	{ "build",  cmd_build,  "build out/bsp-application/ from content/ and templates/" },
	{ "serve",  cmd_serve,  "preview the web edition on 127.0.0.1, rebuilt and reloaded on every change" },
	{ "check",  cmd_check,  "say whether the trigger metrics justify applying (exit 0 ready, 1 not)" },
	{ "render", cmd_render, "render one Mustache template with one YAML data file to stdout" },
	{ "pdf",    cmd_pdf,    "typeset any Markdown file to PDF" },
	{ "verify", cmd_verify, "check a package's files against its manifest (exit 0 all match, 1 not)" },
	{ "diff",   cmd_diff,   "print what the last build changed (OUT/CHANGES.md)" },
	{ "month",  cmd_month,  "start the next monthly snapshot from the latest one" },
	{ "migrate", cmd_migrate, "bring content written for an older dossier up to date (renamed keys)" },
	{ "init",   cmd_init,   "create a new project: dossier.yaml and content/ to fill in (--example: a complete one)" },
};

/* The list of commands, for --help (stdout) and for no command at all
 * (stderr, through diag); the caller frees it. */
static char *
usage_text(void)
{
	GString *s = g_string_new(
		"Usage: dossier [--color=WHEN] COMMAND [OPTIONS]\n"
		"       dossier help [COMMAND] | version\n"
		"\n"
		"Builds the Meta WhatsApp Business Solution Provider (BSP) application\n"
		"package from the facts, monthly metrics and case studies in content/.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		g_string_append_printf(s, "  %-8s %s\n", commands[i].name, commands[i].summary);
	g_string_append(s,
		"\n"
		"Run 'dossier help COMMAND' (or 'dossier COMMAND --help') for the options of a\n"
		"command, 'man dossier' for the manual.  -V, --version: print the version.\n"
		"--color=auto|always|never: colour error: and warning: (auto: on a terminal,\n"
		"unless NO_COLOR is set).\n"
		"Exit status: 0 success, 1 a negative answer (not ready), 2 bad usage or input.");
	return g_string_free(s, FALSE);
}

static void
usage(bool to_stdout)
{
	g_autofree char *text = usage_text();
	if (to_stdout)
		puts(text);
	else
		diag_say("%s", text);
}

static int
version(void)
{
	printf("dossier %s\n", DOSSIER_VERSION);
	return EXIT_OK;
}

static int (*find(const char *name))(int, char **)
{
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (!strcmp(name, commands[i].name))
			return commands[i].run;
	return NULL;
}

/* An unknown command, with the closest one when there is one. */
static int
unknown(const char *name)
{
	const char *names[G_N_ELEMENTS(commands) + 3];
	size_t n = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		names[n++] = commands[i].name;
	names[n++] = "help";
	names[n++] = "version";
	names[n] = NULL;
	const char *hint = diag_suggest(name, names);
	if (hint)
		diag_usage(NULL, FALSE, "unknown command '%s'; did you mean '%s'?", name, hint);
	else
		diag_usage(NULL, FALSE, "unknown command '%s'", name);
	diag_say("Try 'dossier --help' for the list of commands.");
	return EXIT_BAD;
}

int
main(int argc, char **argv)
{
	/* The user's locale is for messages and the terminal's character set
	 * only.  Numbers, dates and sort order stay C's: Cairo's tag parser
	 * and librsvg read the numbers we print, and the package must be the
	 * same bytes in every locale (tests/e2e/locale.sh). */
	/* A build allocates and frees a lot in short bursts (layouts, Cairo's
	 * page streams, zlib's buffers).  By default glibc gives big blocks
	 * back to the kernel and takes them again, a page fault per page each
	 * time: about a quarter of a build's CPU was the kernel's.  Kept
	 * instead, for the life of the process (issue 15; glibc only, other
	 * allocators, ASan's and valgrind's, ignore it). */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	/* Cairo 1.16 deflates every page's content, and the finishing step
	 * (pdf_finish.c) must inflate it again to mark the artifacts in it,
	 * then deflate it once more: a tenth of typesetting's time went on
	 * that (bench/README.md, issue 23).  Cairo has no call to leave the
	 * content as it is, only this switch, read when a PDF surface is
	 * made; set here, before any thread, and never changed. */
	g_setenv("CAIRO_DEBUG_PDF", "1", TRUE);
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	setlocale(LC_TIME, "C");
	setlocale(LC_COLLATE, "C");
	setlocale(LC_MONETARY, "C");
	/* Options before the command: help, version, colour. */
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(true);
			return EXIT_OK;
		}
		if (!strcmp(a, "--version") || !strcmp(a, "-V"))
			return version();
		if (g_str_has_prefix(a, "--color=") || !strcmp(a, "--color")) {
			const char *when = a[7] == '=' ? a + 8 : i + 1 < argc ? argv[++i] : "";
			if (!cmd_parse_color(when)) {
				diag_usage(NULL, FALSE, "--color must be auto, always or never, got '%s'", when);
				return EXIT_BAD;
			}
			continue;
		}
		diag_usage(NULL, TRUE, "unknown option '%s'", a);
		return EXIT_BAD;
	}
	if (i >= argc) {
		usage(false);
		return EXIT_BAD;
	}
	const char *name = argv[i];
	if (!strcmp(name, "version"))
		return version();
	if (!strcmp(name, "help")) {
		if (i + 1 >= argc) {
			usage(true);
			return EXIT_OK;
		}
		/* `dossier help CMD` is `dossier CMD --help`. */
		int (*run)(int, char **) = find(argv[i + 1]);
		if (!run)
			return unknown(argv[i + 1]);
		char *args[] = { argv[i + 1], "--help", NULL };
		return run(2, args);
	}
	int (*run)(int, char **) = find(name);
	if (!run)
		return unknown(name);
	return run(argc - i, argv + i);
}

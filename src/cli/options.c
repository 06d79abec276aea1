/* cli/options.c - option parsing shared by every command (see commands.h).
 *
 * Every command takes --color=WHEN too, like the global one before the
 * command name: auto (the default: colour on a terminal unless NO_COLOR is
 * set), always or never.
 */
#include <errno.h>
#include <stdio.h>

#include "cli/commands.h"
#include "base/diag.h"

static gboolean
parse_color(const char *name, const char *value, gpointer data, GError **err)
{
	diag_color when;
	if (!diag_parse_color(value, &when)) {
		g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "--color must be auto, always or never, got '%s'", value ? value : "");
		return FALSE;
	}
	diag_set_color(when);
	return TRUE;
}

static const GOptionEntry common_options[] = {
	{ "color", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)parse_color,
	  "Colour error: and warning: (auto: on a terminal, unless NO_COLOR is set)", "auto|always|never" },
	{ NULL },
};

gboolean
cmd_parse_options(const char *cmd, const char *params, const char *summary,
		  const GOptionEntry *entries, int *argc, char ***argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new(params);
	g_autoptr(GError) err = NULL;
	g_autofree char *prg = g_strdup_printf("dossier %s", cmd);

	g_set_prgname(prg);
	g_option_context_set_summary(ctx, summary);
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_add_main_entries(ctx, common_options, NULL);
	if (!g_option_context_parse(ctx, argc, argv, &err)) {
		diag_usage(cmd, TRUE, "%s", err->message);
		return FALSE;
	}
	return TRUE;
}

gboolean
cmd_parse_color(const char *arg)
{
	return parse_color("--color", arg, NULL, NULL);
}

int
cmd_stdout_done(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		diag(DIAG_ERROR, NULL, 0, 0, "cannot write to standard output: %s", g_strerror(errno));
		return EXIT_BAD;
	}
	return status;
}

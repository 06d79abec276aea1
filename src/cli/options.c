/* cli/options.c - option parsing shared by every command (see commands.h). */
#include <stdio.h>

#include "cli/commands.h"

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
	if (!g_option_context_parse(ctx, argc, argv, &err)) {
		fprintf(stderr, "dossier %s: %s\n", cmd, err->message);
		fprintf(stderr, "Try 'dossier %s --help'.\n", cmd);
		return FALSE;
	}
	return TRUE;
}

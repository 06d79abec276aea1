/* commands.h - the sub-commands of dossier, one function each.
 *
 * Each takes the arguments after the command name (argv[0] is the command
 * name itself) and returns the exit status: EXIT_OK, EXIT_NO or EXIT_BAD
 * (see diag.h).  main.c only dispatches.
 */
#ifndef DOSSIER_COMMANDS_H
#define DOSSIER_COMMANDS_H

int cmd_build(int argc, char **argv);	/* cmd_build.c: content -> package */
int cmd_serve(int argc, char **argv);	/* serve.c: the web edition on 127.0.0.1, rebuilt on change */
int cmd_check(int argc, char **argv);	/* cmd_check.c: readiness report */
int cmd_render(int argc, char **argv);	/* cmd_render.c: one template to stdout */
int cmd_pdf(int argc, char **argv);	/* cmd_pdf.c: any Markdown file to PDF */
int cmd_verify(int argc, char **argv);	/* cmd_verify.c: package against its manifest */
int cmd_diff(int argc, char **argv);	/* cmd_diff.c: OUT/CHANGES.md of the last build */
int cmd_month(int argc, char **argv);	/* month.c: the next monthly snapshot */
int cmd_migrate(int argc, char **argv);	/* migrate.c: older content brought up to date */

/* Shared by the commands' option parsing: parses argv with `entries`,
 * prints errors as "dossier CMD: ..." and returns false on bad usage. */
#include <glib.h>
gboolean cmd_parse_options(const char *cmd, const char *params,
			   const char *summary, const GOptionEntry *entries,
			   int *argc, char ***argv);
/* The value of a --color option given before the command; false when it is
 * not auto, always or never. */
gboolean cmd_parse_color(const char *arg);

/* The end of a command that printed its answer on stdout: flushes it and
 * returns `status`, or EXIT_BAD after an error when the output could not be
 * written (a full disk, a closed pipe): lost output is never a success. */
int cmd_stdout_done(int status);

#endif
